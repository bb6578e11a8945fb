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
  /** Most views; ties go to the higher rate, then the name in alphabetical order. */
  topPlatform: SocialPlatform | null;
  platformCount: number;
}

const COUNT_FIELDS = ['views', 'likes', 'shares', 'comments'] as const;

function compareRates(first: number | null, second: number | null): number {
  // A known rate beats an unknown one: a platform without views has shown nothing yet.
  if (first === second) return 0;
  if (first === null) return 1;
  if (second === null) return -1;
  return second - first;
}

function compareForTop(first: PlatformAnalytics, second: PlatformAnalytics): number {
  return (
    second.views - first.views ||
    compareRates(first.engagementRate, second.engagementRate) ||
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
 * Aggregates a segment's social usage (seed 004's analytics): totals, the overall rate of the
 * totals, a breakdown per platform, the average of the platforms' rates, the top platform and
 * the platform count. Rates are recomputed from the counts rather than read from the stored
 * `engagementRate`, so they cannot disagree with the numbers shown beside them. VALIDATION for a
 * count that is not a non-negative whole number or a platform listed twice.
 */
export function analyzeSegmentUsage(
  usages: readonly SocialUsageMetrics[],
): Result<SegmentAnalytics, VBucketsError> {
  const problem = checkUsages(usages);
  if (problem) return err(problem);

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
