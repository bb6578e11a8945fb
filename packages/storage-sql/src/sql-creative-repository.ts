import { AnalysisStatusSchema, type Creative, conflictError, notFoundError } from '@vbuckets/core';
import {
  analysisStatusError,
  type CreativePatch,
  type CreativeRepository,
  performanceInputError,
  withErrorSource,
} from '@vbuckets/core/adapter-kit';
import type { Kysely, Selectable, Updateable } from 'kysely';
import { errAsync } from 'neverthrow';
import type { SqlDialectAdapter } from './sql-dialect-adapter';
import type { SqlExecutor } from './sql-executor';
import { keysetPage, orderKey } from './sql-page';
import type { CreativesTable, SqlDatabase } from './sql-schema';
import { toJsonObject, toNullableNumber, toNumber, toStringArray } from './sql-values';

function toRow(creative: Creative, dialect: SqlDialectAdapter): CreativesTable {
  return {
    id: creative.id,
    org_id: creative.orgId,
    owner_id: creative.ownerId,
    name: creative.name,
    product_category: creative.productCategory,
    source: creative.source,
    is_public: dialect.encodeBoolean(creative.isPublic),
    video_id: creative.videoId,
    source_platform: creative.sourcePlatform,
    source_url: creative.sourceUrl,
    market_cvr: creative.marketCvr,
    market_longevity_days: creative.marketLongevityDays,
    avg_daily_clicks: creative.avgDailyClicks,
    hook_type: creative.hookType,
    emotion: creative.emotion,
    pacing: creative.pacing,
    target_audience_pain: creative.targetAudiencePain,
    extra_tags: dialect.encodeJson(creative.extraTags),
    impressions: creative.impressions,
    clicks: creative.clicks,
    conversions: creative.conversions,
    analysis_status: creative.analysisStatus,
    analysis: creative.analysis === null ? null : dialect.encodeJson(creative.analysis),
    analysis_error: creative.analysisError,
    analyzed_at: creative.analyzedAt === null ? null : dialect.encodeTimestamp(creative.analyzedAt),
    created_at: dialect.encodeTimestamp(creative.createdAt),
    updated_at: dialect.encodeTimestamp(creative.updatedAt),
  };
}

function fromRow(row: Selectable<CreativesTable>, dialect: SqlDialectAdapter): Creative {
  return {
    id: row.id,
    orgId: row.org_id,
    ownerId: row.owner_id,
    name: row.name,
    productCategory: row.product_category,
    source: row.source,
    isPublic: dialect.decodeBoolean(row.is_public),
    videoId: row.video_id,
    sourcePlatform: row.source_platform,
    sourceUrl: row.source_url,
    marketCvr: toNullableNumber(row.market_cvr),
    marketLongevityDays: toNullableNumber(row.market_longevity_days),
    avgDailyClicks: toNullableNumber(row.avg_daily_clicks),
    hookType: row.hook_type,
    emotion: row.emotion,
    pacing: row.pacing,
    targetAudiencePain: row.target_audience_pain,
    extraTags: toStringArray(dialect.decodeJson(row.extra_tags)),
    impressions: toNumber(row.impressions),
    clicks: toNumber(row.clicks),
    conversions: toNumber(row.conversions),
    analysisStatus: AnalysisStatusSchema.parse(row.analysis_status),
    analysis: row.analysis === null ? null : toJsonObject(dialect.decodeJson(row.analysis)),
    analysisError: row.analysis_error,
    analyzedAt: row.analyzed_at === null ? null : dialect.decodeTimestamp(row.analyzed_at),
    createdAt: dialect.decodeTimestamp(row.created_at),
    updatedAt: dialect.decodeTimestamp(row.updated_at),
  };
}

function patchToRow(
  patch: Partial<CreativePatch>,
  dialect: SqlDialectAdapter,
): Updateable<CreativesTable> {
  const row: Updateable<CreativesTable> = {};
  if (patch.updatedAt !== undefined) row.updated_at = dialect.encodeTimestamp(patch.updatedAt);
  if (patch.name !== undefined) row.name = patch.name;
  if (patch.isPublic !== undefined) row.is_public = dialect.encodeBoolean(patch.isPublic);
  if (patch.videoId !== undefined) row.video_id = patch.videoId;
  if (patch.hookType !== undefined) row.hook_type = patch.hookType;
  if (patch.emotion !== undefined) row.emotion = patch.emotion;
  if (patch.pacing !== undefined) row.pacing = patch.pacing;
  if (patch.targetAudiencePain !== undefined) row.target_audience_pain = patch.targetAudiencePain;
  if (patch.extraTags !== undefined) row.extra_tags = dialect.encodeJson(patch.extraTags);
  if (patch.analysisStatus !== undefined) row.analysis_status = patch.analysisStatus;
  if (patch.analysis !== undefined) {
    row.analysis = patch.analysis === null ? null : dialect.encodeJson(patch.analysis);
  }
  if (patch.analysisError !== undefined) row.analysis_error = patch.analysisError;
  if (patch.analyzedAt !== undefined) {
    row.analyzed_at = patch.analyzedAt === null ? null : dialect.encodeTimestamp(patch.analyzedAt);
  }
  return row;
}

/** Creatives on SQL: every conditional write is one statement, so the database decides races. */
export function createSqlCreativeRepository(executor: SqlExecutor): CreativeRepository {
  const { dialect } = executor;
  const missing = (operation: string, id: string) =>
    notFoundError(`No creative "${id}"`, {
      adapter: dialect.name,
      operation,
      details: { entity: 'creative', id },
    });
  const owned = (db: Kysely<SqlDatabase>, orgId: string, id: string) =>
    db.selectFrom('creatives').selectAll().where('org_id', '=', orgId).where('id', '=', id);

  return {
    // The unique (org_id, source_url) decides between concurrent ingests of one URL: the
    // insert that loses does nothing, and the winner's row is read back. A null URL never
    // collides, so only the primary key can refuse such an insert.
    insert: (creative) =>
      executor.write(
        {
          operation: 'creatives.insert',
          conflictMessage: `A creative with id "${creative.id}" already exists`,
        },
        async (db) => {
          const inserted = await db
            .insertInto('creatives')
            .values(toRow(creative, dialect))
            .onConflict((conflict) => conflict.columns(['org_id', 'source_url']).doNothing())
            .returningAll()
            .executeTakeFirst();
          if (inserted !== undefined) {
            return { creative: fromRow(inserted, dialect), created: true };
          }
          const existing =
            creative.sourceUrl === null
              ? undefined
              : await db
                  .selectFrom('creatives')
                  .selectAll()
                  .where('org_id', '=', creative.orgId)
                  .where('source_url', '=', creative.sourceUrl)
                  .executeTakeFirst();
          // Unreachable while creatives are never deleted; a retry would insert.
          if (existing === undefined) {
            throw conflictError('The creative with this source URL went away while inserting', {
              adapter: dialect.name,
              operation: 'creatives.insert',
              retryable: true,
              details: { sourceUrl: creative.sourceUrl },
            });
          }
          return { creative: fromRow(existing, dialect), created: false };
        },
      ),

    // The one read across orgs: a public creative is a benchmark every org may see.
    get: (scope, id) =>
      executor.read({ operation: 'creatives.get' }, async (db) => {
        const row = await db
          .selectFrom('creatives')
          .selectAll()
          .where('id', '=', id)
          .where((where) =>
            where.or([
              where('org_id', '=', scope.orgId),
              where('is_public', '=', dialect.encodeBoolean(true)),
            ]),
          )
          .executeTakeFirst();
        if (row === undefined) throw missing('creatives.get', id);
        return fromRow(row, dialect);
      }),

    list: (scope, filter = {}, page = undefined) =>
      executor.read({ operation: 'creatives.list' }, async (db) => {
        let query = db
          .selectFrom('creatives')
          .selectAll()
          .where((where) =>
            filter.includePublic === true
              ? where.or([
                  where('org_id', '=', scope.orgId),
                  where.and([
                    where('is_public', '=', dialect.encodeBoolean(true)),
                    where('source', '=', 'benchmark'),
                  ]),
                ])
              : where('org_id', '=', scope.orgId),
          );
        if (filter.productCategory !== undefined) {
          query = query.where('product_category', '=', filter.productCategory);
        }
        if (filter.source !== undefined) query = query.where('source', '=', filter.source);
        const paged = await keysetPage(query, {
          dialect,
          operation: 'creatives.list',
          keys: [orderKey('created_at', true), { expression: dialect.orderableText('id') }],
          page,
        });
        return (await paged.execute()).map((row) => fromRow(row, dialect));
      }),

    update: (scope, id, patch) =>
      executor.write({ operation: 'creatives.update' }, async (db) => {
        const row = await db
          .updateTable('creatives')
          .set(patchToRow(patch, dialect))
          .where('org_id', '=', scope.orgId)
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst();
        if (row === undefined) throw missing('creatives.update', id);
        return fromRow(row, dialect);
      }),

    // One conditional UPDATE: PostgreSQL re-checks the status on the row it waited for, and
    // SQLite runs one writer at a time, so of concurrent callers exactly one moves it.
    transitionAnalysis: (scope, id, change) => {
      const operation = 'creatives.transitionAnalysis';
      const invalid = analysisStatusError(change.to, 'to');
      if (invalid !== undefined) {
        return errAsync(withErrorSource(invalid, { adapter: dialect.name, operation }));
      }
      return executor.write({ operation }, async (db) => {
        const moved =
          change.from.length === 0
            ? undefined
            : await db
                .updateTable('creatives')
                .set({
                  ...patchToRow(change.patch ?? {}, dialect),
                  analysis_status: change.to,
                  updated_at: dialect.encodeTimestamp(change.updatedAt),
                })
                .where('org_id', '=', scope.orgId)
                .where('id', '=', id)
                .where('analysis_status', 'in', [...change.from])
                .returningAll()
                .executeTakeFirst();
        if (moved !== undefined) return fromRow(moved, dialect);
        const current = await owned(db, scope.orgId, id).select('id').executeTakeFirst();
        if (current === undefined) throw missing(operation, id);
        return null;
      });
    },

    // The key's primary key decides whether the event is new (a concurrent twin waits for it,
    // then does nothing); the increment is one UPDATE … SET clicks = clicks + ?, so concurrent
    // events add up whatever the interleaving. Both in one transaction: a key is never kept
    // without its increment. The counts before are the counts after minus this call's.
    recordPerformance: (scope, id, delta, options) => {
      const operation = 'creatives.recordPerformance';
      const invalid = performanceInputError(delta, options);
      if (invalid !== undefined) {
        return errAsync(withErrorSource(invalid, { adapter: dialect.name, operation }));
      }
      return executor.write(
        { operation, foreignKey: { code: 'NOT_FOUND', message: `No creative "${id}"` } },
        async (db) => {
          const fresh = await db
            .insertInto('creative_performance_keys')
            .values({
              org_id: scope.orgId,
              creative_id: id,
              idempotency_key: options.idempotencyKey,
              recorded_at: dialect.encodeTimestamp(options.at),
            })
            .onConflict((conflict) =>
              conflict.columns(['org_id', 'creative_id', 'idempotency_key']).doNothing(),
            )
            .returning('idempotency_key')
            .executeTakeFirst();
          if (fresh === undefined) {
            const current = await owned(db, scope.orgId, id).executeTakeFirst();
            if (current === undefined) throw missing(operation, id);
            const creative = fromRow(current, dialect);
            return { creative, applied: false, conversionsBefore: creative.conversions };
          }
          const updated = await db
            .updateTable('creatives')
            .set((eb) => ({
              impressions: eb('impressions', '+', delta.impressions),
              clicks: eb('clicks', '+', delta.clicks),
              conversions: eb('conversions', '+', delta.conversions),
              updated_at: dialect.encodeTimestamp(options.at),
            }))
            .where('org_id', '=', scope.orgId)
            .where('id', '=', id)
            .returningAll()
            .executeTakeFirst();
          // Another org's creative: the key just written rolls back with this throw.
          if (updated === undefined) throw missing(operation, id);
          const creative = fromRow(updated, dialect);
          return {
            creative,
            applied: true,
            conversionsBefore: creative.conversions - delta.conversions,
          };
        },
      );
    },
  };
}
