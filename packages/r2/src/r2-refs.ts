import { type VBucketsError, validationError } from '@vbuckets/core';
import { validateBlobKey } from '@vbuckets/core/adapter-kit';
import { err, ok, type Result } from 'neverthrow';

/** Where an object lives: the bucket and the key within it. */
export interface R2Ref {
  bucket: string;
  key: string;
}

export const R2_REF_PREFIX = 'r2://';

/**
 * S3 bucket naming rules (3–63 characters of lower-case letters, digits, `.` and `-`,
 * starting and ending with a letter or digit); R2 is stricter still (no `.`).
 */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/u;

function checkBucket(bucket: string): Result<string, VBucketsError> {
  if (typeof bucket === 'string' && BUCKET_NAME.test(bucket) && !bucket.includes('..')) {
    return ok(bucket);
  }
  return err(
    validationError(
      `Invalid bucket name ${JSON.stringify(bucket)}: 3 to 63 lower-case letters, digits, "." or "-"`,
      { path: 'bucket', details: { bucket }, adapter: 'r2' },
    ),
  );
}

/** True when `value` is written as an internal reference (`r2://…`), valid or not. */
export function isR2Ref(value: string): boolean {
  return typeof value === 'string' && value.startsWith(R2_REF_PREFIX);
}

/**
 * The internal reference `r2://{bucket}/{key}` of an object. The key is kept verbatim (spaces,
 * unicode and slashes included): a bucket name has no `/`, so the first `/` after the bucket
 * always ends it and `parseR2Ref` gives back the same key.
 */
export function toR2Ref(bucket: string, key: string): Result<string, VBucketsError> {
  return checkBucket(bucket)
    .andThen(() => validateBlobKey(key, { adapter: 'r2' }))
    .map(() => `${R2_REF_PREFIX}${bucket}/${key}`);
}

/** Splits `r2://{bucket}/{key}` into its bucket and key; VALIDATION for anything else. */
export function parseR2Ref(ref: string): Result<R2Ref, VBucketsError> {
  if (!isR2Ref(ref)) {
    return err(
      validationError(`${JSON.stringify(ref)} is not an r2:// reference`, {
        path: 'ref',
        details: { ref },
        adapter: 'r2',
      }),
    );
  }
  const rest = ref.slice(R2_REF_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash === -1) {
    return err(
      validationError(`${JSON.stringify(ref)} names no key after the bucket`, {
        path: 'ref',
        details: { ref },
        adapter: 'r2',
      }),
    );
  }
  const bucket = rest.slice(0, slash);
  const key = rest.slice(slash + 1);
  return checkBucket(bucket)
    .andThen(() => validateBlobKey(key, { adapter: 'r2' }))
    .map(() => ({ bucket, key }));
}
