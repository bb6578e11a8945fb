import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '@vbuckets/core/adapter-kit';
import { expectErrorCode, expectOk, makeBucket, makeTenant } from '@vbuckets/testkit';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createSqliteStore, type SqliteStoreOptions } from '../src/index';
import { openStore, useTemporaryDirectory } from './helpers';

const temporaryPath = useTemporaryDirectory();

describe('options', () => {
  it.each([
    ['neither path nor database', {}, 'path'],
    [
      'both path and database',
      { path: ':memory:', database: new Database(':memory:') },
      'database',
    ],
    ['an empty path', { path: '' }, 'path'],
    ['a negative busyTimeoutMs', { path: ':memory:', busyTimeoutMs: -1 }, 'busyTimeoutMs'],
    ['a fractional busyTimeoutMs', { path: ':memory:', busyTimeoutMs: 1.5 }, 'busyTimeoutMs'],
    ['an unknown option', { path: ':memory:', readonly: true }, ''],
    ['something else as database', { database: { prepare() {} } }, 'database'],
  ])('refuses %s (VALIDATION naming the field)', async (_label, options, path) => {
    const error = await expectErrorCode(
      createSqliteStore(options as unknown as SqliteStoreOptions),
      'VALIDATION',
    );
    expect(error.path).toBe(path);
  });
});

describe('opening', () => {
  it('sets WAL, foreign keys, synchronous NORMAL and turns off the blocking busy handler', async () => {
    const path = temporaryPath('pragmas.db');
    const database = new Database(path);
    const store = await openStore({ database });

    expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(database.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(database.pragma('synchronous', { simple: true })).toBe(1);
    expect(database.pragma('busy_timeout', { simple: true })).toBe(0);
    await store.close();
    database.close();
  });

  it('keeps WAL on the file for every later connection', async () => {
    const path = temporaryPath('wal.db');
    await (await openStore({ path })).close();
    const database = new Database(path);
    expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
    database.close();
  });

  it('opens a private in-memory database for :memory:', async () => {
    const first = await openStore({ path: ':memory:' });
    const second = await openStore({ path: ':memory:' });
    const { orgId, productId, scope } = makeTenant();
    await expectOk(first.buckets.insert(makeBucket({ orgId, productId })));

    expect(await expectOk(first.buckets.list(scope))).toHaveLength(1);
    expect(await expectOk(second.buckets.list(scope))).toEqual([]);
    await first.close();
    await second.close();
  });

  it('fails with STORAGE, naming the path, when the directory does not exist', async () => {
    const path = join(temporaryPath('missing-directory'), 'nested', 'store.db');
    const error = await expectErrorCode(createSqliteStore({ path }), 'STORAGE');
    expect(error.message).toMatch(/^Cannot open the SQLite database ".*store\.db"/);
  });

  it('fails with STORAGE when the path is a directory', async () => {
    const path = temporaryPath('a-directory');
    mkdirSync(path);
    const error = await expectErrorCode(createSqliteStore({ path }), 'STORAGE');
    expect(error.message).toContain(path);
  });

  it('fails with STORAGE when the given database is already closed', async () => {
    const database = new Database(':memory:');
    database.close();
    await expectErrorCode(createSqliteStore({ database }), 'STORAGE');
  });
});

describe('closing', () => {
  async function storeWithBucket(): Promise<{
    store: Store;
    scope: { orgId: string };
    id: string;
  }> {
    const store = await openStore({ path: temporaryPath('close.db') });
    const { orgId, productId, scope } = makeTenant();
    const bucket = makeBucket({ orgId, productId });
    await expectOk(store.buckets.insert(bucket));
    return { store, scope, id: bucket.id };
  }

  it('is idempotent, and every later call fails with STORAGE', async () => {
    const { store, scope, id } = await storeWithBucket();
    await store.close();
    await store.close();

    const error = await expectErrorCode(store.buckets.get(scope, id), 'STORAGE');
    expect(error.message).toBe('The store is closed');
    await expectErrorCode(
      store.categorizations.setUploaded(scope, [], true, new Date().toISOString()),
      'STORAGE',
    );
  });

  it('lets calls already under way finish before it closes the database', async () => {
    const { store, scope, id } = await storeWithBucket();
    const pending = [
      store.buckets.get(scope, id),
      store.transaction((tx) => tx.buckets.get(scope, id)),
    ];
    const closed = store.close();

    for (const result of pending) expect((await expectOk(result)).id).toBe(id);
    await closed;
  });

  it('closes a database it opened, and leaves a given database open', async () => {
    const path = temporaryPath('owned.db');
    const owned = await openStore({ path });
    await expectOk(owned.buckets.list({ orgId: 'org' }));
    expect(existsSync(`${path}-wal`)).toBe(true);
    await owned.close();
    // The last connection to close checkpoints and removes the WAL file.
    expect(existsSync(`${path}-wal`)).toBe(false);

    const given = new Database(':memory:');
    const store = await openStore({ database: given });
    await store.close();
    expect(given.open).toBe(true);
    given.close();
  });
});
