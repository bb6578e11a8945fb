import type { PageRequest, UploadedBucketGroup, VBucketsError } from '@vbuckets/core';
import { bucketNameKey } from '@vbuckets/core/domain';
import type { ResultAsync } from 'neverthrow';
import { unwrap } from './errors';

/** Rows per page the CLI asks for: every page costs the store the same, however deep. */
export const CLI_PAGE_SIZE = 500;

/** Every item of a keyset-paged list, read a page at a time (each after the last id read). */
export async function allPages<T extends { id: string }>(
  list: (page: PageRequest & { limit: number }) => ResultAsync<T[], VBucketsError>,
): Promise<T[]> {
  const all: T[] = [];
  for (;;) {
    const after = all.at(-1)?.id;
    const page = await unwrap(
      list({ limit: CLI_PAGE_SIZE, ...(after === undefined ? {} : { after }) }),
    );
    all.push(...page);
    if (page.length < CLI_PAGE_SIZE) return all;
  }
}

/** Every group of `uploadedByBucket`, a page at a time; a bucket cut by a page end is joined again. */
export async function allUploadedGroups(
  list: (
    page: PageRequest & { limit: number },
  ) => ResultAsync<UploadedBucketGroup[], VBucketsError>,
): Promise<UploadedBucketGroup[]> {
  const groups: UploadedBucketGroup[] = [];
  for (;;) {
    const after = groups.at(-1)?.rows.at(-1)?.id;
    const page = await unwrap(
      list({ limit: CLI_PAGE_SIZE, ...(after === undefined ? {} : { after }) }),
    );
    for (const group of page) {
      const last = groups.at(-1);
      if (last !== undefined && sameBucket(last.bucketName, group.bucketName)) {
        last.rows.push(...group.rows);
      } else groups.push(group);
    }
    if (page.reduce((sum, group) => sum + group.rows.length, 0) < CLI_PAGE_SIZE) return groups;
  }
}

const sameBucket = (left: string | null, right: string | null): boolean =>
  left === null || right === null ? left === right : bucketNameKey(left) === bucketNameKey(right);
