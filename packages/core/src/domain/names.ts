/**
 * The comparison key of a bucket name: Unicode-normalised, trimmed, inner white space
 * collapsed, lower-cased. Two names with the same key are the same bucket.
 */
export function bucketNameKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
}
