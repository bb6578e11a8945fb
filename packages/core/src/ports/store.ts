import type { ResultAsync } from 'neverthrow';
import type { VBucketsError } from '../errors';
import type { Bucket } from '../schemas/bucket';
import type { Categorization, CategorizationSession } from '../schemas/categorization';
import type { Scope } from '../schemas/common';
import type { Video } from '../schemas/video';

type StoreResult<T> = ResultAsync<T, VBucketsError>;

/** Fields of a bucket an update may change, plus the new `updatedAt`. */
export type BucketPatch = Partial<
  Pick<
    Bucket,
    | 'name'
    | 'bestFor'
    | 'angle'
    | 'avatar'
    | 'painPoints'
    | 'solutionMechanism'
    | 'keyCopyHooks'
    | 'displayOrder'
  >
> & { updatedAt: string };

/** Buckets; names are unique per (org, product) ignoring case and surrounding/inner runs of white space. */
export interface BucketRepository {
  /** Inserts a bucket; `CONFLICT` when the product already has one of that name. */
  insert(bucket: Bucket): StoreResult<Bucket>;
  /** The bucket with this id in the scope's org; `NOT_FOUND` otherwise. */
  get(scope: Scope, id: string): StoreResult<Bucket>;
  /** Buckets by displayOrder, then name ignoring case (bucketNameKey), then id; all of the org's products when `productId` is absent; across orgs only when `scope.allOrgs`. */
  list(scope: Scope, filter?: { productId?: string }): StoreResult<Bucket[]>;
  /** Applies a patch; `NOT_FOUND` or `CONFLICT` (name taken). */
  update(scope: Scope, id: string, patch: BucketPatch): StoreResult<Bucket>;
  /** Deletes a bucket; `NOT_FOUND` when absent. Categorizations keep their denormalised name. */
  delete(scope: Scope, id: string): StoreResult<void>;
}

/** Fields of a video an update may change. */
export type VideoPatch = Partial<Pick<Video, 'title' | 'duplicateAllowed' | 'durationSec'>>;

/** Registered videos. */
export interface VideoRepository {
  /** Inserts a video; `CONFLICT` when the id exists. */
  insert(video: Video): StoreResult<Video>;
  /** The video with this id in the scope's org; `NOT_FOUND` otherwise. */
  get(scope: Scope, id: string): StoreResult<Video>;
  /** The org's oldest video with this content hash, or null. */
  findBySha256(scope: Scope, sha256: string): StoreResult<Video | null>;
  /** Videos, newest first. */
  list(scope: Scope, options?: { limit?: number; offset?: number }): StoreResult<Video[]>;
  /** Applies a patch; `NOT_FOUND` when absent. */
  update(scope: Scope, id: string, patch: VideoPatch): StoreResult<Video>;
  /** Deletes a video; `NOT_FOUND` when absent. */
  delete(scope: Scope, id: string): StoreResult<void>;
}

/** A session as stored; `counts` are derived from its rows on read. */
export type CategorizationSessionInsert = Omit<CategorizationSession, 'counts'>;

/** Categorization sessions (batches). */
export interface CategorizationSessionRepository {
  /** Inserts a session; `CONFLICT` when the id exists. */
  insert(session: CategorizationSessionInsert): StoreResult<CategorizationSession>;
  /** The session with its row counts; `NOT_FOUND` otherwise. */
  get(scope: Scope, id: string): StoreResult<CategorizationSession>;
  /** A product's sessions, newest first (default limit 10). */
  listRecent(
    scope: Scope,
    filter: { productId: string; limit?: number },
  ): StoreResult<CategorizationSession[]>;
}

/** Fields of a categorization row that change as its video moves through the stages. */
export type CategorizationPatch = Partial<
  Pick<
    Categorization,
    | 'videoId'
    | 'bucketId'
    | 'bucketName'
    | 'confidence'
    | 'reasoning'
    | 'summary'
    | 'transcript'
    | 'analysis'
    | 'status'
    | 'errorMessage'
    | 'isUploaded'
  >
> & { updatedAt: string };

/** Categorization rows (one per video per session). */
export interface CategorizationRepository {
  /** Inserts a row; `NOT_FOUND` when its session is not in the org, `CONFLICT` when the id exists. */
  insert(row: Categorization): StoreResult<Categorization>;
  /** The row with this id; `NOT_FOUND` otherwise. */
  get(scope: Scope, id: string): StoreResult<Categorization>;
  /** A session's rows in insertion order (createdAt, then filename). */
  listBySession(scope: Scope, sessionId: string): StoreResult<Categorization[]>;
  /** Applies a patch; `NOT_FOUND` when absent. */
  update(scope: Scope, id: string, patch: CategorizationPatch): StoreResult<Categorization>;
  /** Sets `isUploaded` on the rows of these ids in the org; returns how many changed. An empty list writes nothing. */
  setUploaded(
    scope: Scope,
    ids: readonly string[],
    uploaded: boolean,
    updatedAt: string,
  ): StoreResult<number>;
  /** A product's uploaded rows ordered by bucket name then filename; across orgs only when `scope.allOrgs`. */
  listUploaded(scope: Scope, filter: { productId: string }): StoreResult<Categorization[]>;
}

/** The repositories, as seen inside and outside a transaction. */
export interface StoreRepositories {
  readonly buckets: BucketRepository;
  readonly videos: VideoRepository;
  readonly categorizationSessions: CategorizationSessionRepository;
  readonly categorizations: CategorizationRepository;
}

/** Durable state: one repository per aggregate. Adapters map every driver error to a VBucketsError. */
export interface Store extends StoreRepositories {
  readonly specificationVersion: 'v1';
  /** Runs `fn` atomically: an Err result or a throw rolls everything back. Not re-entrant. */
  transaction<T>(
    fn: (tx: StoreRepositories) => ResultAsync<T, VBucketsError>,
  ): ResultAsync<T, VBucketsError>;
  /** Releases connections; further calls fail with `STORAGE`. */
  close(): Promise<void>;
}
