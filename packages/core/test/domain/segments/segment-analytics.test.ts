import { describe, expect, it } from 'vitest';
import {
  analyzeSegmentUsage,
  type SocialUsageMetrics,
} from '../../../src/domain/segments/segment-analytics';
import type { SocialUsage } from '../../../src/schemas/segment';

function usage(
  platform: SocialUsage['platform'],
  views: number,
  likes = 0,
  shares = 0,
  comments = 0,
): SocialUsage {
  return {
    platform,
    postId: null,
    postUrl: null,
    postedAt: null,
    views,
    likes,
    shares,
    comments,
    // Deliberately stale: the analytics recompute rates from the counts.
    engagementRate: 0.99,
    lastSyncedAt: null,
    clicks: null,
    conversions: null,
    uploadId: null,
  };
}

function analyze(usages: readonly SocialUsageMetrics[]) {
  return analyzeSegmentUsage(usages)._unsafeUnwrap();
}

describe('analyzeSegmentUsage', () => {
  it('gives empty analytics for a segment that was never posted', () => {
    expect(analyze([])).toEqual({
      totals: { views: 0, likes: 0, shares: 0, comments: 0 },
      engagementRate: null,
      averageEngagementRate: null,
      platforms: [],
      topPlatform: null,
      platformCount: 0,
    });
  });

  it('totals the counts and rates the totals, not the average of rates', () => {
    const analytics = analyze([
      usage('tiktok', 1000, 80, 10, 10),
      usage('instagram', 100, 25, 3, 2),
    ]);
    expect(analytics.totals).toEqual({ views: 1100, likes: 105, shares: 13, comments: 12 });
    // 130 / 1100, where the mean of 0.1 and 0.3 would be 0.2.
    expect(analytics.engagementRate).toBeCloseTo(130 / 1100, 12);
    expect(analytics.averageEngagementRate).toBeCloseTo(0.2, 12);
    expect(analytics.platformCount).toBe(2);
  });

  it('breaks the numbers down per platform, best first, with recomputed rates', () => {
    const analytics = analyze([
      usage('instagram', 100, 25, 3, 2),
      usage('tiktok', 1000, 80, 10, 10),
    ]);
    expect(analytics.platforms).toEqual([
      { platform: 'tiktok', views: 1000, likes: 80, shares: 10, comments: 10, engagementRate: 0.1 },
      { platform: 'instagram', views: 100, likes: 25, shares: 3, comments: 2, engagementRate: 0.3 },
    ]);
    expect(analytics.topPlatform).toBe('tiktok');
  });

  it('leaves platforms without views out of the average rate', () => {
    const analytics = analyze([
      usage('youtube', 0),
      usage('tiktok', 200, 20),
      usage('facebook', 100, 30),
    ]);
    expect(analytics.averageEngagementRate).toBeCloseTo(0.2, 12);
    expect(
      analytics.platforms.find((each) => each.platform === 'youtube')?.engagementRate,
    ).toBeNull();
    expect(analytics.platformCount).toBe(3);
  });

  it('has no rates at all when no platform has views', () => {
    const analytics = analyze([usage('youtube', 0), usage('twitter', 0, 4)]);
    expect(analytics.engagementRate).toBeNull();
    expect(analytics.averageEngagementRate).toBeNull();
    expect(analytics.totals.likes).toBe(4);
    // Still a top platform: the tie on views and on (unknown) rate falls to the name.
    expect(analytics.topPlatform).toBe('twitter');
  });

  it('breaks a tie on views by the higher engagement rate', () => {
    const analytics = analyze([usage('instagram', 500, 10), usage('youtube', 500, 40)]);
    expect(analytics.topPlatform).toBe('youtube');
  });

  it('breaks a tie on views and rate by the platform name', () => {
    const analytics = analyze([
      usage('youtube', 500, 10),
      usage('tiktok', 500, 10),
      usage('facebook', 500, 10),
    ]);
    expect(analytics.topPlatform).toBe('facebook');
    expect(analytics.platforms.map((each) => each.platform)).toEqual([
      'facebook',
      'tiktok',
      'youtube',
    ]);
  });

  it('prefers more views over a higher rate', () => {
    const analytics = analyze([usage('instagram', 10, 9), usage('youtube', 11, 0)]);
    expect(analytics.topPlatform).toBe('youtube');
  });

  it.each([
    ['socialUsage.1.views', [usage('tiktok', 1), { ...usage('youtube', 1), views: -1 }]],
    ['socialUsage.0.likes', [{ ...usage('tiktok', 1), likes: 1.5 }]],
    ['socialUsage.0.comments', [{ ...usage('tiktok', 1), comments: Number.NaN }]],
    ['socialUsage.1.platform', [usage('tiktok', 1), usage('tiktok', 2)]],
  ])('rejects bad usage naming %s', (path, usages) => {
    const error = analyzeSegmentUsage(usages)._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe(path);
    expect(error.message).toContain(path);
  });
});
