// Types only (erased from the bundle): the dashboard speaks the SDK's own shapes.
import type {
  Bucket,
  BucketImportCounts,
  BucketImportItem,
  BucketUpdateInput,
} from '@vbuckets/core';
import { type ApiClient, segment } from '../../api';

export type { Bucket };

/** What a person edits; `displayOrder` only on an existing bucket. */
export type BucketFields = Omit<BucketUpdateInput, 'name'> & { name: string };

/** What `GET /products/{productId}/buckets/export` answers and an import reads back. */
export interface BucketExport {
  productId: string;
  buckets: BucketImportItem[];
}

/** The host's bucket routes. */
export function bucketsApi(api: ApiClient) {
  const product = (productId: string) => `/products/${segment(productId)}`;
  return {
    /** One product's buckets in display order, or every bucket of the org. */
    list: (productId?: string) =>
      api.get<Bucket[]>('/buckets', productId === undefined ? {} : { query: { productId } }),
    create: (productId: string, fields: BucketFields) =>
      api.post<Bucket>('/buckets', { productId, ...fields }),
    update: (bucketId: string, fields: BucketUpdateInput) =>
      api.patch<Bucket>(`/buckets/${segment(bucketId)}`, fields),
    remove: (bucketId: string) => api.delete(`/buckets/${segment(bucketId)}`),
    reorder: (productId: string, bucketIds: string[]) =>
      api.put<Bucket[]>(`${product(productId)}/bucket-order`, { bucketIds }),
    exportJson: (productId: string) =>
      api.get<BucketExport>(`${product(productId)}/buckets/export`),
    importJson: (productId: string, buckets: unknown[]) =>
      api.post<BucketImportCounts>(`${product(productId)}/buckets/import`, { buckets }),
  };
}

export type BucketsApi = ReturnType<typeof bucketsApi>;

/** The list an import file holds: an export (`{ productId, buckets }`) or a bare list. */
export function importListOf(text: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('That is not JSON: choose a file an export wrote, or paste its text.');
  }
  if (Array.isArray(parsed)) return parsed;
  if (typeof parsed === 'object' && parsed !== null) {
    const { buckets } = parsed as { buckets?: unknown };
    if (Array.isArray(buckets)) return buckets;
  }
  throw new Error(
    'The JSON must be an export (an object with a "buckets" list) or a list of buckets.',
  );
}

/** The words of a bucket's copy: what the offline keyword categorizer can match videos against. */
export function copyWordsOf(bucket: Bucket): number {
  const text = [
    bucket.name,
    bucket.bestFor,
    bucket.angle,
    bucket.avatar,
    ...bucket.painPoints,
    ...bucket.solutionMechanism,
    ...bucket.keyCopyHooks,
  ].join(' ');
  return text.split(/\s+/).filter((word) => word !== '').length;
}
