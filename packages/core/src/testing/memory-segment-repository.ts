import { err, ok, type Result } from 'neverthrow';
import { pageRequestError } from '../domain/page-request';
import { engagementRate } from '../domain/segments/engagement-rate';
import {
  listPostedFilterError,
  parseUsageKey,
  segmentAnalyticsError,
  segmentFilterError,
  segmentInputError,
  segmentOrderError,
  segmentPatchError,
  socialUsageUpsertError,
} from '../domain/segments/segment-store-input';
import { conflictError, notFoundError, type VBucketsError, withErrorSource } from '../errors';
import type {
  SegmentFilter,
  SegmentOrder,
  SegmentPatch,
  SegmentRepository,
  SegmentUsageTotals,
  SocialUsageRef,
} from '../ports/segment-store';
import type { Scope } from '../schemas/common';
import type { Segment, SocialUsage } from '../schemas/segment';
import type { MemoryStoreAccess } from './memory-store-access';
import {
  applyPatch,
  compareNullableText,
  compareText,
  compareTimestamps,
  type MemoryStoreState,
  orgSlot,
  pageOf,
} from './memory-store-state';

const PATCHABLE: ReadonlyArray<keyof SegmentPatch> = [
  'segmentType',
  'segmentNumber',
  'title',
  'description',
  'tags',
  'updatedAt',
];

export function copySocialUsage(usage: SocialUsage): SocialUsage {
  return {
    platform: usage.platform,
    postId: usage.postId,
    postUrl: usage.postUrl,
    postedAt: usage.postedAt,
    views: usage.views,
    likes: usage.likes,
    shares: usage.shares,
    comments: usage.comments,
    clicks: usage.clicks,
    conversions: usage.conversions,
    engagementRate: usage.engagementRate,
    lastSyncedAt: usage.lastSyncedAt,
    uploadId: usage.uploadId,
  };
}

/** A usage row as a store keeps it: its rate recomputed from its counts. */
function storedUsage(usage: SocialUsage): SocialUsage {
  return { ...copySocialUsage(usage), engagementRate: engagementRate(usage) };
}

/** Usage rows in platform (code-point) order, as the SQL stores read them. */
function inPlatformOrder(usages: readonly SocialUsage[]): SocialUsage[] {
  return [...usages].sort((left, right) => compareText(left.platform, right.platform));
}

export function copySegment(segment: Segment): Segment {
  return {
    id: segment.id,
    orgId: segment.orgId,
    ownerId: segment.ownerId,
    videoId: segment.videoId,
    segmentType: segment.segmentType,
    segmentNumber: segment.segmentNumber,
    blobKey: segment.blobKey,
    durationSec: segment.durationSec,
    sizeBytes: segment.sizeBytes,
    contentType: segment.contentType,
    title: segment.title,
    description: segment.description,
    tags: [...segment.tags],
    socialUsage: inPlatformOrder(segment.socialUsage).map(copySocialUsage),
    createdAt: segment.createdAt,
    updatedAt: segment.updatedAt,
  };
}

const context = (operation: string) => ({ adapter: 'memory', operation });

const segmentNotFound = (id: string, operation: string) =>
  notFoundError(`No segment "${id}"`, {
    ...context(operation),
    details: { entity: 'segment', id },
  });

const refused = (error: VBucketsError, operation: string) =>
  err(withErrorSource(error, context(operation)));

function ownedSegment(
  state: MemoryStoreState,
  scope: Scope,
  id: string,
  operation: string,
): Result<Segment, VBucketsError> {
  const segment = state.segments.get(orgSlot(scope.orgId, id));
  return segment === undefined ? err(segmentNotFound(id, operation)) : ok(segment);
}

/** The org's segment of the video with this type and number, other than `exceptId`. */
function samePlace(
  state: MemoryStoreState,
  orgId: string,
  place: Pick<Segment, 'videoId' | 'segmentType' | 'segmentNumber'>,
  exceptId?: string,
): Segment | undefined {
  for (const segment of state.segments.values()) {
    if (
      segment.orgId === orgId &&
      segment.id !== exceptId &&
      segment.videoId === place.videoId &&
      segment.segmentType === place.segmentType &&
      segment.segmentNumber === place.segmentNumber
    ) {
      return segment;
    }
  }
  return undefined;
}

const placeConflict = (
  place: Pick<Segment, 'videoId' | 'segmentType' | 'segmentNumber'>,
  operation: string,
) =>
  conflictError(
    `Video "${place.videoId}" already has ${place.segmentType} segment number ${place.segmentNumber}`,
    { ...context(operation), details: { ...place } },
  );

/** Every check of an insert, in the SQL stores' order; the segment to store when all pass. */
function insertable(
  state: MemoryStoreState,
  segment: Segment,
  operation: string,
): Result<Segment, VBucketsError> {
  const invalid = segmentInputError(segment);
  if (invalid !== undefined) return refused(invalid, operation);
  const video = state.videos.get(segment.videoId);
  if (video === undefined || video.orgId !== segment.orgId) {
    return err(
      notFoundError(`No video "${segment.videoId}"`, {
        ...context(operation),
        details: { entity: 'video', id: segment.videoId },
      }),
    );
  }
  if (state.segments.has(orgSlot(segment.orgId, segment.id))) {
    return err(
      conflictError(`A segment with id "${segment.id}" already exists`, {
        ...context(operation),
        details: { id: segment.id },
      }),
    );
  }
  if (samePlace(state, segment.orgId, segment) !== undefined) {
    return err(placeConflict(segment, operation));
  }
  return ok({ ...copySegment(segment), socialUsage: segment.socialUsage.map(storedUsage) });
}

const sum = (usages: readonly SocialUsage[], pick: (usage: SocialUsage) => number) =>
  usages.reduce((total, usage) => total + pick(usage), 0);
const views = (segment: Segment) => sum(segment.socialUsage, (usage) => usage.views);
const engagement = (segment: Segment) =>
  sum(segment.socialUsage, (usage) => usage.likes + usage.shares + usage.comments);

function kept(segment: Segment, scope: Scope, filter: SegmentFilter): boolean {
  return (
    segment.orgId === scope.orgId &&
    (filter.ownerId === undefined || segment.ownerId === filter.ownerId) &&
    (filter.videoId === undefined || segment.videoId === filter.videoId) &&
    (filter.segmentType === undefined || segment.segmentType === filter.segmentType) &&
    (filter.minDurationSec === undefined || segment.durationSec >= filter.minDurationSec) &&
    (filter.maxDurationSec === undefined || segment.durationSec <= filter.maxDurationSec) &&
    (filter.tags === undefined || filter.tags.every((tag) => segment.tags.includes(tag))) &&
    (filter.hasSocialMedia === undefined ||
      segment.socialUsage.length > 0 === filter.hasSocialMedia) &&
    (filter.platform === undefined ||
      segment.socialUsage.some((usage) => usage.platform === filter.platform))
  );
}

function comparator(order: SegmentOrder): (left: Segment, right: Segment) => number {
  const direction = order.sortOrder === 'asc' ? 1 : -1;
  const byKey = (left: Segment, right: Segment): number => {
    switch (order.sortBy ?? 'createdAt') {
      case 'createdAt':
        return compareTimestamps(left.createdAt, right.createdAt);
      case 'durationSec':
        return Math.sign(left.durationSec - right.durationSec);
      case 'views':
        return Math.sign(views(left) - views(right));
      case 'engagement':
        return Math.sign(engagement(left) - engagement(right));
    }
  };
  return (left, right) => direction * (byKey(left, right) || compareText(left.id, right.id));
}

/** The bucket of the video's newest categorized row in the product, or null. */
function bucketOf(
  state: MemoryStoreState,
  orgId: string,
  productId: string,
  videoId: string,
): string | null {
  let newest: { createdAt: string; id: string; bucketName: string | null } | undefined;
  for (const row of state.categorizations.values()) {
    if (
      row.orgId !== orgId ||
      row.productId !== productId ||
      row.videoId !== videoId ||
      row.status !== 'categorized'
    ) {
      continue;
    }
    if (
      newest === undefined ||
      (compareTimestamps(row.createdAt, newest.createdAt) || compareText(row.id, newest.id)) > 0
    ) {
      newest = row;
    }
  }
  return newest?.bucketName ?? null;
}

interface Group {
  segments: Set<string>;
  totals: SegmentUsageTotals;
}

/**
 * Segments and their usage in memory; each method is one synchronous step, so an upsert of one
 * (segment, platform) and an ensure of one (video, type, number) are atomic.
 */
export function createMemorySegmentRepository(access: MemoryStoreAccess): SegmentRepository {
  return {
    insert: (segment) =>
      access.write((state) =>
        insertable(state, segment, 'segments.insert').map((stored) => {
          state.segments.set(orgSlot(stored.orgId, stored.id), stored);
          return copySegment(stored);
        }),
      ),

    ensure: (segment) =>
      access.write((state): Result<{ segment: Segment; created: boolean }, VBucketsError> => {
        const operation = 'segments.ensure';
        const invalid = segmentInputError(segment);
        if (invalid !== undefined) return refused(invalid, operation);
        const existing = samePlace(state, segment.orgId, segment);
        if (existing !== undefined) return ok({ segment: copySegment(existing), created: false });
        return insertable(state, segment, operation).map((stored) => {
          state.segments.set(orgSlot(stored.orgId, stored.id), stored);
          return { segment: copySegment(stored), created: true };
        });
      }),

    get: (scope, id) =>
      access.read((state) => ownedSegment(state, scope, id, 'segments.get').map(copySegment)),

    list: (scope, filter = {}, order = {}, page = undefined) =>
      access.read((state) => {
        const operation = 'segments.list';
        const invalid =
          segmentFilterError(filter) ??
          segmentOrderError(order) ??
          pageRequestError(page, context(operation));
        if (invalid !== undefined) return refused(invalid, operation);
        const segments = [...state.segments.values()]
          .filter((segment) => kept(segment, scope, filter))
          .sort(comparator(order));
        return pageOf(segments, page, operation).map((found) => found.map(copySegment));
      }),

    update: (scope, id, patch) =>
      access.write((state) => {
        const operation = 'segments.update';
        const invalid = segmentPatchError(patch);
        if (invalid !== undefined) return refused(invalid, operation);
        return ownedSegment(state, scope, id, operation).andThen((current) => {
          const next = copySegment(applyPatch(current, patch, PATCHABLE));
          if (samePlace(state, scope.orgId, next, id) !== undefined) {
            return err(placeConflict(next, operation));
          }
          state.segments.set(orgSlot(scope.orgId, id), next);
          return ok(copySegment(next));
        });
      }),

    delete: (scope, id) =>
      access.write((state) =>
        ownedSegment(state, scope, id, 'segments.delete').map((segment) => {
          state.segments.delete(orgSlot(scope.orgId, id));
          return copySegment(segment);
        }),
      ),

    upsertUsage: (scope, change) =>
      access.write((state) => {
        const operation = 'segments.upsertUsage';
        const invalid = socialUsageUpsertError(change);
        if (invalid !== undefined) return refused(invalid, operation);
        return ownedSegment(state, scope, change.segmentId, operation).map((current) => {
          const before = current.socialUsage.find((usage) => usage.platform === change.platform);
          const row: SocialUsage = before
            ? copySocialUsage(before)
            : {
                platform: change.platform,
                postId: null,
                postUrl: null,
                postedAt: null,
                views: 0,
                likes: 0,
                shares: 0,
                comments: 0,
                clicks: null,
                conversions: null,
                engagementRate: null,
                lastSyncedAt: null,
                uploadId: null,
              };
          if (change.postId !== undefined) row.postId = change.postId;
          if (change.postUrl !== undefined) row.postUrl = change.postUrl;
          if (change.postedAt !== undefined) row.postedAt = change.postedAt;
          if (change.uploadId !== undefined) row.uploadId = change.uploadId;
          if (change.lastSyncedAt !== undefined) row.lastSyncedAt = change.lastSyncedAt;
          if (change.metrics !== undefined) {
            row.views = change.metrics.views;
            row.likes = change.metrics.likes;
            row.shares = change.metrics.shares;
            row.comments = change.metrics.comments;
            row.clicks = change.metrics.clicks;
            row.conversions = change.metrics.conversions;
          }
          const next: Segment = {
            ...current,
            socialUsage: [
              ...current.socialUsage.filter((usage) => usage.platform !== change.platform),
              storedUsage(row),
            ],
            updatedAt: change.now,
          };
          state.segments.set(orgSlot(scope.orgId, current.id), copySegment(next));
          return copySegment(next);
        });
      }),

    deleteUsage: (scope, segmentId, platform) =>
      access.write((state) => {
        const operation = 'segments.deleteUsage';
        return ownedSegment(state, scope, segmentId, operation).andThen((current) => {
          if (!current.socialUsage.some((usage) => usage.platform === platform)) {
            return err(
              notFoundError(`Segment "${segmentId}" has no usage on ${platform}`, {
                ...context(operation),
                details: { entity: 'socialUsage', segmentId, platform },
              }),
            );
          }
          const next: Segment = {
            ...current,
            socialUsage: current.socialUsage.filter((usage) => usage.platform !== platform),
          };
          state.segments.set(orgSlot(scope.orgId, segmentId), copySegment(next));
          return ok(copySegment(next));
        });
      }),

    listPosted: (scope, filter) =>
      access.read((state) => {
        const operation = 'segments.listPosted';
        const invalid = listPostedFilterError(filter);
        if (invalid !== undefined) return refused(invalid, operation);
        const after = filter.after === undefined ? undefined : parseUsageKey(filter.after);
        const refs: SocialUsageRef[] = [];
        for (const segment of state.segments.values()) {
          if (segment.orgId !== scope.orgId) continue;
          if (filter.segmentIds !== undefined && !filter.segmentIds.includes(segment.id)) continue;
          for (const usage of segment.socialUsage) {
            if (usage.postId === null) continue;
            if (filter.platforms !== undefined && !filter.platforms.includes(usage.platform)) {
              continue;
            }
            if (
              filter.syncedBefore !== undefined &&
              usage.lastSyncedAt !== null &&
              compareTimestamps(usage.lastSyncedAt, filter.syncedBefore) >= 0
            ) {
              continue;
            }
            if (
              after !== undefined &&
              (compareText(segment.id, after.segmentId) ||
                compareText(usage.platform, after.platform)) <= 0
            ) {
              continue;
            }
            refs.push({
              segmentId: segment.id,
              videoId: segment.videoId,
              platform: usage.platform,
              postId: usage.postId,
              lastSyncedAt: usage.lastSyncedAt,
            });
          }
        }
        refs.sort(
          (left, right) =>
            compareText(left.segmentId, right.segmentId) ||
            compareText(left.platform, right.platform),
        );
        return ok(filter.limit === undefined ? refs : refs.slice(0, filter.limit));
      }),

    analytics: (scope, groupBy, filter = {}) =>
      access.read((state) => {
        const operation = 'segments.analytics';
        const invalid = segmentAnalyticsError(groupBy, filter);
        if (invalid !== undefined) return refused(invalid, operation);
        const groups = new Map<string | null, Group>();
        const groupOf = (key: string | null): Group => {
          let group = groups.get(key);
          if (group === undefined) {
            group = {
              segments: new Set(),
              totals: {
                key,
                segments: 0,
                views: 0,
                likes: 0,
                shares: 0,
                comments: 0,
                clicks: null,
                conversions: null,
              },
            };
            groups.set(key, group);
          }
          return group;
        };
        const add = (group: Group, segmentId: string, usage: SocialUsage) => {
          const totals = group.totals;
          group.segments.add(segmentId);
          totals.views += usage.views;
          totals.likes += usage.likes;
          totals.shares += usage.shares;
          totals.comments += usage.comments;
          if (usage.clicks !== null) totals.clicks = (totals.clicks ?? 0) + usage.clicks;
          if (usage.conversions !== null) {
            totals.conversions = (totals.conversions ?? 0) + usage.conversions;
          }
        };
        for (const segment of state.segments.values()) {
          if (!kept(segment, scope, filter)) continue;
          // With a platform filter only that platform's rows are summed.
          const usages = segment.socialUsage.filter(
            (usage) => filter.platform === undefined || usage.platform === filter.platform,
          );
          if (groupBy === 'platform') {
            for (const usage of usages) add(groupOf(usage.platform), segment.id, usage);
            continue;
          }
          const keys =
            groupBy === 'tag'
              ? segment.tags
              : groupBy === 'video'
                ? [segment.videoId]
                : [bucketOf(state, scope.orgId, filter.productId ?? '', segment.videoId)];
          for (const key of keys) {
            const group = groupOf(key);
            for (const usage of usages) add(group, segment.id, usage);
          }
        }
        const result = [...groups.values()].map((group) => ({
          ...group.totals,
          segments: group.segments.size,
        }));
        // By key, null last.
        result.sort((left, right) =>
          left.key === null || right.key === null
            ? -compareNullableText(left.key, right.key)
            : compareText(left.key, right.key),
        );
        return ok(result);
      }),
  };
}
