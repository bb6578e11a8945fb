import {
  conflictError,
  notFoundError,
  type Scope,
  type Thumbnail,
  ThumbnailSourceSchema,
} from '@vbuckets/core';
import {
  type ThumbnailRepository,
  thumbnailInputError,
  withErrorSource,
} from '@vbuckets/core/adapter-kit';
import { type Kysely, type Selectable, sql } from 'kysely';
import { errAsync } from 'neverthrow';
import type { SqlDialectAdapter } from './sql-dialect-adapter';
import type { SqlExecutor } from './sql-executor';
import type { SqlDatabase, ThumbnailsTable } from './sql-schema';
import { toNullableNumber } from './sql-values';

function toRow(thumbnail: Thumbnail, dialect: SqlDialectAdapter): ThumbnailsTable {
  return {
    id: thumbnail.id,
    org_id: thumbnail.orgId,
    task_id: thumbnail.taskId,
    variant: thumbnail.variant,
    image_url: thumbnail.imageUrl,
    blob_key: thumbnail.blobKey,
    click_prediction: thumbnail.clickPrediction,
    quality_score: thumbnail.qualityScore,
    source: thumbnail.source,
    is_selected: dialect.encodeBoolean(thumbnail.isSelected),
    created_at: dialect.encodeTimestamp(thumbnail.createdAt),
  };
}

/** A thumbnail row as the port's record (also what `tasks.delete` returns). */
export function thumbnailFromRow(
  row: Selectable<ThumbnailsTable>,
  dialect: SqlDialectAdapter,
): Thumbnail {
  return {
    id: row.id,
    orgId: row.org_id,
    taskId: row.task_id,
    variant: row.variant,
    imageUrl: row.image_url,
    blobKey: row.blob_key,
    clickPrediction: toNullableNumber(row.click_prediction),
    qualityScore: toNullableNumber(row.quality_score),
    source: ThumbnailSourceSchema.parse(row.source),
    isSelected: dialect.decodeBoolean(row.is_selected),
    createdAt: dialect.decodeTimestamp(row.created_at),
  };
}

/**
 * Thumbnails on SQL. The partial unique index (org_id, task_id) WHERE is_selected keeps at
 * most one selected per task; the writes that touch the selection lock the task row first
 * (`SELECT … FOR UPDATE` on PostgreSQL; SQLite has one writer at a time), so concurrent
 * selects of one task run one after the other instead of failing on the index or deadlocking.
 */
export function createSqlThumbnailRepository(executor: SqlExecutor): ThumbnailRepository {
  const { dialect } = executor;
  const missing = (operation: string, id: string) =>
    notFoundError(`No thumbnail "${id}"`, {
      adapter: dialect.name,
      operation,
      details: { entity: 'thumbnail', id },
    });
  const missingTask = (operation: string, id: string) =>
    notFoundError(`No generation task "${id}"`, {
      adapter: dialect.name,
      operation,
      details: { entity: 'generationTask', id },
    });
  const owned = (db: Kysely<SqlDatabase>, scope: Scope, id: string) =>
    db.selectFrom('thumbnails').selectAll().where('org_id', '=', scope.orgId).where('id', '=', id);
  // Inside executor.write, always in a transaction (its own, or a savepoint of the caller's).
  const lockTask = (db: Kysely<SqlDatabase>, orgId: string, taskId: string) =>
    dialect
      .lockForUpdate(
        db
          .selectFrom('generation_tasks')
          .select('id')
          .where('org_id', '=', orgId)
          .where('id', '=', taskId),
      )
      .executeTakeFirst();
  const selectedOf = (db: Kysely<SqlDatabase>, orgId: string, taskId: string) =>
    db
      .selectFrom('thumbnails')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('task_id', '=', taskId)
      .where('is_selected', '=', dialect.encodeBoolean(true));

  return {
    // The foreign key (org_id, task_id) refuses a task of another org or none (NOT_FOUND), the
    // primary key a taken id, the partial unique index a second selected one (both CONFLICT).
    // A selected insert looks for the selected one under the task lock first, to say which.
    insert: (thumbnail) => {
      const operation = 'thumbnails.insert';
      const invalid = thumbnailInputError(thumbnail);
      if (invalid !== undefined) {
        return errAsync(withErrorSource(invalid, { adapter: dialect.name, operation }));
      }
      return executor.write(
        {
          operation,
          conflictMessage: `A thumbnail with id "${thumbnail.id}" already exists, or task "${thumbnail.taskId}" already has a selected thumbnail`,
          foreignKey: { code: 'NOT_FOUND', message: `No generation task "${thumbnail.taskId}"` },
        },
        async (db) => {
          if (thumbnail.isSelected) {
            const task = await lockTask(db, thumbnail.orgId, thumbnail.taskId);
            if (task === undefined) throw missingTask(operation, thumbnail.taskId);
            const selected = await selectedOf(db, thumbnail.orgId, thumbnail.taskId)
              .select('id')
              .executeTakeFirst();
            if (selected !== undefined) {
              throw conflictError(
                `Task "${thumbnail.taskId}" already has a selected thumbnail ("${selected.id}"); use select to change it`,
                {
                  adapter: dialect.name,
                  operation,
                  details: {
                    id: thumbnail.id,
                    taskId: thumbnail.taskId,
                    selectedId: selected.id,
                  },
                },
              );
            }
          }
          const row = await db
            .insertInto('thumbnails')
            .values(toRow(thumbnail, dialect))
            .returningAll()
            .executeTakeFirstOrThrow();
          return thumbnailFromRow(row, dialect);
        },
      );
    },

    get: (scope, id) =>
      executor.read({ operation: 'thumbnails.get' }, async (db) => {
        const row = await owned(db, scope, id).executeTakeFirst();
        if (row === undefined) throw missing('thumbnails.get', id);
        return thumbnailFromRow(row, dialect);
      }),

    // NULLS LAST spelled out: PostgreSQL sorts NULL first in a descending order, SQLite last.
    list: (scope, taskId) =>
      executor.read({ operation: 'thumbnails.list' }, async (db) => {
        const rows = await db
          .selectFrom('thumbnails')
          .selectAll()
          .where('org_id', '=', scope.orgId)
          .where('task_id', '=', taskId)
          .orderBy(sql`click_prediction desc nulls last`)
          .orderBy('created_at', 'desc')
          .orderBy(dialect.orderableText('id'))
          .execute();
        return rows.map((row) => thumbnailFromRow(row, dialect));
      }),

    // Task row first, then the thumbnails: every select and selected insert of a task takes the
    // same lock first, so they queue on it (no deadlock), and each sees the last one's commit.
    // Deselect before select: the partial unique index is checked per statement.
    select: (scope, taskId, thumbnailId) => {
      const operation = 'thumbnails.select';
      return executor.write({ operation }, async (db) => {
        const task = await lockTask(db, scope.orgId, taskId);
        const chosen =
          task === undefined
            ? undefined
            : await owned(db, scope, thumbnailId)
                .where('task_id', '=', taskId)
                .select('id')
                .executeTakeFirst();
        if (chosen === undefined) {
          throw notFoundError(`No thumbnail "${thumbnailId}" of task "${taskId}"`, {
            adapter: dialect.name,
            operation,
            details: { entity: 'thumbnail', id: thumbnailId, taskId },
          });
        }
        await db
          .updateTable('thumbnails')
          .set({ is_selected: dialect.encodeBoolean(false) })
          .where('org_id', '=', scope.orgId)
          .where('task_id', '=', taskId)
          .where('is_selected', '=', dialect.encodeBoolean(true))
          .where('id', '<>', thumbnailId)
          .execute();
        const row = await db
          .updateTable('thumbnails')
          .set({ is_selected: dialect.encodeBoolean(true) })
          .where('org_id', '=', scope.orgId)
          .where('id', '=', thumbnailId)
          .returningAll()
          .executeTakeFirstOrThrow();
        return thumbnailFromRow(row, dialect);
      });
    },

    selected: (scope, taskId) =>
      executor.read({ operation: 'thumbnails.selected' }, async (db) => {
        const row = await selectedOf(db, scope.orgId, taskId).executeTakeFirst();
        return row === undefined ? null : thumbnailFromRow(row, dialect);
      }),

    delete: (scope, id) =>
      executor.write({ operation: 'thumbnails.delete' }, async (db) => {
        const row = await db
          .deleteFrom('thumbnails')
          .where('org_id', '=', scope.orgId)
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst();
        if (row === undefined) throw missing('thumbnails.delete', id);
        return thumbnailFromRow(row, dialect);
      }),
  };
}
