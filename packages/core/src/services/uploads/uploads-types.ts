import type { ResultAsync } from 'neverthrow';
import type { Sleep } from '../../domain/rate-limit/sleep';
import type { Sha256 } from '../../domain/sha256';
import type { RetryPolicyOptions } from '../../domain/uploads/retry-policy';
import type { VBucketsError } from '../../errors';
import type { AuditSink } from '../../ports/audit-sink';
import type { BlobStore } from '../../ports/blob-store';
import type { Clock } from '../../ports/clock';
import type { IdGenerator } from '../../ports/id-generator';
import type { PageRequest } from '../../ports/page-request';
import type { PlatformUploader } from '../../ports/platform-uploader';
import type { Store } from '../../ports/store';
import type { Scope } from '../../schemas/common';
import type { Upload, UploadAttempt, UploadStatus } from '../../schemas/upload';
import type { Video } from '../../schemas/video';
import type { BuiltinJobEnqueue } from '../jobs/job-kinds';

/** Tuning of uploads; all optional. */
export interface UploadsSettings extends Omit<RetryPolicyOptions, 'random'> {
  /** How long a claim holds without renewal (default 10 minutes); renewed every third of it. */
  leaseMs?: number;
  /** Requests per minute per platform (token bucket); unlimited when absent. */
  requestsPerMinute?: Record<string, number>;
  /** A source of numbers in [0, 1) for backoff jitter. */
  random?: () => number;
  /** Names this worker as lease owner (default a random id per service). */
  owner?: string;
}

export interface UploadOptions {
  /** A person's manual override (retry after FAILED_FINAL, skip the backoff, post a duplicate). */
  force?: boolean;
  signal?: AbortSignal;
  /** The lease owner for this call (defaults to the service's). */
  owner?: string;
  /** Bytes sent so far, as the uploader reports them (for progress bars). */
  onProgress?: (sentBytes: number, totalBytes: number) => void;
}

/** Uploads of registered videos to platforms (seed 001's run_upload_stage and friends). */
export interface UploadsService {
  /**
   * Posts a video to a platform once; `DUPLICATE_UPLOAD` when the guard or the claim refuses.
   * With no metadata (also in `runDue` and `uploadAllPending`), a YouTube upload of a
   * generation task's video sends the task's youtubeTitle, youtubeDescription and youtubeTags.
   */
  upload(
    scope: Scope,
    videoId: string,
    platform: string,
    metadata?: Record<string, unknown>,
    options?: UploadOptions,
  ): ResultAsync<Upload, VBucketsError>;
  /**
   * Seed 001's `can_upload`: `[true, null]` or `[false, reason]`, answering whether `upload`
   * without force would start an attempt now. Besides a duplicate (posted, blocked or in
   * progress), a FAILED or RATE_LIMITED row whose next attempt is not yet due (the reason says
   * when) and a FAILED_FINAL one are refused, as `upload` refuses them. A video that is not
   * registered (or is another org's) is `[false, 'No video "…"']`, not an error.
   */
  canUpload(
    scope: Scope,
    videoId: string,
    platform: string,
  ): ResultAsync<readonly [boolean, string | null], VBucketsError>;
  /** Retries the rows that are due now; returns their rows after the attempt. */
  runDue(
    scope: Scope,
    options?: { now?: number; limit?: number; metadata?: MetadataFor<Upload> },
  ): ResultAsync<Upload[], VBucketsError>;
  /** Uploads every registered video to every given platform where it is not yet SUCCESS. */
  uploadAllPending(
    scope: Scope,
    options: {
      platforms: readonly string[];
      concurrency?: number;
      metadata?: MetadataFor<{ video: Video; platform: string }>;
    },
  ): ResultAsync<UploadAllSummary, VBucketsError>;
  /**
   * The platforms this SDK has an uploader for (what `upload` accepts), sorted by name: the
   * same for every org, since uploaders are the host's configuration.
   */
  platforms(): string[];
  /** A video's upload per platform, with its symbol and every attempt, oldest first; `NOT_FOUND` for another org's video. */
  history(scope: Scope, videoId: string): ResultAsync<UploadHistoryEntry[], VBucketsError>;
  /**
   * One page (default 100, at most 1000) of the org's upload rows, most recently updated
   * first, optionally of one status and/or platform, with their symbol. The next page starts
   * `after` the id of the last row of this one.
   */
  status(
    scope: Scope,
    filter?: { status?: UploadStatus; platform?: string } & PageRequest,
  ): ResultAsync<(Upload & { symbol: string })[], VBucketsError>;
}

/**
 * Platform metadata (title, caption, tags…) for uploads that a batch starts: one object for
 * every upload, or a function that gives each its own. The host keeps per-video metadata.
 */
export type MetadataFor<T> = Record<string, unknown> | ((item: T) => Record<string, unknown>);

/** One platform's upload of a video and the attempts it took. */
export interface UploadHistoryEntry extends Upload {
  symbol: string;
  attempts: UploadAttempt[];
}

export interface UploadAllSummary {
  uploaded: Upload[];
  failed: { videoId: string; platform: string; error: VBucketsError }[];
  skipped: { videoId: string; platform: string; reason: string }[];
}

export interface UploadsServiceDependencies {
  store: Store;
  blobs: BlobStore;
  clock: Clock;
  ids: IdGenerator;
  uploaders?: readonly PlatformUploader[];
  auditSink?: AuditSink;
  settings?: UploadsSettings;
  /** Audit sink failures and lease renewal failures land here; they never fail an upload. */
  onWarning?: (warning: VBucketsError) => void;
  /** Waits of the rate limiter (tests inject a fake). */
  sleep?: Sleep;
  /** The incremental SHA-256 every sent byte is checked with (default the pure-TypeScript one). */
  sha256?: () => Sha256;
  /** Queues the SDK's jobs; with `metricsSyncAfterUploadMs`, a post queues a metrics sync. */
  jobs?: BuiltinJobEnqueue;
  /** A successful post to a social platform queues its metrics sync this much later. */
  metricsSyncAfterUploadMs?: number;
}
