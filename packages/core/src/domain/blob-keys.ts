import { err, ok, type Result } from 'neverthrow';
import { VBucketsError } from '../errors';

/** S3 and R2 refuse longer keys; holding every store to it keeps keys portable between them. */
export const MAX_BLOB_KEY_BYTES = 1024;
/** Most file systems refuse longer names (NAME_MAX). */
export const MAX_BLOB_KEY_SEGMENT_BYTES = 255;

export interface BlobKeyRules {
  /** The adapter checking the key, kept in the error's `adapter` field (never in the message). */
  adapter?: string;
  /** First segments an adapter keeps for itself (compared case-insensitively, as macOS and Windows do). */
  reservedFirstSegments?: readonly string[];
}

const utf8 = new TextEncoder();

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/u;
const WINDOWS_DRIVE = /^[a-z]:/iu;

/**
 * Checks a blob key against the rules every BlobStore shares: a `/`-separated relative path
 * with no `.`/`..`/empty segments, no leading `/`, backslash, control character (NUL
 * included) or Windows drive, at most 1024 bytes, each segment at most 255 bytes. Returns
 * the key unchanged, or a VALIDATION error (path `key`) whose message names the problem.
 */
export function validateBlobKey(
  key: string,
  rules: BlobKeyRules = {},
): Result<string, VBucketsError> {
  const problem = findKeyProblem(key, rules);
  if (problem === undefined) return ok(key);
  const shown = typeof key === 'string' ? JSON.stringify(key) : String(key);
  return err(
    new VBucketsError('VALIDATION', `Invalid blob key ${shown}: ${problem}`, {
      path: 'key',
      details: { key },
      ...(rules.adapter === undefined ? {} : { adapter: rules.adapter }),
    }),
  );
}

function findKeyProblem(key: unknown, rules: BlobKeyRules): string | undefined {
  if (typeof key !== 'string') return 'must be a string';
  if (key.length === 0) return 'must not be empty';
  // Checked before splitting so that the message names the real problem, not an empty segment.
  if (CONTROL_CHARACTER.test(key)) return 'must not contain control characters (NUL included)';
  if (key.includes('\\')) return 'must not contain a backslash (use "/" between segments)';
  if (key.startsWith('/')) return 'must be relative (no leading "/")';
  if (WINDOWS_DRIVE.test(key)) return 'must not start with a drive letter';
  if (utf8.encode(key).byteLength > MAX_BLOB_KEY_BYTES) {
    return `must be at most ${MAX_BLOB_KEY_BYTES} bytes in UTF-8`;
  }
  const segments = key.split('/');
  for (const segment of segments) {
    // `a//b` and `a/` would name the same file as `a/b` and `a` on a file system.
    if (segment === '') return 'must not contain empty segments ("//" or a trailing "/")';
    if (segment === '.') return 'must not contain "." segments';
    if (segment === '..') return 'must not contain ".." segments';
    if (utf8.encode(segment).byteLength > MAX_BLOB_KEY_SEGMENT_BYTES) {
      return `each segment must be at most ${MAX_BLOB_KEY_SEGMENT_BYTES} bytes in UTF-8`;
    }
  }
  const first = segments[0]!.toLowerCase();
  const reserved = rules.reservedFirstSegments?.find((name) => name.toLowerCase() === first);
  if (reserved !== undefined)
    return `must not start with "${reserved}/", which the store keeps for itself`;
  return undefined;
}
