import { err, ok, type Result } from 'neverthrow';
import {
  generationTaskInputError,
  generationTaskPatchError,
  generationTaskTransitionError,
} from '../domain/generation/task-store-input';
import { offsetPageError } from '../domain/page-request';
import { conflictError, notFoundError, type VBucketsError, withErrorSource } from '../errors';
import type {
  GenerationTaskPatch,
  GenerationTaskRepository,
  GenerationTaskStats,
} from '../ports/task-store';
import type { Scope } from '../schemas/common';
import type { GenerationTask, Thumbnail } from '../schemas/generation';
import type { MemoryStoreAccess } from './memory-store-access';
import {
  applyPatch,
  compareText,
  compareTimestamps,
  type MemoryStoreState,
  orgSlot,
  pageOf,
} from './memory-store-state';
import { copyThumbnail } from './memory-thumbnail-repository';

const PATCHABLE: ReadonlyArray<keyof GenerationTaskPatch> = [
  'projectName',
  'songTitle',
  'musicFile',
  'genre',
  'bpm',
  'engine',
  'prompt',
  'videoUrl',
  'videoId',
  'youtubeTitle',
  'youtubeDescription',
  'youtubeTags',
  'cost',
  'creditsUsed',
  'durationSec',
  'updatedAt',
];

const TRANSITION_PATCHABLE = ['videoUrl', 'errorMessage', 'completedAt'] as const;

export function copyGenerationTask(task: GenerationTask): GenerationTask {
  return {
    id: task.id,
    orgId: task.orgId,
    userId: task.userId,
    projectName: task.projectName,
    songTitle: task.songTitle,
    musicFile: task.musicFile,
    genre: task.genre,
    bpm: task.bpm,
    engine: task.engine,
    prompt: task.prompt,
    status: task.status,
    videoUrl: task.videoUrl,
    videoId: task.videoId,
    youtubeTitle: task.youtubeTitle,
    youtubeDescription: task.youtubeDescription,
    youtubeTags: [...task.youtubeTags],
    cost: task.cost,
    creditsUsed: task.creditsUsed,
    durationSec: task.durationSec,
    errorMessage: task.errorMessage,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
    completedAt: task.completedAt,
  };
}

const taskNotFound = (id: string, operation: string) =>
  notFoundError(`No generation task "${id}"`, {
    adapter: 'memory',
    operation,
    details: { entity: 'generationTask', id },
  });

const refused = (error: VBucketsError, operation: string) =>
  err(withErrorSource(error, { adapter: 'memory', operation }));

function ownedTask(
  state: MemoryStoreState,
  scope: Scope,
  id: string,
  operation: string,
): Result<GenerationTask, VBucketsError> {
  const task = state.generationTasks.get(orgSlot(scope.orgId, id));
  return task === undefined ? err(taskNotFound(id, operation)) : ok(task);
}

/** The thumbnails of one task, in no particular order. */
function thumbnailsOfTask(state: MemoryStoreState, orgId: string, taskId: string): Thumbnail[] {
  return [...state.thumbnails.values()].filter(
    (thumbnail) => thumbnail.orgId === orgId && thumbnail.taskId === taskId,
  );
}

/** Generation tasks in memory; each method is one synchronous step, so conditional writes are atomic. */
export function createMemoryGenerationTaskRepository(
  access: MemoryStoreAccess,
): GenerationTaskRepository {
  return {
    insert: (task) =>
      access.write((state) => {
        const operation = 'tasks.insert';
        const invalid = generationTaskInputError(task);
        if (invalid !== undefined) return refused(invalid, operation);
        const slot = orgSlot(task.orgId, task.id);
        if (state.generationTasks.has(slot)) {
          return err(
            conflictError(`A generation task with id "${task.id}" already exists`, {
              adapter: 'memory',
              operation,
              details: { id: task.id },
            }),
          );
        }
        const stored = copyGenerationTask(task);
        state.generationTasks.set(slot, stored);
        return ok(copyGenerationTask(stored));
      }),

    get: (scope, id) =>
      access.read((state) => ownedTask(state, scope, id, 'tasks.get').map(copyGenerationTask)),

    list: (scope, filter = {}, page = undefined) =>
      access.read((state) => {
        const operation = 'tasks.list';
        const invalid = offsetPageError(page, { adapter: 'memory', operation });
        if (invalid !== undefined) return err(invalid);
        const tasks = [...state.generationTasks.values()]
          .filter(
            (task) =>
              task.orgId === scope.orgId &&
              (filter.userId === undefined || task.userId === filter.userId) &&
              (filter.status === undefined || task.status === filter.status),
          )
          .sort(
            (left, right) =>
              compareTimestamps(right.createdAt, left.createdAt) || compareText(left.id, right.id),
          );
        const offset = page?.offset;
        const found =
          offset === undefined
            ? pageOf(tasks, page, operation)
            : pageOf(
                tasks.slice(offset),
                page?.limit === undefined ? undefined : { limit: page.limit },
                operation,
              );
        return found.map((each) => each.map(copyGenerationTask));
      }),

    findByVideoId: (scope, videoId) =>
      access.read((state) => {
        const linked = [...state.generationTasks.values()]
          .filter((task) => task.orgId === scope.orgId && task.videoId === videoId)
          .sort(
            (left, right) =>
              compareTimestamps(right.createdAt, left.createdAt) || compareText(left.id, right.id),
          );
        return ok(linked[0] === undefined ? null : copyGenerationTask(linked[0]));
      }),

    update: (scope, id, patch) =>
      access.write((state) => {
        const operation = 'tasks.update';
        const invalid = generationTaskPatchError(patch);
        if (invalid !== undefined) return refused(invalid, operation);
        return ownedTask(state, scope, id, operation).andThen((current) => {
          // As the SQL unique (org_id, video_id) where video_id is not null: one task per video.
          const videoId = patch.videoId;
          const linked =
            videoId === undefined || videoId === null
              ? undefined
              : [...state.generationTasks.values()].find(
                  (task) =>
                    task.orgId === scope.orgId && task.videoId === videoId && task.id !== id,
                );
          if (linked !== undefined) {
            return err(
              withErrorSource(
                conflictError(`Video "${videoId}" is already linked to another task`),
                { adapter: 'memory', operation },
              ),
            );
          }
          const next = copyGenerationTask(applyPatch(current, patch, PATCHABLE));
          state.generationTasks.set(orgSlot(scope.orgId, id), next);
          return ok(copyGenerationTask(next));
        });
      }),

    transitionStatus: (scope, id, change) =>
      access.write((state) => {
        const operation = 'tasks.transitionStatus';
        const invalid = generationTaskTransitionError(change);
        if (invalid !== undefined) return refused(invalid, operation);
        return ownedTask(state, scope, id, operation).map((current) => {
          if (!change.from.includes(current.status)) return null;
          const patched = applyPatch(current, change.patch ?? {}, TRANSITION_PATCHABLE);
          const next = copyGenerationTask({
            ...patched,
            status: change.to,
            updatedAt: change.updatedAt,
          });
          state.generationTasks.set(orgSlot(scope.orgId, id), next);
          return copyGenerationTask(next);
        });
      }),

    delete: (scope, id) =>
      access.write((state) =>
        ownedTask(state, scope, id, 'tasks.delete').map(() => {
          const thumbnails = thumbnailsOfTask(state, scope.orgId, id);
          for (const thumbnail of thumbnails) {
            state.thumbnails.delete(orgSlot(thumbnail.orgId, thumbnail.id));
          }
          state.generationTasks.delete(orgSlot(scope.orgId, id));
          return { thumbnails: thumbnails.map(copyThumbnail) };
        }),
      ),

    stats: (scope, filter = {}) =>
      access.read((state) => {
        const counted = (task: GenerationTask) =>
          task.orgId === scope.orgId &&
          (filter.userId === undefined || task.userId === filter.userId);
        const stats: GenerationTaskStats = {
          totalTasks: 0,
          byStatus: { pending: 0, processing: 0, completed: 0, failed: 0 },
          totalCost: 0,
          totalCreditsUsed: 0,
          totalThumbnails: 0,
        };
        const taskIds = new Set<string>();
        for (const task of state.generationTasks.values()) {
          if (!counted(task)) continue;
          taskIds.add(task.id);
          stats.totalTasks += 1;
          stats.byStatus[task.status] += 1;
          stats.totalCost += task.cost ?? 0;
          stats.totalCreditsUsed += task.creditsUsed ?? 0;
        }
        for (const thumbnail of state.thumbnails.values()) {
          if (thumbnail.orgId === scope.orgId && taskIds.has(thumbnail.taskId)) {
            stats.totalThumbnails += 1;
          }
        }
        return ok(stats);
      }),
  };
}
