import { fromZodError, type UploadCheckpoint, VBucketsError } from '@vbuckets/core';
import {
  type PlatformUploader,
  type PlatformUploadOptions,
  settingsError,
  type UploadableVideo,
  type UploadSuccess,
  withErrorSource,
} from '@vbuckets/core/adapter-kit';
import { err, errAsync, ok, ResultAsync } from 'neverthrow';
import type { z } from 'zod';
import { mapNetworkFailure } from './uploader-error';

/** One upload, throwing its failure (a VBucketsError, or anything the network threw). */
export type UploadRun = (
  video: UploadableVideo,
  metadata: Record<string, unknown>,
  options: PlatformUploadOptions,
) => Promise<UploadSuccess>;

/** The metadata an uploader accepts, checked before the uploads service claims anything. */
export interface UploadMetadataCheck {
  schema: z.ZodType;
  /** Names the metadata in a VALIDATION error, e.g. `youtube metadata`. */
  subject: string;
}

/**
 * The PlatformUploader around `run`: its failure comes back as an Err (a non-VBucketsError is
 * mapped as a network failure of `action`), naming the platform in `error.adapter` and the
 * call in `error.operation`.
 */
export function platformUploader(
  platform: string,
  run: UploadRun,
  action?: string,
  metadataCheck?: UploadMetadataCheck,
): PlatformUploader {
  const at = (operation: string) => (error: VBucketsError) =>
    withErrorSource(error, { adapter: platform, operation });
  return {
    specificationVersion: 'v1',
    platform,
    ...(metadataCheck === undefined
      ? {}
      : {
          validateMetadata(metadata: Record<string, unknown>) {
            const parsed = metadataCheck.schema.safeParse(metadata);
            return parsed.success
              ? ok(parsed.data)
              : err(at('validateMetadata')(fromZodError(parsed.error, metadataCheck.subject)));
          },
        }),
    upload(video, metadata, options = {}) {
      return ResultAsync.fromPromise(run(video, metadata, options), (error) =>
        mapNetworkFailure(platform, error, options.signal, action),
      ).mapErr(at('upload'));
    },
  };
}

/**
 * The uploader of invalid settings: `validateMetadata` and `upload` both answer the settings
 * VALIDATION error, so the uploads service refuses before it claims anything; nothing is sent.
 */
export function refusingUploader(platform: string, refusal: VBucketsError): PlatformUploader {
  const at = (operation: string) => withErrorSource(refusal, { adapter: platform, operation });
  return {
    specificationVersion: 'v1',
    platform,
    validateMetadata: () => err(at('validateMetadata')),
    upload: () => errAsync(at('upload')),
  };
}

/** The refusal of an uploader's settings: VALIDATION naming the field, marked as settings. */
export function uploaderSettingsError(error: z.ZodError, subject: string): VBucketsError {
  return settingsError(fromZodError(error, subject));
}

/** Parses upload metadata; throws a VALIDATION error naming `subject` and the field. */
export function parseUploadMetadata<T>(
  schema: z.ZodType<T>,
  metadata: Record<string, unknown>,
  subject: string,
): T {
  const parsed = schema.safeParse(metadata);
  if (!parsed.success) throw fromZodError(parsed.error, subject);
  return parsed.data;
}

/** What a resumable (chunked, checkpointed) upload does; see {@link resumableUploadRun}. */
export interface ResumableUpload<M, S> {
  platform: string;
  metadataSchema: z.ZodType<M>;
  /** Names the metadata in a VALIDATION error, e.g. `meta metadata`. */
  metadataSubject: string;
  /** The session state a checkpoint describes, or `undefined` when it is unusable. */
  stateOfCheckpoint: (
    checkpoint: UploadCheckpoint | null | undefined,
    sizeBytes: number,
  ) => S | undefined;
  /** Whether `error`, thrown while continuing a resumed session, means the session is gone. */
  isStale: (state: S, error: unknown) => boolean;
  /** Opens a new session. */
  start: (video: UploadableVideo, metadata: M, signal?: AbortSignal) => Promise<S>;
  /** Sends the rest of the video in a session and waits for the post. */
  proceed: (
    video: UploadableVideo,
    metadata: M,
    state: S,
    options: PlatformUploadOptions,
  ) => Promise<UploadSuccess>;
}

/**
 * The run of a resumable upload: parses the metadata, refuses an empty video, continues the
 * session of the checkpoint if there is one, and when the platform refuses it as stale (upload
 * sessions expire) starts a new session and continues that instead.
 */
export function resumableUploadRun<M, S>(upload: ResumableUpload<M, S>): UploadRun {
  return async (video, rawMetadata, options) => {
    const metadata = parseUploadMetadata(
      upload.metadataSchema,
      rawMetadata,
      upload.metadataSubject,
    );
    if (video.sizeBytes <= 0) {
      throw new VBucketsError('VALIDATION', `The video is empty`, {
        path: 'sizeBytes',
      });
    }
    options.signal?.throwIfAborted();
    const resumed = upload.stateOfCheckpoint(options.checkpoint, video.sizeBytes);
    if (resumed !== undefined) {
      try {
        return await upload.proceed(video, metadata, resumed, options);
      } catch (error) {
        if (!upload.isStale(resumed, error)) throw error;
      }
    }
    const started = await upload.start(video, metadata, options.signal);
    return upload.proceed(video, metadata, started, options);
  };
}
