import type { ResultAsync } from 'neverthrow';
import type { VBucketsError } from '../errors';
import type { Scope } from '../schemas/common';
import type { GenerationTask, GenerationTaskStatus, Thumbnail } from '../schemas/generation';
import type { PageRequest } from './page-request';

type StoreResult<T> = ResultAsync<T, VBucketsError>;

/** Fields of a task `update` may change (seed 002's list), plus the new `updatedAt`. */
export type GenerationTaskPatch = Partial<
  Pick<
    GenerationTask,
    | 'projectName'
    | 'songTitle'
    | 'musicFile'
    | 'genre'
    | 'bpm'
    | 'engine'
    | 'prompt'
    | 'videoUrl'
    | 'videoId'
    | 'youtubeTitle'
    | 'youtubeDescription'
    | 'youtubeTags'
    | 'cost'
    | 'creditsUsed'
    | 'durationSec'
  >
> & { updatedAt: string };

/** Which tasks a list returns. */
export interface GenerationTaskFilter {
  userId?: string;
  status?: GenerationTaskStatus;
}

/** Counts over an org's tasks (one user's when asked), computed by the store. */
export interface GenerationTaskStats {
  totalTasks: number;
  byStatus: Record<GenerationTaskStatus, number>;
  totalCost: number;
  totalCreditsUsed: number;
  totalThumbnails: number;
}

/**
 * Generation tasks (seed 002). Ids are unique per org. Every store refuses a value the schema
 * refuses (a fractional bpm, a negative cost, an unknown status) with `VALIDATION` naming the
 * field, before it writes anything.
 */
export interface GenerationTaskRepository {
  /** Inserts a task; `CONFLICT` when the org already has a task with this id. */
  insert(task: GenerationTask): StoreResult<GenerationTask>;
  /** The org's task with this id; `NOT_FOUND` otherwise. */
  get(scope: Scope, id: string): StoreResult<GenerationTask>;
  /**
   * Tasks newest first (createdAt, then id), filtered; keyset-paged by `after`, or by
   * `offset` (not both: `VALIDATION`). An `after` that is not in the filtered list is `VALIDATION`.
   */
  list(
    scope: Scope,
    filter?: GenerationTaskFilter,
    page?: PageRequest & { offset?: number },
  ): StoreResult<GenerationTask[]>;
  /** The org's task linked to this registry video (the newest, should several be), or null. */
  findByVideoId(scope: Scope, videoId: string): StoreResult<GenerationTask | null>;
  /** Applies a patch (undefined fields are skipped); `NOT_FOUND` for an unknown task. */
  update(scope: Scope, id: string, patch: GenerationTaskPatch): StoreResult<GenerationTask>;
  /**
   * Moves the status from one of `from` to `to` in one conditional write, with the fields that
   * go with it; returns the task, or null when its status was not in `from` (of concurrent
   * callers exactly one wins). `NOT_FOUND` for an unknown task.
   */
  transitionStatus(
    scope: Scope,
    id: string,
    change: {
      from: readonly GenerationTaskStatus[];
      to: GenerationTaskStatus;
      patch?: Partial<Pick<GenerationTask, 'videoUrl' | 'errorMessage' | 'completedAt'>>;
      updatedAt: string;
    },
  ): StoreResult<GenerationTask | null>;
  /** Deletes the task and its thumbnails in one step; returns the deleted thumbnails. `NOT_FOUND` otherwise. */
  delete(scope: Scope, id: string): StoreResult<{ thumbnails: Thumbnail[] }>;
  /**
   * Totals in one query each (never by loading the tasks); a null cost or credits count as 0,
   * and `totalThumbnails` counts the thumbnails of the counted tasks.
   */
  stats(scope: Scope, filter?: { userId?: string }): StoreResult<GenerationTaskStats>;
}

/** Thumbnails of generation tasks: at most one selected per task, guaranteed by the database. */
export interface ThumbnailRepository {
  /**
   * Inserts a thumbnail of an existing task of the org (`NOT_FOUND` otherwise); `CONFLICT`
   * when the org has a thumbnail with this id, or when it is inserted selected while another
   * one is. `VALIDATION` unless exactly one of `imageUrl` and `blobKey` is set.
   */
  insert(thumbnail: Thumbnail): StoreResult<Thumbnail>;
  /** The org's thumbnail with this id; `NOT_FOUND` otherwise. */
  get(scope: Scope, id: string): StoreResult<Thumbnail>;
  /**
   * A task's thumbnails: clickPrediction descending (nulls last), then newest, then id; an
   * unknown task has none.
   */
  list(scope: Scope, taskId: string): StoreResult<Thumbnail[]>;
  /**
   * Selects this thumbnail of the task and deselects the others in one transaction; of
   * concurrent selects of different thumbnails exactly one ends selected (each call succeeds,
   * the last to commit wins). Returns the selected thumbnail. `NOT_FOUND` when the thumbnail is
   * not the task's.
   */
  select(scope: Scope, taskId: string, thumbnailId: string): StoreResult<Thumbnail>;
  /** The task's selected thumbnail, or null (also for an unknown task). */
  selected(scope: Scope, taskId: string): StoreResult<Thumbnail | null>;
  /** Deletes a thumbnail and returns it (for its image); `NOT_FOUND` otherwise. */
  delete(scope: Scope, id: string): StoreResult<Thumbnail>;
}
