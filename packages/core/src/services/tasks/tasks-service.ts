import { err, ok, type Result, ResultAsync } from 'neverthrow';
import type { z } from 'zod';
import { estimateTaskCost } from '../../domain/generation/task-pricing';
import { conflictError, type VBucketsError } from '../../errors';
import type { Scope } from '../../schemas/common';
import { IdSchema } from '../../schemas/common';
import type { GenerationTask, GenerationTaskStatus } from '../../schemas/generation';
import { isoNow } from '../iso-now';
import { parseInput } from '../parse-input';
import { recordScope, writeScope } from '../scope';
import { contextRunner, fromAsync } from '../with-context';
import {
  CostRequestSchema,
  parseStrict,
  StatsFilterSchema,
  TaskCreateSchema,
  TaskListSchema,
  TaskStatusUpdateSchema,
  TaskUpdateSchema,
  TaskVideoSchema,
} from './task-inputs';
import {
  createTasksContext,
  type TasksContext,
  type TasksServiceDependencies,
} from './tasks-context';
import type { AttachedVideo, TaskDeletion, TasksService } from './tasks-types';
import { dropImages } from './thumbnail-records';

const CREATE_FIELDS = Object.keys(TaskCreateSchema.shape);
const UPDATE_FIELDS = Object.keys(TaskUpdateSchema.shape);

/** The statuses each status is reached from; `pending` again only through `retry`. */
const REACHED_FROM: Record<GenerationTaskStatus, readonly GenerationTaskStatus[]> = {
  pending: ['failed'],
  processing: ['pending'],
  completed: ['processing'],
  failed: ['processing'],
};

/**
 * The tasks service (seed 002's video tasks): checks each call's scope and input, then hands
 * it to the store; status moves are conditional writes, so concurrent callers cannot both win.
 */
export function createTasksService(dependencies: TasksServiceDependencies): TasksService {
  // Bad settings are reported by every call rather than thrown from the constructor.
  const built = createTasksContext(dependencies);
  const withContext = contextRunner(built);
  const withTask = <T>(
    scopeInput: unknown,
    taskId: unknown,
    scopeOf: (value: unknown) => Result<Scope, VBucketsError>,
    use: (context: TasksContext, scope: Scope, id: string) => ResultAsync<T, VBucketsError>,
  ) =>
    withContext((context) =>
      scopeOf(scopeInput)
        .andThen((scope) => parseInput(IdSchema, taskId, 'taskId').map((id) => ({ scope, id })))
        .asyncAndThen(({ scope, id }) => use(context, scope, id)),
    );

  return {
    create: (scopeInput, input) =>
      withContext((context) =>
        writeScope(scopeInput)
          .andThen((scope) =>
            parseStrict(TaskCreateSchema, CREATE_FIELDS, input, 'task').map((parsed) => ({
              scope,
              parsed,
            })),
          )
          .asyncAndThen(({ scope, parsed }) =>
            context.store.tasks.insert(newTask(context, scope, parsed)),
          ),
      ),

    get: (scopeInput, taskId) =>
      withTask(scopeInput, taskId, recordScope, (context, scope, id) =>
        context.store.tasks.get(scope, id),
      ),

    list: (scopeInput, query = {}) =>
      withContext((context) =>
        recordScope(scopeInput)
          .andThen((scope) =>
            parseInput(TaskListSchema, query, 'query').map((parsed) => ({ scope, parsed })),
          )
          .asyncAndThen(({ scope, parsed }) => {
            const { userId, status, limit, offset, after } = parsed;
            return context.store.tasks.list(
              scope,
              {
                ...(userId === undefined ? {} : { userId }),
                ...(status === undefined ? {} : { status }),
              },
              {
                limit,
                ...(offset === undefined ? {} : { offset }),
                ...(after === undefined ? {} : { after }),
              },
            );
          }),
      ),

    updateStatus: (scopeInput, taskId, change) =>
      withTask(scopeInput, taskId, writeScope, (context, scope, id) =>
        parseInput(TaskStatusUpdateSchema, change, 'status update').asyncAndThen((parsed) => {
          const now = isoNow(context.clock);
          const patch =
            parsed.status === 'completed'
              ? {
                  completedAt: parsed.completedAt ?? now,
                  ...(parsed.videoUrl === undefined ? {} : { videoUrl: parsed.videoUrl }),
                }
              : parsed.status === 'failed'
                ? { errorMessage: parsed.errorMessage ?? null }
                : {};
          return transition(context, scope, id, parsed.status, patch, now);
        }),
      ),

    retry: (scopeInput, taskId) =>
      withTask(scopeInput, taskId, writeScope, (context, scope, id) =>
        transition(
          context,
          scope,
          id,
          'pending',
          { errorMessage: null, completedAt: null },
          isoNow(context.clock),
        ),
      ),

    update: (scopeInput, taskId, patch) =>
      withTask(scopeInput, taskId, writeScope, (context, scope, id) =>
        parseStrict(TaskUpdateSchema, UPDATE_FIELDS, patch, 'update').asyncAndThen((parsed) =>
          context.store.tasks.update(scope, id, {
            ...withoutUndefined(parsed),
            updatedAt: isoNow(context.clock),
          }),
        ),
      ),

    delete: (scopeInput, taskId) =>
      withTask(scopeInput, taskId, writeScope, (context, scope, id) =>
        fromAsync(() => deleteTask(context, scope, id)),
      ),

    stats: (scopeInput, filter = {}) =>
      withContext((context) =>
        recordScope(scopeInput)
          .andThen((scope) =>
            parseInput(StatsFilterSchema, filter, 'filter').map((parsed) => ({ scope, parsed })),
          )
          .asyncAndThen(({ scope, parsed }) => context.store.tasks.stats(scope, parsed)),
      ),

    estimateCost: (request) =>
      withContext((context) =>
        parseInput(CostRequestSchema, request, 'cost request')
          .andThen((parsed) => estimateTaskCost(context.pricing, parsed))
          .asyncAndThen((estimate) => ResultAsync.fromSafePromise(Promise.resolve(estimate))),
      ),

    attachVideo: (scopeInput, taskId, input) =>
      withTask(scopeInput, taskId, writeScope, (context, scope, id) =>
        parseInput(TaskVideoSchema, input, 'video').asyncAndThen((parsed) =>
          fromAsync(() => attachVideo(context, scope, id, parsed)),
        ),
      ),
  };
}

function newTask(
  context: TasksContext,
  scope: Scope,
  input: z.infer<typeof TaskCreateSchema>,
): GenerationTask {
  const now = isoNow(context.clock);
  return {
    id: input.id ?? context.ids.next(),
    orgId: scope.orgId,
    userId: input.userId,
    projectName: input.projectName,
    songTitle: input.songTitle ?? null,
    musicFile: input.musicFile ?? null,
    genre: input.genre ?? null,
    bpm: input.bpm ?? null,
    engine: input.engine,
    prompt: input.prompt,
    status: 'pending',
    videoUrl: input.videoUrl ?? null,
    videoId: null,
    youtubeTitle: input.youtubeTitle ?? null,
    youtubeDescription: input.youtubeDescription ?? null,
    youtubeTags: input.youtubeTags ?? [],
    cost: input.cost ?? null,
    creditsUsed: input.creditsUsed ?? null,
    durationSec: input.durationSec ?? null,
    errorMessage: null,
    createdAt: now,
    updatedAt: now,
    completedAt: null,
  };
}

const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;

/**
 * One conditional status write; a task whose status is not one `to` is reached from is
 * `CONFLICT` naming the status it has (read after the write lost, so it is the winner's).
 */
function transition(
  context: TasksContext,
  scope: Scope,
  id: string,
  to: GenerationTaskStatus,
  patch: Partial<Pick<GenerationTask, 'videoUrl' | 'errorMessage' | 'completedAt'>>,
  updatedAt: string,
): ResultAsync<GenerationTask, VBucketsError> {
  const from = REACHED_FROM[to];
  return context.store.tasks
    .transitionStatus(scope, id, { from, to, patch, updatedAt })
    .andThen((moved) =>
      moved !== null
        ? ok(moved)
        : context.store.tasks
            .get(scope, id)
            .andThen((current) =>
              err(
                conflictError(
                  `Task ${id} is ${current.status}: it cannot move to ${to} (only from ${from.join(' or ')})${
                    current.status === 'failed' && to !== 'pending' ? '; retry it first' : ''
                  }`,
                  { details: { taskId: id, status: current.status, to } },
                ),
              ),
            ),
    );
}

async function deleteTask(
  context: TasksContext,
  scope: Scope,
  id: string,
): Promise<Result<TaskDeletion, VBucketsError>> {
  // Rows first, in one step: afterwards no row points at an image, whatever the blob store does.
  const deleted = await context.store.tasks.delete(scope, id);
  if (deleted.isErr()) return err(deleted.error);
  const keys = deleted.value.thumbnails.flatMap((thumbnail) =>
    thumbnail.blobKey === null ? [] : [thumbnail.blobKey],
  );
  const imagesLeft = await dropImages(context, keys);
  return ok({ taskId: id, thumbnailsDeleted: deleted.value.thumbnails.length, imagesLeft });
}

async function attachVideo(
  context: TasksContext,
  scope: Scope,
  id: string,
  input: z.infer<typeof TaskVideoSchema>,
): Promise<Result<AttachedVideo, VBucketsError>> {
  const task = await context.store.tasks.get(scope, id);
  if (task.isErr()) return err(task.error);
  const registered = await context.videos.register(scope, {
    ...withoutUndefined(input),
    title: task.value.youtubeTitle ?? task.value.projectName,
    ownerId: task.value.userId,
  });
  if (registered.isErr()) return err(registered.error);
  const { video, created } = registered.value;
  // One task per video, so an upload knows whose YouTube metadata to use.
  const holder = await context.store.tasks.findByVideoId(scope, video.id);
  if (holder.isErr()) return err(holder.error);
  if (holder.value !== null && holder.value.id !== id) {
    return err(
      conflictError(`Video ${video.id} is already the video of task ${holder.value.id}`, {
        details: { videoId: video.id, taskId: holder.value.id },
      }),
    );
  }
  const linked = await context.store.tasks.update(scope, id, {
    videoId: video.id,
    updatedAt: isoNow(context.clock),
  });
  if (linked.isErr()) return err(linked.error);
  return ok({ task: linked.value, video, created });
}
