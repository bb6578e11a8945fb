import { err, ok } from 'neverthrow';
import { bucketNameKey } from '../domain/names';
import { conflictError, notFoundError } from '../errors';
import type { BucketPatch, BucketRepository } from '../ports/store';
import type { Bucket } from '../schemas/bucket';
import type { MemoryStoreAccess } from './memory-store-access';
import {
  applyPatch,
  compareText,
  copyBucket,
  type MemoryStoreState,
  ownedBy,
  visibleToList,
} from './memory-store-state';

const PATCHABLE: ReadonlyArray<keyof BucketPatch> = [
  'name',
  'bestFor',
  'angle',
  'avatar',
  'painPoints',
  'solutionMechanism',
  'keyCopyHooks',
  'displayOrder',
  'updatedAt',
];

/** Whether another bucket of the same org and product already has this name's key. */
/** Where a name lives: unique per org and product, ignoring case and spacing. */
const nameSlot = (bucket: Pick<Bucket, 'orgId' | 'productId'>, name: string) =>
  JSON.stringify([bucket.orgId, bucket.productId, bucketNameKey(name)]);

function nameTaken(
  state: MemoryStoreState,
  bucket: Pick<Bucket, 'id' | 'orgId' | 'productId' | 'name'>,
): boolean {
  const key = bucketNameKey(bucket.name);
  for (const other of state.buckets.values()) {
    if (
      other.id !== bucket.id &&
      other.orgId === bucket.orgId &&
      other.productId === bucket.productId &&
      bucketNameKey(other.name) === key
    ) {
      return true;
    }
  }
  return false;
}

const nameConflict = (name: string, productId: string) =>
  conflictError(`A bucket named "${name}" already exists in product "${productId}"`, {
    adapter: 'memory',
    details: { name },
  });
const bucketNotFound = (id: string) =>
  notFoundError(`No bucket "${id}"`, { adapter: 'memory', details: { id } });

export function createMemoryBucketRepository(access: MemoryStoreAccess): BucketRepository {
  return {
    insert: (bucket) =>
      access.write((state) => {
        if (state.buckets.has(bucket.id)) {
          return err(
            conflictError(`A bucket with id "${bucket.id}" already exists`, {
              adapter: 'memory',
              details: { id: bucket.id },
            }),
          );
        }
        if (nameTaken(state, bucket)) return err(nameConflict(bucket.name, bucket.productId));
        const stored = copyBucket(bucket);
        state.buckets.set(stored.id, stored);
        return ok(copyBucket(stored));
      }),

    // Every check before any write: a conflict part way leaves the state as it was.
    insertMany: (buckets) =>
      access.write((state) => {
        const ids = new Set(state.buckets.keys());
        const names = new Set(
          [...state.buckets.values()].map((bucket) => nameSlot(bucket, bucket.name)),
        );
        for (const bucket of buckets) {
          if (ids.has(bucket.id)) {
            return err(
              conflictError(`A bucket with id "${bucket.id}" already exists`, {
                adapter: 'memory',
                details: { id: bucket.id },
              }),
            );
          }
          const slot = nameSlot(bucket, bucket.name);
          if (names.has(slot)) return err(nameConflict(bucket.name, bucket.productId));
          ids.add(bucket.id);
          names.add(slot);
        }
        for (const bucket of buckets) state.buckets.set(bucket.id, copyBucket(bucket));
        return ok(buckets.length);
      }),

    get: (scope, id) =>
      access.read((state) => {
        const bucket = state.buckets.get(id);
        return bucket !== undefined && ownedBy(scope, bucket)
          ? ok(copyBucket(bucket))
          : err(bucketNotFound(id));
      }),

    list: (scope, filter) =>
      access.read((state) => {
        const productId = filter?.productId;
        const buckets = [...state.buckets.values()].filter(
          (bucket) =>
            visibleToList(scope, bucket) &&
            (productId === undefined || bucket.productId === productId),
        );
        buckets.sort(
          (left, right) =>
            left.displayOrder - right.displayOrder ||
            compareText(bucketNameKey(left.name), bucketNameKey(right.name)) ||
            compareText(left.id, right.id),
        );
        return ok(buckets.map(copyBucket));
      }),

    update: (scope, id, patch) =>
      access.write((state) => {
        const current = state.buckets.get(id);
        if (current === undefined || !ownedBy(scope, current)) return err(bucketNotFound(id));
        const next = copyBucket(applyPatch(current, patch, PATCHABLE));
        if (nameTaken(state, next)) return err(nameConflict(next.name, next.productId));
        state.buckets.set(id, next);
        return ok(copyBucket(next));
      }),

    delete: (scope, id) =>
      access.write((state) => {
        const current = state.buckets.get(id);
        if (current === undefined || !ownedBy(scope, current)) return err(bucketNotFound(id));
        state.buckets.delete(id);
        return ok(undefined);
      }),
  };
}
