import { expectErrorCode, expectOk, makeBucket, makeTenant } from '@vbuckets/testkit';
import { describe, expect, it } from 'vitest';
import { holdWriteLock, openStore, useTemporaryDirectory } from './helpers';

const temporaryPath = useTemporaryDirectory();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('several connections on one file', () => {
  it('loses no row when two stores write to the same file at once', async () => {
    const path = temporaryPath('two-stores.db');
    const [first, second] = await Promise.all([openStore({ path }), openStore({ path })]);
    const { orgId, productId, scope } = makeTenant();
    const writesOf = (store: typeof first, label: string) => [
      ...Array.from({ length: 60 }, (_, index) =>
        store.buckets.insert(makeBucket({ orgId, productId, name: `${label} plain ${index}` })),
      ),
      // Transactions that hold the write lock across timer turns, so the other store's
      // writes really do find the file locked.
      ...Array.from({ length: 15 }, (_, index) =>
        store.transaction((tx) =>
          tx.buckets
            .insert(makeBucket({ orgId, productId, name: `${label} tx ${index}` }))
            .map(async (bucket) => {
              await pause(2);
              return bucket;
            })
            .andThen(() =>
              tx.buckets.insert(makeBucket({ orgId, productId, name: `${label} tx ${index} b` })),
            ),
        ),
      ),
    ];

    const results = await Promise.all([...writesOf(first, 'first'), ...writesOf(second, 'second')]);

    expect(results.flatMap((result) => (result.isErr() ? [result.error.message] : []))).toEqual([]);
    expect(await expectOk(first.buckets.list(scope, { productId }))).toHaveLength(2 * (60 + 30));
    expect(await expectOk(second.buckets.list(scope, { productId }))).toHaveLength(2 * (60 + 30));
    await Promise.all([first.close(), second.close()]);
  });

  it('lets one of two stores win a name both insert at once; the other gets CONFLICT', async () => {
    const path = temporaryPath('race.db');
    const [first, second] = await Promise.all([openStore({ path }), openStore({ path })]);
    const { orgId, productId } = makeTenant();

    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        (index % 2 === 0 ? first : second).buckets.insert(
          makeBucket({ orgId, productId, name: index % 2 === 0 ? 'Shared' : 'SHARED' }),
        ),
      ),
    );

    expect(results.filter((result) => result.isOk())).toHaveLength(1);
    expect(results.flatMap((result) => (result.isErr() ? [result.error.code] : []))).toEqual(
      Array(9).fill('CONFLICT'),
    );
    await Promise.all([first.close(), second.close()]);
  });

  it('waits for a write lock held by another thread instead of failing with SQLITE_BUSY', async () => {
    const path = temporaryPath('held.db');
    const store = await openStore({ path });
    const { orgId, productId, scope } = makeTenant();
    await expectOk(store.buckets.insert(makeBucket({ orgId, productId, name: 'Before' })));
    const lock = await holdWriteLock(path, 2_000);
    let lockReleased = false;
    void lock.released.then(() => {
      lockReleased = true;
    });
    const started = Date.now();

    // WAL: a read does not wait for the writer (it ends while the lock is still held; a clock
    // bound here failed on a busy machine).
    expect(await expectOk(store.buckets.list(scope, { productId }))).toHaveLength(1);
    expect(lockReleased).toBe(false);
    await expectOk(store.buckets.insert(makeBucket({ orgId, productId, name: 'After' })));
    await expectOk(store.transaction((tx) => tx.buckets.list(scope)));

    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await lock.released;
    expect(await expectOk(store.buckets.list(scope, { productId }))).toHaveLength(2);
    await store.close();
  }, 30_000);

  it('gives up after busyTimeoutMs with a retryable STORAGE error', async () => {
    const path = temporaryPath('timeout.db');
    const store = await openStore({ path, busyTimeoutMs: 50 });
    const { orgId, productId } = makeTenant();
    const lock = await holdWriteLock(path, 3_000);
    let lockReleased = false;
    void lock.released.then(() => {
      lockReleased = true;
    });

    const error = await expectErrorCode(
      store.buckets.insert(makeBucket({ orgId, productId })),
      'STORAGE',
    );

    // Gave up while the lock was still held, not after it (no clock bound: busy machines).
    expect(lockReleased).toBe(false);
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('The database stayed locked by another connection; try again');
    await lock.released;
    await store.close();
  }, 30_000);
});
