import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import { z } from 'zod';
import { bucketNameKey } from '../domain/names';
import { type VBucketsError, validationError } from '../errors';
import type { IdGenerator } from '../ports/id-generator';
import type { BucketPatch, StoreRepositories } from '../ports/store';
import { type Bucket, BucketUpdateInputSchema } from '../schemas/bucket';
import { IdSchema, NameSchema, type Scope } from '../schemas/common';
import { parseInput } from './parse-input';

/** One entry of an import: a name plus any bucket fields; absent fields are left as they are. */
export const BucketImportItemSchema = BucketUpdateInputSchema.extend({ name: NameSchema });
export type BucketImportItem = z.input<typeof BucketImportItemSchema>;

/** A bucket as an export writes it and an import reads it back: every field, no ids, no timestamps. */
export function toBucketImportItem(bucket: Bucket): Required<BucketImportItem> {
  return {
    name: bucket.name,
    bestFor: bucket.bestFor,
    angle: bucket.angle,
    avatar: bucket.avatar,
    painPoints: bucket.painPoints,
    solutionMechanism: bucket.solutionMechanism,
    keyCopyHooks: bucket.keyCopyHooks,
    displayOrder: bucket.displayOrder,
  };
}

/** What an import did, entry by entry. */
export interface BucketImportCounts {
  created: number;
  updated: number;
  /** Entries that matched a bucket field for field: nothing was written for them. */
  unchanged: number;
}

export const BucketImportSchema = z.strictObject({
  productId: IdSchema,
  items: z.array(BucketImportItemSchema),
});

type ParsedItem = z.output<typeof BucketImportItemSchema>;

/** Two entries naming the same bucket would make the import's outcome depend on their order. */
export function duplicateNameProblem(items: readonly ParsedItem[]): VBucketsError | null {
  const firstByName = new Map<string, number>();
  for (const [index, item] of items.entries()) {
    const key = bucketNameKey(item.name);
    const first = firstByName.get(key);
    if (first !== undefined) {
      return validationError(`Entries ${first} and ${index} both name the bucket "${item.name}"`, {
        path: `items.${index}.name`,
      });
    }
    firstByName.set(key, index);
  }
  return null;
}

export function parseImport(
  productId: unknown,
  items: unknown,
): ResultAsync<z.output<typeof BucketImportSchema>, VBucketsError> {
  const parsed = parseInput(BucketImportSchema, { productId, items }, 'import');
  if (parsed.isErr()) return errAsync(parsed.error);
  const duplicate = duplicateNameProblem(parsed.value.items);
  return duplicate === null ? okAsync(parsed.value) : errAsync(duplicate);
}

/**
 * Creates or updates (matched by name, ignoring case and spacing) each entry inside the
 * caller's transaction. The product's buckets are read once and new display orders counted
 * from there, so the work grows linearly with the entries.
 */
export function applyImport(
  tx: StoreRepositories,
  scope: Scope,
  request: z.output<typeof BucketImportSchema>,
  ids: IdGenerator,
  now: string,
): ResultAsync<BucketImportCounts, VBucketsError> {
  return tx.buckets.list(scope, { productId: request.productId }).andThen((existing) => {
    const byName = new Map(existing.map((bucket) => [bucketNameKey(bucket.name), bucket]));
    let nextOrder = existing.reduce((max, bucket) => Math.max(max, bucket.displayOrder + 1), 0);
    const counts: BucketImportCounts = { created: 0, updated: 0, unchanged: 0 };
    const created: Bucket[] = [];
    const writes: Array<() => ResultAsync<unknown, VBucketsError>> = [];
    for (const item of request.items) {
      const match = byName.get(bucketNameKey(item.name));
      if (match === undefined) {
        counts.created += 1;
        const displayOrder = item.displayOrder ?? nextOrder++;
        const bucket: Bucket = {
          id: ids.next(),
          orgId: scope.orgId,
          productId: request.productId,
          name: item.name,
          bestFor: item.bestFor ?? '',
          angle: item.angle ?? '',
          avatar: item.avatar ?? '',
          painPoints: item.painPoints ?? [],
          solutionMechanism: item.solutionMechanism ?? [],
          keyCopyHooks: item.keyCopyHooks ?? [],
          displayOrder,
          createdAt: now,
          updatedAt: now,
        };
        created.push(bucket);
        continue;
      }
      const patch = changedFields(match, item);
      if (patch === null) {
        counts.unchanged += 1;
        continue;
      }
      counts.updated += 1;
      writes.push(() => tx.buckets.update(scope, match.id, { ...patch, updatedAt: now }));
    }
    // Sequential on purpose: a transaction holds one connection.
    // The new buckets go in together, in multi-row INSERTs, after the updates.
    return writes
      .reduce<ResultAsync<unknown, VBucketsError>>(
        (chain, write) => chain.andThen(write),
        okAsync(undefined),
      )
      .andThen(() => tx.buckets.insertMany(created))
      .map(() => counts);
  });
}

function changedFields(current: Bucket, item: ParsedItem): Omit<BucketPatch, 'updatedAt'> | null {
  const patch: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(item)) {
    if (value !== undefined && !sameValue(current[field as keyof Bucket], value)) {
      patch[field] = value;
    }
  }
  return Object.keys(patch).length === 0 ? null : (patch as Omit<BucketPatch, 'updatedAt'>);
}

function sameValue(current: unknown, next: unknown): boolean {
  if (Array.isArray(current) && Array.isArray(next)) {
    return current.length === next.length && current.every((item, index) => item === next[index]);
  }
  return current === next;
}
