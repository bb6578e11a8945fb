import { type CreateTableBuilder, sql } from 'kysely';
import type { SqlDialectAdapter } from './sql-dialect-adapter';
import type { SqlMigration } from './sql-migrations';

const SOURCES = sql.raw(`'benchmark', 'client'`);
const ANALYSIS_STATUSES = sql.raw(`'none', 'queued', 'running', 'done', 'failed'`);
const DIMENSIONS = sql.raw(`'hookType', 'emotion', 'pacing', 'targetAudiencePain', 'tag'`);

/**
 * Migration 7 of both dialects (issue 12): market creatives, the idempotency keys of their
 * performance increments, and pattern evidence. Written once with the schema builder (so
 * PostgreSQL's tables land in the store's schema) over the dialect's column types; SQLite's
 * tables are STRICT like the others, so a value of the wrong type is refused, not stored.
 *
 * The unique keys are what make the writes safe across processes: (org_id, source_url) lets
 * one of N concurrent ingests of a URL insert; (org_id, creative_id, idempotency_key) lets a
 * repeated performance event apply once; (org_id, product_category, dimension, value, source)
 * is the target of the evidence upsert. `true`/`false` are literals in both dialects (SQLite's
 * are 1 and 0), so the boolean check reads the same on both.
 */
export function marketMigration(dialect: SqlDialectAdapter): SqlMigration {
  const types = dialect.columnTypes;
  const type = (name: string) => sql.raw(name);
  const text = (expression: string) => dialect.orderableText(sql.raw(`(${expression})`));
  const strict = <T extends string, C extends string>(table: CreateTableBuilder<T, C>) =>
    dialect.name === 'sqlite' ? table.modifyEnd(sql`strict`) : table;

  return {
    version: 7,
    name: 'market',
    async up(db) {
      await strict(
        db.schema
          .createTable('creatives')
          .addColumn('id', 'text', (column) => column.primaryKey().notNull())
          .addColumn('org_id', 'text', (column) => column.notNull())
          .addColumn('owner_id', 'text')
          .addColumn('name', 'text', (column) => column.notNull())
          .addColumn('product_category', 'text', (column) => column.notNull())
          .addColumn('source', 'text', (column) => column.notNull())
          .addColumn('is_public', type(types.boolean), (column) => column.notNull())
          .addColumn('video_id', 'text')
          .addColumn('source_platform', 'text')
          .addColumn('source_url', 'text')
          .addColumn('market_cvr', type(types.float))
          .addColumn('market_longevity_days', type(types.float))
          .addColumn('avg_daily_clicks', type(types.float))
          .addColumn('hook_type', 'text')
          .addColumn('emotion', 'text')
          .addColumn('pacing', 'text')
          .addColumn('target_audience_pain', 'text')
          .addColumn('extra_tags', type(types.json), (column) => column.notNull())
          .addColumn('impressions', type(types.integer), (column) => column.notNull())
          .addColumn('clicks', type(types.integer), (column) => column.notNull())
          .addColumn('conversions', type(types.integer), (column) => column.notNull())
          .addColumn('analysis_status', 'text', (column) => column.notNull())
          .addColumn('analysis', type(types.json))
          .addColumn('analysis_error', 'text')
          .addColumn('analyzed_at', type(types.timestamp))
          .addColumn('created_at', type(types.timestamp), (column) => column.notNull())
          .addColumn('updated_at', type(types.timestamp), (column) => column.notNull())
          .addCheckConstraint('creatives_source', sql`source in (${SOURCES})`)
          .addCheckConstraint(
            'creatives_analysis_status',
            sql`analysis_status in (${ANALYSIS_STATUSES})`,
          )
          .addCheckConstraint('creatives_is_public', sql`is_public in (true, false)`)
          .addCheckConstraint(
            'creatives_counts',
            sql`impressions >= 0 and clicks >= 0 and conversions >= 0`,
          ),
      ).execute();
      // The arbiter of insert's ON CONFLICT (org_id, source_url) DO NOTHING.
      await db.schema
        .createIndex('creatives_org_source_url')
        .unique()
        .on('creatives')
        .columns(['org_id', 'source_url'])
        .execute();
      // list: the org's creatives newest first, then id; of one category; public benchmarks.
      await db.schema
        .createIndex('creatives_org_created')
        .on('creatives')
        .expression(sql`org_id, created_at, ${text('id')}`)
        .execute();
      await db.schema
        .createIndex('creatives_org_category_created')
        .on('creatives')
        .expression(sql`org_id, product_category, created_at, ${text('id')}`)
        .execute();
      await db.schema
        .createIndex('creatives_public_category_created')
        .on('creatives')
        .expression(sql`is_public, source, product_category, created_at, ${text('id')}`)
        .execute();

      await strict(
        db.schema
          .createTable('creative_performance_keys')
          .addColumn('org_id', 'text', (column) => column.notNull())
          .addColumn('creative_id', 'text', (column) =>
            column.notNull().references('creatives.id').onDelete('cascade'),
          )
          .addColumn('idempotency_key', 'text', (column) => column.notNull())
          .addColumn('recorded_at', type(types.timestamp), (column) => column.notNull())
          .addPrimaryKeyConstraint('creative_performance_keys_pk', [
            'org_id',
            'creative_id',
            'idempotency_key',
          ]),
      ).execute();

      await strict(
        db.schema
          .createTable('pattern_performance')
          .addColumn('id', 'text', (column) => column.primaryKey().notNull())
          .addColumn('org_id', 'text', (column) => column.notNull())
          .addColumn('product_category', 'text', (column) => column.notNull())
          .addColumn('dimension', 'text', (column) => column.notNull())
          .addColumn('value', 'text', (column) => column.notNull())
          .addColumn('source', 'text', (column) => column.notNull())
          .addColumn('weight', type(types.float), (column) => column.notNull())
          .addColumn('alpha', type(types.float), (column) => column.notNull())
          .addColumn('beta', type(types.float), (column) => column.notNull())
          .addColumn('clicks', type(types.float), (column) => column.notNull())
          .addColumn('conversions', type(types.float), (column) => column.notNull())
          .addColumn('market_longevity_days', type(types.float))
          .addColumn('updated_at', type(types.timestamp), (column) => column.notNull())
          .addCheckConstraint('pattern_performance_source', sql`source in (${SOURCES})`)
          .addCheckConstraint('pattern_performance_dimension', sql`dimension in (${DIMENSIONS})`),
      ).execute();
      // The arbiter of addEvidence's upsert; its prefix also serves the org's own rows.
      await db.schema
        .createIndex('pattern_performance_key')
        .unique()
        .on('pattern_performance')
        .columns(['org_id', 'product_category', 'dimension', 'value', 'source'])
        .execute();
      // list with includePublic: every org's benchmark rows of a category.
      await db.schema
        .createIndex('pattern_performance_category_source')
        .on('pattern_performance')
        .columns(['product_category', 'source', 'dimension'])
        .execute();
    },
  };
}
