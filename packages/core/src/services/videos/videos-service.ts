import { err, ok, type Result, ResultAsync } from 'neverthrow';
import { z } from 'zod';
import { createSha256, type Sha256 } from '../../domain/sha256';
import { conflictError, type VBucketsError } from '../../errors';
import type { BlobBody, BlobStore } from '../../ports/blob-store';
import type { Clock } from '../../ports/clock';
import type { IdGenerator } from '../../ports/id-generator';
import type { MediaProbe } from '../../ports/media-probe';
import type { PageRequest } from '../../ports/page-request';
import type { Store } from '../../ports/store';
import { DEFAULT_PAGE_SIZE, IdSchema, PageSchema, type Scope } from '../../schemas/common';
import type { Upload, UploadStatus } from '../../schemas/upload';
import type { Video, VideoVisibility } from '../../schemas/video';
import { isoNow } from '../iso-now';
import { parseInput } from '../parse-input';
import { readScope, recordScope, writeScope } from '../scope';
import {
  checkStoredCopy,
  dropBlob,
  probeIntake,
  registerStoredVideo,
  type StoredCopyCheck,
  storeVideoBytes,
  stripExtension,
} from './video-intake';

const DuplicateAllowedSchema = z.strictObject({ id: IdSchema, allowed: z.boolean() });

/** A file to register as a video. */
export interface VideoRegisterInput {
  filename: string;
  /** Opens the bytes; called once. */
  body: () => BlobBody;
  title?: string;
  ownerId: string;
  duplicateAllowed?: boolean;
  mimeType?: string;
  /** A local path of the same file, for the MediaProbe to read its duration. */
  probePath?: string;
  /** Refuse (`CONFLICT`) instead of returning the org's video with identical content. */
  strict?: boolean;
  /** `public` for a market benchmark anyone authenticated may watch; default `private` (owner only). */
  visibility?: VideoVisibility;
  /** The product category of a benchmark, for `access.listBenchmarks`. */
  productCategory?: string;
  /**
   * Refuse a file larger than this while it streams (`VALIDATION`, path `file`, `details.reason`
   * `oversize`): nothing is stored. Default no limit.
   */
  maxFileBytes?: number;
}

/** What `register` did: `created` false when the org's video with identical content was returned. */
export interface RegisteredVideo {
  video: Video;
  created: boolean;
  /** True when that video's stored copy was missing or damaged and these bytes replaced it. */
  repaired: boolean;
}

/** A video with the status of its upload to each platform it was ever attempted on. */
export interface VideoWithUploads extends Video {
  uploads: Record<string, UploadStatus>;
}

/** What a re-read of a video's stored bytes found. */
export type VideoVerification = StoredCopyCheck;

/** The video registry of seed 001. */
export interface VideosService {
  /**
   * Stores the bytes and registers a video; identical content in the org returns the existing
   * video (`CONFLICT` when `strict`), whose stored copy these bytes repair when it was lost or
   * damaged. With a MediaProbe and a `probePath`, an undecodable file is a `MEDIA` error and
   * nothing is stored.
   */
  register(scope: Scope, input: VideoRegisterInput): ResultAsync<RegisteredVideo, VBucketsError>;
  /** One video of the org; `NOT_FOUND` otherwise. */
  get(scope: Scope, id: string): ResultAsync<Video, VBucketsError>;
  /**
   * One page of videos (default 100, at most 1000), newest first, each with its per-platform
   * upload status. The next page starts `after` the id of the last video of this one
   * (`offset` still works, at the cost of the rows it skips).
   */
  list(
    scope: Scope,
    options?: PageRequest & { offset?: number },
  ): ResultAsync<VideoWithUploads[], VBucketsError>;
  /** Allows or forbids posting the video to one platform again. */
  setDuplicateAllowed(
    scope: Scope,
    id: string,
    allowed: boolean,
  ): ResultAsync<Video, VBucketsError>;
  /** Re-reads the stored bytes (streamed) and compares their size and SHA-256 with the registry's. */
  verify(scope: Scope, id: string): ResultAsync<VideoVerification, VBucketsError>;
}

export interface VideosServiceDependencies {
  store: Store;
  blobs: BlobStore;
  clock: Clock;
  ids: IdGenerator;
  mediaProbe?: MediaProbe;
  /** The incremental SHA-256 `verify` streams through (default the pure-TypeScript one). */
  sha256?: () => Sha256;
}

/** What `videos.register` checks its input with (the bytes' opener included). */
export const VideoRegisterInputSchema = z.strictObject({
  filename: z.string().trim().min(1).max(200),
  body: z.custom<() => BlobBody>((value) => typeof value === 'function', 'must be a function'),
  title: z.string().trim().min(1).max(200).optional(),
  ownerId: IdSchema,
  duplicateAllowed: z.boolean().optional(),
  mimeType: z.string().min(1).optional(),
  probePath: z.string().min(1).optional(),
  strict: z.boolean().optional(),
  visibility: z.enum(['public', 'private']).optional(),
  productCategory: z.string().trim().min(1).max(100).optional(),
  maxFileBytes: z.number().int().positive().optional(),
});

const ListSchema = PageSchema.extend({
  limit: PageSchema.shape.limit.default(DEFAULT_PAGE_SIZE),
  offset: z.number().int().min(0).optional(),
}).refine((options) => options.offset === undefined || options.after === undefined, {
  message: 'give offset or after, not both',
  path: ['offset'],
});

/** The latest status per platform of a video's upload rows. */
export function uploadStatusByPlatform(uploads: readonly Upload[]): Record<string, UploadStatus> {
  const statuses: Record<string, UploadStatus> = {};
  for (const upload of uploads) statuses[upload.platform] = upload.status;
  return statuses;
}

export function createVideosService({
  store,
  blobs,
  clock,
  ids,
  mediaProbe,
  sha256 = createSha256,
}: VideosServiceDependencies): VideosService {
  const register = async (
    scope: Scope,
    input: z.output<typeof VideoRegisterInputSchema>,
  ): Promise<Result<RegisteredVideo, VBucketsError>> => {
    const stored = await storeVideoBytes({
      blobs,
      id: ids.next(),
      ownerId: input.ownerId,
      visibility: input.visibility ?? 'private',
      filename: input.filename,
      body: input.body,
      maxFileBytes: input.maxFileBytes ?? Number.POSITIVE_INFINITY,
      adapter: 'videos',
      operation: 'videos.register',
    });
    if (stored.isErr()) {
      return err('refused' in stored.error ? stored.error.refused : stored.error);
    }
    const { id, blob, type } = stored.value;
    // An undecodable file (corrupt, truncated) is refused before it becomes a video.
    const probed =
      mediaProbe !== undefined && input.probePath !== undefined
        ? await probeIntake(mediaProbe, input.probePath, input.filename)
        : ok(null);
    if (probed.isErr()) {
      await dropBlob(blobs, blob.key);
      return err(probed.error);
    }
    const registered = await registerStoredVideo(
      { store, blobs, sha256 },
      {
        id,
        orgId: scope.orgId,
        ownerId: input.ownerId,
        title: input.title ?? stripExtension(input.filename),
        filename: input.filename,
        blobKey: blob.key,
        sha256: blob.sha256,
        sizeBytes: blob.sizeBytes,
        mimeType: input.mimeType ?? type.mimeType,
        durationSec: probed.value?.durationSec ?? null,
        duplicateAllowed: input.duplicateAllowed ?? false,
        visibility: input.visibility ?? 'private',
        productCategory: input.productCategory ?? null,
        createdAt: isoNow(clock),
      },
    );
    if (registered.isErr()) return err(registered.error);
    const { video, created, repaired } = registered.value;
    if (!created && input.strict === true) {
      return err(
        conflictError(`Identical content is already registered as video ${video.id}`, {
          details: { videoId: video.id, sha256: video.sha256 },
        }),
      );
    }
    return ok({ video, created, repaired });
  };

  const verify = (scope: Scope, videoId: string) =>
    store.videos
      .get(scope, videoId)
      .andThen((video) => new ResultAsync(checkStoredCopy(blobs, video, sha256)));

  return {
    verify: (scopeInput, id) =>
      recordScope(scopeInput)
        .andThen((scope) => parseInput(IdSchema, id, 'id').map((videoId) => ({ scope, videoId })))
        .asyncAndThen(({ scope, videoId }) => verify(scope, videoId)),

    register: (scopeInput, input) =>
      writeScope(scopeInput)
        .andThen((scope) =>
          parseInput(VideoRegisterInputSchema, input, 'video').map((data) => ({ scope, data })),
        )
        .asyncAndThen(({ scope, data }) => new ResultAsync(register(scope, data))),

    get: (scopeInput, id) =>
      recordScope(scopeInput)
        .andThen((scope) => parseInput(IdSchema, id, 'id').map((videoId) => ({ scope, videoId })))
        .asyncAndThen(({ scope, videoId }) => store.videos.get(scope, videoId)),

    list: (scopeInput, options = {}) =>
      readScope(scopeInput)
        .andThen((scope) => recordScope(scope))
        .andThen((scope) =>
          parseInput(ListSchema, options, 'options').map((parsed) => ({ scope, parsed })),
        )
        .asyncAndThen(({ scope, parsed }) =>
          store.videos
            .list(scope, parsed)
            .andThen((videos) =>
              ResultAsync.combine(
                videos.map((video) =>
                  store.uploads
                    .listByVideo(scope, video.id)
                    .map((uploads) => ({ ...video, uploads: uploadStatusByPlatform(uploads) })),
                ),
              ),
            ),
        ),

    setDuplicateAllowed: (scopeInput, id, allowed) =>
      writeScope(scopeInput)
        .andThen((scope) =>
          parseInput(DuplicateAllowedSchema, { id, allowed }, 'setDuplicateAllowed').map(
            (parsed) => ({ scope, parsed }),
          ),
        )
        .asyncAndThen(({ scope, parsed }) =>
          store.videos.update(scope, parsed.id, { duplicateAllowed: parsed.allowed }),
        ),
  };
}
