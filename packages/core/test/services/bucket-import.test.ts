import { errAsync, type ResultAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { createVBuckets } from '../../src/create-vbuckets';
import { storageError, type VBucketsError } from '../../src/errors';
import type { Store } from '../../src/ports/store';
import {
  createManualClock,
  createMemoryBlobStore,
  createMemoryStore,
  createSequentialIdGenerator,
} from '../../src/testing/index';

const acme = { orgId: 'acme' };

/** A memory store that counts bucket lists and can fail the nth bucket write of a transaction. */
function instrumentedStore(failWriteNumber?: number) {
  const inner = createMemoryStore();
  let lists = 0;
  const store: Store = {
    ...inner,
    transaction: (work) =>
      inner.transaction((tx) => {
        let writes = 0;
        const failing =
          <A extends unknown[], T>(write: (...args: A) => ResultAsync<T, VBucketsError>) =>
          (...args: A): ResultAsync<T, VBucketsError> => {
            writes += 1;
            return writes === failWriteNumber
              ? errAsync(storageError('disk full'))
              : write(...args);
          };
        return work({
          ...tx,
          buckets: {
            ...tx.buckets,
            list: (...args) => {
              lists += 1;
              return tx.buckets.list(...args);
            },
            insert: failing(tx.buckets.insert),
            insertMany: failing(tx.buckets.insertMany),
            update: failing(tx.buckets.update),
          },
        });
      }),
  };
  return { inner, store, lists: () => lists };
}

function setup(store: Store) {
  return createVBuckets({
    store,
    blobs: createMemoryBlobStore(),
    clock: createManualClock(Date.UTC(2026, 1, 18, 10, 0, 0)),
    ids: createSequentialIdGenerator('bucket'),
  })._unsafeUnwrap();
}

describe('buckets.import', () => {
  it('creates new buckets after the last one, updates changed ones and counts unchanged ones', async () => {
    const { store } = instrumentedStore();
    const vb = setup(store);
    (await vb.buckets.create(acme, { productId: 'p1', name: 'Gut', angle: 'old' }))._unsafeUnwrap();
    (await vb.buckets.create(acme, { productId: 'p1', name: 'Sleep' }))._unsafeUnwrap();

    const counts = await vb.buckets.import(acme, 'p1', [
      { name: ' gut ', angle: 'new' },
      { name: 'Sleep' },
      { name: 'Energy', painPoints: [' tired ', ''] },
      { name: 'Focus' },
    ]);

    expect(counts._unsafeUnwrap()).toEqual({ created: 2, updated: 1, unchanged: 1 });
    const listed = (await vb.buckets.list(acme, { productId: 'p1' }))._unsafeUnwrap();
    expect(listed.map((bucket) => [bucket.name, bucket.displayOrder, bucket.angle])).toEqual([
      ['gut', 0, 'new'],
      ['Sleep', 1, ''],
      ['Energy', 2, ''],
      ['Focus', 3, ''],
    ]);
    expect(listed[2]?.painPoints).toEqual(['tired']);
  });

  // The CLI's import listed the product's buckets again for every new bucket: quadratic.
  it("reads the product's buckets once however many entries there are", async () => {
    const { store, lists } = instrumentedStore();
    const vb = setup(store);
    const items = Array.from({ length: 300 }, (_, index) => ({ name: `Bucket ${index}` }));
    expect((await vb.buckets.import(acme, 'p1', items))._unsafeUnwrap().created).toBe(300);
    expect(lists()).toBe(1);
  });

  it('writes nothing when one write fails part way', async () => {
    const { inner, store } = instrumentedStore(2);
    const vb = setup(store);
    (await vb.buckets.create(acme, { productId: 'p1', name: 'One' }))._unsafeUnwrap();
    const before = (await inner.buckets.list(acme, { productId: 'p1' }))._unsafeUnwrap();
    // The update of "One" is the first write, the insert of the new buckets the second.
    const outcome = await vb.buckets.import(acme, 'p1', [
      { name: 'One', angle: 'changed' },
      { name: 'Two' },
      { name: 'Three' },
    ]);
    expect(outcome._unsafeUnwrapErr().code).toBe('STORAGE');
    expect((await inner.buckets.list(acme, { productId: 'p1' }))._unsafeUnwrap()).toEqual(before);
  });

  it('refuses an invalid entry or two entries of one name with VALIDATION before writing', async () => {
    const { inner, store } = instrumentedStore();
    const vb = setup(store);
    const invalid = await vb.buckets.import(acme, 'p1', [{ name: 'Fine' }, { name: '' }]);
    expect(invalid._unsafeUnwrapErr().code).toBe('VALIDATION');
    const twice = await vb.buckets.import(acme, 'p1', [{ name: 'Gut' }, { name: 'GUT' }]);
    expect(twice._unsafeUnwrapErr()).toMatchObject({ code: 'VALIDATION', path: 'items.1.name' });
    expect((await inner.buckets.list(acme, { productId: 'p1' }))._unsafeUnwrap()).toEqual([]);
  });
});
