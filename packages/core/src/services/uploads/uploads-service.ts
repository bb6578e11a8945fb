import { err, errAsync, ok, okAsync, type Result, ResultAsync } from 'neverthrow';
import { z } from 'zod';
import type { PageRequest } from '../../domain/page-request';
import { type Sleep, timerSleep } from '../../domain/rate-limit/sleep';
import { createTokenBucket, type TokenBucket } from '../../domain/rate-limit/token-bucket';
import { runConcurrently } from '../../domain/run-concurrently';
import { createSha256, type Sha256 } from '../../domain/sha256';
import { canUpload as guardCanUpload } from '../../domain/uploads/duplicate-guard';
import { createRetryPolicy, type RetryPolicyOptions } from '../../domain/uploads/retry-policy';
import { verifiedBytes } from '../../domain/verified-bytes';
import {
  notFoundError,
  toVBucketsError,
  type VBucketsError,
  validationError,
  vbucketsError,
} from '../../errors';
import type { AuditSink } from '../../ports/audit-sink';
import type { BlobStore } from '../../ports/blob-store';
import type { Clock } from '../../ports/clock';
import type { IdGenerator } from '../../ports/id-generator';
import type { PlatformUploader, UploadableVideo } from '../../ports/platform-uploader';
import type { Store, UploadOutcome } from '../../ports/store';
import { DEFAULT_PAGE_SIZE, IdSchema, PageSchema, type Scope } from '../../schemas/common';
import type { AuditEvent, Upload, UploadAttempt, UploadStatus } from '../../schemas/upload';
import type { Video } from '../../schemas/video';
import { isoNow } from '../iso-now';
import { parseInput } from '../parse-input';
import { readScope, recordScope, writeScope } from '../scope';
import { UPLOAD_STATUS_SYMBOLS } from './upload-status-symbols';

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
  /** Posts a video to a platform once; `DUPLICATE_UPLOAD` when the guard or the claim refuses. */
  upload(
    scope: Scope,
    videoId: string,
    platform: string,
    metadata?: Record<string, unknown>,
    options?: UploadOptions,
  ): ResultAsync<Upload, VBucketsError>;
  /**
   * Seed 001's `can_upload`: `[true, null]` or `[false, reason]`. A video that is not
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

function metadataOf<T>(metadata: MetadataFor<T> | undefined, item: T): Record<string, unknown> {
  if (metadata === undefined) return {};
  return typeof metadata === 'function' ? metadata(item) : metadata;
}

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
}

const MetadataSchema = z.record(z.string(), z.unknown());

const DEFAULT_LEASE_MS = 10 * 60 * 1000;

const StatusFilterSchema = PageSchema.extend({
  limit: PageSchema.shape.limit.default(DEFAULT_PAGE_SIZE),
  status: z
    .enum([
      'PENDING',
      'IN_PROGRESS',
      'SUCCESS',
      'FAILED',
      'FAILED_FINAL',
      'BLOCKED',
      'RATE_LIMITED',
    ])
    .optional(),
  platform: z.string().min(1).optional(),
});

export function createUploadsService(
  dependencies: UploadsServiceDependencies,
): Result<UploadsService, VBucketsError> {
  const { store, blobs, clock, ids, auditSink, onWarning } = dependencies;
  const sha256 = dependencies.sha256 ?? createSha256;
  const settings = dependencies.settings ?? {};
  const leaseMs = settings.leaseMs ?? DEFAULT_LEASE_MS;
  if (!Number.isSafeInteger(leaseMs) || leaseMs <= 0) {
    return err(validationError('Invalid leaseMs: must be a positive integer', { path: 'leaseMs' }));
  }
  const policy = createRetryPolicy({
    maxAutomaticRetries: settings.maxAutomaticRetries,
    baseDelayMs: settings.baseDelayMs,
    maxDelayMs: settings.maxDelayMs,
    random: settings.random,
  });
  if (policy.isErr()) return err(policy.error);
  const retryPolicy = policy.value;
  // Drawn on first use, so composing the SDK takes no id from the generator.
  let defaultOwner = settings.owner;
  const ownerOf = (options: UploadOptions) => {
    if (options.owner !== undefined) return options.owner;
    defaultOwner ??= `worker-${ids.next()}`;
    return defaultOwner;
  };
  const uploaders = new Map<string, PlatformUploader>();
  for (const uploader of dependencies.uploaders ?? []) uploaders.set(uploader.platform, uploader);
  const limiters = new Map<string, TokenBucket>();
  for (const [platform, requestsPerMinute] of Object.entries(settings.requestsPerMinute ?? {})) {
    const bucket = createTokenBucket(
      { requestsPerMinute },
      { clock, sleep: dependencies.sleep ?? timerSleep },
    );
    if (bucket.isErr()) return err(bucket.error);
    limiters.set(platform, bucket.value);
  }
  const warn = (warning: VBucketsError) => onWarning?.(warning);

  const audit = async (
    scope: Scope,
    upload: Upload,
    metadata: Record<string, unknown>,
  ): Promise<void> => {
    const event: AuditEvent = {
      id: ids.next(),
      at: isoNow(clock),
      orgId: scope.orgId,
      videoId: upload.videoId,
      platform: upload.platform,
      status: upload.status,
      uploadId: upload.id,
      retryCount: upload.retryCount,
      errorMessage: upload.errorMessage,
      metadata: JSON.parse(JSON.stringify(metadata)) as AuditEvent['metadata'],
    };
    const appended = await store.auditEvents.append(event);
    if (appended.isErr()) warn(appended.error);
    if (auditSink !== undefined) {
      try {
        const written = await auditSink.write(event);
        if (written.isErr()) warn(written.error);
      } catch (error) {
        warn(
          toVBucketsError(error, 'STORAGE', 'Writing to the audit sink threw', {
            adapter: 'audit-sink',
            operation: 'auditSink.write',
          }),
        );
      }
    }
  };

  // Every byte sent is hashed on the way: a damaged stored copy errors before its last chunk.
  const uploadableVideo = (
    video: Video,
    onCorrupted: (error: VBucketsError) => void,
  ): UploadableVideo => ({
    videoId: video.id,
    title: video.title,
    filename: video.filename,
    mimeType: video.mimeType,
    sizeBytes: video.sizeBytes,
    sha256: video.sha256,
    open: (offset = 0) =>
      blobs.get(video.blobKey).map((object) =>
        verifiedBytes(object.body, {
          expected: { videoId: video.id, sha256: video.sha256, sizeBytes: video.sizeBytes },
          hash: sha256(),
          skip: offset,
          onCorrupted,
        }),
      ),
    ...(blobs.presignGet === undefined
      ? {}
      : {
          publicUrl: () =>
            blobs.presignGet?.(video.blobKey, 3600) ?? errAsync(notFoundError('no presign')),
        }),
  });

  const runUpload = async (
    scope: Scope,
    videoId: string,
    platform: string,
    metadata: Record<string, unknown>,
    options: UploadOptions,
  ): Promise<Result<Upload, VBucketsError>> => {
    const video = await store.videos.get(scope, videoId);
    if (video.isErr()) return err(video.error);
    const head = await blobs.head(video.value.blobKey);
    if (head.isErr()) return err(head.error);
    if (head.value === null) {
      return err(notFoundError(`Video ${videoId}: video file not found`, { details: { videoId } }));
    }
    const uploader = uploaders.get(platform);
    if (uploader === undefined) {
      return err(
        validationError(`No uploader is registered for platform ${platform}`, { path: 'platform' }),
      );
    }
    // Bad metadata is the caller's mistake: refuse it before a claim writes anything, so the
    // corrected call is not turned away as a duplicate of a FAILED_FINAL row.
    const checked = uploader.validateMetadata?.(metadata);
    if (checked?.isErr()) return err(checked.error);
    const owner = ownerOf(options);
    const claim = await store.uploads.claim(scope, {
      videoId,
      platform,
      owner,
      now: isoNow(clock),
      leaseMs,
      force: options.force,
      duplicateAllowed: video.value.duplicateAllowed,
      uploadId: ids.next(),
      attemptId: ids.next(),
    });
    if (claim.isErr()) return err(claim.error);
    if (!claim.value.claimed) {
      const refused = claim.value;
      // A repeat of a posted video is a blocked attempt in the trail (seed 001's ❌ line);
      // callers turned away by a live claim or a pending backoff are not duplicates.
      if (
        refused.upload !== null &&
        (refused.refusal === 'already-uploaded' || refused.refusal === 'blocked')
      ) {
        await audit(
          scope,
          { ...refused.upload, status: 'BLOCKED', errorMessage: refused.reason },
          metadata,
        );
      }
      return err(
        vbucketsError('DUPLICATE_UPLOAD', `Upload refused: ${refused.reason}`, {
          retryable: false,
          details: { refusal: refused.refusal, videoId, platform },
        }),
      );
    }
    const { upload: claimed, attempt } = claim.value;
    await audit(scope, claimed, metadata);

    const renewEvery = Math.max(1, Math.floor(leaseMs / 3));
    const timer = setInterval(() => {
      void store.uploads
        .renewLease(scope, { uploadId: claimed.id, owner, now: isoNow(clock), leaseMs })
        .mapErr(warn);
    }, renewEvery);
    let result: Result<{ platformPostId: string }, VBucketsError>;
    let corrupted: VBucketsError | undefined;
    try {
      const limiter = limiters.get(platform);
      const token = limiter === undefined ? ok(undefined) : await limiter.take(options.signal);
      result = token.isErr()
        ? err(token.error)
        : await uploader.upload(
            uploadableVideo(video.value, (error) => {
              corrupted = error;
            }),
            metadata,
            {
              signal: options.signal,
              onProgress: options.onProgress,
              checkpoint: claimed.checkpoint,
              onCheckpoint: async (checkpoint) => {
                const saved = await store.uploads.saveCheckpoint(scope, {
                  uploadId: claimed.id,
                  owner,
                  now: isoNow(clock),
                  leaseMs,
                  checkpoint,
                });
                if (saved.isErr()) warn(saved.error);
              },
            },
          );
    } catch (error) {
      result = err(
        toVBucketsError(error, 'PROVIDER', `The ${platform} uploader threw`, {
          adapter: platform,
          operation: 'upload',
        }),
      );
    } finally {
      clearInterval(timer);
    }
    if (result.isErr() && result.error.code === 'RATE_LIMITED') {
      const wait = result.error.retryAfterMs;
      if (wait !== undefined) limiters.get(platform)?.holdUntil(clock.now() + wait);
    }
    // Damaged stored bytes are not the platform's failure: the row waits for a repair without
    // spending a retry, and the platform session that received them is never resumed.
    if (corrupted !== undefined && result.isErr()) result = err(corrupted);
    const outcome: UploadOutcome = result.isOk()
      ? { status: 'SUCCESS', platformPostId: result.value.platformPostId }
      : corrupted !== undefined
        ? {
            status: 'FAILED',
            errorMessage: corrupted.message,
            retryCount: claimed.retryCount,
            nextAttemptAt: null,
            discardCheckpoint: true,
          }
        : (() => {
            const decision = retryPolicy.afterFailure({
              retryCount: claimed.retryCount,
              now: clock.now(),
              error: result.error,
            });
            return {
              status: decision.status,
              errorMessage: decision.errorMessage,
              retryCount: decision.retryCount,
              nextAttemptAt: decision.nextAttemptAt,
            };
          })();
    const completed = await store.uploads.complete(scope, {
      uploadId: claimed.id,
      attemptId: attempt.id,
      owner,
      now: isoNow(clock),
      outcome,
    });
    if (completed.isErr()) return err(completed.error);
    await audit(scope, completed.value.upload, metadata);
    if (result.isErr()) return err(result.error);
    return ok(completed.value.upload);
  };

  const upload: UploadsService['upload'] = (
    scopeInput,
    videoId,
    platform,
    metadata = {},
    options = {},
  ) =>
    writeScope(scopeInput)
      .andThen((scope) => parseInput(IdSchema, videoId, 'videoId').map((id) => ({ scope, id })))
      .andThen((input) => parseInput(MetadataSchema, metadata, 'metadata').map(() => input))
      .asyncAndThen(
        ({ scope, id }) => new ResultAsync(runUpload(scope, id, platform, metadata, options)),
      );

  return ok({
    upload,

    canUpload: (scopeInput, videoId, platform) =>
      recordScope(scopeInput).asyncAndThen((scope) =>
        store.videos
          .get(scope, videoId)
          .andThen((video) =>
            store.uploads
              .get(scope, videoId, platform)
              .map((current) => guardCanUpload({ video, current, now: clock.now() })),
          )
          .orElse((error) =>
            // The seed answers "not allowed + reason" for an unknown video; the reason is built
            // here, not taken from the store, so another org's video reads exactly like a missing one.
            error.code === 'NOT_FOUND'
              ? okAsync([false, `No video "${videoId}"`] as const)
              : errAsync(error),
          ),
      ),

    runDue: (scopeInput, options = {}) =>
      writeScope(scopeInput).asyncAndThen((scope) =>
        store.uploads
          .listDue(scope, {
            now: new Date(options.now ?? clock.now()).toISOString(),
            limit: options.limit,
          })
          .andThen((due) =>
            ResultAsync.fromSafePromise(
              (async () => {
                const done: Upload[] = [];
                for (const row of due) {
                  const attempted = await runUpload(
                    scope,
                    row.videoId,
                    row.platform,
                    metadataOf(options.metadata, row),
                    {},
                  );
                  const after = await store.uploads.get(scope, row.videoId, row.platform);
                  if (attempted.isOk()) done.push(attempted.value);
                  else if (after.isOk() && after.value !== null) done.push(after.value);
                }
                return done;
              })(),
            ),
          ),
      ),

    uploadAllPending: (scopeInput, options) =>
      writeScope(scopeInput)
        .andThen((scope) => {
          const missing = options.platforms.find((platform) => !uploaders.has(platform));
          return missing === undefined
            ? ok(scope)
            : err(
                validationError(`No uploader is registered for platform ${missing}`, {
                  path: 'platforms',
                }),
              );
        })
        .asyncAndThen((scope) =>
          ResultAsync.combine([store.videos.list(scope), store.uploads.list(scope, {})] as const)
            .map(([videos, rows]) => {
              const uploaded = new Set(
                rows
                  .filter((row) => row.status === 'SUCCESS')
                  .map((row) => `${row.videoId}\u0000${row.platform}`),
              );
              const summary: UploadAllSummary = { uploaded: [], failed: [], skipped: [] };
              const jobs: { video: Video; platform: string }[] = [];
              // Oldest first, so a library is posted in the order it was registered.
              for (const video of [...videos].reverse()) {
                for (const platform of new Set(options.platforms)) {
                  if (uploaded.has(`${video.id}\u0000${platform}`)) {
                    summary.skipped.push({
                      videoId: video.id,
                      platform,
                      reason: 'already uploaded',
                    });
                  } else jobs.push({ video, platform });
                }
              }
              return { scope, summary, jobs };
            })
            .andThen(({ scope, summary, jobs }) =>
              ResultAsync.fromSafePromise(
                (async () => {
                  await runConcurrently(
                    jobs,
                    async ({ video, platform }) => {
                      const done = await runUpload(
                        scope,
                        video.id,
                        platform,
                        metadataOf(options.metadata, { video, platform }),
                        {},
                      );
                      const key = { videoId: video.id, platform };
                      if (done.isOk()) summary.uploaded.push(done.value);
                      else if (done.error.code === 'DUPLICATE_UPLOAD') {
                        summary.skipped.push({ ...key, reason: done.error.message });
                      } else summary.failed.push({ ...key, error: done.error });
                    },
                    { concurrency: options.concurrency ?? 2 },
                  );
                  return summary;
                })(),
              ),
            ),
        ),

    history: (scopeInput, videoId) =>
      recordScope(scopeInput)
        .andThen((scope) => parseInput(IdSchema, videoId, 'videoId').map((id) => ({ scope, id })))
        .asyncAndThen(({ scope, id }) =>
          store.videos
            .get(scope, id)
            .andThen(() => store.uploads.listByVideo(scope, id))
            .andThen((rows) =>
              ResultAsync.combine(
                rows.map((row) =>
                  store.uploads.listAttempts(scope, row.id).map(
                    (attempts): UploadHistoryEntry => ({
                      ...row,
                      symbol: UPLOAD_STATUS_SYMBOLS[row.status],
                      attempts,
                    }),
                  ),
                ),
              ),
            ),
        ),

    status: (scopeInput, filter = {}) =>
      readScope(scopeInput)
        .andThen((scope) => recordScope(scope))
        .andThen((scope) =>
          parseInput(StatusFilterSchema, filter, 'filter').map((parsed) => ({ scope, parsed })),
        )
        .asyncAndThen(({ scope, parsed }) =>
          store.uploads
            .list(scope, parsed)
            .map((rows) =>
              rows.map((row) => ({ ...row, symbol: UPLOAD_STATUS_SYMBOLS[row.status] })),
            ),
        ),
  });
}
