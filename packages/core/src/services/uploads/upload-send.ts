import { err, errAsync, ok, type Result } from 'neverthrow';
import { verifiedBytes } from '../../domain/verified-bytes';
import { notFoundError, toVBucketsError, type VBucketsError } from '../../errors';
import type {
  PlatformUploader,
  UploadableVideo,
  UploadSuccess,
} from '../../ports/platform-uploader';
import type { Scope } from '../../schemas/common';
import type { Upload, UploadAttempt } from '../../schemas/upload';
import type { Video } from '../../schemas/video';
import { isoNow } from '../iso-now';
import type { UploadsContext } from './uploads-context';
import type { UploadOptions } from './uploads-types';

/** The platform's answer: the id (and URL, when it gives one) of the post, or why there is none. */
export type SendResult = Result<UploadSuccess, VBucketsError>;

/** A claimed upload: the row, its attempt, and who holds the lease. */
export interface Claimed {
  video: Video;
  uploader: PlatformUploader;
  upload: Upload;
  attempt: UploadAttempt;
  owner: string;
}

/** Sends the bytes through the platform's token bucket, renewing the lease meanwhile. */
export async function sendClaimedUpload(
  context: UploadsContext,
  scope: Scope,
  { video, uploader, upload, owner }: Claimed,
  platform: string,
  metadata: Record<string, unknown>,
  options: UploadOptions,
): Promise<{ result: SendResult; corrupted?: VBucketsError }> {
  const { store, clock, leaseMs, limiters, warn } = context;
  const renewEvery = Math.max(1, Math.floor(leaseMs / 3));
  const timer = setInterval(() => {
    void store.uploads
      .renewLease(scope, { uploadId: upload.id, owner, now: isoNow(clock), leaseMs })
      .mapErr(warn);
  }, renewEvery);
  let result: SendResult;
  let corrupted: VBucketsError | undefined;
  try {
    const limiter = limiters.get(platform);
    const token = limiter === undefined ? ok(undefined) : await limiter.take(options.signal);
    result = token.isErr()
      ? err(token.error)
      : await uploader.upload(
          uploadableVideo(context, video, (error) => {
            corrupted = error;
          }),
          metadata,
          {
            signal: options.signal,
            onProgress: options.onProgress,
            checkpoint: upload.checkpoint,
            onCheckpoint: async (checkpoint) => {
              const saved = await store.uploads.saveCheckpoint(scope, {
                uploadId: upload.id,
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
  if (corrupted !== undefined && result.isErr()) return { result: err(corrupted), corrupted };
  return { result };
}

/**
 * A stored video as an uploader reads it. Every byte sent is hashed on the way: a damaged
 * stored copy errors before its last chunk, and `onCorrupted` hears of it.
 */
function uploadableVideo(
  { blobs, sha256 }: UploadsContext,
  video: Video,
  onCorrupted: (error: VBucketsError) => void,
): UploadableVideo {
  return {
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
  };
}
