import {
  type Bucket,
  isVBucketsError,
  notFoundError,
  type Scope,
  type VBuckets,
} from '@vbuckets/core';
import { bucketNameKey } from '@vbuckets/core/domain';
import { unwrap } from './errors';

/**
 * Finds a bucket by id, or by name within the product (ignoring case and spacing, as names
 * are unique). An id of another product of the same org is found too: ids are unambiguous.
 */
export async function resolveBucket(
  vbuckets: VBuckets,
  scope: Scope,
  productId: string,
  reference: string,
  productBuckets?: readonly Bucket[],
): Promise<Bucket> {
  const buckets = productBuckets ?? (await unwrap(vbuckets.buckets.list(scope, { productId })));
  const key = bucketNameKey(reference);
  const found =
    buckets.find((bucket) => bucket.id === reference) ??
    buckets.find((bucket) => bucketNameKey(bucket.name) === key);
  if (found !== undefined) return found;
  try {
    return await unwrap(vbuckets.buckets.get(scope, reference));
  } catch (error) {
    if (isVBucketsError(error) && error.code === 'NOT_FOUND') {
      throw notFoundError(`No bucket with id or name "${reference}" in product "${productId}"`, {
        cause: error,
        details: { reference, productId, orgId: scope.orgId },
      });
    }
    throw error;
  }
}
