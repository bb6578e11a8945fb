import type { SqlMigration } from '@vbuckets/storage-sql';
import { sql } from 'kysely';

/**
 * Buckets, videos, categorization sessions and their rows: the same tables as the SQLite
 * store, with jsonb, boolean and timestamptz columns. Built with Kysely's schema builder, so
 * the store's `withSchema` puts every table (and foreign key) in the configured schema.
 */
export const initialMigration: SqlMigration = {
  version: 1,
  name: 'initial',
  async up(db) {
    await db.schema
      .createTable('buckets')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('org_id', 'text', (column) => column.notNull())
      .addColumn('product_id', 'text', (column) => column.notNull())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('name_key', 'text', (column) => column.notNull())
      .addColumn('best_for', 'text', (column) => column.notNull())
      .addColumn('angle', 'text', (column) => column.notNull())
      .addColumn('avatar', 'text', (column) => column.notNull())
      .addColumn('pain_points', 'jsonb', (column) => column.notNull())
      .addColumn('solution_mechanism', 'jsonb', (column) => column.notNull())
      .addColumn('key_copy_hooks', 'jsonb', (column) => column.notNull())
      // bigint, as SQLite's integer is 64-bit: any safe integer fits in both stores.
      .addColumn('display_order', 'bigint', (column) => column.notNull())
      .addColumn('created_at', 'timestamptz', (column) => column.notNull())
      .addColumn('updated_at', 'timestamptz', (column) => column.notNull())
      .execute();
    // Names are unique per product ignoring case and spacing: name_key is bucketNameKey(name).
    await db.schema
      .createIndex('buckets_org_product_name_key')
      .unique()
      .on('buckets')
      .columns(['org_id', 'product_id', 'name_key'])
      .execute();

    await db.schema
      .createTable('videos')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('org_id', 'text', (column) => column.notNull())
      .addColumn('owner_id', 'text', (column) => column.notNull())
      .addColumn('title', 'text', (column) => column.notNull())
      .addColumn('filename', 'text', (column) => column.notNull())
      .addColumn('blob_key', 'text', (column) => column.notNull())
      .addColumn('sha256', 'text', (column) => column.notNull())
      .addColumn('size_bytes', 'bigint', (column) => column.notNull())
      .addColumn('mime_type', 'text', (column) => column.notNull())
      // double precision, as SQLite's real: `real` would round 0.42 to 0.41999998688697815.
      .addColumn('duration_sec', 'double precision')
      .addColumn('duplicate_allowed', 'boolean', (column) => column.notNull())
      .addColumn('created_at', 'timestamptz', (column) => column.notNull())
      .execute();
    await db.schema
      .createIndex('videos_org_sha256')
      .on('videos')
      .columns(['org_id', 'sha256', 'created_at'])
      .execute();
    await db.schema
      .createIndex('videos_org_created')
      .on('videos')
      .columns(['org_id', 'created_at'])
      .execute();

    await db.schema
      .createTable('categorization_sessions')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('org_id', 'text', (column) => column.notNull())
      .addColumn('product_id', 'text', (column) => column.notNull())
      .addColumn('created_at', 'timestamptz', (column) => column.notNull())
      .execute();
    await db.schema
      .createIndex('categorization_sessions_org_product_created')
      .on('categorization_sessions')
      .columns(['org_id', 'product_id', 'created_at'])
      .execute();

    // seq (SQLite's rowid) records insertion order, the last tie-break of a session's rows.
    // video_id and bucket_id carry no foreign key: a row outlives its bucket (it keeps the
    // bucket's name) and may exist before, or without, a registered video.
    await db.schema
      .createTable('categorizations')
      .addColumn('seq', 'bigint', (column) => column.generatedAlwaysAsIdentity().primaryKey())
      .addColumn('id', 'text', (column) => column.notNull().unique())
      .addColumn('org_id', 'text', (column) => column.notNull())
      .addColumn('product_id', 'text', (column) => column.notNull())
      .addColumn('session_id', 'text', (column) =>
        column.notNull().references('categorization_sessions.id'),
      )
      .addColumn('video_id', 'text')
      .addColumn('filename', 'text', (column) => column.notNull())
      .addColumn('bucket_id', 'text')
      .addColumn('bucket_name', 'text')
      .addColumn('confidence', 'double precision')
      .addColumn('reasoning', 'text')
      .addColumn('summary', 'text')
      .addColumn('transcript', 'text')
      .addColumn('analysis', 'jsonb')
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('error_message', 'text')
      .addColumn('is_uploaded', 'boolean', (column) => column.notNull().defaultTo(false))
      .addColumn('created_at', 'timestamptz', (column) => column.notNull())
      .addColumn('updated_at', 'timestamptz', (column) => column.notNull())
      .addCheckConstraint(
        'categorizations_status',
        sql`status in ('pending', 'analyzed', 'categorized', 'error')`,
      )
      .execute();
    await db.schema
      .createIndex('categorizations_session')
      .on('categorizations')
      .column('session_id')
      .execute();
    // Seed 000's index for the Uploaded tab: only uploaded rows, by product then org.
    await db.schema
      .createIndex('categorizations_uploaded')
      .on('categorizations')
      .columns(['product_id', 'org_id'])
      .where(sql.ref('is_uploaded'), '=', true)
      .execute();
  },
};
