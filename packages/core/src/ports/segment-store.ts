import type { ResultAsync } from 'neverthrow';
import type { VBucketsError } from '../errors';
import type { Scope } from '../schemas/common';
import type { Segment, SegmentType, SocialPlatform, SocialUsage } from '../schemas/segment';
import type { PageRequest } from './page-request';

type StoreResult<T> = ResultAsync<T, VBucketsError>;

/** The fields of a segment `update` may change, plus the new `updatedAt`. */
export type SegmentPatch = Partial<
  Pick<Segment, 'segmentType' | 'segmentNumber' | 'title' | 'description' | 'tags'>
> & { updatedAt: string };

/** How a segment list is ordered; every order ends with the id, so pages are stable. */
export type SegmentSortBy = 'createdAt' | 'durationSec' | 'views' | 'engagement';

/**
 * Which segments a list returns (seed 004's filters), all applied by the database. Every
 * bound is inclusive; `tags` requires every given tag; `hasSocialMedia` false keeps only
 * segments without any usage row; `platform` keeps segments with a usage row on it.
 */
export interface SegmentFilter {
  ownerId?: string;
  videoId?: string;
  segmentType?: SegmentType;
  minDurationSec?: number;
  maxDurationSec?: number;
  tags?: readonly string[];
  hasSocialMedia?: boolean;
  platform?: SocialPlatform;
}

/** A list's order: `views` and `engagement` (likes + shares + comments) sum over platforms. */
export interface SegmentOrder {
  sortBy?: SegmentSortBy;
  sortOrder?: 'asc' | 'desc';
}

/** The counts a usage row holds, as written by a metrics sync or an edit. */
export type SocialUsageMetricsPatch = Pick<
  SocialUsage,
  'views' | 'likes' | 'shares' | 'comments' | 'clicks' | 'conversions'
>;

/**
 * One usage row written atomically per (segment, platform): an insert, or an update of the
 * fields given (undefined fields keep their value). `engagementRate` is recomputed by the store
 * from the counts it ends with.
 */
export interface SocialUsageUpsert {
  segmentId: string;
  platform: SocialPlatform;
  postId?: string | null;
  postUrl?: string | null;
  postedAt?: string | null;
  uploadId?: string | null;
  metrics?: SocialUsageMetricsPatch;
  lastSyncedAt?: string | null;
  /** Stored as the segment's new `updatedAt`. */
  now: string;
}

/** A usage row with the segment it belongs to, as a metrics sync reads them. */
export interface SocialUsageRef {
  segmentId: string;
  videoId: string;
  platform: SocialPlatform;
  postId: string;
  lastSyncedAt: string | null;
}

/** What analytics group by. `bucket` is the bucket the segment's video was last categorized into in the product. */
export type SegmentAnalyticsGroup = 'platform' | 'tag' | 'bucket' | 'video';

/** Sums over the usage rows of a group, computed by the database. */
export interface SegmentUsageTotals {
  /** The platform, tag, bucket name or video id; null for segments whose video has no bucket. */
  key: string | null;
  /** Segments with at least one usage row in the group. */
  segments: number;
  views: number;
  likes: number;
  shares: number;
  comments: number;
  /** Sums of the rows that report them; null when no row of the group does. */
  clicks: number | null;
  conversions: number | null;
}

/**
 * Segments of registered videos and their social usage (seed 004). Ids are unique per org;
 * (video, segmentType, segmentNumber) is unique too. Every store refuses what the schema
 * refuses with `VALIDATION` naming the field, before it writes anything.
 */
export interface SegmentRepository {
  /**
   * Inserts a segment of a video of the org (`NOT_FOUND` otherwise) with its usage rows;
   * `CONFLICT` when the org has a segment with this id or the video has one with this type
   * and number.
   */
  insert(segment: Segment): StoreResult<Segment>;
  /**
   * Inserts the segment unless the video already has one of its type and number, in one
   * statement (of concurrent callers one inserts, every caller gets that row).
   */
  ensure(segment: Segment): StoreResult<{ segment: Segment; created: boolean }>;
  /** The org's segment with this id and its usage; `NOT_FOUND` otherwise. */
  get(scope: Scope, id: string): StoreResult<Segment>;
  /**
   * Filtered, ordered (default createdAt descending, then id in the same direction) and
   * keyset-paged by `after`; an `after` that is not in the filtered list is `VALIDATION`.
   */
  list(
    scope: Scope,
    filter?: SegmentFilter,
    order?: SegmentOrder,
    page?: PageRequest,
  ): StoreResult<Segment[]>;
  /** Applies a patch (undefined fields are skipped); `NOT_FOUND` for an unknown segment. */
  update(scope: Scope, id: string, patch: SegmentPatch): StoreResult<Segment>;
  /** Deletes the segment and its usage rows; returns what it deleted. `NOT_FOUND` otherwise. */
  delete(scope: Scope, id: string): StoreResult<Segment>;
  /** Writes one usage row atomically; returns the segment with its usage. `NOT_FOUND` for an unknown segment. */
  upsertUsage(scope: Scope, usage: SocialUsageUpsert): StoreResult<Segment>;
  /** Removes the segment's usage row on the platform; `NOT_FOUND` when there is none. */
  deleteUsage(scope: Scope, segmentId: string, platform: SocialPlatform): StoreResult<Segment>;
  /**
   * Usage rows that have a post id, for a metrics sync: of these segments (all the org's when
   * omitted) and platforms, never synced or synced before `syncedBefore`; ordered by
   * (segmentId, platform) and keyset-paged by `after` (a `segmentId:platform` key).
   */
  listPosted(
    scope: Scope,
    filter: {
      segmentIds?: readonly string[];
      platforms?: readonly SocialPlatform[];
      syncedBefore?: string;
      after?: string;
      limit?: number;
    },
  ): StoreResult<SocialUsageRef[]>;
  /**
   * Usage sums grouped by platform, tag, video or bucket over the segments the filter keeps,
   * computed in SQL. `bucket` needs `productId`: a video's bucket is the bucket of its newest
   * categorized row in the product. Groups are ordered by key (null last).
   */
  analytics(
    scope: Scope,
    groupBy: SegmentAnalyticsGroup,
    filter?: SegmentFilter & { productId?: string },
  ): StoreResult<SegmentUsageTotals[]>;
}
