import { expectOk, makeBucket, makeTenant } from '@vbuckets/testkit';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createPostgresStore, type PostgresStore } from '../src/index';
import { statementNameOf } from '../src/postgres-pool';
import { admin, postgresUrl, useTestSchemas } from './helpers';

const schemaName = useTestSchemas();
const opened: { store: PostgresStore; pool: pg.Pool }[] = [];

afterEach(async () => {
  for (const { store, pool } of opened.splice(0)) {
    await store.close();
    await pool.end();
  }
});

/** A store on a pool of one connection, so the test sees the statements that connection holds. */
async function openOnOneConnection(): Promise<{
  store: PostgresStore;
  pool: pg.Pool;
  schema: string;
}> {
  const pool = new pg.Pool({ connectionString: postgresUrl, max: 1 });
  const schema = schemaName();
  const store = await expectOk(createPostgresStore({ pool, schema }));
  opened.push({ store, pool });
  return { store, pool, schema };
}

async function preparedStatements(pool: pg.Pool): Promise<{ name: string; statement: string }[]> {
  const { rows } = await pool.query<{ name: string; statement: string }>(
    'select name, statement from pg_prepared_statements order by name',
  );
  return rows;
}

describe('named statements', () => {
  it('prepares a repeated query once per connection and leaves the caller’s own queries unnamed', async () => {
    const { store, pool } = await openOnOneConnection();
    const tenant = makeTenant();
    await expectOk(store.buckets.insert(makeBucket(tenant)));
    for (let index = 0; index < 3; index++) {
      expect(await expectOk(store.buckets.list(tenant.scope))).toHaveLength(1);
    }
    const lists = (await preparedStatements(pool)).filter(
      ({ name, statement }) =>
        name.startsWith('vbuckets_') && /from "[^"]+"\."buckets"/.test(statement),
    );
    // One statement for the list (and one for the insert), however many times it ran.
    expect(lists.filter(({ statement }) => /^select/.test(statement))).toHaveLength(1);

    // The connection went back to the pool as it came: the caller's query is not named.
    const before = (await preparedStatements(pool)).length;
    expect((await pool.query('select $1::int as n', [7])).rows).toEqual([{ n: 7 }]);
    expect(await preparedStatements(pool)).toHaveLength(before);
  });

  it('runs a query again unnamed when its table was altered under the cached plan', async () => {
    const { store, schema } = await openOnOneConnection();
    const tenant = makeTenant();
    const bucket = makeBucket(tenant);
    await expectOk(store.buckets.insert(bucket));
    expect(await expectOk(store.buckets.list(tenant.scope))).toHaveLength(1);
    // `select *` now returns another column: PostgreSQL refuses the plan it cached.
    await admin(`alter table "${schema}"."buckets" add column extra text`);
    const listed = await expectOk(store.buckets.list(tenant.scope));
    expect(listed.map(({ id }) => id)).toEqual([bucket.id]);
    expect(await expectOk(store.buckets.list(tenant.scope))).toHaveLength(1);
  });

  it('names only texts with parameters, the same text the same name', () => {
    expect(statementNameOf('select 1', 0)).toBeUndefined();
    const name = statementNameOf('select $1::int -- naming test', 1);
    expect(name).toMatch(/^vbuckets_\d+$/);
    expect(statementNameOf('select $1::int -- naming test', 1)).toBe(name);
    expect(statementNameOf('select $1::text -- naming test', 1)).not.toBe(name);
  });
});
