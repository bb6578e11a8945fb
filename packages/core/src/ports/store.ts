import type { ResultAsync } from 'neverthrow';
import type { VBucketsError } from '../errors';
import type { Bucket } from '../schemas/bucket';
import type { Categorization, CategorizationSession } from '../schemas/categorization';
import type { Scope } from '../schemas/common';
import type {
  AuditEvent,
  Upload,
  UploadAttempt,
  UploadCheckpoint,
  UploadStatus,
} from '../schemas/upload';
import type { Video } from '../schemas/video';
import type { JobRepository } from './job-store';
import type { CreativeRepository, PatternPerformanceRepository } from './market-store';
import type { PageRequest } from './page-request';
import type { SegmentRepository } from './segment-store';
import type { GenerationTaskRepository, ThumbnailRepository } from './task-store';
import type { UploadClaimRefusal, UploadCompletion } from './upload-outcome';

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
  /**
   * Inserts many buckets at once, all or none, with `insert`'s errors (a name taken in the
   * product, or twice in the list, is `CONFLICT`); returns how many. An empty list writes nothing.
   */
  insertMany(buckets: readonly Bucket[]): StoreResult<number>;
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
export type VideoPatch = Partial<
  Pick<Video, 'title' | 'duplicateAllowed' | 'durationSec' | 'visibility' | 'productCategory'>
>;

/** Registered videos. */
export interface VideoRepository {
  /** Inserts a video; `CONFLICT` when the id exists or the org already has a video with this content. */
  insert(video: Video): StoreResult<Video>;
  /**
   * Inserts the video unless the org already has one with its SHA-256, which it then returns
   * (`created: false`). Atomic: of any number of concurrent calls with one content, across
   * processes, exactly one creates. `CONFLICT` when the id exists with other content.
   */
  register(video: Video): StoreResult<{ video: Video; created: boolean }>;
  /** The video with this id in the scope's org; `NOT_FOUND` otherwise. */
  get(scope: Scope, id: string): StoreResult<Video>;
  /** The org's video with this content hash (the oldest, for copies registered before it was unique), or null. */
  findBySha256(scope: Scope, sha256: string): StoreResult<Video | null>;
  /**
   * Videos, newest first, then id; keyset-paged by `limit`/`after`. `offset` still works but
   * costs as much as the rows it skips; give `offset` or `after`, not both.
   */
  list(scope: Scope, options?: PageRequest & { offset?: number }): StoreResult<Video[]>;
  /** A public video of any org (benchmarks are shared); `NOT_FOUND` when absent or private. */
  getPublic(id: string): StoreResult<Video>;
  /** Public videos of every org, newest first, optionally of one product category (exact match). */
  listPublic(filter?: {
    productCategory?: string;
    limit?: number;
    offset?: number;
  }): StoreResult<Video[]>;
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

/** One group of `tallyBySession`: how many rows of a session share these values. */
export interface CategorizationTally {
  readonly sessionId: string;
  readonly status: Categorization['status'];
  readonly bucketName: string | null;
  readonly isUploaded: boolean;
  readonly count: number;
}

/** Categorization rows (one per video per session). */
export interface CategorizationRepository {
  /** Inserts a row; `NOT_FOUND` when its session is not in the org, `CONFLICT` when the id exists. */
  insert(row: Categorization): StoreResult<Categorization>;
  /**
   * Inserts many rows at once, all or none, with `insert`'s errors; returns how many were
   * inserted. An empty list writes nothing.
   */
  insertMany(rows: readonly Categorization[]): StoreResult<number>;
  /** The row with this id; `NOT_FOUND` otherwise. */
  get(scope: Scope, id: string): StoreResult<Categorization>;
  /** A session's rows in insertion order (createdAt, then filename, then insertion); keyset-paged by `page`. */
  listBySession(scope: Scope, sessionId: string, page?: PageRequest): StoreResult<Categorization[]>;
  /**
   * Row counts of these sessions of the org grouped by (session, status, bucket name,
   * uploaded), computed by the store without reading the rows: what a report of many
   * sessions needs. Groups with no rows are absent; unknown ids add nothing.
   */
  tallyBySession(scope: Scope, sessionIds: readonly string[]): StoreResult<CategorizationTally[]>;
  /** Applies a patch; `NOT_FOUND` when absent. */
  update(scope: Scope, id: string, patch: CategorizationPatch): StoreResult<Categorization>;
  /** Sets `isUploaded` on the rows of these ids in the org; returns how many changed. An empty list writes nothing. */
  setUploaded(
    scope: Scope,
    ids: readonly string[],
    uploaded: boolean,
    updatedAt: string,
  ): StoreResult<number>;
  /**
   * A product's uploaded rows ordered by bucket name (rows without a bucket first), then
   * filename, then insertion; across orgs only when `scope.allOrgs`; keyset-paged by `page`.
   */
  listUploaded(
    scope: Scope,
    filter: { productId: string },
    page?: PageRequest,
  ): StoreResult<Categorization[]>;
  /**
   * Claims a `pending` row for one worker, as one compare-and-set: it succeeds when nobody
   * holds the row, the lease has expired, or `owner` already holds it. Any number of
   * concurrent callers in any number of processes: one wins. `NOT_FOUND` when absent.
   */
  claimRow(scope: Scope, input: CategorizationClaimInput): StoreResult<CategorizationClaimResult>;
  /** Extends the owner's lease to `now + leaseMs`; `CONFLICT` ("lease lost") when another worker holds the row. */
  renewRowClaim(scope: Scope, input: CategorizationClaimInput): StoreResult<void>;
  /**
   * Applies a patch only while `owner` holds the row's claim, and releases the claim; `CONFLICT`
   * ("lease lost") when another worker took it over. A lease that ran out but was not
   * reclaimed still belongs to its owner: nobody else started, so its result is the truth.
   */
  updateClaimed(
    scope: Scope,
    id: string,
    owner: string,
    patch: CategorizationPatch,
  ): StoreResult<Categorization>;
}

/** A worker's claim (or renewal) of one categorization row. */
export interface CategorizationClaimInput {
  readonly id: string;
  /** Names the worker; only it may renew the lease or write the result. */
  readonly owner: string;
  /** ISO-8601 time of the claim, from the injected Clock. */
  readonly now: string;
  /** How long the claim holds before another worker may take the row over. */
  readonly leaseMs: number;
}

/** What a row claim did: took the row, or left it (not pending, or held by a live lease). */
export type CategorizationClaimResult =
  | { readonly claimed: true; readonly row: Categorization }
  | {
      readonly claimed: false;
      readonly row: Categorization;
      readonly reason: 'not-pending' | 'held';
      /** The live lease's owner when `held`, else null. */
      readonly heldBy: string | null;
    };

/** A request to start an attempt at posting one video to one platform. */
export interface UploadClaimInput {
  readonly videoId: string;
  readonly platform: string;
  /** Names the worker; only it may checkpoint, renew or complete the attempt. */
  readonly owner: string;
  /** ISO-8601 time of the claim, from the injected Clock. */
  readonly now: string;
  /** How long the claim holds before another worker may reclaim it. */
  readonly leaseMs: number;
  /** A person's manual override: allows FAILED_FINAL, a FAILED/RATE_LIMITED not yet due, and a duplicate. */
  readonly force?: boolean;
  /** Whether the video may be posted to the same platform again (its `duplicateAllowed`). */
  readonly duplicateAllowed: boolean;
  /** The id of the (video, platform) row when this claim creates it; ignored otherwise. */
  readonly uploadId: string;
  /** The id of the attempt row this claim adds. */
  readonly attemptId: string;
}

/** What a claim did: started an attempt, or refused with the current row and the reason. */
export type UploadClaimResult =
  | { readonly claimed: true; readonly upload: Upload; readonly attempt: UploadAttempt }
  | {
      readonly claimed: false;
      readonly upload: Upload | null;
      readonly refusal: UploadClaimRefusal;
      readonly reason: string;
    };

/** How an attempt ended. */
export type UploadOutcome = UploadCompletion;

/** The end of an attempt, reported by its lease owner. */
export interface UploadCompleteInput {
  readonly uploadId: string;
  readonly attemptId: string;
  readonly owner: string;
  readonly now: string;
  readonly outcome: UploadOutcome;
}

/** A lease renewal by its owner, optionally with a new checkpoint. */
export interface UploadLeaseInput {
  readonly uploadId: string;
  readonly owner: string;
  readonly now: string;
  readonly leaseMs: number;
}

/**
 * Upload state per (video, platform), one row per attempt, and the atomic claim. Every write
 * runs in one transaction with the current row locked, so any number of concurrent callers in
 * any number of processes start one attempt. Lease-owner checks answer `CONFLICT` ("lease
 * lost") when another worker holds the row; another org's upload is `NOT_FOUND`.
 */
export interface UploadRepository {
  /**
   * Starts an attempt atomically, applying `evaluateDuplicateGuard`, `isUploadDue` and
   * `checkUploadTransition`; `NOT_FOUND` when the video is not in the org. A duplicate refusal
   * over a row that is not live (SUCCESS, BLOCKED) records BLOCKED; other refusals change nothing.
   */
  claim(scope: Scope, input: UploadClaimInput): StoreResult<UploadClaimResult>;
  /** Ends the owner's running attempt; `CONFLICT` when the lease is lost or the attempt is not the running one. */
  complete(
    scope: Scope,
    input: UploadCompleteInput,
  ): StoreResult<{ upload: Upload; attempt: UploadAttempt }>;
  /** Stores where the platform upload got to and renews the lease; owner-checked like `complete`. */
  saveCheckpoint(
    scope: Scope,
    input: UploadLeaseInput & { readonly checkpoint: UploadCheckpoint },
  ): StoreResult<Upload>;
  /** Extends the owner's lease to `now + leaseMs`; owner-checked like `complete`. */
  renewLease(scope: Scope, input: UploadLeaseInput): StoreResult<Upload>;
  /** The current row of (video, platform) in the org, or null when never claimed. */
  get(scope: Scope, videoId: string, platform: string): StoreResult<Upload | null>;
  /** The upload with this id in the org; `NOT_FOUND` otherwise. */
  getById(scope: Scope, uploadId: string): StoreResult<Upload>;
  /** A video's rows, by platform. */
  listByVideo(scope: Scope, videoId: string): StoreResult<Upload[]>;
  /** The org's rows, most recently updated first, then id; never across orgs; keyset-paged by `limit`/`after`. */
  list(
    scope: Scope,
    filter?: { status?: UploadStatus; platform?: string } & PageRequest,
  ): StoreResult<Upload[]>;
  /**
   * Rows a scheduler should attempt now: FAILED/RATE_LIMITED whose `nextAttemptAt` is unset or
   * has come, and IN_PROGRESS whose lease has expired; earliest due first, then id.
   */
  listDue(scope: Scope, options: { now: string; limit?: number }): StoreResult<Upload[]>;
  /** Every attempt of an upload by attemptNumber; `NOT_FOUND` when the upload is not in the org. */
  listAttempts(scope: Scope, uploadId: string): StoreResult<UploadAttempt[]>;
}

/** The audit trail: append-only, never updated or deleted (it outlives deleted videos). */
export interface AuditEventRepository {
  /** Appends an event; `CONFLICT` when the id exists. */
  append(event: AuditEvent): StoreResult<AuditEvent>;
  /** The org's events oldest first (by `at`, then insertion), optionally of one video and/or platform; `limit` keeps the oldest. */
  list(
    scope: Scope,
    filter?: { videoId?: string; platform?: string; limit?: number },
  ): StoreResult<AuditEvent[]>;
}

/** The repositories, as seen inside and outside a transaction. */
export interface StoreRepositories {
  readonly buckets: BucketRepository;
  readonly videos: VideoRepository;
  readonly categorizationSessions: CategorizationSessionRepository;
  readonly categorizations: CategorizationRepository;
  readonly uploads: UploadRepository;
  readonly auditEvents: AuditEventRepository;
  readonly creatives: CreativeRepository;
  readonly patterns: PatternPerformanceRepository;
  readonly tasks: GenerationTaskRepository;
  readonly thumbnails: ThumbnailRepository;
  readonly segments: SegmentRepository;
  readonly jobs: JobRepository;
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
