import {
  EvidenceSourceSchema,
  PatternDimensionSchema,
  type PatternPerformance,
} from '@vbuckets/core';
import {
  type PatternKey,
  type PatternPerformanceRepository,
  patternEvidenceError,
  withErrorSource,
} from '@vbuckets/core/adapter-kit';
import { type Selectable, sql } from 'kysely';
import { errAsync, okAsync } from 'neverthrow';
import type { SqlDialectAdapter } from './sql-dialect-adapter';
import type { SqlExecutor } from './sql-executor';
import type { PatternPerformanceTable } from './sql-schema';
import { toNullableNumber, toNumber } from './sql-values';

function fromRow(
  row: Selectable<PatternPerformanceTable>,
  dialect: SqlDialectAdapter,
): PatternPerformance {
  return {
    id: row.id,
    orgId: row.org_id,
    productCategory: row.product_category,
    dimension: PatternDimensionSchema.parse(row.dimension),
    value: row.value,
    source: EvidenceSourceSchema.parse(row.source),
    weight: toNumber(row.weight),
    alpha: toNumber(row.alpha),
    beta: toNumber(row.beta),
    clicks: toNumber(row.clicks),
    conversions: toNumber(row.conversions),
    marketLongevityDays: toNullableNumber(row.market_longevity_days),
    updatedAt: dialect.decodeTimestamp(row.updated_at),
  };
}

/** A total order of pattern keys, so that concurrent multi-row calls lock rows in one order. */
const keyOrder = (key: PatternKey) =>
  JSON.stringify([key.productCategory, key.dimension, key.value, key.source]);

// The longer market run, a null counting as none: spelled out, as SQLite's max() and
// PostgreSQL's greatest() disagree about NULL.
const LONGEST_RUN = sql<number | null>`case
  when excluded.market_longevity_days is null then pattern_performance.market_longevity_days
  when pattern_performance.market_longevity_days is null
    or excluded.market_longevity_days > pattern_performance.market_longevity_days
    then excluded.market_longevity_days
  else pattern_performance.market_longevity_days
end`;

/** Pattern evidence on SQL: each row is one INSERT … ON CONFLICT … DO UPDATE that adds. */
export function createSqlPatternRepository(executor: SqlExecutor): PatternPerformanceRepository {
  const { dialect } = executor;

  return {
    // The increments are bound as they came and added by the database to the stored values
    // (never read, then written), so concurrent writers of one key lose nothing; a new row
    // starts from Beta(1, 1) plus the evidence, as the memory store computes it.
    addEvidence: (scope, rows, at) => {
      const operation = 'patterns.addEvidence';
      const invalid = patternEvidenceError(rows, at);
      if (invalid !== undefined) {
        return errAsync(withErrorSource(invalid, { adapter: dialect.name, operation }));
      }
      if (rows.length === 0) return okAsync(undefined);
      const ordered = [...rows].sort((left, right) => {
        const [a, b] = [keyOrder(left.key), keyOrder(right.key)];
        return a < b ? -1 : a > b ? 1 : 0;
      });
      const updatedAt = dialect.encodeTimestamp(at);
      return executor.write(
        {
          operation,
          conflictMessage: 'A pattern row with one of these ids already exists',
        },
        async (db) => {
          for (const { key, evidence, id } of ordered) {
            await db
              .insertInto('pattern_performance')
              .values({
                id,
                org_id: scope.orgId,
                product_category: key.productCategory,
                dimension: key.dimension,
                value: key.value,
                source: key.source,
                weight: evidence.weight,
                alpha: 1 + evidence.alpha,
                beta: 1 + evidence.beta,
                clicks: evidence.clicks,
                conversions: evidence.conversions,
                market_longevity_days: evidence.marketLongevityDays,
                updated_at: updatedAt,
              })
              .onConflict((conflict) =>
                conflict
                  .columns(['org_id', 'product_category', 'dimension', 'value', 'source'])
                  .doUpdateSet((eb) => ({
                    weight: eb.ref('excluded.weight'),
                    alpha: eb('pattern_performance.alpha', '+', evidence.alpha),
                    beta: eb('pattern_performance.beta', '+', evidence.beta),
                    clicks: eb('pattern_performance.clicks', '+', evidence.clicks),
                    conversions: eb('pattern_performance.conversions', '+', evidence.conversions),
                    market_longevity_days: LONGEST_RUN,
                    updated_at: eb.ref('excluded.updated_at'),
                  })),
              )
              .execute();
          }
        },
      );
    },

    list: (scope, filter) =>
      executor.read({ operation: 'patterns.list' }, async (db) => {
        let query = db
          .selectFrom('pattern_performance')
          .selectAll()
          .where('product_category', '=', filter.productCategory)
          .where((where) =>
            filter.includePublic === true
              ? where.or([where('org_id', '=', scope.orgId), where('source', '=', 'benchmark')])
              : where('org_id', '=', scope.orgId),
          );
        if (filter.dimension !== undefined) query = query.where('dimension', '=', filter.dimension);
        if (filter.source !== undefined) query = query.where('source', '=', filter.source);
        const rows = await query
          .orderBy(dialect.orderableText('dimension'))
          .orderBy(dialect.orderableText('value'))
          .orderBy(dialect.orderableText('source'))
          .orderBy(dialect.orderableText('org_id'))
          .execute();
        return rows.map((row) => fromRow(row, dialect));
      }),
  };
}
