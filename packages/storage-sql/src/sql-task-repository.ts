import {
  type GenerationTask,
  GenerationTaskStatusSchema,
  notFoundError,
  type Scope,
  type Thumbnail,
  type VBucketsError,
} from '@vbuckets/core';
import {
  type GenerationTaskPatch,
  type GenerationTaskRepository,
  type GenerationTaskStats,
  generationTaskInputError,
  generationTaskPatchError,
  generationTaskTransitionError,
  offsetPageError,
  withErrorSource,
} from '@vbuckets/core/adapter-kit';
import type { Kysely, Selectable, SelectQueryBuilder, Updateable } from 'kysely';
import { errAsync } from 'neverthrow';
import type { SqlDialectAdapter } from './sql-dialect-adapter';
import type { SqlExecutor } from './sql-executor';
import { keysetPage, orderKey } from './sql-page';
import type { GenerationTasksTable, SqlDatabase, SqlInteger } from './sql-schema';
import { thumbnailFromRow } from './sql-thumbnail-repository';
import { toNullableNumber, toNumber, toStringArray } from './sql-values';

function toRow(task: GenerationTask, dialect: SqlDialectAdapter): GenerationTasksTable {
  return {
    id: task.id,
    org_id: task.orgId,
    user_id: task.userId,
    project_name: task.projectName,
    song_title: task.songTitle,
    music_file: task.musicFile,
    genre: task.genre,
    bpm: task.bpm,
    engine: task.engine,
    prompt: task.prompt,
    status: task.status,
    video_url: task.videoUrl,
    video_id: task.videoId,
    youtube_title: task.youtubeTitle,
    youtube_description: task.youtubeDescription,
    youtube_tags: dialect.encodeJson(task.youtubeTags),
    cost: task.cost,
    credits_used: task.creditsUsed,
    duration_sec: task.durationSec,
    error_message: task.errorMessage,
    created_at: dialect.encodeTimestamp(task.createdAt),
    updated_at: dialect.encodeTimestamp(task.updatedAt),
    completed_at: task.completedAt === null ? null : dialect.encodeTimestamp(task.completedAt),
  };
}

function fromRow(
  row: Selectable<GenerationTasksTable>,
  dialect: SqlDialectAdapter,
): GenerationTask {
  return {
    id: row.id,
    orgId: row.org_id,
    userId: row.user_id,
    projectName: row.project_name,
    songTitle: row.song_title,
    musicFile: row.music_file,
    genre: row.genre,
    bpm: toNullableNumber(row.bpm),
    engine: row.engine,
    prompt: row.prompt,
    status: GenerationTaskStatusSchema.parse(row.status),
    videoUrl: row.video_url,
    videoId: row.video_id,
    youtubeTitle: row.youtube_title,
    youtubeDescription: row.youtube_description,
    youtubeTags: toStringArray(dialect.decodeJson(row.youtube_tags)),
    cost: toNullableNumber(row.cost),
    creditsUsed: toNullableNumber(row.credits_used),
    durationSec: toNullableNumber(row.duration_sec),
    errorMessage: row.error_message,
    createdAt: dialect.decodeTimestamp(row.created_at),
    updatedAt: dialect.decodeTimestamp(row.updated_at),
    completedAt: row.completed_at === null ? null : dialect.decodeTimestamp(row.completed_at),
  };
}

type TransitionPatch = Partial<Pick<GenerationTask, 'videoUrl' | 'errorMessage' | 'completedAt'>>;

function patchToRow(
  patch: Partial<GenerationTaskPatch> & TransitionPatch,
  dialect: SqlDialectAdapter,
): Updateable<GenerationTasksTable> {
  const row: Updateable<GenerationTasksTable> = {};
  if (patch.updatedAt !== undefined) row.updated_at = dialect.encodeTimestamp(patch.updatedAt);
  if (patch.projectName !== undefined) row.project_name = patch.projectName;
  if (patch.songTitle !== undefined) row.song_title = patch.songTitle;
  if (patch.musicFile !== undefined) row.music_file = patch.musicFile;
  if (patch.genre !== undefined) row.genre = patch.genre;
  if (patch.bpm !== undefined) row.bpm = patch.bpm;
  if (patch.engine !== undefined) row.engine = patch.engine;
  if (patch.prompt !== undefined) row.prompt = patch.prompt;
  if (patch.videoUrl !== undefined) row.video_url = patch.videoUrl;
  if (patch.videoId !== undefined) row.video_id = patch.videoId;
  if (patch.youtubeTitle !== undefined) row.youtube_title = patch.youtubeTitle;
  if (patch.youtubeDescription !== undefined) row.youtube_description = patch.youtubeDescription;
  if (patch.youtubeTags !== undefined) row.youtube_tags = dialect.encodeJson(patch.youtubeTags);
  if (patch.cost !== undefined) row.cost = patch.cost;
  if (patch.creditsUsed !== undefined) row.credits_used = patch.creditsUsed;
  if (patch.durationSec !== undefined) row.duration_sec = patch.durationSec;
  if (patch.errorMessage !== undefined) row.error_message = patch.errorMessage;
  if (patch.completedAt !== undefined) {
    row.completed_at =
      patch.completedAt === null ? null : dialect.encodeTimestamp(patch.completedAt);
  }
  return row;
}

/** Generation tasks on SQL: conditional writes are one statement, so the database decides races. */
export function createSqlGenerationTaskRepository(executor: SqlExecutor): GenerationTaskRepository {
  const { dialect } = executor;
  const missing = (operation: string, id: string) =>
    notFoundError(`No generation task "${id}"`, {
      adapter: dialect.name,
      operation,
      details: { entity: 'generationTask', id },
    });
  const refused = (error: VBucketsError, operation: string) =>
    errAsync(withErrorSource(error, { adapter: dialect.name, operation }));
  const owned = (db: Kysely<SqlDatabase>, scope: Scope, id: string) =>
    db
      .selectFrom('generation_tasks')
      .selectAll()
      .where('org_id', '=', scope.orgId)
      .where('id', '=', id);

  // Newest first, ties by id in code-point order; the page by keyset or by offset.
  const paged = async <O>(
    query: SelectQueryBuilder<SqlDatabase, 'generation_tasks', O>,
    page: Parameters<GenerationTaskRepository['list']>[2],
  ) => {
    const operation = 'tasks.list';
    const invalid = offsetPageError(page, { adapter: dialect.name, operation });
    if (invalid !== undefined) throw invalid;
    if (page?.offset === undefined) {
      return keysetPage(query, {
        dialect,
        operation,
        keys: [orderKey('created_at', true), { expression: dialect.orderableText('id') }],
        page,
      });
    }
    // SQLite accepts OFFSET only after a LIMIT; the largest safe integer means "no limit" in both.
    return query
      .orderBy('created_at', 'desc')
      .orderBy(dialect.orderableText('id'))
      .limit(page.limit ?? Number.MAX_SAFE_INTEGER)
      .offset(page.offset);
  };

  return {
    insert: (task) => {
      const operation = 'tasks.insert';
      const invalid = generationTaskInputError(task);
      if (invalid !== undefined) return refused(invalid, operation);
      return executor.write(
        {
          operation,
          conflictMessage: `A generation task with id "${task.id}" already exists`,
        },
        async (db) => {
          const row = await db
            .insertInto('generation_tasks')
            .values(toRow(task, dialect))
            .returningAll()
            .executeTakeFirstOrThrow();
          return fromRow(row, dialect);
        },
      );
    },

    get: (scope, id) =>
      executor.read({ operation: 'tasks.get' }, async (db) => {
        const row = await executor.lockRows(owned(db, scope, id)).executeTakeFirst();
        if (row === undefined) throw missing('tasks.get', id);
        return fromRow(row, dialect);
      }),

    list: (scope, filter = {}, page = undefined) =>
      executor.read({ operation: 'tasks.list' }, async (db) => {
        let query = db.selectFrom('generation_tasks').selectAll().where('org_id', '=', scope.orgId);
        if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
        if (filter.status !== undefined) query = query.where('status', '=', filter.status);
        return (await (await paged(query, page)).execute()).map((row) => fromRow(row, dialect));
      }),

    update: (scope, id, patch) => {
      const operation = 'tasks.update';
      const invalid = generationTaskPatchError(patch);
      if (invalid !== undefined) return refused(invalid, operation);
      return executor.write(
        {
          operation,
          conflictMessage: `Video "${patch.videoId}" is already linked to another task`,
        },
        async (db) => {
          const row = await db
            .updateTable('generation_tasks')
            .set(patchToRow(patch, dialect))
            .where('org_id', '=', scope.orgId)
            .where('id', '=', id)
            .returningAll()
            .executeTakeFirst();
          if (row === undefined) throw missing(operation, id);
          return fromRow(row, dialect);
        },
      );
    },

    findByVideoId: (scope, videoId) =>
      executor.read({ operation: 'tasks.findByVideoId' }, async (db) => {
        const row = await db
          .selectFrom('generation_tasks')
          .selectAll()
          .where('org_id', '=', scope.orgId)
          .where('video_id', '=', videoId)
          .executeTakeFirst();
        return row === undefined ? null : fromRow(row, dialect);
      }),

    // One conditional UPDATE: PostgreSQL re-checks the status on the row it waited for, and
    // SQLite runs one writer at a time, so of concurrent callers exactly one moves it.
    transitionStatus: (scope, id, change) => {
      const operation = 'tasks.transitionStatus';
      const invalid = generationTaskTransitionError(change);
      if (invalid !== undefined) return refused(invalid, operation);
      return executor.write({ operation }, async (db) => {
        const moved =
          change.from.length === 0
            ? undefined
            : await db
                .updateTable('generation_tasks')
                .set({
                  ...patchToRow(change.patch ?? {}, dialect),
                  status: change.to,
                  updated_at: dialect.encodeTimestamp(change.updatedAt),
                })
                .where('org_id', '=', scope.orgId)
                .where('id', '=', id)
                .where('status', 'in', [...change.from])
                .returningAll()
                .executeTakeFirst();
        if (moved !== undefined) return fromRow(moved, dialect);
        const current = await owned(db, scope, id).select('id').executeTakeFirst();
        if (current === undefined) throw missing(operation, id);
        return null;
      });
    },

    // The task row is locked first (as select and a selected insert lock it), so a thumbnail
    // inserted meanwhile either commits before and is returned, or waits and finds no task:
    // every deleted thumbnail is returned, for its image to be deleted too.
    delete: (scope, id) =>
      executor.write({ operation: 'tasks.delete' }, async (db) => {
        const task = await dialect.lockForUpdate(owned(db, scope, id)).executeTakeFirst();
        if (task === undefined) throw missing('tasks.delete', id);
        const thumbnails = await db
          .deleteFrom('thumbnails')
          .where('org_id', '=', scope.orgId)
          .where('task_id', '=', id)
          .returningAll()
          .execute();
        await db
          .deleteFrom('generation_tasks')
          .where('org_id', '=', scope.orgId)
          .where('id', '=', id)
          .execute();
        return {
          thumbnails: thumbnails.map((row): Thumbnail => thumbnailFromRow(row, dialect)),
        };
      }),

    // One grouped aggregate over the tasks and one count of the thumbnails: nothing is loaded.
    stats: (scope, filter = {}) =>
      executor.read({ operation: 'tasks.stats' }, async (db) => {
        let tasks = db
          .selectFrom('generation_tasks')
          .select((eb) => [
            'status',
            eb.fn.countAll<SqlInteger>().as('count'),
            eb.fn.coalesce(eb.fn.sum<number | string>('cost'), eb.lit(0)).as('cost'),
            eb.fn.coalesce(eb.fn.sum<SqlInteger>('credits_used'), eb.lit(0)).as('credits_used'),
          ])
          .where('org_id', '=', scope.orgId)
          .groupBy('status');
        if (filter.userId !== undefined) tasks = tasks.where('user_id', '=', filter.userId);
        const thumbnails =
          filter.userId === undefined
            ? db
                .selectFrom('thumbnails')
                .select((eb) => eb.fn.countAll<SqlInteger>().as('count'))
                .where('org_id', '=', scope.orgId)
            : db
                .selectFrom('thumbnails')
                .innerJoin('generation_tasks', (join) =>
                  join
                    .onRef('generation_tasks.org_id', '=', 'thumbnails.org_id')
                    .onRef('generation_tasks.id', '=', 'thumbnails.task_id'),
                )
                .select((eb) => eb.fn.countAll<SqlInteger>().as('count'))
                .where('thumbnails.org_id', '=', scope.orgId)
                .where('generation_tasks.user_id', '=', filter.userId);
        const stats: GenerationTaskStats = {
          totalTasks: 0,
          byStatus: { pending: 0, processing: 0, completed: 0, failed: 0 },
          totalCost: 0,
          totalCreditsUsed: 0,
          totalThumbnails: 0,
        };
        for (const group of await tasks.execute()) {
          const count = toNumber(group.count);
          stats.byStatus[GenerationTaskStatusSchema.parse(group.status)] += count;
          stats.totalTasks += count;
          stats.totalCost += toNumber(group.cost);
          stats.totalCreditsUsed += toNumber(group.credits_used);
        }
        stats.totalThumbnails = toNumber((await thumbnails.executeTakeFirstOrThrow()).count);
        return stats;
      }),
  };
}
