import { VBucketsError } from '@vbuckets/core';
import { describe, expect, it } from 'vitest';
import { toFsError } from '../src/fs-error';

function errno(code: string): Error {
  return Object.assign(new Error(`${code}: something, open '/home/someone/secret/path'`), { code });
}

describe('toFsError', () => {
  it.each([
    ['ENOENT', 'NOT_FOUND', false],
    ['EACCES', 'STORAGE', false],
    ['EPERM', 'STORAGE', false],
    ['ENOSPC', 'STORAGE', false],
    ['EIO', 'STORAGE', false],
    ['EMFILE', 'STORAGE', true],
    ['EBUSY', 'STORAGE', true],
    ['ENAMETOOLONG', 'VALIDATION', false],
    ['EWHATEVER', 'STORAGE', false],
  ] as const)('maps %s to %s (retryable: %s)', (code, expected, retryable) => {
    const cause = errno(code);
    const error = toFsError(cause, 'Writing "x.mp4"');
    expect(error.code).toBe(expected);
    expect(error.retryable).toBe(retryable);
    expect(error.cause).toBe(cause);
    expect(error.message).toMatch(new RegExp(`^Writing "x.mp4" failed \\(${code}`));
    expect(error.adapter).toBe('fs');
  });

  it('keeps file system paths out of the message (they stay in the cause)', () => {
    expect(toFsError(errno('EACCES'), 'Reading "x"').message).toBe(
      'Reading "x" failed (EACCES: permission denied)',
    );
  });

  it('says what to fix when the file system denied the write, and only then', () => {
    const fix = 'the folder is not writable by this process';
    for (const code of ['EACCES', 'EPERM', 'EROFS']) {
      expect(toFsError(errno(code), 'Writing "x"', fix).message).toMatch(
        new RegExp(`^Writing "x" failed \\(${code}: [^)]+\\): ${fix}$`),
      );
    }
    expect(toFsError(errno('ENOSPC'), 'Writing "x"', fix).message).toBe(
      'Writing "x" failed (ENOSPC: no space left on device)',
    );
  });

  it('passes a VBucketsError through and wraps anything else as STORAGE', () => {
    const own = new VBucketsError('CANCELLED', 'Writing "x" was aborted');
    expect(toFsError(own, 'Writing "x"')).toBe(own);
    expect(toFsError('boom', 'Writing "x"').message).toBe('Writing "x" failed (boom)');
  });
});
