import type { ResultAsync } from 'neverthrow';
import type { CostEstimate, TaskPricing } from '../../domain/generation/task-pricing';
import type { VBucketsError } from '../../errors';
import type { BlobBody, BlobObject } from '../../ports/blob-store';
import type { PageRequest } from '../../ports/page-request';
import type { GenerationTaskStats } from '../../ports/task-store';
import type { Scope } from '../../schemas/common';
import type { GenerationTask, GenerationTaskStatus, Thumbnail } from '../../schemas/generation';
import type { Video } from '../../schemas/video';

/** A new generation task (seed 002's `save_video_task`); it starts `pending`. */
export interface TaskCreateInput {
  /** A caller-chosen id (`task_abc123`), unique in the org; generated when absent. */
  id?: string;
  userId: string;
  projectName: string;
  /** The generation engine, e.g. `runway_standard`. */
  engine: string;
  prompt: string;
  songTitle?: string | null;
  /** A path or URL of the music. */
  musicFile?: string | null;
  genre?: string | null;
  /** Beats per minute, a positive integer. */
  bpm?: number | null;
  videoUrl?: string | null;
  /** At most 100 characters, no `<` or `>` (what YouTube accepts). */
  youtubeTitle?: string | null;
  /** At most 5000 characters, no `<` or `>`. */
  youtubeDescription?: string | null;
  youtubeTags?: string[];
  /** Dollars, ≥ 0. */
  cost?: number | null;
  /** A non-negative integer. */
  creditsUsed?: number | null;
  /** Seconds of video, ≥ 0. */
  durationSec?: number | null;
}

/** The fields `update` may change (seed 002's list, plus the descriptive ones); null clears. */
export type TaskUpdateInput = Partial<
  Pick<
    TaskCreateInput,
    | 'projectName'
    | 'engine'
    | 'prompt'
    | 'songTitle'
    | 'musicFile'
    | 'genre'
    | 'bpm'
    | 'videoUrl'
    | 'youtubeTitle'
    | 'youtubeDescription'
    | 'youtubeTags'
    | 'cost'
    | 'creditsUsed'
    | 'durationSec'
  >
>;

/** Which tasks `list` returns, and which page. */
export interface TaskListQuery extends PageRequest {
  userId?: string;
  status?: GenerationTaskStatus;
  /** At most this many (default 50, at most 1000). */
  limit?: number;
  /** Tasks to skip; give `offset` or `after`, not both. */
  offset?: number;
}

/** A status change (seed 002's `update_video_task_status`). */
export interface TaskStatusUpdate {
  /** `processing`, `completed` or `failed`; back to `pending` only through `retry`. */
  status: Exclude<GenerationTaskStatus, 'pending'>;
  /** Only with `completed`: where the generated video is. */
  videoUrl?: string;
  /** Only with `failed`: why. */
  errorMessage?: string;
  /** Only with `completed`: when it finished (default now). */
  completedAt?: string;
}

/** The generated video's bytes, registered in the video registry. */
export interface TaskVideoInput {
  filename: string;
  /** Opens the bytes; called once. */
  body: () => BlobBody;
  mimeType?: string;
  /** A local path of the same file, for the MediaProbe. */
  probePath?: string;
}

/** What `attachVideo` did. */
export interface AttachedVideo {
  task: GenerationTask;
  video: Video;
  /** False when the registry already had this content (deduplicated). */
  created: boolean;
}

/** What `delete` removed. */
export interface TaskDeletion {
  taskId: string;
  thumbnailsDeleted: number;
  /**
   * Blob keys of thumbnail images whose delete failed after the rows were gone: unreferenced
   * objects to sweep later, never a row pointing at a missing image.
   */
  imagesLeft: string[];
}

/** Tuning of the tasks service. */
export interface TasksSettings {
  /**
   * Prices by engine for `estimateCost`; replaces the default table (`DEFAULT_TASK_PRICING`:
   * `runway_standard` at $1.20 and 12 credits per 10 s), so spread it to extend it.
   */
  pricing?: TaskPricing;
}

/** AI video-generation tasks (seed 002): status, YouTube metadata, cost, the generated video. */
export interface TasksService {
  /** Creates a pending task; `CONFLICT` when the org already has a task with the given id. */
  create(scope: Scope, input: TaskCreateInput): ResultAsync<GenerationTask, VBucketsError>;
  /** The org's task; `NOT_FOUND` otherwise. */
  get(scope: Scope, taskId: string): ResultAsync<GenerationTask, VBucketsError>;
  /** Tasks newest first, of one user and/or status; 50 by default. */
  list(scope: Scope, query?: TaskListQuery): ResultAsync<GenerationTask[], VBucketsError>;
  /**
   * Moves a task along pending → processing → completed | failed in one conditional write (of
   * concurrent callers one wins). `completed` sets `completedAt` (now unless given) and may set
   * `videoUrl`; `failed` keeps `errorMessage`. Any other move is `CONFLICT` naming the status.
   */
  updateStatus(
    scope: Scope,
    taskId: string,
    change: TaskStatusUpdate,
  ): ResultAsync<GenerationTask, VBucketsError>;
  /** Sends a failed task back to `pending` for a re-run, clearing its error; `CONFLICT` unless failed. */
  retry(scope: Scope, taskId: string): ResultAsync<GenerationTask, VBucketsError>;
  /** Changes the listed fields, each checked; any other field is `VALIDATION` naming it. */
  update(
    scope: Scope,
    taskId: string,
    patch: TaskUpdateInput,
  ): ResultAsync<GenerationTask, VBucketsError>;
  /**
   * Deletes the task and its thumbnails in one store transaction, then their stored images.
   * An image whose delete fails does not fail the call (the rows are already gone, and
   * putting them back would point at images that may be half deleted): its key is returned in
   * `imagesLeft` and reported to `onWarning`. The registry video stays.
   */
  delete(scope: Scope, taskId: string): ResultAsync<TaskDeletion, VBucketsError>;
  /** Totals of the org's tasks, or one user's. */
  stats(
    scope: Scope,
    filter?: { userId?: string },
  ): ResultAsync<GenerationTaskStats, VBucketsError>;
  /** Prices a generation from the pricing table; an unpriced engine is `VALIDATION` listing the priced ones. */
  estimateCost(request: {
    engine: string;
    durationSec: number;
  }): ResultAsync<CostEstimate, VBucketsError>;
  /**
   * Registers the generated video (deduplicated; owned by the task's user) and links it to the
   * task. `uploads.upload(scope, videoId, 'youtube')` without metadata then posts it with the
   * task's YouTube title, description and tags. `CONFLICT` when another task links that video.
   */
  attachVideo(
    scope: Scope,
    taskId: string,
    input: TaskVideoInput,
  ): ResultAsync<AttachedVideo, VBucketsError>;
}

/** Image types a thumbnail may be stored as. */
export type ThumbnailImageType = 'image/jpeg' | 'image/png' | 'image/webp';

/** A thumbnail variant (seed 002's `save_thumbnail`): an image URL, or bytes to store. */
export interface ThumbnailAddInput {
  /** A caller-chosen id, unique in the org; generated when absent. */
  id?: string;
  /** e.g. `bold_text`, `emotional_face`, `action_shot`. */
  variant: string;
  /** An external image; give this or `image`. */
  imageUrl?: string;
  /** Bytes stored in the BlobStore under `thumbnails/org_{orgId}/task_{taskId}/{id}.{ext}`. */
  image?: { body: BlobBody; contentType?: ThumbnailImageType };
  /** A predicted click rate, 0..1. */
  clickPrediction?: number | null;
  /** Selects it (deselecting the task's other thumbnails). */
  isSelected?: boolean;
}

/** Thumbnail variants of generation tasks; at most one selected per task. */
export interface ThumbnailsService {
  /** Adds a thumbnail to an org's task; `NOT_FOUND` for an unknown task. */
  add(
    scope: Scope,
    taskId: string,
    input: ThumbnailAddInput,
  ): ResultAsync<Thumbnail, VBucketsError>;
  /** A task's thumbnails: clickPrediction descending (nulls last), then newest. */
  list(scope: Scope, taskId: string): ResultAsync<Thumbnail[], VBucketsError>;
  /** Selects one and deselects the others in one step. */
  select(scope: Scope, taskId: string, thumbnailId: string): ResultAsync<Thumbnail, VBucketsError>;
  /** The task's selected thumbnail, or null. */
  selected(scope: Scope, taskId: string): ResultAsync<Thumbnail | null, VBucketsError>;
  /**
   * A thumbnail's stored image, streamed from the BlobStore. `NOT_FOUND` for a thumbnail the
   * task does not have, and for one given by URL (no stored image: its `imageUrl` is named).
   */
  image(
    scope: Scope,
    taskId: string,
    thumbnailId: string,
  ): ResultAsync<{ thumbnail: Thumbnail; image: BlobObject }, VBucketsError>;
  /**
   * Deletes a thumbnail, then its stored image; like `tasks.delete`, an image whose delete
   * fails is reported (`imageLeft`, `onWarning`) without failing the call.
   */
  remove(
    scope: Scope,
    thumbnailId: string,
  ): ResultAsync<{ thumbnail: Thumbnail; imageLeft: string | null }, VBucketsError>;
  /**
   * Cuts up to `count` candidate stills from the task's linked video (MediaProbe
   * `extractThumbnailCandidates` on a local copy from `localFiles`), scores them with the
   * ThumbnailScorer and saves each as a `source: 'frame'` thumbnail, its JPEG in the BlobStore.
   * All or nothing: when any step fails, no row and no image is left. `VALIDATION` when the
   * task has no video; a settings `VALIDATION` when no probe (or one without candidates) or no
   * `localFiles` was given. Earlier candidates stay; nothing is selected.
   */
  generateCandidates(
    scope: Scope,
    taskId: string,
    options?: GenerateCandidatesOptions,
  ): ResultAsync<GeneratedCandidate[], VBucketsError>;
}

/** How many candidates `generateCandidates` cuts, and its cancellation. */
export interface GenerateCandidatesOptions {
  /** At most this many (1..20, default 6); a static video may give fewer. */
  count?: number;
  /** JPEGs wider than this are scaled down (default 1280, YouTube's thumbnail width). */
  maxWidth?: number;
  /** Cancels the call; nothing is saved. */
  signal?: AbortSignal;
}

/** One saved candidate, in time order. */
export interface GeneratedCandidate {
  thumbnail: Thumbnail;
  /** Where in the video the frame is, in seconds. */
  timestampSec: number;
  width: number;
  height: number;
  /** The scorer's reason, when it gives one. */
  reason?: string;
}
