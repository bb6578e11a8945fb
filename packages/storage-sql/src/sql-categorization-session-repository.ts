import {
  type CategorizationCounts,
  type CategorizationSession,
  CategorizationStatusSchema,
  notFoundError,
  validationError,
} from '@vbuckets/core';
import type { CategorizationSessionRepository } from '@vbuckets/core/adapter-kit';
import type { Kysely, Selectable } from 'kysely';
import type { SqlDialectAdapter } from './sql-dialect-adapter';
import type { SqlExecutor } from './sql-executor';
import type { SqlDatabase, SqlInteger } from './sql-schema';
import { toNumber } from './sql-values';

const DEFAULT_RECENT_LIMIT = 10;

type SessionRow = Selectable<SqlDatabase['categorization_sessions']>;

const noRows = (): CategorizationCounts => ({
  total: 0,
  pending: 0,
  analyzed: 0,
  categorized: 0,
  error: 0,
});

/**
 * The sessions with their row counts: one grouping by (session, status), which reads only the
 * index that starts with those columns, never the rows.
 */
async function withCounts(
  db: Kysely<SqlDatabase>,
  dialect: SqlDialectAdapter,
  sessions: readonly SessionRow[],
): Promise<CategorizationSession[]> {
  const counts = new Map(sessions.map((session) => [session.id, noRows()]));
  if (sessions.length > 0) {
    const groups = await db
      .selectFrom('categorizations')
      .select(['session_id', 'status'])
      .select((eb) => eb.fn.countAll<SqlInteger>().as('count'))
      .where('session_id', 'in', [...counts.keys()])
      .groupBy(['session_id', 'status'])
      .execute();
    for (const group of groups) {
      const tally = counts.get(group.session_id)!;
      const count = toNumber(group.count);
      tally[CategorizationStatusSchema.parse(group.status)] += count;
      tally.total += count;
    }
  }
  return sessions.map((session) => toSession(session, dialect, counts.get(session.id)!));
}

function toSession(
  row: SessionRow,
  dialect: SqlDialectAdapter,
  counts: CategorizationCounts,
): CategorizationSession {
  return {
    id: row.id,
    orgId: row.org_id,
    productId: row.product_id,
    createdAt: dialect.decodeTimestamp(row.created_at),
    counts,
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
          return toSession(row, dialect, noRows());
        },
      ),

    get: (scope, id) =>
      executor.read({ operation: 'categorizationSessions.get' }, async (db) => {
        const row = await db
          .selectFrom('categorization_sessions')
          .selectAll()
          .where('org_id', '=', scope.orgId)
          .where('id', '=', id)
          .executeTakeFirst();
        if (row === undefined) {
          throw notFoundError(`No categorization session "${id}"`, {
            adapter: dialect.name,
            operation: 'categorizationSessions.get',
            details: { entity: 'categorizationSession', id },
          });
        }
        return (await withCounts(db, dialect, [row]))[0]!;
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
        const sessions = await db
          .selectFrom('categorization_sessions')
          .selectAll()
          .where('org_id', '=', scope.orgId)
          .where('product_id', '=', filter.productId)
          .orderBy('created_at', 'desc')
          .orderBy(dialect.orderableText('id'))
          .limit(limit)
          .execute();
        return withCounts(db, dialect, sessions);
      }),
  };
}
