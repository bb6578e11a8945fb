import {
  type CategorizationSession,
  type CategorizationSessionRepository,
  type CategorizationStatus,
  notFoundError,
  validationError,
} from '@vbuckets/core';
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { SqlDialectAdapter } from './sql-dialect-adapter';
import type { SqlExecutor } from './sql-executor';
import type { SqlDatabase, SqlInteger, SqlTimestamp } from './sql-schema';
import { toNumber } from './sql-values';

const DEFAULT_RECENT_LIMIT = 10;

interface SessionWithCountsRow {
  id: string;
  org_id: string;
  product_id: string;
  created_at: SqlTimestamp;
  total: SqlInteger;
  pending: SqlInteger;
  analyzed: SqlInteger;
  categorized: SqlInteger;
  error: SqlInteger;
}

type SessionJoin = ExpressionBuilder<
  SqlDatabase & { s: SqlDatabase['categorization_sessions']; c: SqlDatabase['categorizations'] },
  's' | 'c'
>;

function countStatus(eb: SessionJoin, status: CategorizationStatus) {
  return eb.fn.coalesce(
    eb.fn.sum<SqlInteger>(eb.case().when('c.status', '=', status).then(1).else(0).end()),
    eb.lit(0),
  );
}

/** Sessions with their row counts, computed by one aggregate query over the joined rows. */
function selectSessionsWithCounts(db: Kysely<SqlDatabase>) {
  return db
    .selectFrom('categorization_sessions as s')
    .leftJoin('categorizations as c', 'c.session_id', 's.id')
    .select(['s.id', 's.org_id', 's.product_id', 's.created_at'])
    .select((eb) => [
      eb.fn.count<SqlInteger>('c.id').as('total'),
      countStatus(eb, 'pending').as('pending'),
      countStatus(eb, 'analyzed').as('analyzed'),
      countStatus(eb, 'categorized').as('categorized'),
      countStatus(eb, 'error').as('error'),
    ])
    .groupBy(['s.id', 's.org_id', 's.product_id', 's.created_at']);
}

function fromRow(row: SessionWithCountsRow, dialect: SqlDialectAdapter): CategorizationSession {
  return {
    id: row.id,
    orgId: row.org_id,
    productId: row.product_id,
    createdAt: dialect.decodeTimestamp(row.created_at),
    counts: {
      total: toNumber(row.total),
      pending: toNumber(row.pending),
      analyzed: toNumber(row.analyzed),
      categorized: toNumber(row.categorized),
      error: toNumber(row.error),
    },
  };
}

/** Categorization sessions on SQL; counts are never stored, so they cannot drift from the rows. */
export function createSqlCategorizationSessionRepository(
  executor: SqlExecutor,
): CategorizationSessionRepository {
  const { dialect } = executor;

  return {
    insert: (session) =>
      executor.write(
        {
          operation: 'categorizationSessions.insert',
          conflictMessage: `A categorization session with id "${session.id}" already exists`,
        },
        async (db) => {
          const row = await db
            .insertInto('categorization_sessions')
            .values({
              id: session.id,
              org_id: session.orgId,
              product_id: session.productId,
              created_at: dialect.encodeTimestamp(session.createdAt),
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          return fromRow(
            { ...row, total: 0, pending: 0, analyzed: 0, categorized: 0, error: 0 },
            dialect,
          );
        },
      ),

    get: (scope, id) =>
      executor.read({ operation: 'categorizationSessions.get' }, async (db) => {
        const row = await selectSessionsWithCounts(db)
          .where('s.org_id', '=', scope.orgId)
          .where('s.id', '=', id)
          .executeTakeFirst();
        if (row === undefined) {
          throw notFoundError(`No categorization session "${id}"`, {
            adapter: dialect.name,
            operation: 'categorizationSessions.get',
            details: { entity: 'categorizationSession', id },
          });
        }
        return fromRow(row, dialect);
      }),

    listRecent: (scope, filter) =>
      executor.read({ operation: 'categorizationSessions.listRecent' }, async (db) => {
        const limit = filter.limit ?? DEFAULT_RECENT_LIMIT;
        if (!Number.isSafeInteger(limit) || limit < 0) {
          throw validationError('limit must be a non-negative integer', {
            path: 'limit',
            adapter: dialect.name,
            operation: 'categorizationSessions.listRecent',
          });
        }
        // The newest sessions first, then the counts of only their rows.
        const recent = db
          .selectFrom('categorization_sessions')
          .select('id')
          .where('org_id', '=', scope.orgId)
          .where('product_id', '=', filter.productId)
          .orderBy('created_at', 'desc')
          .orderBy(dialect.orderableText('id'))
          .limit(limit);
        const rows = await selectSessionsWithCounts(db)
          .where('s.id', 'in', recent)
          .orderBy('s.created_at', 'desc')
          .orderBy(dialect.orderableText('s.id'))
          .execute();
        return rows.map((row) => fromRow(row, dialect));
      }),
  };
}
