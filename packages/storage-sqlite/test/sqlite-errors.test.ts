import { isVBucketsError } from '@vbuckets/core';
import { createSqliteDialectAdapter } from '@vbuckets/storage-sql';
import { expectErrorCode, expectOk, makeBucket, makeTenant } from '@vbuckets/testkit';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from './helpers';

const SQL_WORDS = /\b(insert|select|update|delete|from|where|values|returning)\b/i;

describe('error mapping', () => {
  it('turns a unique violation into CONFLICT without quoting SQL', async () => {
    const store = await openStore({ path: ':memory:' });
    const { orgId, productId } = makeTenant();
    await expectOk(store.buckets.insert(makeBucket({ orgId, productId, name: 'Hooks' })));

    const error = await expectErrorCode(
      store.buckets.insert(makeBucket({ orgId, productId, name: 'HOOKS' })),
      'CONFLICT',
    );

    expect(error.message).not.toMatch(/^\[/);
    expect([error.adapter, error.operation]).toEqual(['sqlite', 'buckets.insert']);
    expect(error.message).toContain('"HOOKS"');
    expect(error.message).not.toMatch(SQL_WORDS);
    expect(error.retryable).toBe(false);
    expect(error.details).toMatchObject({ driverCode: 'SQLITE_CONSTRAINT_UNIQUE' });
    expect((error.cause as { code?: string }).code).toBe('SQLITE_CONSTRAINT_UNIQUE');
    await store.close();
  });

  it('answers NOT_FOUND for an unknown id, naming it', async () => {
    const store = await openStore({ path: ':memory:' });
    const error = await expectErrorCode(store.videos.get({ orgId: 'org' }, 'video-9'), 'NOT_FOUND');
    expect(error.message).toBe('No video "video-9"');
    expect([error.adapter, error.operation]).toEqual(['sqlite', 'videos.get']);
    await store.close();
  });

  it('turns any other driver failure into STORAGE without quoting SQL', async () => {
    const database = new Database(':memory:');
    const store = await openStore({ database });
    database.exec('drop table buckets');

    const error = await expectErrorCode(store.buckets.list({ orgId: 'org' }), 'STORAGE');

    expect(error.message).toBe('The database refused the request (SQLITE_ERROR)');
    expect(error.retryable).toBe(false);
    expect(String((error.cause as Error).message)).toContain('no such table');
    await store.close();
    database.close();
  });

  it('turns the database closed under the store into STORAGE', async () => {
    const database = new Database(':memory:');
    const store = await openStore({ database });
    database.close();

    const error = await expectErrorCode(store.buckets.list({ orgId: 'org' }), 'STORAGE');
    expect(error.message).toBe('The database is closed');
  });

  describe('real better-sqlite3 errors through the SQLite dialect adapter', () => {
    const dialect = createSqliteDialectAdapter();
    function raise(statements: string): unknown {
      const database = new Database(':memory:');
      database.pragma('foreign_keys = ON');
      try {
        database.exec(statements);
      } catch (error) {
        return error;
      } finally {
        database.close();
      }
      throw new Error('expected the statements to fail');
    }
    const parentAndChild =
      'create table parent (id text primary key); create table child (parent_id text references parent (id));';

    it('maps a missing parent to NOT_FOUND with the context’s message', () => {
      const error = dialect.mapError(raise(`${parentAndChild} insert into child values ('p');`), {
        operation: 'child.insert',
        foreignKey: { code: 'NOT_FOUND', message: 'parent "p" not found' },
      });
      expect([error.code, error.message]).toEqual(['NOT_FOUND', 'Parent "p" not found']);
    });

    it('maps a parent still in use to CONFLICT when the context says so', () => {
      const error = dialect.mapError(
        raise(
          `${parentAndChild} insert into parent values ('p'); insert into child values ('p'); delete from parent;`,
        ),
        { operation: 'parent.delete', foreignKey: { code: 'CONFLICT', message: 'still in use' } },
      );
      expect([error.code, error.message]).toEqual(['CONFLICT', 'Still in use']);
    });

    it('maps a primary-key violation to CONFLICT', () => {
      const error = dialect.mapError(
        raise(
          "create table t (id text primary key); insert into t values ('a'); insert into t values ('a');",
        ),
        { operation: 't.insert' },
      );
      expect(error.code).toBe('CONFLICT');
    });

    it('maps SQLITE_BUSY to a retryable STORAGE error', () => {
      const path = ':memory:';
      const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      const error = dialect.mapError(busy, { operation: `open ${path}` });
      expect([error.code, error.retryable]).toEqual(['STORAGE', true]);
    });
  });

  it('refuses a call on the store from inside its own transaction instead of deadlocking', async () => {
    const store = await openStore({ path: ':memory:' });
    const { scope } = makeTenant();

    const error = await expectErrorCode(
      store.transaction(() => store.buckets.list(scope)),
      'STORAGE',
    );
    expect(error.message).toMatch(/inside its own transaction/);
    await expectErrorCode(
      store.transaction(() => store.transaction((tx) => tx.buckets.list(scope))),
      'STORAGE',
    );
    await expectOk(store.buckets.list(scope));
    await store.close();
  });

  it('refuses close() from inside a transaction of the store, and stays open', async () => {
    const store = await openStore({ path: ':memory:' });
    const { scope } = makeTenant();
    let refusal: unknown;

    await expectOk(
      store.transaction((tx) =>
        tx.buckets.list(scope).map(async (buckets) => {
          refusal = await store.close().catch((error: unknown) => error);
          return buckets;
        }),
      ),
    );

    expect(isVBucketsError(refusal) && refusal.code).toBe('STORAGE');
    await expectOk(store.buckets.list(scope));
    await store.close();
  });

  it('refuses a transaction’s repositories once it has finished', async () => {
    const store = await openStore({ path: ':memory:' });
    const { scope } = makeTenant();
    let leaked: Parameters<Parameters<typeof store.transaction>[0]>[0] | undefined;
    await expectOk(
      store.transaction((tx) => {
        leaked = tx;
        return tx.buckets.list(scope);
      }),
    );

    const error = await expectErrorCode(leaked!.buckets.list(scope), 'STORAGE');
    expect(error.message).toMatch(/transaction has already finished/);
    await store.close();
  });

  it('keeps the transaction usable after a failed call inside it (savepoint)', async () => {
    const store = await openStore({ path: ':memory:' });
    const { orgId, productId, scope } = makeTenant();
    const first = makeBucket({ orgId, productId, name: 'One' });
    const clash = makeBucket({ orgId, productId, name: 'one' });
    const second = makeBucket({ orgId, productId, name: 'Two' });

    await expectOk(
      store.transaction((tx) =>
        tx.buckets
          .insert(first)
          .andThen(() => tx.buckets.insert(clash).orElse(() => tx.buckets.insert(second))),
      ),
    );

    const names = (await expectOk(store.buckets.list(scope, { productId }))).map((b) => b.name);
    expect(names).toEqual(['One', 'Two']);
    await store.close();
  });

  it('gives every error the VBucketsError brand', async () => {
    const store = await openStore({ path: ':memory:' });
    const result = await store.buckets.get({ orgId: 'org' }, 'missing');
    expect(result.isErr() && isVBucketsError(result.error)).toBe(true);
    await store.close();
  });
});
