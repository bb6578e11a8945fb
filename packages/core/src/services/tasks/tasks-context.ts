import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import { DEFAULT_TASK_PRICING, type TaskPricing } from '../../domain/generation/task-pricing';
import { settingsError, type VBucketsError } from '../../errors';
import type { BlobStore } from '../../ports/blob-store';
import type { Clock } from '../../ports/clock';
import type { IdGenerator } from '../../ports/id-generator';
import type { Store } from '../../ports/store';
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
    warn: (warning) => onWarning?.(warning),
  });
}
