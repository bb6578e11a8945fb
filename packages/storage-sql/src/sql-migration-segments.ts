import { type CreateTableBuilder, sql } from 'kysely';
import type { SqlDialectAdapter } from './sql-dialect-adapter';
import type { SqlMigration } from './sql-migrations';

const SEGMENT_TYPES = sql.raw(`'processed', 'original', 'thumbnail', 'audio'`);
const PLATFORMS = sql.raw(`'instagram', 'tiktok', 'youtube', 'facebook', 'twitter', 'meta'`);

/**
 * Migration 9 of both dialects: video segments, their tags and their social usage (seed 004).
 * Written once with the schema builder over the dialect's column types, like `tasksMigration`;
 * SQLite's tables are STRICT like the others.
 *
 * - `segments`: primary key (org_id, id); unique (org_id, video_id, segment_type,
 *   segment_number), the target of `ensure`'s INSERT … ON CONFLICT DO NOTHING. A segment
 *   references its video (`videos.id`, the registry's key, as uploads do) ON DELETE CASCADE.
 *   `tags` is a JSON array, as `generation_tasks.youtube_tags`: the segment's tags in order.
 * - `segment_tags`: one row per (segment, tag), written with the segment's `tags` in the same
 *   transaction; what the all-tags filter and the per-tag analytics read through the index on
 *   (org_id, tag, segment_id).
 * - `social_usage`: one row per (segment, platform), its primary key, the target of
 *   `upsertUsage`'s INSERT … ON CONFLICT DO UPDATE.
 *
 * Both child tables reference the segment by (org_id, segment_id) ON DELETE CASCADE, so
 * deleting a segment (or its video) deletes its tags and usage.
 *
 * Indexes: one per list filter and order, each ending with created_at or id for the pages
 * (the org's segments by created_at, duration, type, owner, video). Ordering by views or
 * engagement sorts on a sum over the segment's usage rows (a correlated aggregate read through
 * the usage primary key); no index holds that order, so those lists sort the filtered segments.
 */
export function segmentsMigration(dialect: SqlDialectAdapter): SqlMigration {
  const types = dialect.columnTypes;
  const type = (name: string) => sql.raw(name);
  const text = (expression: string) => dialect.orderableText(sql.raw(`(${expression})`));
  const strict = <T extends string, C extends string>(table: CreateTableBuilder<T, C>) =>
    dialect.name === 'sqlite' ? table.modifyEnd(sql`strict`) : table;

  return {
    version: 9,
    name: 'segments',
    async up(db) {
      await strict(
        db.schema
          .createTable('segments')
          .addColumn('id', 'text', (column) => column.notNull())
          .addColumn('org_id', 'text', (column) => column.notNull())
          .addColumn('owner_id', 'text', (column) => column.notNull())
          .addColumn('video_id', 'text', (column) =>
            column.notNull().references('videos.id').onDelete('cascade'),
          )
          .addColumn('segment_type', 'text', (column) => column.notNull())
          .addColumn('segment_number', type(types.integer), (column) => column.notNull())
          .addColumn('blob_key', 'text', (column) => column.notNull())
          .addColumn('duration_sec', type(types.float), (column) => column.notNull())
          .addColumn('size_bytes', type(types.integer), (column) => column.notNull())
          .addColumn('content_type', 'text', (column) => column.notNull())
          .addColumn('title', 'text')
          .addColumn('description', 'text')
          .addColumn('tags', type(types.json), (column) => column.notNull())
          .addColumn('created_at', type(types.timestamp), (column) => column.notNull())
          .addColumn('updated_at', type(types.timestamp), (column) => column.notNull())
          .addPrimaryKeyConstraint('segments_pk', ['org_id', 'id'])
          .addUniqueConstraint('segments_place', [
            'org_id',
            'video_id',
            'segment_type',
            'segment_number',
          ])
          .addCheckConstraint('segments_type', sql`segment_type in (${SEGMENT_TYPES})`)
          .addCheckConstraint(
            'segments_amounts',
            sql`segment_number >= 0 and duration_sec >= 0 and size_bytes >= 0`,
          ),
      ).execute();
      // list: the org's segments by created_at (the default order) or by duration, then id;
      // of one type, one owner or one video (the video's also serves the cascade).
      await db.schema
        .createIndex('segments_org_created')
        .on('segments')
        .expression(sql`org_id, created_at, ${text('id')}`)
        .execute();
      await db.schema
        .createIndex('segments_org_duration')
        .on('segments')
        .expression(sql`org_id, duration_sec, ${text('id')}`)
        .execute();
      await db.schema
        .createIndex('segments_org_type_created')
        .on('segments')
        .expression(sql`org_id, segment_type, created_at, ${text('id')}`)
        .execute();
      await db.schema
        .createIndex('segments_org_owner_created')
        .on('segments')
        .expression(sql`org_id, owner_id, created_at, ${text('id')}`)
        .execute();
      await db.schema.createIndex('segments_video').on('segments').columns(['video_id']).execute();

      await strict(
        db.schema
          .createTable('segment_tags')
          .addColumn('org_id', 'text', (column) => column.notNull())
          .addColumn('segment_id', 'text', (column) => column.notNull())
          .addColumn('tag', 'text', (column) => column.notNull())
          .addPrimaryKeyConstraint('segment_tags_pk', ['org_id', 'segment_id', 'tag'])
          .addForeignKeyConstraint(
            'segment_tags_segment',
            ['org_id', 'segment_id'],
            'segments',
            ['org_id', 'id'],
            (constraint) => constraint.onDelete('cascade'),
          ),
      ).execute();
      // The all-tags filter and the per-tag analytics: the org's segments with a tag.
      await db.schema
        .createIndex('segment_tags_org_tag')
        .on('segment_tags')
        .columns(['org_id', 'tag', 'segment_id'])
        .execute();

      await strict(
        db.schema
          .createTable('social_usage')
          .addColumn('org_id', 'text', (column) => column.notNull())
          .addColumn('segment_id', 'text', (column) => column.notNull())
          .addColumn('platform', 'text', (column) => column.notNull())
          .addColumn('post_id', 'text')
          .addColumn('post_url', 'text')
          .addColumn('posted_at', type(types.timestamp))
          .addColumn('views', type(types.integer), (column) => column.notNull())
          .addColumn('likes', type(types.integer), (column) => column.notNull())
          .addColumn('shares', type(types.integer), (column) => column.notNull())
          .addColumn('comments', type(types.integer), (column) => column.notNull())
          .addColumn('clicks', type(types.integer))
          .addColumn('conversions', type(types.integer))
          .addColumn('engagement_rate', type(types.float))
          .addColumn('last_synced_at', type(types.timestamp))
          .addColumn('upload_id', 'text')
          .addPrimaryKeyConstraint('social_usage_pk', ['org_id', 'segment_id', 'platform'])
          .addForeignKeyConstraint(
            'social_usage_segment',
            ['org_id', 'segment_id'],
            'segments',
            ['org_id', 'id'],
            (constraint) => constraint.onDelete('cascade'),
          )
          .addCheckConstraint('social_usage_platform', sql`platform in (${PLATFORMS})`)
          .addCheckConstraint(
            'social_usage_counts',
            sql`views >= 0 and likes >= 0 and shares >= 0 and comments >= 0 and (clicks is null or clicks >= 0) and (conversions is null or conversions >= 0) and (engagement_rate is null or engagement_rate >= 0)`,
          ),
      ).execute();
      // The platform filter and the per-platform analytics; the primary key serves a
      // segment's rows (reads, the has-usage filter, the views and engagement sums).
      await db.schema
        .createIndex('social_usage_org_platform')
        .on('social_usage')
        .columns(['org_id', 'platform', 'segment_id'])
        .execute();
      // The bucket analytics: a video's newest categorized row in a product.
      await db.schema
        .createIndex('categorizations_org_product_video_created')
        .on('categorizations')
        .columns(['org_id', 'product_id', 'video_id', 'created_at'])
        .execute();
    },
  };
}
