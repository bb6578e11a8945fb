import { describe, expect, it } from 'vitest';
import {
  analyzeSegmentUsage,
  emptySegmentAnalytics,
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
    expect(analyze([])).toEqual(emptySegmentAnalytics());
    // A fresh object each time: changing one answer never changes the next.
    expect(emptySegmentAnalytics()).not.toBe(emptySegmentAnalytics());
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

  it('makes the platform with the most engagement the top one, not the one with the most views (seed 004)', () => {
    // Seed 004 picked the most viewed platform: YouTube's 10 000 silent views would win.
    const analytics = analyze([
      usage('youtube', 10_000, 5, 0, 1),
      usage('tiktok', 800, 120, 30, 40),
      usage('instagram', 2000, 60, 5, 5),
    ]);
    expect(analytics.topPlatform).toBe('tiktok');
    expect(analytics.platforms.map((each) => each.platform)).toEqual([
      'tiktok',
      'instagram',
      'youtube',
    ]);
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
    // Still a top platform: the one people interacted with, views or not.
    expect(analytics.topPlatform).toBe('twitter');
  });

  it('breaks a tie on engagement by more views', () => {
    const analytics = analyze([usage('instagram', 400, 10, 5, 5), usage('youtube', 500, 20)]);
    expect(analytics.topPlatform).toBe('youtube');
  });

  it('breaks a tie on engagement and views by the platform name', () => {
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

  it('prefers more engagement over more views and over a higher rate', () => {
    const analytics = analyze([usage('instagram', 10, 9), usage('youtube', 1000, 10)]);
    expect(analytics.topPlatform).toBe('youtube');
    const fewerViews = analyze([usage('instagram', 10, 9), usage('youtube', 1000, 8)]);
    expect(fewerViews.topPlatform).toBe('instagram');
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
