import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  fromZodError,
  isVBucketsError,
  toVBucketsError,
  VBucketsError,
  vbucketsError,
} from './errors';

describe('VBucketsError', () => {
  it('carries code, message, cause, stack and a retryable default by code', () => {
    const cause = new Error('socket hang up');
    const error = vbucketsError('STORAGE', '[sqlite] write failed', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('STORAGE');
    expect(error.retryable).toBe(false);
    expect(error.cause).toBe(cause);
    expect(error.stack).toContain('errors.test.ts');
    expect(vbucketsError('RATE_LIMITED', 'slow down').retryable).toBe(true);
    expect(vbucketsError('STORAGE', 'busy', { retryable: true }).retryable).toBe(true);
  });

  it('is recognised across duplicate installs by its Symbol.for brand, and nothing else is', () => {
    const fromAnotherCopy = Object.assign(new Error('x'), {
      [Symbol.for('vbuckets.error')]: true,
      code: 'CONFLICT',
    });
    expect(isVBucketsError(fromAnotherCopy)).toBe(true);
    expect(isVBucketsError(new VBucketsError('CONFLICT', 'taken'))).toBe(true);
    expect(isVBucketsError(new Error('plain'))).toBe(false);
    expect(isVBucketsError({ code: 'CONFLICT' })).toBe(false);
    expect(isVBucketsError(null)).toBe(false);
  });

  it('turns a zod failure into VALIDATION naming the first bad field', () => {
    const parsed = z.object({ items: z.array(z.string()) }).safeParse({ items: ['a', 3] });
    if (parsed.success) throw new Error('expected a failure');
    const error = fromZodError(parsed.error, 'input');
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe('items.1');
    expect(error.message).toMatch(/^Invalid input\.items\.1: /);
  });

  it('wraps foreign errors at a boundary and passes its own through', () => {
    const own = vbucketsError('NOT_FOUND', 'missing');
    expect(toVBucketsError(own, 'STORAGE', 'read failed')).toBe(own);
    const wrapped = toVBucketsError(new Error('EIO'), 'STORAGE', '[fs] read failed', {
      retryable: true,
    });
    expect(wrapped.message).toBe('[fs] read failed: EIO');
    expect(wrapped.retryable).toBe(true);
    expect(JSON.parse(JSON.stringify(wrapped))).toEqual({
      name: 'VBucketsError',
      code: 'STORAGE',
      message: '[fs] read failed: EIO',
      retryable: true,
    });
  });
});
