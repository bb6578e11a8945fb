import { describe, expect, it } from 'vitest';
import { createSequentialIdGenerator } from '../../src/testing/sequential-id-generator';

describe('createSequentialIdGenerator', () => {
  it('counts up from 1 under its prefix', () => {
    const ids = createSequentialIdGenerator('bucket');
    expect([ids.next(), ids.next(), ids.next()]).toEqual(['bucket-1', 'bucket-2', 'bucket-3']);
    expect(ids.count).toBe(3);
  });

  it('uses the prefix `id` by default and keeps generators independent', () => {
    const first = createSequentialIdGenerator();
    const second = createSequentialIdGenerator();
    first.next();
    expect(first.next()).toBe('id-2');
    expect(second.next()).toBe('id-1');
  });
});
