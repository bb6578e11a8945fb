import type { ResultAsync } from 'neverthrow';
import type { SegmentAnalytics } from '../../domain/segments/segment-analytics';
import type { VBucketsError } from '../../errors';
import type { BlobBody, BlobObject } from '../../ports/blob-store';
import type { PostMetrics } from '../../ports/metrics-source';
import type {
  SegmentAnalyticsGroup,
  SegmentFilter,
  SegmentSortBy,
  SegmentUsageTotals,
} from '../../ports/segment-store';
import type { Actor } from '../../schemas/actor';
import type { Scope } from '../../schemas/common';
import type { Segment, SegmentType, SocialPlatform } from '../../schemas/segment';

/**
 * A new segment of a registered video, with its own bytes. The bytes are streamed to the
 * BlobStore under `segments/org_{orgId}/video_{videoId}/{segmentId}{ext}` (the extension of a
 * known video type, else none) and their size is counted there; the row is inserted after.
 */
export interface SegmentCreateInput {
  /** A caller-chosen id, unique in the org; generated when absent. */
  id?: string;
  /** The parent video, in the org's registry. */
  videoId: string;
  /** Opens the segment's bytes; called once (as `videos.register` takes them). */
  body: () => BlobBody;
  /** The bytes' type; default the parent video's `mimeType`. */
  contentType?: string;
  /** Seconds, ≥ 0. */
  durationSec: number;
  /** Default `processed`. */
  segmentType?: SegmentType;
  /** Its place among the video's segments of its type; default one after the highest (from 1). */
  segmentNumber?: number;
  /** Who may download it besides the org's admins; default the video's owner. */
  ownerId?: string;
  title?: string | null;
  description?: string | null;
  tags?: string[];
}

/** One platform's usage as `update` writes it; absent fields keep their stored value. */
export interface SocialUsageInput {
  platform: SocialPlatform;
  postId?: string | null;
  postUrl?: string | null;
  /** ISO-8601 UTC. */
  postedAt?: string | null;
  views?: number;
  likes?: number;
  shares?: number;
  comments?: number;
  /** Null when the platform does not report it. */
  clicks?: number | null;
  conversions?: number | null;
}

/**
 * The fields `update` may change; absent fields keep their value, null clears a text field.
 * `usage` entries are written per platform (an insert, or an update of the given fields).
 */
export interface SegmentUpdateInput {
  segmentType?: SegmentType;
  segmentNumber?: number;
  title?: string | null;
  description?: string | null;
  tags?: string[];
  usage?: SocialUsageInput[];
}

/** Which segments `list` returns, in which order, and which page (seed 004's filters). */
export interface SegmentListQuery extends SegmentFilter {
  /** Default `createdAt`. */
  sortBy?: SegmentSortBy;
  /** Default `desc`. */
  sortOrder?: 'asc' | 'desc';
  /** At most this many (default 100, at most 1000). */
  limit?: number;
  /** The id of the last segment of the previous page. */
  after?: string;
}

/** What `delete` removed. */
export interface SegmentDeletion {
  segment: Segment;
  /**
   * The blob key whose delete failed after the row was gone (reported to `onWarning` too): an
   * unreferenced object to sweep later. Null when the bytes are gone or were kept.
   */
  blobLeft: string | null;
  /** True when the bytes were kept because they are the parent video's (the `original` segment). */
  blobKept: boolean;
}

/** How `split` cuts a video: every `segmentSeconds`, or at `cutPointsSec`; exactly one. */
export interface SplitOptions {
  segmentSeconds?: number;
  /** Cut times in seconds, ascending, each > 0. */
  cutPointsSec?: number[];
  /** Default `processed`. */
  segmentType?: SegmentType;
  /** Cancels the split; nothing is kept. */
  signal?: AbortSignal;
}

/** A presigned URL of a segment's bytes. */
export interface SegmentDownload {
  segmentId: string;
  url: string;
  expiresIn: number;
  /** ISO-8601 UTC. */
  expiresAt: string;
}

/** A segment and its bytes, as `open` answers. */
export interface SegmentBytes {
  segment: Segment;
  object: BlobObject;
}

/** Which usage rows `syncMetrics` refreshes. */
export interface SyncMetricsOptions {
  /** Only these segments (default all of the org's). */
  segmentIds?: string[];
  /** Only these platforms. */
  platforms?: SocialPlatform[];
  /**
   * Only rows never synced or last synced before this instant (ISO-8601 UTC): pass an earlier
   * run's `startedAt` to resume it without fetching again what it did.
   */
  syncedBefore?: string;
  /** Cancels the run: posts already written stay written (`CANCELLED`). */
  signal?: AbortSignal;
}

/** One post's outcome in a metrics sync. */
export type PostSyncResult =
  | { segmentId: string; platform: SocialPlatform; postId: string; ok: true; metrics: PostMetrics }
  | {
      segmentId: string;
      platform: SocialPlatform;
      postId: string;
      ok: false;
      error: VBucketsError;
    };

/** What a metrics sync did. */
export interface SyncMetricsSummary {
  /** When the run started: the `syncedBefore` of a re-run that resumes it. */
  startedAt: string;
  /** One per usage row read, in (segment, platform) order. */
  results: PostSyncResult[];
  /** Rows whose metrics and `lastSyncedAt` were written. */
  synced: number;
  /** Rows left as they were (their `lastSyncedAt` too). */
  failed: number;
}

/** Tuning of `syncMetrics`. */
export interface SegmentsSettings {
  /** Metrics requests per minute per platform (a token bucket); unlimited when absent. */
  requestsPerMinute?: Partial<Record<SocialPlatform, number>>;
  /** Retries of a post answered `RATE_LIMITED` (default 3, 0..10). */
  maxRateLimitRetries?: number;
  /**
   * The longest `retryAfterMs` waited for (default 60 000): a post asked to wait longer keeps its
   * `RATE_LIMITED` result, for a later run.
   */
  maxRetryWaitMs?: number;
  /** Usage rows read per store page (default 500, 1..1000). */
  pageSize?: number;
}

/** Segments of registered videos, their social usage and metrics (seed 004). */
export interface SegmentsService {
  /**
   * Stores the bytes, then inserts the segment; a failed insert deletes the bytes. `NOT_FOUND`
   * for a video the org does not have, `CONFLICT` for a taken id or (type, number).
   */
  create(scope: Scope, input: SegmentCreateInput): ResultAsync<Segment, VBucketsError>;
  /** The org's segment with its usage; `NOT_FOUND` otherwise. */
  get(scope: Scope, segmentId: string): ResultAsync<Segment, VBucketsError>;
  /** Every segment of the org's video, by type then number; `NOT_FOUND` for an unknown video. */
  listByVideo(scope: Scope, videoId: string): ResultAsync<Segment[], VBucketsError>;
  /** Filtered, sorted and keyset-paged by the store (default newest first, 100 a page). */
  list(scope: Scope, query?: SegmentListQuery): ResultAsync<Segment[], VBucketsError>;
  /**
   * Changes the given fields and writes the given usage entries, all in one transaction;
   * any other field is `VALIDATION` naming it.
   */
  update(
    scope: Scope,
    segmentId: string,
    patch: SegmentUpdateInput,
  ): ResultAsync<Segment, VBucketsError>;
  /**
   * Deletes the row (and its usage) first, then its bytes, unless they are the parent video's
   * (the `original` segment). A failed blob delete does not fail the call: see `blobLeft`.
   */
  delete(scope: Scope, segmentId: string): ResultAsync<SegmentDeletion, VBucketsError>;
  /**
   * Cuts the video into pieces (MediaProbe `splitVideo` on a local copy from `localFiles`),
   * stores each piece's bytes and inserts one segment per piece in one transaction, numbered
   * after the video's highest segment of the type. All or nothing. A settings `VALIDATION` when
   * no probe with `splitVideo` or no `localFiles` was given.
   */
  split(
    scope: Scope,
    videoId: string,
    options: SplitOptions,
  ): ResultAsync<Segment[], VBucketsError>;
  /**
   * A presigned URL of the segment's bytes for its owner or an admin of its org; `NOT_FOUND`
   * for anyone else (as for a missing segment), `UNAUTHENTICATED` without an actor.
   */
  downloadUrl(
    actor: Actor | null,
    segmentId: string,
    options?: { ttlSec?: number },
  ): ResultAsync<SegmentDownload, VBucketsError>;
  /**
   * The segment's bytes, streamed from the BlobStore, for those `downloadUrl` serves (the same
   * `NOT_FOUND` for anyone else): how a host whose store cannot presign (local files) serves them.
   */
  open(actor: Actor | null, segmentId: string): ResultAsync<SegmentBytes, VBucketsError>;
  /** The segment's usage analysed: totals, rates, platforms, the top platform by engagement. */
  analytics(scope: Scope, segmentId: string): ResultAsync<SegmentAnalytics, VBucketsError>;
  /**
   * Usage sums of the org's segments grouped by platform, tag, video or bucket (`bucket` needs
   * `productId`), computed by the store.
   */
  analyticsBy(
    scope: Scope,
    groupBy: SegmentAnalyticsGroup,
    filter?: SegmentFilter & { productId?: string },
  ): ResultAsync<SegmentUsageTotals[], VBucketsError>;
  /**
   * Fetches the metrics of posted usage rows from each platform's MetricsSource, in batches the
   * platform allows, through its rate limiter, retrying `RATE_LIMITED` posts; writes each
   * successful post's metrics and `lastSyncedAt`. A failed post keeps its row as it was and
   * never stops the others.
   */
  syncMetrics(
    scope: Scope,
    options?: SyncMetricsOptions,
  ): ResultAsync<SyncMetricsSummary, VBucketsError>;
}
