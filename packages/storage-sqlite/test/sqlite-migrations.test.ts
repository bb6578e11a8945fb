import { writeFileSync } from 'node:fs';
import {
  applySqlMigrations,
  createSqliteDialectAdapter,
  type SqlDatabase,
} from '@vbuckets/storage-sql';
import { expectErrorCode, expectOk, makeTenant } from '@vbuckets/testkit';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createSqliteStore, sqliteMigrations } from '../src/index';
import { holdWriteLock, openStore, useTemporaryDirectory } from './helpers';

const temporaryPath = useTemporaryDirectory();

function inspect<T>(path: string, read: (database: Database.Database) => T): T {
  const database = new Database(path, { readonly: true });
  try {
    return read(database);
  } finally {
    database.close();
  }
}

const tableNames = (database: Database.Database) =>
  (
    database
      .prepare("select name from sqlite_master where type = 'table' order by name")
      .all() as Array<{ name: string }>
  ).map((row) => row.name);

const migrationRows = (database: Database.Database) =>
  database.prepare('select version, name, applied_at from vbuckets_migrations').all() as Array<{
    version: number;
    name: string;
    applied_at: string;
  }>;

// The newest schema version this package ships; each new migration raises it.
const LATEST = sqliteMigrations.length;
const ALL_VERSIONS = sqliteMigrations.map((migration) => migration.version);

describe('migrations', () => {
  it('creates the tables on a fresh file and records every version', async () => {
    const path = temporaryPath('fresh.db');
    const store = await openStore({ path });
    expect(store.schemaVersion).toBe(LATEST);
    await store.close();

    const { tables, migrations } = inspect(path, (database) => ({
      tables: tableNames(database),
      migrations: migrationRows(database),
    }));
    expect(tables).toEqual(
      expect.arrayContaining([
        'buckets',
        'categorization_sessions',
        'categorizations',
        'vbuckets_migrations',
        'videos',
        'uploads',
        'upload_attempts',
        'audit_events',
        'creatives',
        'creative_performance_keys',
        'pattern_performance',
        'generation_tasks',
        'thumbnails',
        'segments',
        'segment_tags',
        'social_usage',
        'jobs',
        'job_schedules',
      ]),
    );
    const appliedAt = expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/);
    expect(migrations).toEqual([
      { version: 1, name: 'initial', applied_at: appliedAt },
      { version: 2, name: 'uploads', applied_at: appliedAt },
      { version: 3, name: 'video-visibility', applied_at: appliedAt },
      { version: 4, name: 'video-content-key', applied_at: appliedAt },
      { version: 5, name: 'categorization-leases', applied_at: appliedAt },
      { version: 6, name: 'list-indexes', applied_at: appliedAt },
      { version: 7, name: 'market', applied_at: appliedAt },
      { version: 8, name: 'generation-tasks', applied_at: appliedAt },
      { version: 9, name: 'segments', applied_at: appliedAt },
      { version: 10, name: 'jobs', applied_at: appliedAt },
    ]);
  });

  it('migrates a version 2 database to 3: its videos become private, with no category', async () => {
    const path = temporaryPath('version-2.db');
    const database = new Database(path);
    const db = new Kysely<SqlDatabase>({ dialect: new SqliteDialect({ database }) });
    const migrated = await applySqlMigrations(
      db,
      createSqliteDialectAdapter(),
      sqliteMigrations.slice(0, 2),
    );
    expect(migrated.isOk() && migrated.value.version).toBe(2);
    const { orgId, scope } = makeTenant();
    database
      .prepare(
        `insert into videos (id, org_id, owner_id, title, filename, blob_key, sha256, size_bytes,
           mime_type, duration_sec, duplicate_allowed, created_at)
         values ('video-old', ?, 'owner-1', 'Old', 'old.mp4', 'videos/org/video-old.mp4', ?, 42,
           'video/mp4', 1.5, 0, '2026-01-15T10:00:00.000Z')`,
      )
      .run(orgId, 'a'.repeat(64));
    await db.destroy();

    const store = await openStore({ path });
    expect(store.schemaVersion).toBe(LATEST);
    const video = await expectOk(store.videos.get(scope, 'video-old'));
    expect(video).toMatchObject({ title: 'Old', visibility: 'private', productCategory: null });
    await expectErrorCode(store.videos.getPublic('video-old'), 'NOT_FOUND');
    await store.close();

    expect(inspect(path, migrationRows).map((row) => row.version)).toEqual(ALL_VERSIONS);
    const writable = new Database(path);
    try {
      expect(() =>
        writable.prepare("update videos set visibility = 'unlisted' where id = 'video-old'").run(),
      ).toThrow(/CHECK constraint failed/);
    } finally {
      writable.close();
    }
  });

  // Issue 10: databases of the registration race hold several videos with one content.
  it('migrates duplicate videos of version 3 to one canonical video, losing nothing', async () => {
    const path = temporaryPath('version-3.db');
    const database = new Database(path);
    const db = new Kysely<SqlDatabase>({ dialect: new SqliteDialect({ database }) });
    await expectOk(
      applySqlMigrations(db, createSqliteDialectAdapter(), sqliteMigrations.slice(0, 3)),
    );
    const { orgId, scope } = makeTenant();
    const insert = database.prepare(
      `insert into videos (id, org_id, owner_id, title, filename, blob_key, sha256, size_bytes,
         mime_type, duration_sec, duplicate_allowed, created_at)
       values (?, ?, 'owner-1', ?, 'a.mp4', ?, ?, 42, 'video/mp4', null, 0, ?)`,
    );
    const sha256 = 'b'.repeat(64);
    insert.run('video-newer', orgId, 'Newer', 'k/newer.mp4', sha256, '2026-01-16T10:00:00.000Z');
    insert.run('video-oldest', orgId, 'Oldest', 'k/oldest.mp4', sha256, '2026-01-15T10:00:00.000Z');
    await db.destroy();

    const store = await openStore({ path });
    expect((await expectOk(store.videos.list(scope))).map((video) => video.id)).toEqual([
      'video-newer',
      'video-oldest',
    ]);
    expect((await expectOk(store.videos.findBySha256(scope, sha256)))?.id).toBe('video-oldest');
    const again = await expectOk(
      store.videos.register({
        ...(await expectOk(store.videos.get(scope, 'video-newer'))),
        id: 'video-third',
      }),
    );
    expect({ id: again.video.id, created: again.created }).toEqual({
      id: 'video-oldest',
      created: false,
    });
    await store.close();
  });

  it('applies nothing twice when the same file is opened again', async () => {
    const path = temporaryPath('reopen.db');
    await (await openStore({ path })).close();
    const before = inspect(path, migrationRows);

    const again = await openStore({ path });
    expect(again.schemaVersion).toBe(LATEST);
    await again.close();

    expect(inspect(path, migrationRows)).toEqual(before);
  });

  it('migrates once when several stores open the same fresh file at once', async () => {
    const path = temporaryPath('concurrent-open.db');

    const results = await Promise.all(Array.from({ length: 8 }, () => createSqliteStore({ path })));

    expect(results.map((result) => result.isOk())).toEqual(Array(8).fill(true));
    for (const result of results) if (result.isOk()) await result.value.close();
    expect(inspect(path, migrationRows).map((row) => row.version)).toEqual(ALL_VERSIONS);
  });

  it('waits for another connection holding the write lock, then migrates', async () => {
    const path = temporaryPath('locked-open.db');
    const lock = await holdWriteLock(path, 300);
    const started = Date.now();

    const store = await openStore({ path });

    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await lock.released;
    await store.close();
    expect(inspect(path, migrationRows).map((row) => row.version)).toEqual(ALL_VERSIONS);
  });

  it('refuses a database migrated by a newer version of the package (STORAGE)', async () => {
    const path = temporaryPath('newer.db');
    await (await openStore({ path })).close();
    const database = new Database(path);
    database
      .prepare(
        "insert into vbuckets_migrations (version, name, applied_at) values (?, 'future', ?)",
      )
      .run(LATEST + 1, new Date().toISOString());
    database.close();

    const result = await createSqliteStore({ path });

    expect(result.isErr() && result.error.code).toBe('STORAGE');
    expect(result.isErr() && result.error.message).toMatch(
      new RegExp(`schema version ${LATEST + 1}, newer than the ${LATEST}`),
    );
  });

  it('rolls back every migration of a run when one fails', async () => {
    const database = new Database(':memory:');
    const dialect = createSqliteDialectAdapter();
    const db = new Kysely<SqlDatabase>({ dialect: new SqliteDialect({ database }) });
    const broken = [
      ...sqliteMigrations,
      {
        version: LATEST + 1,
        name: 'broken',
        async up(connection: Kysely<SqlDatabase>) {
          await sql`create table half_done (id text)`.execute(connection);
          await sql`select * from no_such_table`.execute(connection);
        },
      },
    ];

    const result = await applySqlMigrations(db, dialect, broken);

    expect(result.isErr() && result.error.code).toBe('STORAGE');
    expect(result.isErr() && result.error.message).not.toMatch(/no_such_table|select/i);
    expect(tableNames(database)).toEqual([]);
    await db.destroy();
  });

  it('refuses migrations whose versions are not 1, 2, 3 …', async () => {
    const db = new Kysely<SqlDatabase>({
      dialect: new SqliteDialect({ database: new Database(':memory:') }),
    });
    const result = await applySqlMigrations(db, createSqliteDialectAdapter(), [
      { ...sqliteMigrations[0]!, version: 2 },
    ]);
    expect(result.isErr() && result.error.message).toMatch(/has version 2, expected 1/);
    await db.destroy();
  });

  it('fails with STORAGE, naming the file, when it is not a database', async () => {
    const path = temporaryPath('garbage.db');
    writeFileSync(
      path,
      'this is not an SQLite database, just some text that is long enough'.repeat(20),
    );

    const result = await createSqliteStore({ path });

    expect(result.isErr() && result.error.code).toBe('STORAGE');
    expect(result.isErr() && result.error.message).toContain(path);
  });
});
