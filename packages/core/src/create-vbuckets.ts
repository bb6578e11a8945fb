import { err, errAsync, ok, type Result } from 'neverthrow';
import { type AccessService, createAccessService } from './access/access-service';
import type { Sleep } from './domain/rate-limit/sleep';
import type { Sha256 } from './domain/sha256';
import { type VBucketsError, validationError } from './errors';
import type { AuditSink } from './ports/audit-sink';
import type { BlobStore } from './ports/blob-store';
import { type Clock, systemClock } from './ports/clock';
import { type IdGenerator, randomIdGenerator } from './ports/id-generator';
import type { JobQueue } from './ports/job-queue';
import type { LocalFiles } from './ports/local-files';
import type { MediaProbe } from './ports/media-probe';
import type { MetricsSource } from './ports/metrics-source';
import type { PlatformUploader } from './ports/platform-uploader';
import type { Store } from './ports/store';
import type { ThumbnailScorer } from './ports/thumbnail-scorer';
import type { VideoAnalyzer } from './ports/video-analyzer';
import { type BucketsService, createBucketsService } from './services/buckets-service';
import {
  type CategorizeService,
  createCategorizeService,
} from './services/categorize/categorize-service';
import type {
  CategorizationProvider,
  CategorizeSettings,
} from './services/categorize/categorize-types';
import { createInsightsService } from './services/insights/insights-service';
import type { InsightsService } from './services/insights/insights-types';
import { builtinJobKinds } from './services/jobs/job-handlers';
import type { BuiltinJobEnqueue } from './services/jobs/job-kinds';
import { createJobsService } from './services/jobs/jobs-service';
import type { JobsService, JobsSettings } from './services/jobs/jobs-types';
import { createStoreJobQueue } from './services/jobs/store-job-queue';
import { createMarketService } from './services/market/market-service';
import type { MarketService, MarketSettings } from './services/market/market-types';
import { createSegmentsService } from './services/segments/segments-service';
import type { SegmentsService, SegmentsSettings } from './services/segments/segments-types';
import { createTasksService } from './services/tasks/tasks-service';
import type { TasksService, TasksSettings, ThumbnailsService } from './services/tasks/tasks-types';
import { createThumbnailsService } from './services/tasks/thumbnails-service';
import {
  createUploadsService,
  type UploadsService,
  type UploadsSettings,
} from './services/uploads/uploads-service';
import { createVideosService, type VideosService } from './services/videos/videos-service';

export interface VBucketsOptions {
  /** Durable state (`@vbuckets/storage-sqlite`, `@vbuckets/storage-postgres`, or the memory store). */
  store: Store;
  /** Where video bytes live (`@vbuckets/fs`, `@vbuckets/r2`, or the memory blob store). */
  blobs: BlobStore;
  /** Defaults to the wall clock. */
  clock?: Clock;
  /** Defaults to random UUIDs. */
  ids?: IdGenerator;
  /** AI (or offline) providers by name, as `categorize.run({ provider })` names them. */
  providers?: Record<string, CategorizationProvider>;
  /** Tuning of the batch pipeline (batch size, concurrency, attempts, …). */
  categorize?: CategorizeSettings;
  /** Platform uploaders (`@vbuckets/youtube`, …), one per platform. */
  uploaders?: PlatformUploader[];
  /** Also writes every upload audit event here (a JSON-lines file); its failures never fail an upload. */
  auditSink?: AuditSink;
  /** Probes files given with a local path (`probePath`): records durations, refuses undecodable files. */
  mediaProbe?: MediaProbe;
  /**
   * Gives stored videos a local path for the probe (`thumbnails.generateCandidates`): on Node,
   * `createTempLocalFiles()` from `@vbuckets/core/node` (a temporary copy, removed afterwards).
   */
  localFiles?: LocalFiles;
  /**
   * Scores thumbnail candidates: default the image-quality heuristic (never predicts clicks);
   * `createClaudeThumbnailScorer` from `@vbuckets/anthropic` also predicts clicks.
   */
  thumbnailScorer?: ThumbnailScorer;
  /**
   * The incremental SHA-256 that checks stored bytes (`videos.verify`, re-registration, every
   * upload and bucket ZIP): default a pure-TypeScript one (any runtime);
   * on Node pass `nodeSha256` from `@vbuckets/core/node` (node:crypto, about 4× faster).
   */
  sha256?: () => Sha256;
  /** Analyzers by purpose: `market` runs the vision analysis of creatives (`@vbuckets/anthropic`). */
  analyzers?: { market?: VideoAnalyzer };
  /** Prior cap, evidence weights, analysis threshold and admin role of the market service. */
  market?: MarketSettings;
  /** Lease, retry and rate-limit tuning of uploads. */
  uploads?: UploadsSettings;
  /** The engine pricing table of `tasks.estimateCost` (default: `runway_standard` only). */
  tasks?: TasksSettings;
  /**
   * Who may watch what: the role that may read its own org's private videos and download its
   * segments (default `admin`, null for none).
   */
  access?: { adminRole?: string | null };
  /**
   * Reads posts' public metrics for `segments.syncMetrics`, one per platform (a second one for
   * a platform is a settings error); `@vbuckets/uploaders` has YouTube, TikTok, Instagram, Meta.
   */
  metricsSources?: MetricsSource[];
  /** Rate limits and retry bounds of `segments.syncMetrics`. */
  segments?: SegmentsSettings;
  /**
   * Waits of the rate limiters and retries (uploads, metrics syncs): default the runtime's
   * timers; tests pass one that moves a manual clock.
   */
  sleep?: Sleep;
  /**
   * The job engine of `vb.jobs` and of the services that queue work (`categorize.start`,
   * market analyses, metric syncs after posts): default the embedded one in the store
   * (`createStoreJobQueue`); `createBullMqJobQueue` from `@vbuckets/queue-bullmq` to scale out.
   */
  queue?: JobQueue;
  /** Worker concurrency and the metrics sync after posts. */
  jobs?: JobsSettings;
  /** Warnings that do not fail an operation (audit sink failures, lost lease renewals, thumbnail images a delete left). */
  onWarning?: (warning: VBucketsError) => void;
}

/**
 * The SDK: services composed over the ports you give it. It hands out services only, never the
 * store or blob store it was given: every change goes through a service, which checks input,
 * scopes by org and writes the audit trail. A host that needs the raw bytes (a ZIP writer)
 * already holds the blob store it composed.
 */
export interface VBuckets {
  readonly buckets: BucketsService;
  /** Batches: store, analyse and file videos into buckets; results, CSV, uploaded marks. */
  readonly categorize: CategorizeService;
  /** The video registry: register (deduplicated by content), list with upload status, duplicates. */
  readonly videos: VideosService;
  /** Posting videos to platforms: one upload per claim, retries, audit trail. */
  readonly uploads: UploadsService;
  /** Market intelligence: benchmarks, client creatives, Thompson ranking, vision analysis. */
  readonly market: MarketService;
  /** Who may watch which video: URLs for actors (owner-only private videos), public benchmark listing. */
  readonly access: AccessService;
  /** AI video-generation tasks: status, YouTube metadata, cost estimates, the generated video. */
  readonly tasks: TasksService;
  /** Thumbnail variants of generation tasks, one selected per task. */
  readonly thumbnails: ThumbnailsService;
  /** Segments of registered videos: their bytes, social usage and metrics, splits, downloads. */
  readonly segments: SegmentsService;
  /** Evidence from social usage for what to make next: buckets and market patterns ranked. */
  readonly insights: InsightsService;
  /** Background work: queue the SDK's jobs (and yours), run workers, list and retry jobs. */
  readonly jobs: JobsService;
  /** Closes the job queue and the store (the blob store is the caller's to close: it composed it). */
  close(): Promise<void>;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/**
 * Composes the services over your adapters; `VALIDATION` naming the field when the options are
 * missing, a required adapter is absent, or the `uploads` settings are invalid.
 */
export function createVBuckets(options: VBucketsOptions): Result<VBuckets, VBucketsError> {
  // Called from JavaScript or with a config read at run time, so the types are no guarantee.
  const given: unknown = options;
  if (!isObject(given)) {
    return err(
      validationError('createVBuckets needs options with a store and blobs', { path: 'options' }),
    );
  }
  if (!isObject(given.store)) {
    return err(validationError('createVBuckets needs a store (options.store)', { path: 'store' }));
  }
  if (!isObject(given.blobs)) {
    return err(
      validationError('createVBuckets needs a blob store (options.blobs)', { path: 'blobs' }),
    );
  }
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIdGenerator;
  const { store, blobs } = options;
  const queue =
    options.queue ??
    createStoreJobQueue(store, {
      clock,
      ...(options.onWarning === undefined ? {} : { onError: options.onWarning }),
    });
  // Services queue through the jobs service, built last (its kinds run on the services).
  let jobsService: JobsService | undefined;
  const jobs: BuiltinJobEnqueue = (kind, payload, enqueueOptions) =>
    jobsService === undefined
      ? errAsync(validationError('The jobs service is not ready yet'))
      : jobsService.enqueue(kind, payload, enqueueOptions);
  const uploads = createUploadsService({
    store,
    blobs,
    clock,
    ids,
    uploaders: options.uploaders,
    auditSink: options.auditSink,
    settings: options.uploads,
    onWarning: options.onWarning,
    sha256: options.sha256,
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    jobs,
    ...(options.jobs?.metricsSyncAfterUploadMs === undefined
      ? {}
      : { metricsSyncAfterUploadMs: options.jobs.metricsSyncAfterUploadMs }),
  });
  if (uploads.isErr()) return err(uploads.error);
  const videos = createVideosService({
    store,
    blobs,
    clock,
    ids,
    mediaProbe: options.mediaProbe,
    sha256: options.sha256,
  });
  const taskDependencies = {
    store,
    blobs,
    clock,
    ids,
    videos,
    settings: options.tasks,
    mediaProbe: options.mediaProbe,
    localFiles: options.localFiles,
    thumbnailScorer: options.thumbnailScorer,
    onWarning: options.onWarning,
  };
  const categorize = createCategorizeService({
    store,
    blobs,
    clock,
    ids,
    providers: options.providers,
    settings: options.categorize,
    mediaProbe: options.mediaProbe,
    sha256: options.sha256,
    jobs,
  });
  const market = createMarketService({
    store,
    blobs,
    clock,
    ids,
    videos,
    analyzer: options.analyzers?.market,
    settings: options.market,
    jobs,
    onWarning: options.onWarning,
  });
  const thumbnails = createThumbnailsService(taskDependencies);
  const segments = createSegmentsService({
    store,
    blobs,
    clock,
    ids,
    mediaProbe: options.mediaProbe,
    localFiles: options.localFiles,
    metricsSources: options.metricsSources,
    settings: options.segments,
    adminRole: options.access?.adminRole,
    sleep: options.sleep,
    onWarning: options.onWarning,
  });
  jobsService = createJobsService({
    queue,
    store,
    clock,
    builtins: builtinJobKinds({
      store,
      clock,
      categorize,
      uploads: uploads.value,
      market,
      segments,
      thumbnails,
      ...(options.jobs?.heldWorkWaitMs === undefined
        ? {}
        : { heldWorkWaitMs: options.jobs.heldWorkWaitMs }),
    }),
    providerNames: Object.keys(options.providers ?? {}),
    settings: options.jobs,
  });
  return ok({
    buckets: createBucketsService({ store, clock, ids }),
    categorize,
    videos,
    market,
    uploads: uploads.value,
    access: createAccessService({
      store,
      blobs,
      clock,
      adminRole: options.access?.adminRole,
    }),
    tasks: createTasksService(taskDependencies),
    thumbnails,
    segments,
    insights: createInsightsService({ store, market: options.market }),
    jobs: jobsService,
    close: async () => {
      await queue.close();
      await store.close();
    },
  });
}
