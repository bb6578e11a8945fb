import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import { z } from 'zod';
import { type VBucketsError, validationError } from '../errors';
import type { Clock } from '../ports/clock';
import type { IdGenerator } from '../ports/id-generator';
import type { Store } from '../ports/store';
import {
  type Bucket,
  type BucketCreateInput,
  BucketCreateInputSchema,
  type BucketUpdateInput,
  BucketUpdateInputSchema,
} from '../schemas/bucket';
import { IdSchema, type Scope } from '../schemas/common';
import {
  applyImport,
  type BucketImportCounts,
  type BucketImportItem,
  parseImport,
} from './bucket-import';
import { isoNow } from './iso-now';
import { parseInput } from './parse-input';
import { readScope, recordScope, writeScope } from './scope';

/** Built once: a zod schema built per call cost `list` about 60 µs. */
const ListFilterSchema = z.strictObject({ productId: IdSchema.optional() });

/** Content buckets of a product: define, list, edit and order them. */
export interface BucketsService {
  /** Creates a bucket; `CONFLICT` when the product has one of that name (ignoring case and spacing). */
  create(scope: Scope, input: BucketCreateInput): ResultAsync<Bucket, VBucketsError>;
  /** One bucket of the scope's org; `NOT_FOUND` for a missing id or another org's bucket. */
  get(scope: Scope, id: string): ResultAsync<Bucket, VBucketsError>;
  /** Buckets by display order, then name; across orgs only when `scope.allOrgs` is set. */
  list(scope: Scope, filter?: { productId?: string }): ResultAsync<Bucket[], VBucketsError>;
  /** Changes the given fields; `CONFLICT` when renamed onto another bucket's name. */
  update(scope: Scope, id: string, input: BucketUpdateInput): ResultAsync<Bucket, VBucketsError>;
  /** Deletes a bucket; categorizations keep the name they were filed under. */
  delete(scope: Scope, id: string): ResultAsync<void, VBucketsError>;
  /** Puts a product's buckets in the given order; the ids must be exactly its buckets, once each. */
  reorder(
    scope: Scope,
    productId: string,
    orderedIds: readonly string[],
  ): ResultAsync<Bucket[], VBucketsError>;
  /**
   * Creates or updates (matched by name, ignoring case and spacing) each entry in one
   * transaction: all entries land or none does. New buckets without a display order go after
   * the product's last one, in the order given. Linear in the number of entries.
   */
  import(
    scope: Scope,
    productId: string,
    items: readonly BucketImportItem[],
  ): ResultAsync<BucketImportCounts, VBucketsError>;
}

export interface BucketsServiceDependencies {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
}

const ReorderSchema = z.strictObject({
  productId: IdSchema,
  orderedIds: z.array(IdSchema).min(1, 'must list at least one bucket'),
});

export function createBucketsService({
  store,
  clock,
  ids,
}: BucketsServiceDependencies): BucketsService {
  return {
    create: (scopeInput, input) =>
      writeScope(scopeInput)
        .andThen((scope) =>
          parseInput(BucketCreateInputSchema, input, 'bucket').map((data) => ({ scope, data })),
        )
        .asyncAndThen(({ scope, data }) =>
          store.transaction((tx) =>
            (data.displayOrder === undefined
              ? tx.buckets
                  .list(scope, { productId: data.productId })
                  .map((existing) =>
                    existing.reduce((max, bucket) => Math.max(max, bucket.displayOrder + 1), 0),
                  )
              : okAsync(data.displayOrder)
            ).andThen((displayOrder) => {
              const now = isoNow(clock);
              return tx.buckets.insert({
                ...data,
                id: ids.next(),
                orgId: scope.orgId,
                displayOrder,
                createdAt: now,
                updatedAt: now,
              });
            }),
          ),
        ),

    get: (scopeInput, id) =>
      recordScope(scopeInput)
        .andThen((scope) => parseInput(IdSchema, id, 'id').map((bucketId) => ({ scope, bucketId })))
        .asyncAndThen(({ scope, bucketId }) => store.buckets.get(scope, bucketId)),

    list: (scopeInput, filter = {}) =>
      readScope(scopeInput)
        .andThen((scope) =>
          parseInput(ListFilterSchema, filter, 'filter').map((parsed) => ({
            scope,
            parsed,
          })),
        )
        .asyncAndThen(({ scope, parsed }) => store.buckets.list(scope, parsed)),

    update: (scopeInput, id, input) =>
      writeScope(scopeInput)
        .andThen((scope) =>
          parseInput(IdSchema, id, 'id').andThen((bucketId) =>
            parseInput(BucketUpdateInputSchema, input, 'bucket').map((patch) => ({
              scope,
              bucketId,
              patch,
            })),
          ),
        )
        .asyncAndThen(({ scope, bucketId, patch }) =>
          store.buckets.update(scope, bucketId, { ...patch, updatedAt: isoNow(clock) }),
        ),

    delete: (scopeInput, id) =>
      writeScope(scopeInput)
        .andThen((scope) => parseInput(IdSchema, id, 'id').map((bucketId) => ({ scope, bucketId })))
        .asyncAndThen(({ scope, bucketId }) => store.buckets.delete(scope, bucketId)),

    reorder: (scopeInput, productId, orderedIds) =>
      writeScope(scopeInput)
        .andThen((scope) =>
          parseInput(ReorderSchema, { productId, orderedIds }, 'reorder').map((parsed) => ({
            scope,
            parsed,
          })),
        )
        .asyncAndThen(({ scope, parsed }) =>
          store.transaction((tx) =>
            tx.buckets.list(scope, { productId: parsed.productId }).andThen((existing) => {
              const problem = reorderProblem(existing, parsed.orderedIds);
              if (problem) return errAsync(validationError(problem, { path: 'orderedIds' }));
              const updatedAt = isoNow(clock);
              // Sequential on purpose: one transaction holds one connection.
              return parsed.orderedIds.reduce<ResultAsync<Bucket[], VBucketsError>>(
                (previous, bucketId, index) =>
                  previous.andThen((done) =>
                    tx.buckets
                      .update(scope, bucketId, { displayOrder: index, updatedAt })
                      .map((bucket) => [...done, bucket]),
                  ),
                okAsync([]),
              );
            }),
          ),
        ),

    import: (scopeInput, productId, items) =>
      writeScope(scopeInput)
        .asyncAndThen((scope) =>
          parseImport(productId, items).map((request) => ({ scope, request })),
        )
        .andThen(({ scope, request }) =>
          store.transaction((tx) => applyImport(tx, scope, request, ids, isoNow(clock))),
        ),
  };
}

function reorderProblem(existing: readonly Bucket[], orderedIds: readonly string[]): string | null {
  const known = new Set(existing.map((bucket) => bucket.id));
  const seen = new Set<string>();
  for (const id of orderedIds) {
    if (!known.has(id)) return `Bucket ${id} is not a bucket of this product`;
    if (seen.has(id)) return `Bucket ${id} is listed twice`;
    seen.add(id);
  }
  const missing = existing.filter((bucket) => !seen.has(bucket.id)).map((bucket) => bucket.name);
  return missing.length > 0 ? `The new order leaves out: ${missing.join(', ')}` : null;
}
