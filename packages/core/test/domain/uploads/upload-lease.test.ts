import { describe, expect, it } from 'vitest';
import { isLeaseExpired } from '../../../src/domain/uploads/upload-lease';

const NOW = Date.parse('2026-02-11T08:00:00.000Z');

describe('isLeaseExpired', () => {
  it('keeps a lease live until its expiry instant', () => {
    expect(isLeaseExpired({ leaseExpiresAt: '2026-02-11T08:00:00.001Z' }, NOW)).toBe(false);
  });

  it('expires a lease at its expiry instant and after it', () => {
    expect(isLeaseExpired({ leaseExpiresAt: '2026-02-11T08:00:00.000Z' }, NOW)).toBe(true);
    expect(isLeaseExpired({ leaseExpiresAt: '2026-02-11T07:59:00.000Z' }, NOW)).toBe(true);
  });

  it('treats a missing or unreadable expiry as expired so the row can be reclaimed', () => {
    expect(isLeaseExpired({ leaseExpiresAt: null }, NOW)).toBe(true);
    expect(isLeaseExpired({ leaseExpiresAt: 'soon' }, NOW)).toBe(true);
  });
});
