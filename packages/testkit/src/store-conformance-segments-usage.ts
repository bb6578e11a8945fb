import type { Segment, SocialUsage } from '@vbuckets/core';
import type { SegmentUsageTotals, SocialUsageMetricsPatch } from '@vbuckets/core/adapter-kit';
import { describe, expect, it } from 'vitest';
import {
  makeCategorization,
  makeSegment,
  makeSession,
  makeSocialUsage,
  makeTenant,
  makeVideo,
  timestamp,
  uniqueId,
} from './builders';
import { expectErrorCode, expectOk } from './result-assertions';
import type { StoreConformanceContext } from './store-conformance-context';
import { range } from './store-conformance-market-helpers';

const metrics = (
  views: number,
  likes: number,
  shares = 0,
  comments = 0,
  clicks: number | null = null,
  conversions: number | null = null,
): SocialUsageMetricsPatch => ({ views, likes, shares, comments, clicks, conversions });

const usageOn = (segment: Segment, platform: SocialUsage['platform']) =>
  segment.socialUsage.find((usage) => usage.platform === platform);

/** Usage rows, ensure, the metrics sync's listPosted and the grouped analytics (seed 004). */
export function describeSegmentUsageConformance(context: StoreConformanceContext): void {
  const segments = () => context.store().segments;

  async function newSegment(fields: Partial<Segment> = {}) {
    const tenant = makeTenant();
    const video = await expectOk(context.store().videos.insert(makeVideo({ orgId: tenant.orgId })));
    const segment = await expectOk(
      segments().insert(makeSegment({ orgId: tenant.orgId, videoId: video.id, ...fields })),
    );
    return { ...tenant, videoId: video.id, segment };
  }

  describe('segment usage', () => {
    it('inserts a usage row, then updates it; every update is persisted', async () => {
      const { scope, segment } = await newSegment();
      const uploadId = uniqueId('upload');
      const first = await expectOk(
        segments().upsertUsage(scope, {
          segmentId: segment.id,
          platform: 'tiktok',
          postId: 'tt-1',
          postUrl: 'https://tiktok.example/v/1',
          postedAt: timestamp(10),
          uploadId,
          now: timestamp(10),
        }),
      );
      const posted = {
        platform: 'tiktok' as const,
        postId: 'tt-1',
        postUrl: 'https://tiktok.example/v/1',
        postedAt: timestamp(10),
        views: 0,
        likes: 0,
        shares: 0,
        comments: 0,
        clicks: null,
        conversions: null,
        engagementRate: null,
        lastSyncedAt: null,
        uploadId,
      };
      expect(first).toEqual({ ...segment, socialUsage: [posted], updatedAt: timestamp(10) });

      // Seed 004 lost these: each sync must be read back, and the rate follows the counts.
      let expected: Segment = first;
      for (const [step, counts] of [
        metrics(100, 10, 5, 5),
        metrics(250, 20, 5, 0, 7, 1),
        metrics(0, 0),
      ].entries()) {
        const now = timestamp(20 + step);
        const updated = await expectOk(
          segments().upsertUsage(scope, {
            segmentId: segment.id,
            platform: 'tiktok',
            metrics: counts,
            lastSyncedAt: now,
            now,
          }),
        );
        const rate =
          counts.views === 0
            ? null
            : (counts.likes + counts.shares + counts.comments) / counts.views;
        expected = {
          ...expected,
          socialUsage: [{ ...posted, ...counts, engagementRate: rate, lastSyncedAt: now }],
          updatedAt: now,
        };
        expect(updated).toEqual(expected);
        expect(await expectOk(segments().get(scope, segment.id))).toEqual(expected);
      }
      expect(usageOn(expected, 'tiktok')?.engagementRate).toBeNull();

      // Fields left out keep their value; null clears one.
      const cleared = await expectOk(
        segments().upsertUsage(scope, {
          segmentId: segment.id,
          platform: 'tiktok',
          postUrl: null,
          now: timestamp(40),
        }),
      );
      expect(usageOn(cleared, 'tiktok')).toEqual({
        ...usageOn(expected, 'tiktok'),
        postUrl: null,
      });
      expect(await expectOk(segments().get(scope, segment.id))).toEqual(cleared);
    });

    it('keeps one row per platform, in platform order, and deletes one on request', async () => {
      const { scope, segment } = await newSegment();
      for (const platform of ['youtube', 'instagram', 'meta'] as const) {
        await expectOk(
          segments().upsertUsage(scope, {
            segmentId: segment.id,
            platform,
            metrics: metrics(10, 1),
            now: timestamp(5),
          }),
        );
      }
      const stored = await expectOk(segments().get(scope, segment.id));
      expect(stored.socialUsage.map((usage) => usage.platform)).toEqual([
        'instagram',
        'meta',
        'youtube',
      ]);
      const after = await expectOk(segments().deleteUsage(scope, segment.id, 'meta'));
      expect(after.socialUsage.map((usage) => usage.platform)).toEqual(['instagram', 'youtube']);
      expect(await expectOk(segments().get(scope, segment.id))).toEqual(after);
      const missing = await expectErrorCode(
        segments().deleteUsage(scope, segment.id, 'meta'),
        'NOT_FOUND',
      );
      expect(missing.message).toContain('meta');
      await expectErrorCode(segments().deleteUsage(scope, 'no-segment', 'meta'), 'NOT_FOUND');
    });

    it('applies 20 concurrent upserts of one (segment, platform) whole, leaving one row', async () => {
      const { scope, segment } = await newSegment();
      const writes = range(20).map((index) => metrics(100 + index, index, index, index));
      const results = await Promise.all(
        writes.map((counts, index) =>
          segments().upsertUsage(scope, {
            segmentId: segment.id,
            platform: 'instagram',
            postId: 'ig-post',
            metrics: counts,
            now: timestamp(100 + index),
          }),
        ),
      );
      for (const result of results) expect(result.isOk()).toBe(true);
      const stored = await expectOk(segments().get(scope, segment.id));
      expect(stored.socialUsage).toHaveLength(1);
      const row = stored.socialUsage[0]!;
      // One of the writes, whole: its counts belong together and the rate is theirs.
      const index = row.views - 100;
      expect(writes[index]).toEqual({
        views: row.views,
        likes: row.likes,
        shares: row.shares,
        comments: row.comments,
        clicks: row.clicks,
        conversions: row.conversions,
      });
      expect(row.engagementRate).toBe((3 * index) / (100 + index));
    });

    it('keeps concurrent upserts of different platforms of one segment', async () => {
      const { scope, segment } = await newSegment();
      const platforms = ['instagram', 'tiktok', 'youtube', 'facebook', 'twitter', 'meta'] as const;
      const results = await Promise.all(
        platforms.map((platform, index) =>
          segments().upsertUsage(scope, {
            segmentId: segment.id,
            platform,
            metrics: metrics(10 * (index + 1), index),
            now: timestamp(1),
          }),
        ),
      );
      for (const result of results) expect(result.isOk()).toBe(true);
      const stored = await expectOk(segments().get(scope, segment.id));
      expect(stored.socialUsage.map((usage) => [usage.platform, usage.views])).toEqual(
        [...platforms]
          .map((platform, index) => [platform, 10 * (index + 1)] as const)
          .sort((left, right) => (left[0] < right[0] ? -1 : 1)),
      );
    });

    it('refuses bad usage with VALIDATION and writes nothing', async () => {
      const { scope, segment } = await newSegment();
      await expectOk(
        segments().upsertUsage(scope, {
          segmentId: segment.id,
          platform: 'tiktok',
          metrics: metrics(10, 1),
          now: timestamp(1),
        }),
      );
      const before = await expectOk(segments().get(scope, segment.id));
      const bad: ReadonlyArray<
        [Parameters<ReturnType<typeof segments>['upsertUsage']>[1], string]
      > = [
        [
          {
            segmentId: segment.id,
            platform: 'tiktok',
            metrics: metrics(10, 1.5),
            now: timestamp(2),
          },
          'metrics.likes',
        ],
        [
          {
            segmentId: segment.id,
            platform: 'tiktok',
            metrics: metrics(-3, 1),
            now: timestamp(2),
          },
          'metrics.views',
        ],
        [
          { segmentId: segment.id, platform: 'tiktok', postId: 'a\u0000', now: timestamp(2) },
          'postId',
        ],
        [
          {
            segmentId: segment.id,
            platform: 'myspace' as SocialUsage['platform'],
            now: timestamp(2),
          },
          'platform',
        ],
        [{ segmentId: segment.id, platform: 'tiktok', now: 'later' }, 'now'],
      ];
      for (const [usage, path] of bad) {
        const error = await expectErrorCode(segments().upsertUsage(scope, usage), 'VALIDATION');
        expect(error.path).toBe(path);
      }
      expect(await expectOk(segments().get(scope, segment.id))).toEqual(before);
      await expectErrorCode(
        segments().upsertUsage(scope, {
          segmentId: 'no-segment',
          platform: 'tiktok',
          now: timestamp(2),
        }),
        'NOT_FOUND',
      );
    });
  });

  describe('segments.ensure', () => {
    it('inserts once; a second ensure of the place returns the stored segment', async () => {
      const { orgId, scope, videoId } = await newSegment({ segmentNumber: 5 });
      const wanted = makeSegment({ orgId, videoId, segmentNumber: 0, tags: ['t'] });
      const first = await expectOk(segments().ensure(wanted));
      expect(first).toEqual({ segment: wanted, created: true });
      const second = await expectOk(
        segments().ensure(makeSegment({ orgId, videoId, segmentNumber: 0, title: 'other' })),
      );
      expect(second).toEqual({ segment: wanted, created: false });
      expect(await expectOk(segments().list(scope, { videoId }))).toHaveLength(2);
      // A taken id in another place is still a CONFLICT.
      await expectErrorCode(
        segments().ensure(makeSegment({ orgId, videoId, id: wanted.id, segmentNumber: 9 })),
        'CONFLICT',
      );
    });

    it('of concurrent callers one inserts and every caller gets that row', async () => {
      const { orgId, scope, videoId } = await newSegment({ segmentType: 'audio' });
      const results = await Promise.all(
        range(10).map(() =>
          segments().ensure(
            makeSegment({ orgId, videoId, segmentType: 'thumbnail', segmentNumber: 2 }),
          ),
        ),
      );
      const outcomes = results.map((result) => result._unsafeUnwrap());
      expect(outcomes.filter((outcome) => outcome.created)).toHaveLength(1);
      const ids = new Set(outcomes.map((outcome) => outcome.segment.id));
      expect(ids.size).toBe(1);
      const stored = await expectOk(segments().list(scope, { videoId, segmentType: 'thumbnail' }));
      expect(stored.map((segment) => segment.id)).toEqual([...ids]);
    });
  });

  describe('segments.listPosted', () => {
    async function seedPosted() {
      const tenant = makeTenant();
      const video = await expectOk(
        context.store().videos.insert(makeVideo({ orgId: tenant.orgId })),
      );
      const post = (
        platform: SocialUsage['platform'],
        postId: string | null,
        lastSyncedAt: string | null,
      ) => makeSocialUsage({ platform, postId, lastSyncedAt });
      const make = (id: string, segmentNumber: number, socialUsage: SocialUsage[]) =>
        makeSegment({ orgId: tenant.orgId, videoId: video.id, id, segmentNumber, socialUsage });
      const rows = [
        make('s-1', 0, [post('tiktok', 'p1', null), post('youtube', 'p2', timestamp(50))]),
        make('s-2', 1, [post('instagram', null, null), post('meta', 'p3', timestamp(10))]),
        make('s-3', 2, [post('facebook', 'p4', timestamp(100))]),
        make('s-4', 3, []),
      ];
      for (const row of rows) await expectOk(segments().insert(row));
      return { ...tenant, videoId: video.id };
    }
    const keys = (refs: readonly { segmentId: string; platform: string }[]) =>
      refs.map((ref) => `${ref.segmentId}:${ref.platform}`);

    it('lists rows with a post id in (segment, platform) order, with their video', async () => {
      const { scope, videoId } = await seedPosted();
      const all = await expectOk(segments().listPosted(scope, {}));
      expect(all).toEqual([
        { segmentId: 's-1', videoId, platform: 'tiktok', postId: 'p1', lastSyncedAt: null },
        {
          segmentId: 's-1',
          videoId,
          platform: 'youtube',
          postId: 'p2',
          lastSyncedAt: timestamp(50),
        },
        { segmentId: 's-2', videoId, platform: 'meta', postId: 'p3', lastSyncedAt: timestamp(10) },
        {
          segmentId: 's-3',
          videoId,
          platform: 'facebook',
          postId: 'p4',
          lastSyncedAt: timestamp(100),
        },
      ]);
      expect(await expectOk(segments().listPosted(makeTenant().scope, {}))).toEqual([]);
    });

    it('filters by segments, platforms and syncedBefore (never synced included)', async () => {
      const { scope } = await seedPosted();
      expect(
        keys(await expectOk(segments().listPosted(scope, { segmentIds: ['s-1', 's-3'] }))),
      ).toEqual(['s-1:tiktok', 's-1:youtube', 's-3:facebook']);
      expect(
        keys(await expectOk(segments().listPosted(scope, { platforms: ['meta', 'tiktok'] }))),
      ).toEqual(['s-1:tiktok', 's-2:meta']);
      expect(
        keys(await expectOk(segments().listPosted(scope, { syncedBefore: timestamp(50) }))),
      ).toEqual(['s-1:tiktok', 's-2:meta']);
      expect(await expectOk(segments().listPosted(scope, { segmentIds: [] }))).toEqual([]);
      expect(
        keys(
          await expectOk(
            segments().listPosted(scope, { segmentIds: ['s-1', 's-2'], platforms: ['youtube'] }),
          ),
        ),
      ).toEqual(['s-1:youtube']);
    });

    it('pages by a segmentId:platform key, and refuses a malformed one', async () => {
      const { scope } = await seedPosted();
      const seen: string[] = [];
      let after: string | undefined;
      for (let pageNumber = 0; pageNumber < 5; pageNumber += 1) {
        const page = await expectOk(
          segments().listPosted(scope, { limit: 3, ...(after ? { after } : {}) }),
        );
        seen.push(...keys(page));
        if (page.length < 3) break;
        after = keys(page).at(-1);
      }
      expect(seen).toEqual(['s-1:tiktok', 's-1:youtube', 's-2:meta', 's-3:facebook']);
      // A position: the row it names need not be listed any more (a sync moved it out).
      expect(
        keys(
          await expectOk(
            segments().listPosted(scope, { syncedBefore: timestamp(60), after: 's-1:youtube' }),
          ),
        ),
      ).toEqual(['s-2:meta']);
      for (const bad of ['s-1', 's-1:myspace', ':tiktok']) {
        const error = await expectErrorCode(
          segments().listPosted(scope, { after: bad }),
          'VALIDATION',
        );
        expect(error.path).toBe('after');
      }
    });
  });

  describe('segments.analytics', () => {
    async function seedAnalytics() {
      const tenant = makeTenant();
      const { orgId, productId, scope } = tenant;
      const videos = [];
      for (let index = 0; index < 3; index += 1) {
        videos.push((await expectOk(context.store().videos.insert(makeVideo({ orgId })))).id);
      }
      const [v1, v2, v3] = videos as [string, string, string];
      const session = await expectOk(
        context.store().categorizationSessions.insert(makeSession({ orgId, productId })),
      );
      const otherSession = await expectOk(
        context
          .store()
          .categorizationSessions.insert(makeSession({ orgId, productId: uniqueId('product') })),
      );
      const categorize = (
        videoId: string,
        bucketName: string | null,
        offset: number,
        fields: Partial<Parameters<typeof makeCategorization>[0]> = {},
      ) =>
        expectOk(
          context.store().categorizations.insert(
            makeCategorization({
              orgId,
              productId,
              sessionId: session.id,
              videoId,
              bucketName,
              status: 'categorized',
              createdAt: timestamp(offset),
              ...fields,
            }),
          ),
        );
      // v1: "Old" then "Gut health" (newest categorized); newer rows not categorized, or of
      // another product, do not count.
      await categorize(v1, 'Old', 1);
      await categorize(v1, 'Gut health', 5);
      await categorize(v1, 'Pending bucket', 9, { status: 'pending' });
      await categorize(v1, 'Other product', 9, {
        productId: otherSession.productId,
        sessionId: otherSession.id,
      });
      // v2: two at the same time: the larger id wins.
      const sameTime = uniqueId('cat');
      await categorize(v2, 'Sleep', 3, { id: `${sameTime}-a` });
      await categorize(v2, 'Energy', 3, { id: `${sameTime}-b` });
      // v3: never categorized, so its segments have no bucket (key null).

      const usage = (
        platform: SocialUsage['platform'],
        views: number,
        likes: number,
        extra: Partial<SocialUsage> = {},
      ) => makeSocialUsage({ platform, views, likes, shares: 1, comments: 2, ...extra });
      const insert = (videoId: string, segmentNumber: number, fields: Partial<Segment>) =>
        expectOk(segments().insert(makeSegment({ orgId, videoId, segmentNumber, ...fields })));
      await insert(v1, 0, {
        tags: ['hook', 'morning'],
        socialUsage: [
          usage('tiktok', 100, 10, { clicks: 4 }),
          usage('meta', 50, 5, { conversions: 2 }),
        ],
      });
      await insert(v1, 1, { tags: ['hook'], socialUsage: [usage('tiktok', 200, 20)] });
      await insert(v2, 0, {
        tags: ['morning'],
        segmentType: 'audio',
        socialUsage: [usage('youtube', 1000, 100, { clicks: 6 })],
      });
      await insert(v3, 0, { tags: ['hook'], socialUsage: [usage('tiktok', 7, 0)] });
      // Unposted: counted in no platform, and with zero sums in its video, tag and bucket.
      await insert(v3, 1, { tags: ['quiet'] });
      return { tenant: { orgId, productId, scope }, v1, v2, v3 };
    }

    const totals = (
      key: string | null,
      segments: number,
      views: number,
      likes: number,
      rows: number,
      clicks: number | null = null,
      conversions: number | null = null,
    ): SegmentUsageTotals => ({
      key,
      segments,
      views,
      likes,
      shares: rows,
      comments: 2 * rows,
      clicks,
      conversions,
    });

    it('sums per platform', async () => {
      const { tenant } = await seedAnalytics();
      expect(await expectOk(segments().analytics(tenant.scope, 'platform'))).toEqual([
        totals('meta', 1, 50, 5, 1, null, 2),
        totals('tiktok', 3, 307, 30, 3, 4),
        totals('youtube', 1, 1000, 100, 1, 6),
      ]);
    });

    it('sums per tag (a segment counts in each of its tags)', async () => {
      const { tenant } = await seedAnalytics();
      expect(await expectOk(segments().analytics(tenant.scope, 'tag'))).toEqual([
        totals('hook', 3, 357, 35, 4, 4, 2),
        totals('morning', 2, 1150, 115, 3, 10, 2),
        totals('quiet', 0, 0, 0, 0),
      ]);
    });

    it('sums per video', async () => {
      const { tenant, v1, v2, v3 } = await seedAnalytics();
      const expected = [
        totals(v1, 2, 350, 35, 3, 4, 2),
        totals(v2, 1, 1000, 100, 1, 6),
        totals(v3, 1, 7, 0, 1),
      ].sort((left, right) => ((left.key ?? '') < (right.key ?? '') ? -1 : 1));
      expect(await expectOk(segments().analytics(tenant.scope, 'video'))).toEqual(expected);
    });

    it('sums per bucket: the newest categorized row of the video in the product; none is null, last', async () => {
      const { tenant } = await seedAnalytics();
      expect(
        await expectOk(
          segments().analytics(tenant.scope, 'bucket', { productId: tenant.productId }),
        ),
      ).toEqual([
        totals('Energy', 1, 1000, 100, 1, 6),
        totals('Gut health', 2, 350, 35, 3, 4, 2),
        totals(null, 1, 7, 0, 1),
      ]);
      const error = await expectErrorCode(
        segments().analytics(tenant.scope, 'bucket'),
        'VALIDATION',
      );
      expect(error.path).toBe('productId');
    });

    it('sums only what the filter keeps', async () => {
      const { tenant, v1 } = await seedAnalytics();
      const { scope } = tenant;
      expect(await expectOk(segments().analytics(scope, 'platform', { videoId: v1 }))).toEqual([
        totals('meta', 1, 50, 5, 1, null, 2),
        totals('tiktok', 2, 300, 30, 2, 4),
      ]);
      expect(
        await expectOk(segments().analytics(scope, 'video', { segmentType: 'audio' })),
      ).toHaveLength(1);
      // With a platform, only that platform's rows are summed.
      expect(await expectOk(segments().analytics(scope, 'tag', { platform: 'tiktok' }))).toEqual([
        totals('hook', 3, 307, 30, 3, 4),
        totals('morning', 1, 100, 10, 1, 4),
      ]);
      expect(await expectOk(segments().analytics(scope, 'tag', { hasSocialMedia: false }))).toEqual(
        [totals('quiet', 0, 0, 0, 0)],
      );
      expect(await expectOk(segments().analytics(makeTenant().scope, 'tag'))).toEqual([]);
    });
  });
}
