import { isVBucketsError, VBucketsError, type VBucketsErrorCode } from '@vbuckets/core';

/** A short, path-free description of common errno codes: messages may reach end users, paths should not. */
const DESCRIPTIONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EAGAIN: 'resource temporarily unavailable',
  EBUSY: 'resource busy',
  ENAMETOOLONG: 'name too long for this file system',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'is a folder',
  EEXIST: 'already exists',
  ENOTEMPTY: 'folder not empty',
  ELOOP: 'too many symbolic links',
};

/** Codes that say the machine is momentarily short of something: the same call may succeed later. */
const TRANSIENT = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'EBUSY']);

/** The errno code of a Node file-system error, or undefined. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Turns anything thrown inside the fs adapter into a VBucketsError (a VBucketsError passes
 * through). ENOENT is NOT_FOUND; ENAMETOOLONG is VALIDATION (the key is too long for this
 * file system); everything else, permissions included, is STORAGE: a process that may not
 * write its own store is misconfigured, which is not the caller being FORBIDDEN.
 */
/** Codes that say this process may not write where it was told to. */
const DENIED = new Set(['EACCES', 'EPERM', 'EROFS']);

export function toFsError(
  error: unknown,
  action: string,
  /** Added to the message when the file system denied the write (what the user should fix). */
  whenDenied?: string,
): VBucketsError {
  if (isVBucketsError(error)) return error;
  const code = errnoCode(error);
  const reason =
    code === undefined
      ? error instanceof Error
        ? error.message
        : String(error)
      : `${code}: ${DESCRIPTIONS[code] ?? 'file system error'}`;
  const errorCode: VBucketsErrorCode =
    code === 'ENOENT' ? 'NOT_FOUND' : code === 'ENAMETOOLONG' ? 'VALIDATION' : 'STORAGE';
  const hint = whenDenied !== undefined && code !== undefined && DENIED.has(code);
  return new VBucketsError(
    errorCode,
    `${action} failed (${reason})${hint ? `: ${whenDenied}` : ''}`,
    {
      adapter: 'fs',
      cause: error,
      retryable: code !== undefined && TRANSIENT.has(code),
      ...(errorCode === 'VALIDATION' ? { path: 'key' } : {}),
      ...(code === undefined ? {} : { details: { errno: code } }),
    },
  );
}
