import { err, errAsync, ok, okAsync, type Result, type ResultAsync } from 'neverthrow';
import { z } from 'zod';
import { storageError, toVBucketsError, type VBucketsError, vbucketsError } from '../errors';
import type { BlobStore } from '../ports/blob-store';
import { type Clock, systemClock } from '../ports/clock';
import type { Store } from '../ports/store';
import { type Actor, ActorSchema } from '../schemas/actor';
import { IdSchema } from '../schemas/common';
import type { Video } from '../schemas/video';
import { parseInput } from '../services/parse-input';

/** Presigned URLs live this long unless the caller asks otherwise (seed 003: one hour). */
export const DEFAULT_ACCESS_TTL_SEC = 3_600;
/** The longest presigned URL handed out: 7 days, the S3 / R2 limit (DESIGN §5). */
export const MAX_ACCESS_TTL_SEC = 604_800;
/** Benchmarks listed when no `limit` is given: an anonymous listing is never unbounded. */
export const DEFAULT_BENCHMARK_LIMIT = 100;

/** A URL that plays one video. */
export interface VideoAccess {
  videoId: string;
  url: string;
  /** Seconds the URL stays valid; null for a permanent public URL. */
  expiresIn: number | null;
  /** When the URL stops working (ISO-8601 UTC); null for a permanent public URL. */
  expiresAt: string | null;
  isPublic: boolean;
}

/** What an anonymous caller may see of a benchmark: no org, owner, blob key or hash. */
export interface BenchmarkVideo {
  videoId: string;
  title: string;
  filename: string;
  mimeType: string;
  sizeBytes: number;
  durationSec: number | null;
  productCategory: string | null;
  createdAt: string;
  /** The permanent public URL when the BlobStore serves public objects; else null (never presigned). */
  url: string | null;
}

export interface BenchmarkFilter {
  /** Only this product category (exact match). */
  productCategory?: string;
  /** 1..1000, default 100. */
  limit?: number;
  offset?: number;
}

/** Who may watch which video (seed 003, DESIGN §5 "Storage and access"). */
export interface AccessService {
  /**
   * A URL for the video: public videos to any authenticated actor, private ones to their owner
   * (and the owner org's admins). Anonymous: `UNAUTHENTICATED`; missing or not allowed: the
   * same `NOT_FOUND`. `ttlSec` (default 3600, at most 604800) applies to presigned URLs.
   */
  getVideoAccess(
    actor: Actor | null,
    videoId: string,
    options?: { ttlSec?: number },
  ): ResultAsync<VideoAccess, VBucketsError>;
  /** Public benchmark videos of every org, newest first; needs no actor. */
  listBenchmarks(filter?: BenchmarkFilter): ResultAsync<BenchmarkVideo[], VBucketsError>;
}

export interface AccessServiceDependencies {
  store: Store;
  blobs: BlobStore;
  /** Dates `expiresAt`; defaults to the wall clock. */
  clock?: Clock;
  /** The role that may read its own org's private videos; default `admin`, null for none. */
  adminRole?: string | null;
}

const AccessOptionsSchema = z.strictObject({
  ttlSec: z.number().int().min(1).max(MAX_ACCESS_TTL_SEC).optional(),
});

const BenchmarkFilterSchema = z.strictObject({
  productCategory: IdSchema.optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  offset: z.number().int().min(0).optional(),
});

export function createAccessService({
  store,
  blobs,
  clock = systemClock,
  adminRole = 'admin',
}: AccessServiceDependencies): AccessService {
  // One answer for "absent" and "not yours", so a caller cannot probe for private ids.
  const hidden = (videoId: string) =>
    vbucketsError('NOT_FOUND', `Video ${videoId} not found`, { details: { videoId } });

  const mayReadPrivate = (actor: Actor, video: Video) =>
    actor.orgId === video.orgId &&
    (actor.userId === video.ownerId ||
      (adminRole !== null && adminRole !== '' && actor.roles.includes(adminRole)));

  const readableVideo = (actor: Actor, videoId: string): ResultAsync<Video, VBucketsError> =>
    store.videos
      .get({ orgId: actor.orgId }, videoId)
      .map((video): Video | null => video)
      .orElse((error) => (error.code === 'NOT_FOUND' ? okAsync(null) : errAsync(error)))
      .andThen((own) => {
        if (own !== null) {
          return own.visibility === 'public' || mayReadPrivate(actor, own)
            ? okAsync(own)
            : errAsync(hidden(videoId));
        }
        return store.videos
          .getPublic(videoId)
          .mapErr((error) => (error.code === 'NOT_FOUND' ? hidden(videoId) : error));
      });

  const accessTo = (video: Video, ttlSec: number): ResultAsync<VideoAccess, VBucketsError> => {
    const isPublic = video.visibility === 'public';
    // A private video is always presigned, even if its bytes happen to sit in a public bucket.
    const permanent = isPublic ? publicUrlOf(blobs, video.blobKey) : ok(null);
    if (permanent.isErr()) return errAsync(permanent.error);
    if (permanent.value !== null) {
      return okAsync({
        videoId: video.id,
        url: permanent.value,
        expiresIn: null,
        expiresAt: null,
        isPublic,
      });
    }
    if (blobs.presignGet === undefined) {
      return errAsync(
        storageError(
          `The blob store cannot presign URLs (it has no presignGet), so video ${video.id} cannot be served`,
          {
            retryable: false,
            details: { videoId: video.id },
            adapter: 'access',
            operation: 'getVideoAccess',
          },
        ),
      );
    }
    const issuedAt = clock.now();
    return blobs.presignGet(video.blobKey, ttlSec).map((url) => ({
      videoId: video.id,
      url,
      expiresIn: ttlSec,
      expiresAt: new Date(issuedAt + ttlSec * 1000).toISOString(),
      isPublic,
    }));
  };

  return {
    getVideoAccess(actor, videoId, options = {}) {
      if (actor === null || actor === undefined) {
        return errAsync(
          vbucketsError('UNAUTHENTICATED', 'Watching a video needs an authenticated actor'),
        );
      }
      const input = parseInput(ActorSchema, actor, 'actor').andThen((checked) =>
        parseInput(IdSchema, videoId, 'videoId').andThen((id) =>
          parseInput(AccessOptionsSchema, options, 'options').map((parsed) => ({
            actor: checked,
            id,
            ttlSec: parsed.ttlSec ?? DEFAULT_ACCESS_TTL_SEC,
          })),
        ),
      );
      if (input.isErr()) return errAsync(input.error);
      const { id, ttlSec } = input.value;
      return readableVideo(input.value.actor, id).andThen((video) => accessTo(video, ttlSec));
    },

    listBenchmarks(filter = {}) {
      const parsed = parseInput(BenchmarkFilterSchema, filter, 'filter');
      if (parsed.isErr()) return errAsync(parsed.error);
      const { productCategory, offset } = parsed.value;
      return store.videos
        .listPublic({
          ...(productCategory === undefined ? {} : { productCategory }),
          ...(offset === undefined ? {} : { offset }),
          limit: parsed.value.limit ?? DEFAULT_BENCHMARK_LIMIT,
        })
        .andThen((videos) => {
          const listed: BenchmarkVideo[] = [];
          for (const video of videos) {
            const url = publicUrlOf(blobs, video.blobKey);
            if (url.isErr()) return errAsync(url.error);
            listed.push(benchmarkOf(video, url.value));
          }
          return okAsync(listed);
        });
    },
  };
}

/** The store's permanent URL of a public object, or null; a throwing adapter becomes `STORAGE`. */
function publicUrlOf(blobs: BlobStore, key: string): Result<string | null, VBucketsError> {
  if (blobs.publicUrl === undefined) return ok(null);
  try {
    return ok(blobs.publicUrl(key));
  } catch (error) {
    return err(
      toVBucketsError(error, 'STORAGE', `The public URL of ${JSON.stringify(key)} failed`, {
        adapter: 'access',
        operation: 'blobs.publicUrl',
      }),
    );
  }
}

function benchmarkOf(video: Video, url: string | null): BenchmarkVideo {
  return {
    videoId: video.id,
    title: video.title,
    filename: video.filename,
    mimeType: video.mimeType,
    sizeBytes: video.sizeBytes,
    durationSec: video.durationSec,
    productCategory: video.productCategory,
    createdAt: video.createdAt,
    url,
  };
}
