import { describe, expect, it } from 'vitest';
import {
  canUpload,
  checkDuplicateGuard,
  type DuplicateGuardUpload,
  evaluateDuplicateGuard,
} from '../../../src/domain/uploads/duplicate-guard';
import type { UploadStatus } from '../../../src/schemas/upload';

const NOW = Date.parse('2026-02-11T09:00:00.000Z');
const LIVE_LEASE = '2026-02-11T09:05:00.000Z';
const EXPIRED_LEASE = '2026-02-11T08:55:00.000Z';

const row = (overrides: Partial<DuplicateGuardUpload> = {}): DuplicateGuardUpload => ({
  platform: 'youtube',
  status: 'SUCCESS',
  platformPostId: 'ABC123',
  leaseOwner: null,
  leaseExpiresAt: null,
  updatedAt: '2026-02-11T08:00:00.000Z',
  ...overrides,
});

const strict = { duplicateAllowed: false };
const relaxed = { duplicateAllowed: true };

describe('evaluateDuplicateGuard', () => {
  it('allows the first attempt', () => {
    expect(evaluateDuplicateGuard({ video: strict, current: null, now: NOW })).toEqual({
      allowed: true,
    });
  });

  it('refuses a repeat after SUCCESS with the post id', () => {
    expect(evaluateDuplicateGuard({ video: strict, current: row(), now: NOW })).toEqual({
      allowed: false,
      refusal: 'already-uploaded',
      reason: 'already uploaded to YouTube at 2026-02-11T08:00:00.000Z, post id ABC123',
    });
  });

  it('omits the post id when the platform gave none', () => {
    const decision = evaluateDuplicateGuard({
      video: strict,
      current: row({ platform: 'instagram', platformPostId: null }),
      now: NOW,
    });
    expect(decision).toMatchObject({
      reason: 'already uploaded to Instagram at 2026-02-11T08:00:00.000Z',
    });
  });

  it('allows a repeat after SUCCESS when the video allows duplicates', () => {
    expect(evaluateDuplicateGuard({ video: relaxed, current: row(), now: NOW }).allowed).toBe(true);
  });

  it('allows a repeat after SUCCESS when forced', () => {
    expect(
      evaluateDuplicateGuard({ video: strict, current: row(), force: true, now: NOW }).allowed,
    ).toBe(true);
  });

  it('refuses a live IN_PROGRESS, naming the lease holder', () => {
    const current = row({
      platform: 'tiktok',
      status: 'IN_PROGRESS',
      platformPostId: null,
      leaseOwner: 'worker-7',
      leaseExpiresAt: LIVE_LEASE,
      updatedAt: '2026-02-11T08:58:00.000Z',
    });
    expect(evaluateDuplicateGuard({ video: strict, current, now: NOW })).toEqual({
      allowed: false,
      refusal: 'in-progress',
      reason:
        'an upload to TikTok has been in progress since 2026-02-11T08:58:00.000Z, lease held by worker-7 until 2026-02-11T09:05:00.000Z',
    });
  });

  it('refuses a live IN_PROGRESS even when duplicates are allowed and the attempt is forced', () => {
    const current = row({ status: 'IN_PROGRESS', leaseOwner: null, leaseExpiresAt: LIVE_LEASE });
    const decision = evaluateDuplicateGuard({ video: relaxed, current, force: true, now: NOW });
    expect(decision).toEqual({
      allowed: false,
      refusal: 'in-progress',
      reason:
        'an upload to YouTube has been in progress since 2026-02-11T08:00:00.000Z, lease held until 2026-02-11T09:05:00.000Z',
    });
  });

  it('allows taking over an IN_PROGRESS whose lease expired', () => {
    const current = row({
      status: 'IN_PROGRESS',
      leaseOwner: 'worker-1',
      leaseExpiresAt: EXPIRED_LEASE,
    });
    expect(evaluateDuplicateGuard({ video: strict, current, now: NOW }).allowed).toBe(true);
  });

  it('treats a lease that expires exactly now as expired', () => {
    const current = row({ status: 'IN_PROGRESS', leaseExpiresAt: new Date(NOW).toISOString() });
    expect(evaluateDuplicateGuard({ video: strict, current, now: NOW }).allowed).toBe(true);
  });

  it('keeps refusing after an earlier refusal left the row BLOCKED', () => {
    expect(
      evaluateDuplicateGuard({ video: strict, current: row({ status: 'BLOCKED' }), now: NOW }),
    ).toEqual({
      allowed: false,
      refusal: 'blocked',
      reason:
        'already uploaded to YouTube, post id ABC123; a repeat attempt was blocked at 2026-02-11T08:00:00.000Z',
    });
    expect(
      evaluateDuplicateGuard({
        video: strict,
        current: row({ platform: 'meta', status: 'BLOCKED', platformPostId: null }),
        now: NOW,
      }),
    ).toEqual({
      allowed: false,
      refusal: 'blocked',
      reason:
        'an earlier attempt to upload to Meta was blocked as a duplicate at 2026-02-11T08:00:00.000Z',
    });
  });

  it('lets a BLOCKED row go when duplicates are allowed or forced', () => {
    const current = row({ status: 'BLOCKED' });
    expect(evaluateDuplicateGuard({ video: relaxed, current, now: NOW }).allowed).toBe(true);
    expect(evaluateDuplicateGuard({ video: strict, current, force: true, now: NOW }).allowed).toBe(
      true,
    );
  });

  it.each<UploadStatus>(['PENDING', 'FAILED', 'FAILED_FINAL', 'RATE_LIMITED'])(
    'does not call a %s row a duplicate',
    (status) => {
      const current = row({ status, platformPostId: null });
      expect(evaluateDuplicateGuard({ video: strict, current, now: NOW })).toEqual({
        allowed: true,
      });
    },
  );

  it('shows an unknown platform by its given name', () => {
    const decision = evaluateDuplicateGuard({
      video: strict,
      current: row({ platform: 'linkedin' }),
      now: NOW,
    });
    expect(decision).toMatchObject({
      reason: 'already uploaded to linkedin at 2026-02-11T08:00:00.000Z, post id ABC123',
    });
  });
});

describe('canUpload', () => {
  it('answers like seed 001: [true, null] or [false, reason]', () => {
    expect(canUpload({ video: strict, current: null, now: NOW })).toEqual([true, null]);
    expect(canUpload({ video: strict, current: row({ platform: 'facebook' }), now: NOW })).toEqual([
      false,
      'already uploaded to Facebook at 2026-02-11T08:00:00.000Z, post id ABC123',
    ]);
  });
});

describe('checkDuplicateGuard', () => {
  it('is ok when allowed', () => {
    expect(checkDuplicateGuard({ video: relaxed, current: row(), now: NOW }).isOk()).toBe(true);
  });

  it('is a non-retryable DUPLICATE_UPLOAD error carrying the reason', () => {
    const error = checkDuplicateGuard({
      video: strict,
      current: row(),
      now: NOW,
    })._unsafeUnwrapErr();
    expect(error.code).toBe('DUPLICATE_UPLOAD');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      'Upload refused: already uploaded to YouTube at 2026-02-11T08:00:00.000Z, post id ABC123',
    );
    expect(error.details).toEqual({
      platform: 'youtube',
      refusal: 'already-uploaded',
      platformPostId: 'ABC123',
    });
  });
});
