import { describe, expect, it } from 'vitest';
import {
  applySqlMigrations,
  createPostgresDialectAdapter,
  createSqliteDialectAdapter,
  createSqlStore,
} from '../src/index';
import { createRecordingDatabase, type RecordedQuery } from './recording-dialect';

const scope = { orgId: 'org-1' };
const sqlOf = (queries: RecordedQuery[]) => queries.map((query) => query.sql);

describe('the SQL the store sends', () => {
  it('wraps a write in BEGIN IMMEDIATE … COMMIT on SQLite and BEGIN … COMMIT on PostgreSQL', async () => {
    for (const [flavour, dialect, begin] of [
      ['sqlite', createSqliteDialectAdapter(), 'begin immediate'],
      ['postgres', createPostgresDialectAdapter(), 'begin'],
    ] as const) {
      const { db, queries } = createRecordingDatabase(flavour, () => [{ id: 'c-1' }]);
      const store = createSqlStore({ db, dialect });

      expect(
        (
          await store.categorizations.setUploaded(scope, ['c-1'], true, '2026-01-01T00:00:00.000Z')
        ).isOk(),
      ).toBe(true);

      expect(sqlOf(queries)[0]).toBe(begin);
      expect(sqlOf(queries).at(-1)).toBe('commit');
      await store.close();
    }
  });

  it('binds every value as a parameter, never in the SQL text', async () => {
    const { db, queries } = createRecordingDatabase('postgres');
    const store = createSqlStore({ db, dialect: createPostgresDialectAdapter() });
    const hostile = `'); DROP TABLE buckets;--`;

    void (await store.buckets.get({ orgId: hostile }, hostile));
    void (await store.buckets.list({ orgId: hostile }, { productId: hostile }));

    for (const query of queries) {
      expect(query.sql).not.toContain('DROP');
      expect(query.parameters).toContain(hostile);
    }
    await store.close();
  });

  it('orders text by code point on PostgreSQL (collate "C") and drops the org filter for allOrgs', async () => {
    const { db, queries } = createRecordingDatabase('postgres');
    const store = createSqlStore({ db, dialect: createPostgresDialectAdapter() });

    void (await store.buckets.list({ orgId: 'org-1', allOrgs: true }));

    expect(queries[0]?.sql).toBe(
      'select * from "buckets" order by "display_order", "name_key" collate "C", "id" collate "C"',
    );
    await store.close();
  });

  it('reads a session, then its counts with one grouping by status (no row is read)', async () => {
    const { db, queries } = createRecordingDatabase('postgres', (query) =>
      /group by/.test(query.sql)
        ? [
            { session_id: 's-1', status: 'pending', count: '1' },
            { session_id: 's-1', status: 'categorized', count: '2' },
          ]
        : [
            {
              id: 's-1',
              org_id: 'org-1',
              product_id: 'p-1',
              created_at: new Date(Date.UTC(2026, 0, 1)),
            },
          ],
    );
    const store = createSqlStore({ db, dialect: createPostgresDialectAdapter() });

    const session = await store.categorizationSessions.get(scope, 's-1');

    expect(queries).toHaveLength(2);
    expect(queries[0]?.sql).toMatch(/from "categorization_sessions"/);
    expect(queries[1]?.sql).toMatch(
      /select "session_id", "status", count\(\*\) as "count" from "categorizations".*group by "session_id", "status"/,
    );
    expect(session.isOk() && session.value).toEqual({
      id: 's-1',
      orgId: 'org-1',
      productId: 'p-1',
      createdAt: '2026-01-01T00:00:00.000Z',
      counts: { total: 3, pending: 1, analyzed: 0, categorized: 2, error: 0 },
    });
    await store.close();
  });

  it('wraps each call inside a transaction in a savepoint, and rolls back on an Err', async () => {
    const { db, queries } = createRecordingDatabase('postgres');
    const store = createSqlStore({ db, dialect: createPostgresDialectAdapter() });

    const result = await store.transaction((tx) => tx.buckets.delete(scope, 'missing'));

    expect(result.isErr() && result.error.code).toBe('NOT_FOUND');
    expect(sqlOf(queries)).toEqual([
      'begin',
      'savepoint vbuckets_call',
      'delete from "buckets" where "org_id" = $1 and "id" = $2',
      'rollback to savepoint vbuckets_call',
      'release savepoint vbuckets_call',
      'rollback',
    ]);
    await store.close();
  });

  it('writes nothing for setUploaded with no ids', async () => {
    const { db, queries } = createRecordingDatabase('sqlite');
    const store = createSqlStore({ db, dialect: createSqliteDialectAdapter() });

    const result = await store.categorizations.setUploaded(
      scope,
      [],
      true,
      '2026-01-01T00:00:00.000Z',
    );

    expect(result.isOk() && result.value).toBe(0);
    expect(queries).toEqual([]);
    await store.close();
  });
});

describe('lockForUpdate', () => {
  it('adds FOR UPDATE on PostgreSQL and nothing on SQLite', () => {
    const postgres = createRecordingDatabase('postgres').db;
    const sqlite = createRecordingDatabase('sqlite').db;
    const query = (db: typeof postgres) =>
      db.selectFrom('buckets').select('id').where('id', '=', 'b');

    expect(createPostgresDialectAdapter().lockForUpdate(query(postgres)).compile().sql).toBe(
      'select "id" from "buckets" where "id" = $1 for update',
    );
    expect(createSqliteDialectAdapter().lockForUpdate(query(sqlite)).compile().sql).toBe(
      'select "id" from "buckets" where "id" = ?',
    );
  });
});

describe('applySqlMigrations', () => {
  it('takes the advisory lock on PostgreSQL before it reads the applied versions', async () => {
    const { db, queries } = createRecordingDatabase('postgres', (query) =>
      query.sql.startsWith('select "version"') ? [{ version: '1' }] : [],
    );
    const result = await applySqlMigrations(db, createPostgresDialectAdapter(), [
      { version: 1, name: 'initial', up: async () => {} },
    ]);

    expect(result.isOk() && result.value).toEqual({ applied: [], version: 1 });
    expect(sqlOf(queries)).toEqual([
      'begin',
      'select pg_advisory_xact_lock($1)',
      'create table if not exists "vbuckets_migrations" ("version" integer primary key, "name" text not null, "applied_at" timestamptz not null)',
      'select "version" from "vbuckets_migrations"',
      'commit',
    ]);
  });
});
