import type { Bucket } from '@vbuckets/core';
import { renderTable } from './table';

/** The `buckets list` table: order, name, best for, id. */
export function bucketTable(buckets: readonly Bucket[]): string {
  return renderTable(
    [
      { header: 'ORDER', value: (bucket: Bucket) => String(bucket.displayOrder), align: 'right' },
      { header: 'NAME', value: (bucket) => bucket.name, maxWidth: 32 },
      { header: 'BEST FOR', value: (bucket) => bucket.bestFor, maxWidth: 48 },
      { header: 'ID', value: (bucket) => bucket.id },
    ],
    buckets,
  );
}

/** Every field of one bucket, lists as bullets, for `buckets show`. */
export function bucketDetails(bucket: Bucket): string {
  const field = (label: string, value: string) => `  ${`${label}:`.padEnd(14)}${value || '-'}`;
  const list = (label: string, items: readonly string[]) =>
    items.length === 0
      ? [field(label, '-')]
      : [`  ${label}:`, ...items.map((item) => `    - ${item}`)];
  return [
    bucket.name,
    field('id', bucket.id),
    field('product', `${bucket.productId} (org ${bucket.orgId})`),
    field('order', String(bucket.displayOrder)),
    field('best for', bucket.bestFor),
    field('angle', bucket.angle),
    field('avatar', bucket.avatar),
    ...list('pain points', bucket.painPoints),
    ...list('solutions', bucket.solutionMechanism),
    ...list('copy hooks', bucket.keyCopyHooks),
    field('created', bucket.createdAt),
    field('updated', bucket.updatedAt),
  ].join('\n');
}
