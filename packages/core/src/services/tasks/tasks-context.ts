import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import { DEFAULT_TASK_PRICING, type TaskPricing } from '../../domain/generation/task-pricing';
import { createHeuristicThumbnailScorer } from '../../domain/media/thumbnail-quality';
import { settingsError, type VBucketsError } from '../../errors';
import type { BlobStore } from '../../ports/blob-store';
import type { Clock } from '../../ports/clock';
import type { IdGenerator } from '../../ports/id-generator';
import type { LocalFiles } from '../../ports/local-files';
import type { MediaProbe } from '../../ports/media-probe';
import type { Store } from '../../ports/store';
import type { ThumbnailScorer } from '../../ports/thumbnail-scorer';
import { parseInput } from '../parse-input';
import type { VideosService } from '../videos/videos-service';
import type { TasksSettings } from './tasks-types';

/** What the tasks and thumbnails services are built from. */
export interface TasksServiceDependencies {
  store: Store;
  blobs: BlobStore;
  clock: Clock;
  ids: IdGenerator;
  /** Registers the generated videos (`attachVideo`). */
  videos: VideosService;
  settings?: TasksSettings;
  /** Cuts thumbnail candidates (`generateCandidates`). */
  mediaProbe?: MediaProbe;
  /** Gives a stored video a local path for the probe. */
  localFiles?: LocalFiles;
  /** Scores candidates; default the heuristic one. */
  thumbnailScorer?: ThumbnailScorer;
  /** Images whose delete failed after their rows were gone land here. */
  onWarning?: (warning: VBucketsError) => void;
}

/** What the parts of the tasks and thumbnails services share. */
export interface TasksContext {
  store: Store;
  blobs: BlobStore;
  clock: Clock;
  ids: IdGenerator;
  videos: VideosService;
  pricing: TaskPricing;
  mediaProbe: MediaProbe | undefined;
  localFiles: LocalFiles | undefined;
  thumbnailScorer: ThumbnailScorer;
  warn(warning: VBucketsError): void;
}

const EnginePriceSchema = z.strictObject({
  usdPerBlock: z.number().nonnegative().finite(),
  creditsPerBlock: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  blockSec: z.number().positive().finite().optional(),
});

const SettingsSchema = z.strictObject({
  pricing: z.record(z.string().trim().min(1).max(100), EnginePriceSchema).optional(),
});

/** The shared context, or the (settings-marked) VALIDATION error of a bad setting. */
export function createTasksContext(
  dependencies: TasksServiceDependencies,
): Result<TasksContext, VBucketsError> {
  const settings = parseInput(SettingsSchema, dependencies.settings ?? {}, 'tasks settings');
  if (settings.isErr()) return err(settingsError(settings.error));
  const { store, blobs, clock, ids, videos, onWarning } = dependencies;
  return ok({
    store,
    blobs,
    clock,
    ids,
    videos,
    pricing: settings.value.pricing ?? DEFAULT_TASK_PRICING,
    mediaProbe: dependencies.mediaProbe,
    localFiles: dependencies.localFiles,
    thumbnailScorer: dependencies.thumbnailScorer ?? createHeuristicThumbnailScorer(),
    warn: (warning) => onWarning?.(warning),
  });
}
