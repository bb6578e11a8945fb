import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import { type Sleep, timerSleep } from '../../domain/rate-limit/sleep';
import { createTokenBucket, type TokenBucket } from '../../domain/rate-limit/token-bucket';
import { settingsError, type VBucketsError, validationError } from '../../errors';
import type { BlobStore } from '../../ports/blob-store';
import type { Clock } from '../../ports/clock';
import type { IdGenerator } from '../../ports/id-generator';
import type { LocalFiles } from '../../ports/local-files';
import type { MediaProbe } from '../../ports/media-probe';
import type { MetricsSource } from '../../ports/metrics-source';
import type { Store } from '../../ports/store';
import { type SocialPlatform, SocialPlatformSchema } from '../../schemas/segment';
import { parseInput } from '../parse-input';
import type { SegmentsSettings } from './segments-types';

/** What the segments service is built from. */
export interface SegmentsServiceDependencies {
  store: Store;
  blobs: BlobStore;
  clock: Clock;
  ids: IdGenerator;
  /** Cuts videos (`split`): a probe with `splitVideo`. */
  mediaProbe?: MediaProbe;
  /** Gives a stored video a local path for the probe. */
  localFiles?: LocalFiles;
  /** One per platform, for `syncMetrics`. */
  metricsSources?: readonly MetricsSource[];
  settings?: SegmentsSettings;
  /** The role that may download any segment of its org; default `admin`, null for none. */
  adminRole?: string | null;
  /** Waits of the rate limiters and retries (tests inject one that moves a manual clock). */
  sleep?: Sleep;
  /** Blobs a delete or a failed split left behind land here. */
  onWarning?: (warning: VBucketsError) => void;
}

/** What the parts of the segments service share. */
export interface SegmentsContext {
  store: Store;
  blobs: BlobStore;
  clock: Clock;
  ids: IdGenerator;
  mediaProbe: MediaProbe | undefined;
  localFiles: LocalFiles | undefined;
  sources: ReadonlyMap<SocialPlatform, MetricsSource>;
  /** One token bucket per platform with a source (unlimited unless a rate is set). */
  limiters: ReadonlyMap<SocialPlatform, TokenBucket>;
  sleep: Sleep;
  adminRole: string | null;
  maxRateLimitRetries: number;
  maxRetryWaitMs: number;
  pageSize: number;
  warn(warning: VBucketsError): void;
}

const RateSchema = z.number().positive('must be positive');

const SettingsSchema = z.strictObject({
  requestsPerMinute: z.partialRecord(SocialPlatformSchema, RateSchema).optional(),
  maxRateLimitRetries: z.number().int().min(0).max(10).optional(),
  maxRetryWaitMs: z.number().int().min(0).max(3_600_000).optional(),
  pageSize: z.number().int().min(1).max(1000).optional(),
});

const DEFAULT_MAX_RATE_LIMIT_RETRIES = 3;
const DEFAULT_MAX_RETRY_WAIT_MS = 60_000;
const DEFAULT_PAGE_SIZE = 500;

/** The sources by platform, or the settings error naming the bad one. */
function sourcesByPlatform(
  sources: readonly MetricsSource[],
): Result<Map<SocialPlatform, MetricsSource>, VBucketsError> {
  const byPlatform = new Map<SocialPlatform, MetricsSource>();
  for (const [index, source] of sources.entries()) {
    const path = `metricsSources.${index}`;
    if (typeof source !== 'object' || source === null || typeof source.fetch !== 'function') {
      return err(validationError(`Invalid ${path}: must be a MetricsSource`, { path }));
    }
    const platform = SocialPlatformSchema.safeParse(source.platform);
    if (!platform.success) {
      return err(
        validationError(
          `Invalid ${path}.platform: ${JSON.stringify(source.platform)} is not a platform segments are posted to (${SocialPlatformSchema.options.join(', ')})`,
          { path: `${path}.platform` },
        ),
      );
    }
    if (!(Number.isSafeInteger(source.maxPostsPerCall) && source.maxPostsPerCall >= 1)) {
      return err(
        validationError(`Invalid ${path}.maxPostsPerCall: must be a whole number of at least 1`, {
          path: `${path}.maxPostsPerCall`,
        }),
      );
    }
    if (byPlatform.has(platform.data)) {
      return err(
        validationError(
          `Invalid ${path}.platform: a second MetricsSource for ${platform.data} (one per platform)`,
          { path: `${path}.platform` },
        ),
      );
    }
    byPlatform.set(platform.data, source);
  }
  return ok(byPlatform);
}

/** The shared context, or the (settings-marked) VALIDATION error of a bad setting. */
export function createSegmentsContext(
  dependencies: SegmentsServiceDependencies,
): Result<SegmentsContext, VBucketsError> {
  const settings = parseInput(SettingsSchema, dependencies.settings ?? {}, 'segments settings');
  if (settings.isErr()) return err(settingsError(settings.error));
  const given: unknown = dependencies.metricsSources ?? [];
  if (!Array.isArray(given)) {
    return err(
      settingsError(
        validationError('Invalid metricsSources: must be a list of MetricsSource', {
          path: 'metricsSources',
        }),
      ),
    );
  }
  const sources = sourcesByPlatform(given);
  if (sources.isErr()) return err(settingsError(sources.error));
  const { store, blobs, clock, ids, onWarning } = dependencies;
  const sleep = dependencies.sleep ?? timerSleep;
  const limiters = new Map<SocialPlatform, TokenBucket>();
  for (const platform of sources.value.keys()) {
    const bucket = createTokenBucket(
      { requestsPerMinute: settings.value.requestsPerMinute?.[platform] ?? Infinity },
      { clock, sleep },
    );
    if (bucket.isErr()) return err(settingsError(bucket.error));
    limiters.set(platform, bucket.value);
  }
  return ok({
    store,
    blobs,
    clock,
    ids,
    mediaProbe: dependencies.mediaProbe,
    localFiles: dependencies.localFiles,
    sources: sources.value,
    limiters,
    sleep,
    adminRole:
      dependencies.adminRole === undefined
        ? 'admin'
        : dependencies.adminRole === ''
          ? null
          : dependencies.adminRole,
    maxRateLimitRetries: settings.value.maxRateLimitRetries ?? DEFAULT_MAX_RATE_LIMIT_RETRIES,
    maxRetryWaitMs: settings.value.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS,
    pageSize: settings.value.pageSize ?? DEFAULT_PAGE_SIZE,
    warn: (warning) => onWarning?.(warning),
  });
}
