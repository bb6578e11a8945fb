import { err, ok, okAsync, type Result } from 'neverthrow';
import {
  notFoundError,
  storageError,
  type VBucketsError,
  validationError,
  vbucketsError,
} from '../../errors';
import type { UploadOutcome } from '../../ports/store';
import type { Scope } from '../../schemas/common';
import type { Upload } from '../../schemas/upload';
import { isoNow } from '../iso-now';
import { jobIdOf } from '../jobs/job-kinds';
import { auditUpload } from './upload-audit';
import { resolveUploadMetadata } from './upload-metadata';
import { type Claimed, type SendResult, sendClaimedUpload } from './upload-send';
import { isSocialPlatform, recordPostedUsage } from './upload-usage';
import type { UploadsContext } from './uploads-context';
import type { UploadOptions } from './uploads-types';

/**
 * One attempt to post a video: claim the (video, platform) row, send the bytes while the lease
 * is renewed, then complete the row with the outcome. Every transition is audited. Without
 * metadata, a YouTube upload of a task's video takes the task's (`resolveUploadMetadata`).
 */
export async function runUploadAttempt(
  context: UploadsContext,
  scope: Scope,
  videoId: string,
  platform: string,
  given: Record<string, unknown>,
  options: UploadOptions,
): Promise<Result<Upload, VBucketsError>> {
  const resolved = await resolveUploadMetadata(context.store, scope, videoId, platform, given);
  if (resolved.isErr()) return err(resolved.error);
  const metadata = resolved.value;
  const claimed = await claim(context, scope, videoId, platform, metadata, options);
  if (claimed.isErr()) return err(claimed.error);
  const { upload } = claimed.value;
  const sent = await sendClaimedUpload(context, scope, claimed.value, platform, metadata, options);
  const outcome = outcomeOf(context, upload, sent.result, sent.corrupted);
  const completed = await complete(context, scope, claimed.value, outcome, sent.result);
  if (completed.isErr()) return err(completed.error);
  await auditUpload(context, scope, completed.value.upload, metadata);
  if (sent.result.isErr()) return err(sent.result.error);
  await queueMetricsSync(context, completed.value.upload);
  return ok(completed.value.upload);
}

/**
 * After a post to a social platform, queues a metrics sync of that platform for later (when
 * `metricsSyncAfterUploadMs` is set): one job per upload. A failed enqueue is only a warning.
 */
async function queueMetricsSync(context: UploadsContext, upload: Upload): Promise<void> {
  const { jobs, metricsSyncAfterUploadMs: delayMs } = context;
  const { platform } = upload;
  if (jobs === undefined || delayMs === undefined || !isSocialPlatform(platform)) return;
  const queued = await jobs(
    'segments.syncMetrics',
    { orgId: upload.orgId, platforms: [platform] },
    { delayMs, jobId: jobIdOf(upload.orgId, 'after upload', upload.id) },
  );
  if (queued.isErr()) context.warn(queued.error);
}

/**
 * Ends the attempt in the ledger. A success on a social platform also records the post on the
 * video's `original` segment in the same transaction (`recordPostedUsage`), so the usage row
 * exists exactly when the ledger says SUCCESS. Should that bookkeeping fail, the completion is
 * written alone and the failure reported to `onWarning`: a post the ledger forgot would be
 * posted again by the next retry, which is worse than a missing usage row.
 */
async function complete(
  context: UploadsContext,
  scope: Scope,
  { video, upload, attempt, owner }: Claimed,
  outcome: UploadOutcome,
  result: SendResult,
): Promise<Result<{ upload: Upload }, VBucketsError>> {
  const now = isoNow(context.clock);
  const input = { uploadId: upload.id, attemptId: attempt.id, owner, now, outcome };
  if (result.isErr() || !isSocialPlatform(upload.platform)) {
    return context.store.uploads.complete(scope, input);
  }
  const posted = result.value;
  const segmentId = context.ids.next();
  let usageFailure: VBucketsError | undefined;
  const together = await context.store.transaction((tx) =>
    tx.uploads.complete(scope, input).andThen((done) =>
      done.upload.status !== 'SUCCESS'
        ? okAsync(done)
        : recordPostedUsage(tx, scope, { video, upload: done.upload, posted, segmentId, now })
            .mapErr((error) => {
              usageFailure = error;
              return error;
            })
            .map(() => done),
    ),
  );
  if (together.isOk() || usageFailure === undefined) return together;
  context.warn(
    storageError(
      `Upload ${upload.id} succeeded, but its post could not be recorded on the video's original segment`,
      { cause: usageFailure, details: { uploadId: upload.id, videoId: video.id } },
    ),
  );
  return context.store.uploads.complete(scope, input);
}

/**
 * Checks the video, its stored bytes, the platform's uploader and the metadata, then claims the
 * row; a refusal is DUPLICATE_UPLOAD (audited as BLOCKED when it repeats a posted video).
 */
async function claim(
  context: UploadsContext,
  scope: Scope,
  videoId: string,
  platform: string,
  metadata: Record<string, unknown>,
  options: UploadOptions,
): Promise<Result<Claimed, VBucketsError>> {
  const { store, blobs, ids } = context;
  const video = await store.videos.get(scope, videoId);
  if (video.isErr()) return err(video.error);
  const head = await blobs.head(video.value.blobKey);
  if (head.isErr()) return err(head.error);
  if (head.value === null) {
    return err(notFoundError(`Video ${videoId}: video file not found`, { details: { videoId } }));
  }
  const uploader = context.uploaders.get(platform);
  if (uploader === undefined) {
    return err(
      validationError(`No uploader is registered for platform ${platform}`, { path: 'platform' }),
    );
  }
  // Bad metadata is the caller's mistake: refuse it before a claim writes anything, so the
  // corrected call is not turned away as a duplicate of a FAILED_FINAL row.
  const checked = uploader.validateMetadata?.(metadata);
  if (checked?.isErr()) return err(checked.error);
  const owner = context.ownerOf(options);
  const claimed = await store.uploads.claim(scope, {
    videoId,
    platform,
    owner,
    now: isoNow(context.clock),
    leaseMs: context.leaseMs,
    force: options.force,
    duplicateAllowed: video.value.duplicateAllowed,
    uploadId: ids.next(),
    attemptId: ids.next(),
  });
  if (claimed.isErr()) return err(claimed.error);
  if (!claimed.value.claimed) {
    const refused = claimed.value;
    // A repeat of a posted video is a blocked attempt in the trail (seed 001's ❌ line);
    // callers turned away by a live claim or a pending backoff are not duplicates.
    if (
      refused.upload !== null &&
      (refused.refusal === 'already-uploaded' || refused.refusal === 'blocked')
    ) {
      await auditUpload(
        context,
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
  const { upload, attempt } = claimed.value;
  await auditUpload(context, scope, upload, metadata);
  return ok({ video: video.value, uploader, upload, attempt, owner });
}

/** The row's end state: SUCCESS, a wait for repaired bytes, or what the retry policy decides. */
function outcomeOf(
  context: UploadsContext,
  upload: Upload,
  result: SendResult,
  corrupted: VBucketsError | undefined,
): UploadOutcome {
  if (result.isOk()) return { status: 'SUCCESS', platformPostId: result.value.platformPostId };
  if (corrupted !== undefined) {
    return {
      status: 'FAILED',
      errorMessage: corrupted.message,
      retryCount: upload.retryCount,
      nextAttemptAt: null,
      discardCheckpoint: true,
    };
  }
  const decision = context.retryPolicy.afterFailure({
    retryCount: upload.retryCount,
    now: context.clock.now(),
    error: result.error,
  });
  return {
    status: decision.status,
    errorMessage: decision.errorMessage,
    retryCount: decision.retryCount,
    nextAttemptAt: decision.nextAttemptAt,
  };
}
