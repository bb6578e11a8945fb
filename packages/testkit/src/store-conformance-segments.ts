import type { Segment, SocialUsage, VBucketsError, Video } from '@vbuckets/core';
import type {
  SegmentFilter,
  SegmentOrder,
  SegmentPatch,
  SegmentSortBy,
} from '@vbuckets/core/adapter-kit';
import { describe, expect, it } from 'vitest';
import {
  makeSegment,
  makeSocialUsage,
  makeTenant,
  makeVideo,
  type Tenant,
  timestamp,
  uniqueId,
} from './builders';
import { expectErrorCode, expectOk } from './result-assertions';
import type { StoreConformanceContext } from './store-conformance-context';
import { describeSegmentUsageConformance } from './store-conformance-segments-usage';

export const segmentIds = (segments: readonly Pick<Segment, 'id'>[]) =>
  segments.map((segment) => segment.id);

const codePoint = (left: string, right: string) => (left < right ? -1 : left > right ? 1 : 0);

/** The segment as every store returns it: its usage rows in platform (code-point) order. */
export function asStored(segment: Segment): Segment {
  return {
    ...segment,
    socialUsage: [...segment.socialUsage].sort((left, right) =>
      codePoint(left.platform, right.platform),
    ),
  };
}

const sumOf = (segment: Segment, pick: (usage: SocialUsage) => number) =>
  segment.socialUsage.reduce((total, usage) => total + pick(usage), 0);

/** The order `segments.list` promises, computed here independently of any store. */
export function ordered(segments: readonly Segment[], order: SegmentOrder = {}): Segment[] {
  const key = (segment: Segment): number => {
    switch (order.sortBy ?? 'createdAt') {
      case 'createdAt':
        return Date.parse(segment.createdAt);
      case 'durationSec':
        return segment.durationSec;
      case 'views':
        return sumOf(segment, (usage) => usage.views);
      case 'engagement':
        return sumOf(segment, (usage) => usage.likes + usage.shares + usage.comments);
    }
  };
  const direction = order.sortOrder === 'asc' ? 1 : -1;
  return [...segments].sort(
    (left, right) =>
      direction * (Math.sign(key(left) - key(right)) || codePoint(left.id, right.id)),
  );
}

/** A message for people: no adapter tag or operation prefix (see the error-message suite). */
export function expectHumanMessage(error: VBucketsError): void {
  expect(error.message).not.toMatch(/^\[/);
  expect(error.message).not.toMatch(/^[a-zA-Z]+\.[a-zA-Z]+:/);
  expect(error.message).not.toMatch(/memory-store|\[sqlite\]|\[postgres\]|\[memory\]/);
  expect(typeof error.adapter).toBe('string');
}

/** Inserts a video of the tenant's org and returns its id. */
export async function seedVideo(
  context: StoreConformanceContext,
  orgId: string,
  fields: Partial<Video> = {},
): Promise<string> {
  const video = await expectOk(context.store().videos.insert(makeVideo({ orgId, ...fields })));
  return video.id;
}

/**
 * A fixture for the filters and orders: six segments of two videos and two owners whose
 * creation times, durations, views and engagement all order them differently, with ties on
 * duration and views that the id must break.
 */
async function seedCatalogue(context: StoreConformanceContext, tenant: Tenant) {
  const { orgId } = tenant;
  const videoA = await seedVideo(context, orgId);
  const videoB = await seedVideo(context, orgId);
  const usage = (platform: SocialUsage['platform'], views: number, interactions: number) =>
    makeSocialUsage({ platform, views, likes: interactions, postId: uniqueId('post') });
  const make = (fields: Partial<Segment> & Pick<Segment, 'id' | 'videoId'>) =>
    makeSegment({ orgId, ...fields });
  const segments = [
    make({
      id: 'seg-c',
      videoId: videoA,
      segmentNumber: 0,
      createdAt: timestamp(10),
      durationSec: 15,
      tags: ['fitness', 'morning'],
      socialUsage: [usage('tiktok', 500, 10), usage('instagram', 100, 40)],
    }),
    make({
      id: 'seg-a',
      videoId: videoA,
      segmentNumber: 1,
      createdAt: timestamp(30),
      durationSec: 30,
      tags: ['fitness'],
      socialUsage: [usage('youtube', 600, 5)],
    }),
    make({
      id: 'seg-e',
      videoId: videoA,
      segmentType: 'original',
      segmentNumber: 0,
      ownerId: 'owner-2',
      createdAt: timestamp(20),
      durationSec: 30,
      tags: ['morning', 'fitness', 'kitchen'],
    }),
    make({
      id: 'seg-b',
      videoId: videoB,
      segmentNumber: 0,
      createdAt: timestamp(50),
      durationSec: 45.5,
      socialUsage: [usage('tiktok', 600, 70)],
    }),
    make({
      id: 'seg-d',
      videoId: videoB,
      segmentType: 'audio',
      segmentNumber: 0,
      ownerId: 'owner-2',
      createdAt: timestamp(40),
      durationSec: 5,
      tags: ['kitchen'],
      socialUsage: [usage('instagram', 0, 0)],
    }),
    make({
      id: 'seg-f',
      videoId: videoB,
      segmentNumber: 1,
      createdAt: timestamp(0),
      durationSec: 60,
      tags: ['morning'],
    }),
  ];
  for (const segment of segments) await expectOk(context.store().segments.insert(segment));
  return { segments: segments.map(asStored), videoA, videoB };
}

const SORTS: readonly SegmentSortBy[] = ['createdAt', 'durationSec', 'views', 'engagement'];

/** Segments of videos (seed 004): CRUD, org scoping, filters, orders, pages, validation. */
export function describeSegmentConformance(context: StoreConformanceContext): void {
  const segments = () => context.store().segments;

  describe('segments', () => {
    it('keeps every field of a segment and its usage through insert, get and list', async () => {
      const { orgId, scope } = makeTenant();
      const videoId = await seedVideo(context, orgId);
      const full = makeSegment({
        orgId,
        videoId,
        id: uniqueId('seg'),
        ownerId: 'owner-7',
        segmentType: 'thumbnail',
        segmentNumber: 3,
        blobKey: 'segments/full/piece-3.jpg',
        durationSec: 12.345,
        sizeBytes: 9_007_199_254_740_991,
        contentType: 'image/jpeg',
        title: 'Opening hook',
        description: 'Line one\n\tline two',
        tags: ['hook', 'Morning Routine', 'é'],
        socialUsage: [
          makeSocialUsage({
            platform: 'tiktok',
            postId: 'tt-1',
            postUrl: 'https://tiktok.example/@me/video/1',
            postedAt: timestamp(100),
            views: 1000,
            likes: 30,
            shares: 5,
            comments: 7,
            clicks: 12,
            conversions: 0,
            lastSyncedAt: timestamp(200),
            uploadId: uniqueId('upload'),
          }),
          makeSocialUsage({ platform: 'instagram', views: 0 }),
        ],
        createdAt: timestamp(1),
        updatedAt: timestamp(2),
      });
      const bare = makeSegment({ orgId, videoId, segmentNumber: 4, durationSec: 0, sizeBytes: 0 });

      const expected = asStored(full);
      expect(expected.socialUsage.map((usage) => usage.platform)).toEqual(['instagram', 'tiktok']);
      expect(expected.socialUsage[1]?.engagementRate).toBeCloseTo(0.042, 10);
      expect(await expectOk(segments().insert(full))).toEqual(expected);
      expect(await expectOk(segments().insert(bare))).toEqual(bare);
      expect(await expectOk(segments().get(scope, full.id))).toEqual(expected);
      expect(await expectOk(segments().list(scope))).toEqual(ordered([expected, bare]));
    });

    it('stores the rate of the counts, not a stale rate given with them', async () => {
      const { orgId, scope } = makeTenant();
      const videoId = await seedVideo(context, orgId);
      const segment = makeSegment({
        orgId,
        videoId,
        socialUsage: [
          { ...makeSocialUsage({ platform: 'youtube', views: 10, likes: 1 }), engagementRate: 0.9 },
        ],
      });
      await expectOk(segments().insert(segment));
      const stored = await expectOk(segments().get(scope, segment.id));
      expect(stored.socialUsage[0]?.engagementRate).toBe(0.1);
    });

    it('refuses a taken id and a taken (video, type, number) with CONFLICT; ids are per org', async () => {
      const first = makeTenant();
      const second = makeTenant();
      const videoId = await seedVideo(context, first.orgId);
      const otherVideo = await seedVideo(context, second.orgId);
      const id = uniqueId('seg');
      const mine = await expectOk(
        segments().insert(makeSegment({ orgId: first.orgId, videoId, id })),
      );

      const sameId = await expectErrorCode(
        segments().insert(makeSegment({ orgId: first.orgId, videoId, id, segmentNumber: 9 })),
        'CONFLICT',
      );
      expect(sameId.message).toContain(id);
      expectHumanMessage(sameId);
      const samePlace = await expectErrorCode(
        segments().insert(makeSegment({ orgId: first.orgId, videoId })),
        'CONFLICT',
      );
      expect(samePlace.message).toContain(videoId);
      expectHumanMessage(samePlace);
      // Another type or number of the same video is another place.
      await expectOk(
        segments().insert(makeSegment({ orgId: first.orgId, videoId, segmentType: 'audio' })),
      );
      // The same id in another org is another segment.
      const theirs = await expectOk(
        segments().insert(makeSegment({ orgId: second.orgId, videoId: otherVideo, id })),
      );
      expect(await expectOk(segments().get(first.scope, id))).toEqual(mine);
      expect(await expectOk(segments().get(second.scope, id))).toEqual(theirs);
      expect(await expectOk(segments().list(first.scope))).toHaveLength(2);
    });

    it('refuses a segment of a video of another org, or of none, with NOT_FOUND', async () => {
      const mine = makeTenant();
      const other = makeTenant();
      const theirVideo = await seedVideo(context, other.orgId);
      for (const videoId of [theirVideo, uniqueId('no-video')]) {
        const error = await expectErrorCode(
          segments().insert(makeSegment({ orgId: mine.orgId, videoId })),
          'NOT_FOUND',
        );
        expect(error.message).toContain(videoId);
        expectHumanMessage(error);
        await expectErrorCode(
          segments().ensure(makeSegment({ orgId: mine.orgId, videoId })),
          'NOT_FOUND',
        );
      }
      expect(await expectOk(segments().list(mine.scope))).toEqual([]);
      expect(await expectOk(segments().list(other.scope))).toEqual([]);
    });

    it('keeps every read and write within the org (NOT_FOUND for another org’s segment)', async () => {
      const owner = makeTenant();
      const stranger = makeTenant();
      const videoId = await seedVideo(context, owner.orgId);
      const segment = await expectOk(
        segments().insert(
          makeSegment({
            orgId: owner.orgId,
            videoId,
            socialUsage: [makeSocialUsage({ platform: 'tiktok', postId: 'p1' })],
          }),
        ),
      );
      const { scope } = stranger;
      await expectErrorCode(segments().get(scope, segment.id), 'NOT_FOUND');
      await expectErrorCode(
        segments().update(scope, segment.id, { title: 'x', updatedAt: timestamp(5) }),
        'NOT_FOUND',
      );
      await expectErrorCode(
        segments().upsertUsage(scope, {
          segmentId: segment.id,
          platform: 'tiktok',
          metrics: { views: 1, likes: 1, shares: 1, comments: 1, clicks: null, conversions: null },
          now: timestamp(5),
        }),
        'NOT_FOUND',
      );
      await expectErrorCode(segments().deleteUsage(scope, segment.id, 'tiktok'), 'NOT_FOUND');
      await expectErrorCode(segments().delete(scope, segment.id), 'NOT_FOUND');
      expect(await expectOk(segments().list(scope))).toEqual([]);
      expect(await expectOk(segments().list(scope, { videoId }))).toEqual([]);
      expect(await expectOk(segments().listPosted(scope, {}))).toEqual([]);
      expect(await expectOk(segments().analytics(scope, 'platform'))).toEqual([]);
      expect(await expectOk(segments().get(owner.scope, segment.id))).toEqual(segment);
    });

    describe('list filters', () => {
      const cases: ReadonlyArray<[string, SegmentFilter, string[]]> = [
        ['segmentType', { segmentType: 'processed' }, ['seg-a', 'seg-b', 'seg-c', 'seg-f']],
        ['segmentType (another)', { segmentType: 'audio' }, ['seg-d']],
        [
          'minDurationSec (inclusive)',
          { minDurationSec: 30 },
          ['seg-a', 'seg-b', 'seg-e', 'seg-f'],
        ],
        ['maxDurationSec (inclusive)', { maxDurationSec: 15 }, ['seg-c', 'seg-d']],
        [
          'both duration bounds (inclusive)',
          { minDurationSec: 15, maxDurationSec: 45.5 },
          ['seg-a', 'seg-b', 'seg-c', 'seg-e'],
        ],
        ['one tag', { tags: ['kitchen'] }, ['seg-d', 'seg-e']],
        ['every given tag', { tags: ['fitness', 'morning'] }, ['seg-c', 'seg-e']],
        ['every given tag (three)', { tags: ['kitchen', 'morning', 'fitness'] }, ['seg-e']],
        ['a tag no segment has', { tags: ['fitness', 'nowhere'] }, []],
        ['hasSocialMedia true', { hasSocialMedia: true }, ['seg-a', 'seg-b', 'seg-c', 'seg-d']],
        ['hasSocialMedia false', { hasSocialMedia: false }, ['seg-e', 'seg-f']],
        ['platform', { platform: 'instagram' }, ['seg-c', 'seg-d']],
        ['platform (another)', { platform: 'youtube' }, ['seg-a']],
        ['a platform no segment is on', { platform: 'meta' }, []],
        ['ownerId', { ownerId: 'owner-2' }, ['seg-d', 'seg-e']],
        [
          'several at once',
          { segmentType: 'processed', tags: ['fitness'], hasSocialMedia: true },
          ['seg-a', 'seg-c'],
        ],
      ];

      it.each(cases)('filters by %s', async (_label, filter, expected) => {
        const tenant = makeTenant();
        const seeded = await seedCatalogue(context, tenant);
        const found = await expectOk(segments().list(tenant.scope, filter));
        expect(segmentIds(found).sort()).toEqual(expected);
        // Whole records, in the default order.
        expect(found).toEqual(
          ordered(seeded.segments.filter((segment) => expected.includes(segment.id))),
        );
      });

      it('filters by video', async () => {
        const tenant = makeTenant();
        const { videoB } = await seedCatalogue(context, tenant);
        const found = await expectOk(segments().list(tenant.scope, { videoId: videoB }));
        expect(segmentIds(found).sort()).toEqual(['seg-b', 'seg-d', 'seg-f']);
      });

      it('refuses a bad filter or order with VALIDATION naming the field', async () => {
        const { scope } = makeTenant();
        const negative = await expectErrorCode(
          segments().list(scope, { minDurationSec: -1 }),
          'VALIDATION',
        );
        expect(negative.path).toBe('minDurationSec');
        const sortBy = await expectErrorCode(
          segments().list(scope, {}, { sortBy: 'likes' as SegmentSortBy }),
          'VALIDATION',
        );
        expect(sortBy.path).toBe('sortBy');
      });
    });

    describe('list order', () => {
      it('is createdAt descending, then id, by default', async () => {
        const tenant = makeTenant();
        const { segments: all } = await seedCatalogue(context, tenant);
        const found = await expectOk(segments().list(tenant.scope));
        expect(segmentIds(found)).toEqual(['seg-b', 'seg-d', 'seg-a', 'seg-e', 'seg-c', 'seg-f']);
        expect(found).toEqual(ordered(all));
      });

      // Seed 004 accepted sort_by and sort_order and ignored them: every pair must change the order.
      const expectations: Record<SegmentSortBy, Record<'asc' | 'desc', string[]>> = {
        createdAt: {
          asc: ['seg-f', 'seg-c', 'seg-e', 'seg-a', 'seg-d', 'seg-b'],
          desc: ['seg-b', 'seg-d', 'seg-a', 'seg-e', 'seg-c', 'seg-f'],
        },
        durationSec: {
          asc: ['seg-d', 'seg-c', 'seg-a', 'seg-e', 'seg-b', 'seg-f'],
          desc: ['seg-f', 'seg-b', 'seg-e', 'seg-a', 'seg-c', 'seg-d'],
        },
        views: {
          asc: ['seg-d', 'seg-e', 'seg-f', 'seg-a', 'seg-b', 'seg-c'],
          desc: ['seg-c', 'seg-b', 'seg-a', 'seg-f', 'seg-e', 'seg-d'],
        },
        engagement: {
          asc: ['seg-d', 'seg-e', 'seg-f', 'seg-a', 'seg-c', 'seg-b'],
          desc: ['seg-b', 'seg-c', 'seg-a', 'seg-f', 'seg-e', 'seg-d'],
        },
      };
      it.each(pairs())(
        'orders by %s %s (ties by id in the same direction)',
        async (sortBy, sortOrder) => {
          const tenant = makeTenant();
          const { segments: all } = await seedCatalogue(context, tenant);
          const found = await expectOk(segments().list(tenant.scope, {}, { sortBy, sortOrder }));
          expect(segmentIds(found)).toEqual(expectations[sortBy][sortOrder]);
          expect(found).toEqual(ordered(all, { sortBy, sortOrder }));
        },
      );

      it('orders the filtered list the same way', async () => {
        const tenant = makeTenant();
        await seedCatalogue(context, tenant);
        const found = await expectOk(
          segments().list(
            tenant.scope,
            { hasSocialMedia: true },
            { sortBy: 'views', sortOrder: 'asc' },
          ),
        );
        expect(segmentIds(found)).toEqual(['seg-d', 'seg-a', 'seg-b', 'seg-c']);
      });
    });

    describe('list pages', () => {
      it.each(pairs())(
        'pages by keyset through %s %s without a gap or a repeat',
        async (sortBy, sortOrder) => {
          const tenant = makeTenant();
          await seedCatalogue(context, tenant);
          const order = { sortBy, sortOrder };
          const whole = segmentIds(await expectOk(segments().list(tenant.scope, {}, order)));
          const seen: string[] = [];
          let after: string | undefined;
          for (let pageNumber = 0; pageNumber < 10; pageNumber += 1) {
            const page = await expectOk(
              segments().list(tenant.scope, {}, order, { limit: 4, ...(after ? { after } : {}) }),
            );
            seen.push(...segmentIds(page));
            if (page.length < 4) break;
            after = page[page.length - 1]?.id;
          }
          expect(seen).toEqual(whole);
          expect(new Set(seen).size).toBe(6);
        },
      );

      it('pages a filtered list, and refuses an after outside it with VALIDATION', async () => {
        const tenant = makeTenant();
        await seedCatalogue(context, tenant);
        const filter = { tags: ['morning'] };
        const order = { sortBy: 'durationSec' as const, sortOrder: 'asc' as const };
        const first = await expectOk(segments().list(tenant.scope, filter, order, { limit: 2 }));
        expect(segmentIds(first)).toEqual(['seg-c', 'seg-e']);
        const second = await expectOk(
          segments().list(tenant.scope, filter, order, { limit: 2, after: 'seg-e' }),
        );
        expect(segmentIds(second)).toEqual(['seg-f']);
        for (const after of ['seg-b', 'no-such-segment']) {
          const error = await expectErrorCode(
            segments().list(tenant.scope, filter, order, { after }),
            'VALIDATION',
          );
          expect(error.path).toBe('after');
        }
        await expectErrorCode(segments().list(tenant.scope, {}, {}, { limit: -1 }), 'VALIDATION');
      });
    });

    it('update persists every editable field and skips undefined ones', async () => {
      const { orgId, scope } = makeTenant();
      const videoId = await seedVideo(context, orgId);
      const segment = await expectOk(
        segments().insert(
          makeSegment({
            orgId,
            videoId,
            title: 'Before',
            description: 'Old',
            tags: ['old', 'kept'],
            socialUsage: [makeSocialUsage({ platform: 'tiktok', views: 3 })],
          }),
        ),
      );
      const updated = await expectOk(
        segments().update(scope, segment.id, {
          segmentType: 'original',
          segmentNumber: 7,
          title: 'After',
          description: 'New\nlines',
          tags: ['kept', 'new'],
          updatedAt: timestamp(60),
        }),
      );
      const expected: Segment = {
        ...segment,
        segmentType: 'original',
        segmentNumber: 7,
        title: 'After',
        description: 'New\nlines',
        tags: ['kept', 'new'],
        updatedAt: timestamp(60),
      };
      expect(updated).toEqual(expected);
      expect(await expectOk(segments().get(scope, segment.id))).toEqual(expected);
      // The tag filter reads the new tags, not the old ones.
      expect(segmentIds(await expectOk(segments().list(scope, { tags: ['new'] })))).toEqual([
        segment.id,
      ]);
      expect(await expectOk(segments().list(scope, { tags: ['old'] }))).toEqual([]);

      const cleared = await expectOk(
        segments().update(scope, segment.id, {
          title: null,
          description: null,
          tags: [],
          updatedAt: timestamp(61),
        }),
      );
      expect(cleared).toEqual({
        ...expected,
        title: null,
        description: null,
        tags: [],
        updatedAt: timestamp(61),
      });
      expect(await expectOk(segments().get(scope, segment.id))).toEqual(cleared);
      await expectErrorCode(
        segments().update(scope, uniqueId('missing'), { title: 'x', updatedAt: timestamp(1) }),
        'NOT_FOUND',
      );
    });

    it('refuses an update onto a taken (video, type, number) with CONFLICT, changing nothing', async () => {
      const { orgId, scope } = makeTenant();
      const videoId = await seedVideo(context, orgId);
      await expectOk(segments().insert(makeSegment({ orgId, videoId, segmentNumber: 0 })));
      const moving = await expectOk(
        segments().insert(makeSegment({ orgId, videoId, segmentNumber: 1 })),
      );
      const error = await expectErrorCode(
        segments().update(scope, moving.id, {
          segmentNumber: 0,
          title: 'moved',
          updatedAt: timestamp(9),
        }),
        'CONFLICT',
      );
      expectHumanMessage(error);
      expect(await expectOk(segments().get(scope, moving.id))).toEqual(moving);
    });

    it('delete returns the segment with its usage and removes its usage rows and tags', async () => {
      const { orgId, scope } = makeTenant();
      const videoId = await seedVideo(context, orgId);
      const segment = asStored(
        makeSegment({
          orgId,
          videoId,
          tags: ['gone'],
          socialUsage: [
            makeSocialUsage({ platform: 'tiktok', postId: 'p-1', views: 5 }),
            makeSocialUsage({ platform: 'youtube', postId: 'p-2', views: 6 }),
          ],
        }),
      );
      await expectOk(segments().insert(segment));
      expect(await expectOk(segments().delete(scope, segment.id))).toEqual(segment);
      await expectErrorCode(segments().get(scope, segment.id), 'NOT_FOUND');
      await expectErrorCode(segments().delete(scope, segment.id), 'NOT_FOUND');
      expect(await expectOk(segments().listPosted(scope, {}))).toEqual([]);
      expect(await expectOk(segments().analytics(scope, 'platform'))).toEqual([]);
      // A new segment with the same id starts with no usage and no tags.
      const again = makeSegment({ orgId, videoId, id: segment.id });
      expect(await expectOk(segments().insert(again))).toEqual(again);
      expect(await expectOk(segments().list(scope, { tags: ['gone'] }))).toEqual([]);
      expect(await expectOk(segments().list(scope, { hasSocialMedia: true }))).toEqual([]);
    });

    it('goes with its video: deleting the video deletes its segments', async () => {
      const { orgId, scope } = makeTenant();
      const videoId = await seedVideo(context, orgId);
      const keptVideo = await seedVideo(context, orgId);
      await expectOk(
        segments().insert(
          makeSegment({
            orgId,
            videoId,
            socialUsage: [makeSocialUsage({ platform: 'tiktok', postId: 'p' })],
          }),
        ),
      );
      const kept = await expectOk(segments().insert(makeSegment({ orgId, videoId: keptVideo })));
      await expectOk(context.store().videos.delete(scope, videoId));
      expect(await expectOk(segments().list(scope))).toEqual([kept]);
      expect(await expectOk(segments().listPosted(scope, {}))).toEqual([]);
    });

    describe('input refused with VALIDATION naming the field, before anything is written', () => {
      const bad: ReadonlyArray<[string, Partial<Segment>, string]> = [
        ['NUL in the title', { title: 'a\u0000b' }, 'title'],
        ['a line break in the title', { title: 'a\nb' }, 'title'],
        ['NUL in the description', { description: 'x\u0000y' }, 'description'],
        ['a negative duration', { durationSec: -0.5 }, 'durationSec'],
        ['an infinite duration', { durationSec: Number.POSITIVE_INFINITY }, 'durationSec'],
        ['a NaN duration', { durationSec: Number.NaN }, 'durationSec'],
        ['a fractional size', { sizeBytes: 1.5 }, 'sizeBytes'],
        ['a negative segment number', { segmentNumber: -1 }, 'segmentNumber'],
        ['a fractional segment number', { segmentNumber: 0.5 }, 'segmentNumber'],
        ['an unknown type', { segmentType: 'gif' as Segment['segmentType'] }, 'segmentType'],
        ['an empty tag', { tags: ['ok', ''] }, 'tags.1'],
        ['a tag with white space around it', { tags: [' padded '] }, 'tags.0'],
        ['a tag of 101 characters', { tags: ['x'.repeat(101)] }, 'tags.0'],
        ['a duplicate tag', { tags: ['same', 'other', 'same'] }, 'tags.2'],
        ['NUL in a tag', { tags: ['a\u0000'] }, 'tags.0'],
        ['a bad timestamp', { createdAt: 'yesterday' }, 'createdAt'],
        [
          'a fractional count',
          { socialUsage: [makeSocialUsage({ platform: 'tiktok', views: 10, likes: 1.5 })] },
          'socialUsage.0.likes',
        ],
        [
          'a negative count',
          { socialUsage: [makeSocialUsage({ platform: 'tiktok', views: -1 })] },
          'socialUsage.0.views',
        ],
        [
          'a platform twice',
          {
            socialUsage: [
              makeSocialUsage({ platform: 'tiktok' }),
              makeSocialUsage({ platform: 'tiktok' }),
            ],
          },
          'socialUsage.1.platform',
        ],
        [
          'NUL in a post id',
          { socialUsage: [makeSocialUsage({ platform: 'tiktok', postId: 'p\u0000' })] },
          'socialUsage.0.postId',
        ],
      ];

      it.each(bad)('refuses %s', async (_label, fields, path) => {
        const { orgId, scope } = makeTenant();
        const videoId = await seedVideo(context, orgId);
        for (const write of [
          () =>
            segments()
              .insert(makeSegment({ orgId, videoId, ...fields }))
              .map(() => null),
          () =>
            segments()
              .ensure(makeSegment({ orgId, videoId, ...fields }))
              .map(() => null),
        ] as const) {
          const error = await expectErrorCode(write(), 'VALIDATION');
          expect(error.path).toBe(path);
          expect(error.message).toContain(path);
          expectHumanMessage(error);
        }
        expect(await expectOk(segments().list(scope))).toEqual([]);
        expect(await expectOk(segments().listPosted(scope, {}))).toEqual([]);
      });

      it('refuses a bad update patch and leaves the segment as it was', async () => {
        const { orgId, scope } = makeTenant();
        const videoId = await seedVideo(context, orgId);
        const segment = await expectOk(
          segments().insert(makeSegment({ orgId, videoId, tags: ['a'] })),
        );
        const patches: ReadonlyArray<[SegmentPatch, string]> = [
          [{ title: 'x\u0000', updatedAt: timestamp(3) }, 'title'],
          [{ tags: ['a', 'a'], title: 'changed', updatedAt: timestamp(3) }, 'tags.1'],
          [{ segmentNumber: 1.25, updatedAt: timestamp(3) }, 'segmentNumber'],
          [{ title: 'changed', updatedAt: 'now' }, 'updatedAt'],
        ];
        for (const [patch, path] of patches) {
          const error = await expectErrorCode(
            segments().update(scope, segment.id, patch),
            'VALIDATION',
          );
          expect(error.path).toBe(path);
        }
        expect(await expectOk(segments().get(scope, segment.id))).toEqual(segment);
        expect(segmentIds(await expectOk(segments().list(scope, { tags: ['a'] })))).toEqual([
          segment.id,
        ]);
      });
    });
  });

  describeSegmentUsageConformance(context);
}

function pairs() {
  return SORTS.flatMap((sortBy) =>
    (['asc', 'desc'] as const).map((sortOrder) => [sortBy, sortOrder] as const),
  );
}
