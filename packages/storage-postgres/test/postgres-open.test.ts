import { expectErrorCode, expectOk, makeBucket, makeTenant } from '@vbuckets/testkit';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPostgresStore, PostgresStoreOptionsSchema, postgresMigrations } from '../src/index';
import { admin, openStore, postgresUrl, useTestSchemas } from './helpers';

const schemaName = useTestSchemas();

describe('options', () => {
  it('defaults the schema to public and leaves the pool settings to their defaults', () => {
    expect(PostgresStoreOptionsSchema.parse({ connectionString: postgresUrl })).toEqual({
      connectionString: postgresUrl,
      schema: 'public',
    });
  });

  it.each([
    [{}, 'connectionString', /exactly one of `connectionString` and `pool`/],
    [
      { connectionString: 'postgres://a', pool: new pg.Pool() },
      'pool',
      /exactly one of `connectionString` and `pool`/,
    ],
    [{ connectionString: '' }, 'connectionString', /must not be empty/],
    [{ connectionString: 'postgres://a', schema: 'Upper' }, 'schema', /lower-case identifier/],
    [{ connectionString: 'postgres://a', schema: 'a"; drop' }, 'schema', /lower-case identifier/],
    [{ connectionString: 'postgres://a', schema: '1abc' }, 'schema', /lower-case identifier/],
    [{ connectionString: 'postgres://a', schema: 'x'.repeat(64) }, 'schema', /at most 63/],
    [{ connectionString: 'postgres://a', schema: 'pg_mine' }, 'schema', /reserved/],
    [{ connectionString: 'postgres://a', connectTimeoutMs: 1.5 }, 'connectTimeoutMs', /integer/],
    [{ connectionString: 'postgres://a', connectTimeoutMs: 10 }, 'connectTimeoutMs', /at least/],
    [{ connectionString: 'postgres://a', maxConnections: 0 }, 'maxConnections', /at least 1/],
    [{ connectionString: 'postgres://a', applicationName: 'é' }, 'applicationName', /ASCII/],
    [{ pool: new pg.Pool(), maxConnections: 3 }, 'maxConnections', /only with `connectionString`/],
    [{ pool: new pg.Pool(), connectTimeoutMs: 900 }, 'connectTimeoutMs', /your own pool/],
    [{ pool: { query() {} } }, 'pool', /must be a pg Pool/],
    [{ connectionString: 'postgres://a', ssl: true }, '', /unrecognized key/i],
  ])('refuses %j with a VALIDATION error naming %s', async (options, path, message) => {
    const error = await expectErrorCode(
      createPostgresStore(options as unknown as Parameters<typeof createPostgresStore>[0]),
      'VALIDATION',
    );
    expect(error.path).toBe(path);
    expect(error.message).toMatch(message);
  });

  it('refuses a pool that has been ended', async () => {
    const pool = new pg.Pool({ connectionString: postgresUrl });
    await pool.end();
    const error = await expectErrorCode(
      createPostgresStore({ pool, schema: schemaName() }),
      'STORAGE',
    );
    expect(error.message).toBe('The given PostgreSQL pool has been ended');
  });
});

describe('schemas', () => {
  it('keeps the data of two schemas apart on one database', async () => {
    const first = await openStore(schemaName());
    const second = await openStore(schemaName());
    const { orgId, productId, scope } = makeTenant();
    await expectOk(first.buckets.insert(makeBucket({ orgId, productId, name: 'Only here' })));

    expect(await expectOk(first.buckets.list(scope, { productId }))).toHaveLength(1);
    expect(await expectOk(second.buckets.list(scope, { productId }))).toEqual([]);
    await Promise.all([first.close(), second.close()]);
  });

  it('opens an existing empty schema and creates its tables there', async () => {
    const schema = schemaName();
    await admin(`create schema "${schema}"`);

    const store = await openStore(schema);

    expect(store.schemaVersion).toBe(postgresMigrations.length);
    const tables = await admin('select 1 from pg_tables where schemaname = $1', [schema]);
    expect(tables).toHaveLength(18);
    await store.close();
  });

  it('creates the schema once when many stores open it at once', async () => {
    const schema = schemaName();

    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        createPostgresStore({ connectionString: postgresUrl, schema, maxConnections: 2 }),
      ),
    );

    expect(results.map((result) => (result.isOk() ? 'ok' : result.error.message))).toEqual(
      Array(8).fill('ok'),
    );
    for (const result of results) if (result.isOk()) await result.value.close();
    expect(
      await admin(`select version from "${schema}".vbuckets_migrations order by version`),
    ).toEqual(postgresMigrations.map((migration) => ({ version: migration.version })));
  });
});

describe('a borrowed pool', () => {
  it('is used as it is, without changing its sessions, and left open by close()', async () => {
    const schema = schemaName();
    const pool = new pg.Pool({ connectionString: postgresUrl, max: 2 });
    pool.on('error', () => {});
    try {
      const store = await expectOk(createPostgresStore({ pool, schema }));
      const { orgId, productId, scope } = makeTenant();
      await expectOk(store.buckets.insert(makeBucket({ orgId, productId })));
      await expectOk(store.transaction((tx) => tx.buckets.list(scope, { productId })));

      await store.close();

      await expectErrorCode(store.buckets.list(scope), 'STORAGE');
      const { rows } = await pool.query<{ search_path: string }>('show search_path');
      expect(rows[0]?.search_path).toBe('"$user", public');
      const stored = await pool.query(
        `select count(*)::int as count from "${schema}".buckets where org_id = $1`,
        [orgId],
      );
      expect(stored.rows).toEqual([{ count: 1 }]);
      expect(pool.ended).toBe(false);
    } finally {
      await pool.end();
    }
  });
});
