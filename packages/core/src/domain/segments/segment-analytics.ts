import { err, ok, type Result } from 'neverthrow';
import { type VBucketsError, validationError } from '../../errors';
import type { SocialPlatform, SocialUsage } from '../../schemas/segment';
import { type EngagementCounts, engagementRate } from './engagement-rate';

/** The parts of a `SocialUsage` the analytics read. */
export type SocialUsageMetrics = Pick<SocialUsage, 'platform'> & EngagementCounts;

export interface PlatformAnalytics extends EngagementCounts {
  platform: SocialPlatform;
  /** Recomputed from the counts; null when the platform has no views. */
  engagementRate: number | null;
}

export interface SegmentAnalytics {
  /** Sums over every platform. */
  totals: EngagementCounts;
  /** The rate of the totals: every interaction over every view, so big platforms weigh more. */
  engagementRate: number | null;
  /** The plain mean of the platforms' rates, leaving out those without views; null if none. */
  averageEngagementRate: number | null;
  /** One entry per platform, best first (the order that picks `topPlatform`). */
  platforms: PlatformAnalytics[];
  /**
   * The platform with the most engagement (likes + shares + comments), not the most views:
   * views say how far a post was shown, engagement how it landed. Ties go to more views
   * (equal engagement and views make equal rates), then the name in alphabetical order; null
   * when there is no usage.
   */
  topPlatform: SocialPlatform | null;
  platformCount: number;
}

const COUNT_FIELDS = ['views', 'likes', 'shares', 'comments'] as const;

const engagementOf = (counts: EngagementCounts) => counts.likes + counts.shares + counts.comments;

function compareForTop(first: PlatformAnalytics, second: PlatformAnalytics): number {
  return (
    engagementOf(second) - engagementOf(first) ||
    second.views - first.views ||
    // Code-point order, not localeCompare: the tie-break must not depend on the runtime's locale.
    (first.platform < second.platform ? -1 : first.platform > second.platform ? 1 : 0)
  );
}

function checkUsages(usages: readonly SocialUsageMetrics[]): VBucketsError | undefined {
  const seen = new Set<string>();
  for (const [index, usage] of usages.entries()) {
    for (const field of COUNT_FIELDS) {
      const value = usage[field];
      if (!(Number.isSafeInteger(value) && value >= 0)) {
        const path = `socialUsage.${index}.${field}`;
        return validationError(
          `Invalid ${path}: must be a whole number of at least 0 (got ${String(value)})`,
          { path },
        );
      }
    }
    // One usage row per (segment, platform) is a model invariant; two would double-count.
    if (seen.has(usage.platform)) {
      const path = `socialUsage.${index}.platform`;
      return validationError(`Invalid ${path}: ${usage.platform} appears more than once`, {
        path,
      });
    }
    seen.add(usage.platform);
  }
  return undefined;
}

/**
 * The analytics of a segment without any usage row (never posted): the same shape as any
 * other answer, every count 0, every rate null, no platforms and no top platform. A new
 * object each call, so a caller may change it.
 */
export function emptySegmentAnalytics(): SegmentAnalytics {
  return {
    totals: { views: 0, likes: 0, shares: 0, comments: 0 },
    engagementRate: null,
    averageEngagementRate: null,
    platforms: [],
    topPlatform: null,
    platformCount: 0,
  };
}

/**
 * Aggregates a segment's social usage (seed 004's analytics): totals, the overall rate of the
 * totals, a breakdown per platform, the average of the platforms' rates, the top platform and
 * the platform count (`emptySegmentAnalytics()` for no usage at all). Rates are recomputed from the counts rather than read from the stored
 * `engagementRate`, so they cannot disagree with the numbers shown beside them. VALIDATION for a
 * count that is not a non-negative whole number or a platform listed twice.
 */
export function analyzeSegmentUsage(
  usages: readonly SocialUsageMetrics[],
): Result<SegmentAnalytics, VBucketsError> {
  const problem = checkUsages(usages);
  if (problem) return err(problem);
  if (usages.length === 0) return ok(emptySegmentAnalytics());

  const totals: EngagementCounts = { views: 0, likes: 0, shares: 0, comments: 0 };
  const platforms = usages.map((usage): PlatformAnalytics => {
    for (const field of COUNT_FIELDS) totals[field] += usage[field];
    return {
      platform: usage.platform,
      views: usage.views,
      likes: usage.likes,
      shares: usage.shares,
      comments: usage.comments,
      engagementRate: engagementRate(usage),
    };
  });
  platforms.sort(compareForTop);

  const knownRates = platforms
    .map((platform) => platform.engagementRate)
    .filter((rate): rate is number => rate !== null);
  const averageEngagementRate =
    knownRates.length === 0
      ? null
      : knownRates.reduce((sum, rate) => sum + rate, 0) / knownRates.length;

  return ok({
    totals,
    engagementRate: engagementRate(totals),
    averageEngagementRate,
    platforms,
    topPlatform: platforms[0]?.platform ?? null,
    platformCount: platforms.length,
  });
}
