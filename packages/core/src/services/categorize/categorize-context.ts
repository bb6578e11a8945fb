import { err, ok, type Result } from 'neverthrow';
import { type Sleep, timerSleep } from '../../domain/rate-limit/sleep';
import { createTokenBucket, type TokenBucket } from '../../domain/rate-limit/token-bucket';
import { createSha256, type Sha256 } from '../../domain/sha256';
import { fromZodError, type VBucketsError, validationError } from '../../errors';
import type { BlobStore } from '../../ports/blob-store';
import type { Clock } from '../../ports/clock';
import type { IdGenerator } from '../../ports/id-generator';
import type { MediaProbe } from '../../ports/media-probe';
import type { Store } from '../../ports/store';
import type { BucketCategorizer, VideoAnalyzer } from '../../ports/video-analyzer';
import type { Scope } from '../../schemas/common';
import type { BuiltinJobEnqueue } from '../jobs/job-kinds';
import { CategorizeSettingsSchema, type ParsedCategorizeSettings } from './categorize-settings';
import type {
  CategorizationProvider,
  CategorizeProgressEvent,
  CategorizeProgressListener,
  CategorizeSettings,
} from './categorize-types';
import { createProgressHub, type ProgressHub } from './progress-hub';

/** What the categorize service is built from. */
export interface CategorizeServiceDependencies {
  store: Store;
  blobs: BlobStore;
  clock: Clock;
  ids: IdGenerator;
  /** Providers by name, as `run({ provider })` names them. */
  providers?: Readonly<Record<string, CategorizationProvider>>;
  /** Batch size, concurrency, attempts, …; `settings.sleep` replaces the timers (tests). */
  settings?: CategorizeSettings;
  /** Probes files given with a `probePath`: undecodable ones become error rows. */
  mediaProbe?: MediaProbe;
  /** The incremental SHA-256 a reused video's stored copy is checked with (default the pure-TypeScript one). */
  sha256?: () => Sha256;
  /** Queues the SDK's jobs (`start` queues a `categorize.session`); createVBuckets gives it. */
  jobs?: BuiltinJobEnqueue;
}

/** The service's shared state: one rate limiter per provider, the sessions being worked on. */
export interface CategorizeContext {
  store: Store;
  blobs: BlobStore;
  clock: Clock;
  ids: IdGenerator;
  mediaProbe: MediaProbe | undefined;
  sha256: () => Sha256;
  settings: ParsedCategorizeSettings;
  sleep: Sleep;
  random: () => number;
  resolveProvider(name: string): Result<ResolvedProvider, VBucketsError>;
  /** Sessions this service instance is running, so that a resume cannot race its own batch. */
  activeSessions: Set<string>;
  /** Watchers of sessions (`categorize.watch`): every batch's events go to them too. */
  progress: ProgressHub;
}

/** A provider ready for use. */
export interface ResolvedProvider {
  name: string;
  analyzer: VideoAnalyzer;
  categorizer: BucketCategorizer | undefined;
  limiter: TokenBucket;
}

export function createCategorizeContext(
  dependencies: CategorizeServiceDependencies,
): Result<CategorizeContext, VBucketsError> {
  const parsed = CategorizeSettingsSchema.safeParse(dependencies.settings ?? {});
  if (!parsed.success) return err(fromZodError(parsed.error, 'categorize settings'));
  const settings = parsed.data;
  const sleep = settings.sleep ?? timerSleep;
  const providers = dependencies.providers ?? {};
  const resolved = new Map<string, ResolvedProvider>();

  const resolveProvider = (name: string): Result<ResolvedProvider, VBucketsError> => {
    const cached = resolved.get(name);
    if (cached !== undefined) return ok(cached);
    const provider = Object.hasOwn(providers, name) ? providers[name] : undefined;
    if (provider === undefined) {
      const known = Object.keys(providers);
      return err(
        validationError(
          known.length === 0
            ? `Unknown provider ${JSON.stringify(name)}: no providers are configured (pass providers to createVBuckets)`
            : `Unknown provider ${JSON.stringify(name)}; configured: ${known.join(', ')}`,
          { path: 'provider', details: { provider: name, known } },
        ),
      );
    }
    if (provider.analyzer?.analyze === undefined) {
      return err(
        validationError(`Provider ${JSON.stringify(name)} has no analyzer`, {
          path: `providers.${name}.analyzer`,
        }),
      );
    }
    if (
      provider.analyzer.analyzeAndCategorize === undefined &&
      provider.categorizer === undefined
    ) {
      return err(
        validationError(
          `Provider ${JSON.stringify(name)} cannot categorize: its analyzer has no analyzeAndCategorize and no categorizer is given`,
          { path: `providers.${name}.categorizer` },
        ),
      );
    }
    const limiter = createTokenBucket(
      {
        requestsPerMinute: provider.requestsPerMinute,
        burst: provider.burst,
        windowMarginMs: provider.windowMarginMs,
      },
      { clock: dependencies.clock, sleep },
    );
    if (limiter.isErr()) {
      const error = limiter.error;
      return err(
        validationError(`Provider ${JSON.stringify(name)}: ${error.message}`, {
          path: `providers.${name}${error.path ? `.${error.path}` : ''}`,
          cause: error,
        }),
      );
    }
    const ready: ResolvedProvider = {
      name,
      analyzer: provider.analyzer,
      categorizer: provider.categorizer,
      limiter: limiter.value,
    };
    resolved.set(name, ready);
    return ok(ready);
  };

  return ok({
    store: dependencies.store,
    blobs: dependencies.blobs,
    mediaProbe: dependencies.mediaProbe,
    sha256: dependencies.sha256 ?? createSha256,
    clock: dependencies.clock,
    ids: dependencies.ids,
    settings,
    sleep,
    random: settings.random ?? Math.random,
    resolveProvider,
    activeSessions: new Set(),
    progress: createProgressHub(),
  });
}

// The pipeline's files take the one clock helper with their context.
export { isoNow } from '../iso-now';

/** One batch (run, resume or retry) of one session. */
export interface BatchJob {
  context: CategorizeContext;
  scope: Scope;
  sessionId: string;
  provider: ResolvedProvider;
  signal: AbortSignal | undefined;
  /** The lease owner this batch claims rows as: unique per run or resume, across processes. */
  owner: string;
  /** Row ids by position, for the events' index and total. */
  positions: Map<string, number>;
  total: number;
  emit(event: Omit<CategorizeProgressEvent, 'sessionId' | 'index' | 'total'>): void;
}

export function createBatchJob(
  context: CategorizeContext,
  fields: Omit<BatchJob, 'context' | 'emit' | 'positions' | 'total' | 'owner'> & {
    rowIds: readonly string[];
    onProgress: CategorizeProgressListener | undefined;
  },
): BatchJob {
  const positions = new Map(fields.rowIds.map((id, index) => [id, index]));
  // Consecutive repeats of a row's stage are dropped unless they carry news (a message or result).
  const lastStage = new Map<string, string>();
  return {
    context,
    scope: fields.scope,
    sessionId: fields.sessionId,
    provider: fields.provider,
    signal: fields.signal,
    // Not from the injected IdGenerator: an owner is no record id, and tests pin those ids.
    owner: `${context.settings.workerName}/${globalThis.crypto.randomUUID()}`,
    positions,
    total: fields.rowIds.length,
    emit(event) {
      const listener = fields.onProgress;
      const watched = context.progress.has(fields.scope.orgId, fields.sessionId);
      if (listener === undefined && !watched) return;
      const repeated = lastStage.get(event.rowId) === event.stage;
      lastStage.set(event.rowId, event.stage);
      if (repeated && event.message === undefined && event.result === undefined) return;
      const full: CategorizeProgressEvent = {
        ...event,
        sessionId: fields.sessionId,
        index: positions.get(event.rowId) ?? -1,
        total: fields.rowIds.length,
      };
      if (watched) context.progress.publish(fields.scope.orgId, full);
      try {
        listener?.(full);
      } catch {
        // A failing display must not stop the batch; the rows carry the truth.
      }
    },
  };
}
