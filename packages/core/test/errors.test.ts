import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  fromZodError,
  isSettingsError,
  isVBucketsError,
  settingsError,
  toVBucketsError,
  VBucketsError,
  vbucketsError,
  withErrorSource,
} from '../src/errors';

describe('VBucketsError', () => {
  it('carries code, message, cause, stack and a retryable default by code', () => {
    const cause = new Error('socket hang up');
    const error = vbucketsError('STORAGE', 'Writing failed', { cause });
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
    const wrapped = toVBucketsError(new Error('EIO'), 'STORAGE', 'Reading failed', {
      retryable: true,
      adapter: 'fs',
      operation: 'blobs.get',
    });
    expect(wrapped.message).toBe('Reading failed: EIO');
    expect(wrapped.retryable).toBe(true);
    expect(JSON.parse(JSON.stringify(wrapped))).toEqual({
      name: 'VBucketsError',
      code: 'STORAGE',
      message: 'Reading failed: EIO',
      retryable: true,
      adapter: 'fs',
      operation: 'blobs.get',
    });
  });

  it('fills in the adapter and operation an error lacks, keeping those it has and its stack', () => {
    const cause = new Error('EIO');
    const bare = vbucketsError('STORAGE', 'Reading "a" failed', {
      cause,
      retryable: true,
      path: 'key',
      details: { key: 'a' },
    });
    const sourced = withErrorSource(bare, { adapter: 'fs', operation: 'blobs.get' });
    expect(sourced).not.toBe(bare);
    expect(sourced).toMatchObject({
      code: 'STORAGE',
      message: 'Reading "a" failed',
      retryable: true,
      path: 'key',
      details: { key: 'a' },
      adapter: 'fs',
      operation: 'blobs.get',
    });
    expect(sourced.cause).toBe(cause);
    expect(sourced.stack).toBe(bare.stack);
    expect(bare.adapter).toBeUndefined();
    // The innermost adapter wins: an uploader reading a blob does not rename the blob store.
    expect(withErrorSource(sourced, { adapter: 'youtube', operation: 'upload' })).toBe(sourced);
    const half = vbucketsError('STORAGE', 'x', { adapter: 's3' });
    expect(withErrorSource(half, { adapter: 'r2', operation: 'blobs.put' })).toMatchObject({
      adapter: 's3',
      operation: 'blobs.put',
    });
  });

  it("marks the refusal of a factory's settings so a host can tell it from bad input", () => {
    const parsed = z.strictObject({ root: z.string().min(1) }).safeParse({ root: '' });
    if (parsed.success) throw new Error('expected a failure');
    const refusal = settingsError(fromZodError(parsed.error, 'local blob store settings'));
    expect(refusal).toMatchObject({ code: 'VALIDATION', path: 'root' });
    expect(refusal.message).toMatch(/^Invalid local blob store settings\.root: /);
    expect(refusal.details).toMatchObject({ settings: true });
    expect(isSettingsError(refusal)).toBe(true);
    expect(isSettingsError(withErrorSource(refusal, { adapter: 'fs', operation: 'x' }))).toBe(true);
    expect(isSettingsError(fromZodError(parsed.error, 'input'))).toBe(false);
    expect(isSettingsError(new Error('x'))).toBe(false);
  });
});
