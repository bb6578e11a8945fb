import type { BucketImportCounts, BucketImportItem, Scope, VBuckets } from '@vbuckets/core';
import type { BucketFileItem } from './bucket-file';
import { unwrap } from './errors';

export type ImportCounts = BucketImportCounts;

/**
 * Creates or updates (matched by name, ignoring case) each entry of a checked import file
 * through `buckets.import`: one transaction, so an import lands whole or not at all.
 */
export async function importBuckets(
  vbuckets: VBuckets,
  scope: Scope,
  productId: string,
  items: readonly BucketFileItem[],
): Promise<ImportCounts> {
  return unwrap(
    vbuckets.buckets.import(
      scope,
      productId,
      items.map((item) => item.given as BucketImportItem),
    ),
  );
}
