import { type Categorization, CategorizationStatusSchema, notFoundError } from '@vbuckets/core';
import type { CategorizationRepository, CategorizationTally } from '@vbuckets/core/adapter-kit';
import { type Insertable, type Kysely, sql } from 'kysely';
import { createSqlCategorizationClaims } from './sql-categorization-claims';
import { fromRow, patchToRow } from './sql-categorization-rows';
import type { SqlDialectAdapter } from './sql-dialect-adapter';
import type { SqlExecutor } from './sql-executor';
import { keysetPage, orderKey } from './sql-page';
import type { CategorizationsTable, SqlDatabase, SqlInteger } from './sql-schema';
import { toNumber } from './sql-values';

/** Ids per UPDATE … WHERE id IN (…): well under SQLite's and PostgreSQL's parameter limits. */
const IDS_PER_STATEMENT = 500;
/** Rows per multi-row INSERT: 18 columns each, well under both databases' parameter limits. */
const ROWS_PER_INSERT = 200;

function toRow(row: Categorization, dialect: SqlDialectAdapter): Insertable<CategorizationsTable> {
  return {
    id: row.id,
    org_id: row.orgId,
    product_id: row.productId,
    session_id: row.sessionId,
    video_id: row.videoId,
    filename: row.filename,
    bucket_id: row.bucketId,
    bucket_name: row.bucketName,
    confidence: row.confidence,
    reasoning: row.reasoning,
    summary: row.summary,
    transcript: row.transcript,
    analysis: row.analysis === null ? null : dialect.encodeJson(row.analysis),
    status: row.status,
    error_message: row.errorMessage,
    is_uploaded: dialect.encodeBoolean(row.isUploaded),
    created_at: dialect.encodeTimestamp(row.createdAt),
    updated_at: dialect.encodeTimestamp(row.updatedAt),
  };
}

/** Categorization rows on SQL; `session_id` is a foreign key to categorization_sessions. */
export function createSqlCategorizationRepository(executor: SqlExecutor): CategorizationRepository {
  const { dialect } = executor;
  const missing = (operation: string, id: string) =>
    notFoundError(`No categorization "${id}"`, {
      adapter: dialect.name,
      operation,
      details: { entity: 'categorization', id },
    });

  /**
   * The foreign key proves a row's session exists; only this proves it is the row's org's.
   * One query per distinct (org, session), not per row: a batch usually has one.
   */
  async function checkSessionsOfOrgs(
    db: Kysely<SqlDatabase>,
    rows: readonly Categorization[],
    operation: string,
  ): Promise<void> {
    const sessions = new Map(rows.map((row) => [`${row.orgId}\u0000${row.sessionId}`, row]));
    for (const row of sessions.values()) {
      const session = await db
        .selectFrom('categorization_sessions')
        .select('id')
        .where('org_id', '=', row.orgId)
        .where('id', '=', row.sessionId)
        .executeTakeFirst();
      if (session === undefined) {
        throw notFoundError(`No categorization session "${row.sessionId}"`, {
          adapter: dialect.name,
          operation,
          details: { entity: 'categorizationSession', id: row.sessionId },
        });
      }
    }
  }

  return {
    insert: (categorization) =>
      executor.write(
        {
          operation: 'categorizations.insert',
          conflictMessage: `A categorization with id "${categorization.id}" already exists`,
          foreignKey: {
            code: 'NOT_FOUND',
            message: `No categorization session "${categorization.sessionId}"`,
          },
        },
        async (db) => {
          await checkSessionsOfOrgs(db, [categorization], 'categorizations.insert');
          const row = await db
            .insertInto('categorizations')
            .values(toRow(categorization, dialect))
            .returningAll()
            .executeTakeFirstOrThrow();
          return fromRow(row, dialect);
        },
      ),

    insertMany: (categorizations) => {
      if (categorizations.length === 0) {
        return executor.read({ operation: 'categorizations.insertMany' }, async () => 0);
      }
      const first = categorizations[0]!;
      return executor.write(
        {
          operation: 'categorizations.insertMany',
          conflictMessage: 'A categorization with one of these ids already exists',
          foreignKey: {
            code: 'NOT_FOUND',
            message: `No categorization session "${first.sessionId}"`,
          },
        },
        async (db) => {
          await checkSessionsOfOrgs(db, categorizations, 'categorizations.insertMany');
          for (let start = 0; start < categorizations.length; start += ROWS_PER_INSERT) {
            await db
              .insertInto('categorizations')
              .values(
                categorizations
                  .slice(start, start + ROWS_PER_INSERT)
                  .map((row) => toRow(row, dialect)),
              )
              .execute();
          }
          return categorizations.length;
        },
      );
    },

    get: (scope, id) =>
      executor.read({ operation: 'categorizations.get' }, async (db) => {
        const row = await executor
          .lockRows(
            db
              .selectFrom('categorizations')
              .selectAll()
              .where('org_id', '=', scope.orgId)
              .where('id', '=', id),
          )
          .executeTakeFirst();
        if (row === undefined) throw missing('categorizations.get', id);
        return fromRow(row, dialect);
      }),

    listBySession: (scope, sessionId, page) =>
      executor.read({ operation: 'categorizations.listBySession' }, async (db) => {
        const list = db
          .selectFrom('categorizations')
          .selectAll()
          .where('org_id', '=', scope.orgId)
          .where('session_id', '=', sessionId);
        const rows = await (
          await keysetPage(list, {
            dialect,
            operation: 'categorizations.listBySession',
            keys: [
              orderKey('created_at'),
              { expression: dialect.orderableText('filename') },
              orderKey('seq'),
            ],
            page,
          })
        ).execute();
        return rows.map((row) => fromRow(row, dialect));
      }),

    tallyBySession: (scope, sessionIds) => {
      const unique = [...new Set(sessionIds)];
      return executor.read({ operation: 'categorizations.tallyBySession' }, async (db) => {
        const tallies: CategorizationTally[] = [];
        for (let start = 0; start < unique.length; start += IDS_PER_STATEMENT) {
          const groups = await db
            .selectFrom('categorizations')
            .select(['session_id', 'status', 'bucket_name', 'is_uploaded'])
            .select((eb) => eb.fn.countAll<SqlInteger>().as('count'))
            // A row's org is its session's (insert checks it): filtering the sessions by org
            // lets the grouping read only the covering index, not the rows.
            .where(
              'session_id',
              'in',
              db
                .selectFrom('categorization_sessions')
                .select('id')
                .where('org_id', '=', scope.orgId)
                .where('id', 'in', unique.slice(start, start + IDS_PER_STATEMENT)),
            )
            .groupBy(['session_id', 'status', 'bucket_name', 'is_uploaded'])
            .execute();
          for (const group of groups) {
            tallies.push({
              sessionId: group.session_id,
              status: CategorizationStatusSchema.parse(group.status),
              bucketName: group.bucket_name,
              isUploaded: dialect.decodeBoolean(group.is_uploaded),
              count: toNumber(group.count),
            });
          }
        }
        return tallies;
      });
    },

    update: (scope, id, patch) =>
      executor.write({ operation: 'categorizations.update' }, async (db) => {
        const row = await db
          .updateTable('categorizations')
          .set(patchToRow(patch, dialect))
          .where('org_id', '=', scope.orgId)
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst();
        if (row === undefined) throw missing('categorizations.update', id);
        return fromRow(row, dialect);
      }),

    setUploaded: (scope, ids, uploaded, updatedAt) => {
      const unique = [...new Set(ids)];
      // Still goes through the executor, without a query, so a closed store says so.
      if (unique.length === 0) {
        return executor.read({ operation: 'categorizations.setUploaded' }, async () => 0);
      }
      return executor.write({ operation: 'categorizations.setUploaded' }, async (db) => {
        let changed = 0;
        for (let start = 0; start < unique.length; start += IDS_PER_STATEMENT) {
          const result = await db
            .updateTable('categorizations')
            .set({
              is_uploaded: dialect.encodeBoolean(uploaded),
              updated_at: dialect.encodeTimestamp(updatedAt),
            })
            .where('org_id', '=', scope.orgId)
            .where('id', 'in', unique.slice(start, start + IDS_PER_STATEMENT))
            .executeTakeFirst();
          changed += Number(result.numUpdatedRows);
        }
        return changed;
      });
    },

    listUploaded: (scope, filter, page) =>
      executor.read({ operation: 'categorizations.listUploaded' }, async (db) => {
        let list = db
          .selectFrom('categorizations')
          .selectAll()
          .where('product_id', '=', filter.productId)
          .where('is_uploaded', '=', dialect.encodeBoolean(true));
        if (scope.allOrgs !== true) list = list.where('org_id', '=', scope.orgId);
        const rows = await (
          await keysetPage(list, {
            dialect,
            operation: 'categorizations.listUploaded',
            // Rows without a bucket first; bucket names are never empty, so '' stands for none.
            keys: [
              { expression: dialect.orderableText(sql<string>`coalesce(bucket_name, '')`) },
              { expression: dialect.orderableText('filename') },
              orderKey('seq'),
            ],
            page,
          })
        ).execute();
        return rows.map((row) => fromRow(row, dialect));
      }),

    ...createSqlCategorizationClaims(executor, missing),
  };
}
