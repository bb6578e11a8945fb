import {
  type Bucket,
  type BucketCreateInput,
  type BucketUpdateInput,
  bucketNameKey,
  createBucketsService,
  randomIdGenerator,
  type Scope,
  type Store,
  type StoreRepositories,
  systemClock,
  type VBuckets,
} from '@vbuckets/core';
import type { BucketField, BucketFileItem } from './bucket-file';
import { unwrap } from './errors';

export interface ImportCounts {
  created: number;
  updated: number;
  /** Entries that matched a bucket field for field: nothing was written for them. */
  unchanged: number;
}

type ImportStep =
  | { kind: 'create'; input: BucketCreateInput }
  | { kind: 'update'; bucket: Bucket; patch: BucketUpdateInput }
  | { kind: 'unchanged' };

/**
 * Creates or updates (matched by name, ignoring case) each entry of a checked import file.
 * All writes happen in one store transaction: an import lands whole or not at all.
 */
export async function importBuckets(
  vbuckets: VBuckets,
  scope: Scope,
  productId: string,
  items: readonly BucketFileItem[],
): Promise<ImportCounts> {
  const existing = await unwrap(vbuckets.buckets.list(scope, { productId }));
  const byName = new Map(existing.map((bucket) => [bucketNameKey(bucket.name), bucket]));
  const steps = items.map((item) =>
    planStep(item, byName.get(bucketNameKey(item.parsed.name)), productId),
  );
  const writes = steps.filter((step) => step.kind !== 'unchanged');
  const [first, ...rest] = writes;
  if (first !== undefined) {
    const { store } = vbuckets;
    await unwrap(
      store.transaction((tx) => {
        // The service's own rules (validation, default order, name conflicts) inside our transaction.
        const buckets = createBucketsService({
          store: storeInTransaction(tx),
          clock: systemClock,
          ids: randomIdGenerator,
        });
        const write = (step: (typeof writes)[number]) =>
          step.kind === 'create'
            ? buckets.create(scope, step.input)
            : buckets.update(scope, step.bucket.id, step.patch);
        // Sequential on purpose: a transaction holds one connection.
        return rest.reduce((chain, step) => chain.andThen(() => write(step)), write(first));
      }),
    );
  }
  return {
    created: steps.filter((step) => step.kind === 'create').length,
    updated: steps.filter((step) => step.kind === 'update').length,
    unchanged: steps.filter((step) => step.kind === 'unchanged').length,
  };
}

function planStep(item: BucketFileItem, match: Bucket | undefined, productId: string): ImportStep {
  if (match === undefined) {
    return { kind: 'create', input: { ...item.given, productId } as BucketCreateInput };
  }
  const patch: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(item.parsed)) {
    if (!sameValue(match[field as BucketField], value)) patch[field] = value;
  }
  return Object.keys(patch).length === 0
    ? { kind: 'unchanged' }
    : { kind: 'update', bucket: match, patch: patch as BucketUpdateInput };
}

function sameValue(current: unknown, next: unknown): boolean {
  if (Array.isArray(current) && Array.isArray(next)) {
    return current.length === next.length && current.every((item, index) => item === next[index]);
  }
  return current === next;
}

/** A Store whose repositories are the transaction's, so a service's own transaction nests in ours. */
function storeInTransaction(tx: StoreRepositories): Store {
  return {
    specificationVersion: 'v1',
    buckets: tx.buckets,
    videos: tx.videos,
    categorizationSessions: tx.categorizationSessions,
    categorizations: tx.categorizations,
    uploads: tx.uploads,
    auditEvents: tx.auditEvents,
    transaction: (fn) => fn(tx),
    close: async () => {},
  };
}
