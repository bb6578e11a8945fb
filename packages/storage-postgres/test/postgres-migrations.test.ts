import {
  applySqlMigrations,
  createPostgresDialectAdapter,
  type SqlDatabase,
} from '@vbuckets/storage-sql';
import {
  expectErrorCode,
  expectOk,
  makeCategorization,
  makeSession,
  makeTenant,
} from '@vbuckets/testkit';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPostgresStore, postgresMigrations } from '../src/index';
import { admin, openStore, postgresUrl, useTestSchemas } from './helpers';

const schemaName = useTestSchemas();

const tablesOf = async (schema: string) =>
  (
    await admin<{ table_name: string }>(
      'select table_name from information_schema.tables where table_schema = $1 order by table_name',
      [schema],
    )
  ).map((row) => row.table_name);

const migrationRows = (schema: string) =>
  admin<{ version: number; name: string; applied_at: Date }>(
    `select version, name, applied_at from "${schema}".vbuckets_migrations order by version`,
  );

// The newest schema version this package ships; each new migration raises it.
const LATEST = postgresMigrations.length;

describe('migrations', () => {
  it('creates the schema and its tables on first open and records every version', async () => {
    const schema = schemaName();
    expect(await admin('select 1 from pg_namespace where nspname = $1', [schema])).toEqual([]);

    const store = await openStore(schema);
    expect(store.schemaVersion).toBe(LATEST);
    await store.close();

    expect(await tablesOf(schema)).toEqual([
      'audit_events',
      'buckets',
      'categorization_sessions',
      'categorizations',
      'creative_performance_keys',
      'creatives',
      'generation_tasks',
      'job_schedules',
      'jobs',
      'pattern_performance',
      'segment_tags',
      'segments',
      'social_usage',
      'thumbnails',
      'upload_attempts',
      'uploads',
      'vbuckets_migrations',
      'videos',
    ]);
    expect(await migrationRows(schema)).toEqual([
      { version: 1, name: 'initial', applied_at: expect.any(Date) },
      { version: 2, name: 'uploads', applied_at: expect.any(Date) },
      { version: 3, name: 'video-visibility', applied_at: expect.any(Date) },
      { version: 4, name: 'video-content-key', applied_at: expect.any(Date) },
      { version: 5, name: 'categorization-leases', applied_at: expect.any(Date) },
      { version: 6, name: 'list-indexes', applied_at: expect.any(Date) },
      { version: 7, name: 'market', applied_at: expect.any(Date) },
      { version: 8, name: 'generation-tasks', applied_at: expect.any(Date) },
      { version: 9, name: 'segments', applied_at: expect.any(Date) },
      { version: 10, name: 'jobs', applied_at: expect.any(Date) },
    ]);
    // Nothing leaked into public: every table was created in the store's schema.
    expect(await tablesOf('public')).not.toContain('vbuckets_migrations');
  });

  it('migrates a version 2 schema to 3: its videos become private, with no category', async () => {
    const schema = schemaName();
    await admin(`create schema "${schema}"`);
    const pool = new pg.Pool({ connectionString: postgresUrl, max: 1 });
    const db = new Kysely<SqlDatabase>({ dialect: new PostgresDialect({ pool }) }).withSchema(
      schema,
    );
    const migrated = await applySqlMigrations(
      db,
      createPostgresDialectAdapter(),
      postgresMigrations.slice(0, 2),
    );
    await db.destroy();
    expect(migrated.isOk() && migrated.value.version).toBe(2);
    const { orgId, scope } = makeTenant();
    await admin(
      `insert into "${schema}".videos (id, org_id, owner_id, title, filename, blob_key, sha256,
         size_bytes, mime_type, duration_sec, duplicate_allowed, created_at)
       values ('video-old', $1, 'owner-1', 'Old', 'old.mp4', 'videos/org/video-old.mp4', $2, 42,
         'video/mp4', 1.5, false, '2026-01-15T10:00:00.000Z')`,
      [orgId, 'a'.repeat(64)],
    );

    const store = await openStore(schema);
    expect(store.schemaVersion).toBe(LATEST);
    const video = await expectOk(store.videos.get(scope, 'video-old'));
    expect(video).toMatchObject({ title: 'Old', visibility: 'private', productCategory: null });
    await expectErrorCode(store.videos.getPublic('video-old'), 'NOT_FOUND');
    await store.close();

    expect((await migrationRows(schema)).map((row) => row.version)).toEqual(
      postgresMigrations.map((migration) => migration.version),
    );
    await expect(
      admin(`update "${schema}".videos set visibility = 'unlisted' where id = 'video-old'`),
    ).rejects.toThrow(/videos_visibility/);
  });

  // Issue 10: databases of the registration race hold several videos with one content.
  it('migrates duplicate videos of version 3 to one canonical video, losing nothing', async () => {
    const schema = schemaName();
    await admin(`create schema "${schema}"`);
    const pool = new pg.Pool({ connectionString: postgresUrl, max: 1 });
    const db = new Kysely<SqlDatabase>({ dialect: new PostgresDialect({ pool }) }).withSchema(
      schema,
    );
    await expectOk(
      applySqlMigrations(db, createPostgresDialectAdapter(), postgresMigrations.slice(0, 3)),
    );
    await db.destroy();
    const { orgId, scope } = makeTenant();
    const sha256 = 'b'.repeat(64);
    for (const [id, createdAt] of [
      ['video-newer', '2026-01-16T10:00:00.000Z'],
      ['video-oldest', '2026-01-15T10:00:00.000Z'],
    ]) {
      await admin(
        `insert into "${schema}".videos (id, org_id, owner_id, title, filename, blob_key, sha256,
           size_bytes, mime_type, duration_sec, duplicate_allowed, created_at)
         values ($1, $2, 'owner-1', $1, 'a.mp4', $1, $3, 42, 'video/mp4', null, false, $4)`,
        [id, orgId, sha256, createdAt],
      );
    }

    const store = await openStore(schema);
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

  it('applies nothing when the same schema is opened again', async () => {
    const schema = schemaName();
    await (await openStore(schema)).close();
    const before = await migrationRows(schema);

    const again = await openStore(schema);
    expect(again.schemaVersion).toBe(LATEST);
    await again.close();

    expect(await migrationRows(schema)).toEqual(before);
  });

  it('uses jsonb, boolean, timestamptz, bigint and double precision columns', async () => {
    const schema = schemaName();
    await (await openStore(schema)).close();

    const columns = await admin<{ table_name: string; column_name: string; data_type: string }>(
      `select table_name, column_name, data_type from information_schema.columns
        where table_schema = $1 and table_name <> 'vbuckets_migrations'`,
      [schema],
    );
    const typeOf = (table: string, column: string) =>
      columns.find((row) => row.table_name === table && row.column_name === column)?.data_type;

    for (const column of ['pain_points', 'solution_mechanism', 'key_copy_hooks']) {
      expect(typeOf('buckets', column)).toBe('jsonb');
    }
    expect(typeOf('categorizations', 'analysis')).toBe('jsonb');
    expect(typeOf('categorizations', 'is_uploaded')).toBe('boolean');
    expect(typeOf('videos', 'duplicate_allowed')).toBe('boolean');
    expect(typeOf('videos', 'visibility')).toBe('text');
    expect(typeOf('videos', 'product_category')).toBe('text');
    for (const table of ['buckets', 'videos', 'categorization_sessions', 'categorizations']) {
      expect(typeOf(table, 'created_at')).toBe('timestamp with time zone');
    }
    expect(typeOf('videos', 'size_bytes')).toBe('bigint');
    expect(typeOf('videos', 'duration_sec')).toBe('double precision');
    expect(typeOf('categorizations', 'confidence')).toBe('double precision');
    const [sequence] = await admin<{ is_identity: string; identity_generation: string }>(
      `select is_identity, identity_generation from information_schema.columns
        where table_schema = $1 and table_name = 'categorizations' and column_name = 'seq'`,
      [schema],
    );
    expect(sequence).toEqual({ is_identity: 'YES', identity_generation: 'ALWAYS' });
  });

  it('creates seed 000’s partial index on uploaded rows, and the unique name index', async () => {
    const schema = schemaName();
    await (await openStore(schema)).close();

    const indexes = await admin<{ indexname: string; indexdef: string }>(
      'select indexname, indexdef from pg_indexes where schemaname = $1',
      [schema],
    );
    const definition = (name: string) =>
      indexes.find((index) => index.indexname === name)?.indexdef;

    expect(definition('categorizations_uploaded')).toBe(
      `CREATE INDEX categorizations_uploaded ON ${schema}.categorizations USING btree (product_id, org_id) WHERE (is_uploaded = true)`,
    );
    expect(definition('buckets_org_product_name_key')).toBe(
      `CREATE UNIQUE INDEX buckets_org_product_name_key ON ${schema}.buckets USING btree (org_id, product_id, name_key)`,
    );
    // The arbiters of the market upserts (migration 7).
    expect(definition('creatives_org_source_url')).toBe(
      `CREATE UNIQUE INDEX creatives_org_source_url ON ${schema}.creatives USING btree (org_id, source_url)`,
    );
    expect(definition('pattern_performance_key')).toBe(
      `CREATE UNIQUE INDEX pattern_performance_key ON ${schema}.pattern_performance USING btree (org_id, product_category, dimension, value, source)`,
    );
    // At most one selected thumbnail per task, kept by the database (migration 8).
    expect(definition('thumbnails_one_selected')).toBe(
      `CREATE UNIQUE INDEX thumbnails_one_selected ON ${schema}.thumbnails USING btree (org_id, task_id) WHERE (is_selected = true)`,
    );
    // The arbiters of segments.ensure and segments.upsertUsage, and the tag index (migration 9).
    expect(definition('segments_place')).toBe(
      `CREATE UNIQUE INDEX segments_place ON ${schema}.segments USING btree (org_id, video_id, segment_type, segment_number)`,
    );
    expect(definition('social_usage_pk')).toBe(
      `CREATE UNIQUE INDEX social_usage_pk ON ${schema}.social_usage USING btree (org_id, segment_id, platform)`,
    );
    expect(definition('segment_tags_org_tag')).toBe(
      `CREATE INDEX segment_tags_org_tag ON ${schema}.segment_tags USING btree (org_id, tag, segment_id)`,
    );
    // The job queue's dedupe key and claim order (migration 10).
    expect(definition('jobs_kind_id')).toBe(
      `CREATE UNIQUE INDEX jobs_kind_id ON ${schema}.jobs USING btree (kind, id)`,
    );
    expect(definition('jobs_due')).toBe(
      `CREATE INDEX jobs_due ON ${schema}.jobs USING btree (state, run_at, seq)`,
    );
    const foreignKeys = await admin<{ definition: string }>(
      `select pg_get_constraintdef(oid) as definition from pg_constraint
        where contype = 'f' and connamespace = $1::regnamespace`,
      [schema],
    );
    expect(foreignKeys.map((key) => key.definition).sort()).toEqual([
      `FOREIGN KEY (creative_id) REFERENCES ${schema}.creatives(id) ON DELETE CASCADE`,
      `FOREIGN KEY (org_id, segment_id) REFERENCES ${schema}.segments(org_id, id) ON DELETE CASCADE`,
      `FOREIGN KEY (org_id, segment_id) REFERENCES ${schema}.segments(org_id, id) ON DELETE CASCADE`,
      `FOREIGN KEY (org_id, task_id) REFERENCES ${schema}.generation_tasks(org_id, id) ON DELETE CASCADE`,
      `FOREIGN KEY (session_id) REFERENCES ${schema}.categorization_sessions(id)`,
      `FOREIGN KEY (upload_id) REFERENCES ${schema}.uploads(id) ON DELETE CASCADE`,
      `FOREIGN KEY (video_id) REFERENCES ${schema}.videos(id) ON DELETE CASCADE`,
      `FOREIGN KEY (video_id) REFERENCES ${schema}.videos(id) ON DELETE CASCADE`,
    ]);
  });

  it('lets the planner answer listUploaded from the partial index', async () => {
    const schema = schemaName();
    const store = await openStore(schema);
    const { orgId, productId } = makeTenant();
    const session = makeSession({ orgId, productId });
    await expectOk(store.categorizationSessions.insert(session));
    await expectOk(
      store.categorizations.insert(
        makeCategorization({ orgId, productId, sessionId: session.id, isUploaded: true }),
      ),
    );
    await store.close();

    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    try {
      await client.query('set enable_seqscan = off');
      const plan = await client.query<{ 'QUERY PLAN': string }>(
        `explain select * from "${schema}".categorizations
          where product_id = $1 and is_uploaded = $2 and org_id = $3`,
        [productId, true, orgId],
      );
      expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toContain(
        'categorizations_uploaded',
      );
    } finally {
      await client.end();
    }
  });

  it('refuses a schema migrated by a newer version of the package (STORAGE)', async () => {
    const schema = schemaName();
    await (await openStore(schema)).close();
    await admin(
      `insert into "${schema}".vbuckets_migrations (version, name, applied_at) values (${LATEST + 1}, 'future', now())`,
    );

    const result = await createPostgresStore({ connectionString: postgresUrl, schema });

    expect(result.isErr() && result.error.code).toBe('STORAGE');
    expect(result.isErr() && result.error.message).toMatch(
      new RegExp(`schema version ${LATEST + 1}, newer than the ${LATEST}`),
    );
  });

  it('rolls back every migration of a run when one fails', async () => {
    const schema = schemaName();
    await admin(`create schema "${schema}"`);
    const pool = new pg.Pool({ connectionString: postgresUrl, max: 1 });
    const db = new Kysely<SqlDatabase>({ dialect: new PostgresDialect({ pool }) }).withSchema(
      schema,
    );
    const broken = [
      ...postgresMigrations,
      {
        version: LATEST + 1,
        name: 'broken',
        async up(connection: Kysely<SqlDatabase>) {
          await sql`select * from no_such_table`.execute(connection);
        },
      },
    ];

    const result = await applySqlMigrations(db, createPostgresDialectAdapter(), broken);

    expect(result.isErr() && result.error.code).toBe('STORAGE');
    expect(result.isErr() && result.error.message).not.toMatch(/no_such_table|select/i);
    await db.destroy();
    expect(await tablesOf(schema)).toEqual([]);
  });
});
