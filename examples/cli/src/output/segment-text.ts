import type {
  InsightArm,
  InsightRanking,
  Segment,
  SegmentAnalytics,
  SegmentUsageTotals,
  SyncMetricsSummary,
} from '@vbuckets/core';
import { countOf, formatCount, formatRate, posteriorColumns } from './market-text';
import { type Column, renderTable } from './table';

const seconds = (value: number) => `${Math.round(value * 100) / 100} s`;
const rate = (value: number | null) => (value === null ? '-' : `${(value * 100).toFixed(2)}%`);

/** A segment's sums over its platforms. */
function usageSums(segment: Segment) {
  let views = 0;
  let engagement = 0;
  for (const usage of segment.socialUsage) {
    views += usage.views;
    engagement += usage.likes + usage.shares + usage.comments;
  }
  return { views, engagement };
}

/** `segments list`: one line a segment, then a totals line. */
export function segmentsTable(segments: readonly Segment[]): string {
  const columns: Column<Segment>[] = [
    { header: 'ID', value: (segment) => segment.id },
    { header: 'VIDEO', value: (segment) => segment.videoId },
    { header: 'TYPE', value: (segment) => segment.segmentType },
    { header: '#', value: (segment) => String(segment.segmentNumber), align: 'right' },
    { header: 'DURATION', value: (segment) => seconds(segment.durationSec), align: 'right' },
    { header: 'TAGS', value: (segment) => segment.tags.join(', ') || '-', maxWidth: 24 },
    {
      header: 'PLATFORMS',
      value: (segment) => segment.socialUsage.map((usage) => usage.platform).join(', ') || '-',
    },
    {
      header: 'VIEWS',
      value: (segment) => formatCount(usageSums(segment).views),
      align: 'right',
    },
    {
      header: 'ENGAGEMENT',
      value: (segment) => formatCount(usageSums(segment).engagement),
      align: 'right',
    },
  ];
  const totals = segments.reduce(
    (sum, segment) => {
      const each = usageSums(segment);
      return {
        durationSec: sum.durationSec + segment.durationSec,
        views: sum.views + each.views,
        engagement: sum.engagement + each.engagement,
      };
    },
    { durationSec: 0, views: 0, engagement: 0 },
  );
  return [
    renderTable(columns, segments),
    `Total: ${countOf(segments.length, 'segment')}, ${seconds(totals.durationSec)}, ${formatCount(totals.views)} views, ${formatCount(totals.engagement)} engagements`,
  ].join('\n');
}

/** Every field of one segment and a line per platform, for `segments show`. */
export function segmentDetails(segment: Segment): string {
  const field = (label: string, value: string | number | null) =>
    `  ${`${label}:`.padEnd(13)}${value === null || value === '' ? '-' : String(value)}`;
  const lines = [
    `Segment ${segment.id} (${segment.segmentType} #${segment.segmentNumber} of video ${segment.videoId})`,
    field('owner', segment.ownerId),
    field('duration', seconds(segment.durationSec)),
    field('size', `${formatCount(segment.sizeBytes)} bytes`),
    field('type', segment.contentType),
    field('blob', segment.blobKey),
    field('title', segment.title),
    field('description', segment.description),
    field('tags', segment.tags.join(', ')),
    field('created', segment.createdAt),
    field('updated', segment.updatedAt),
  ];
  if (segment.socialUsage.length === 0) return [...lines, '  No social usage yet.'].join('\n');
  return [
    ...lines,
    '',
    renderTable(
      [
        { header: 'PLATFORM', value: (usage) => usage.platform },
        { header: 'POST', value: (usage) => usage.postId ?? '-' },
        { header: 'VIEWS', value: (usage) => formatCount(usage.views), align: 'right' },
        { header: 'LIKES', value: (usage) => formatCount(usage.likes), align: 'right' },
        { header: 'SHARES', value: (usage) => formatCount(usage.shares), align: 'right' },
        { header: 'COMMENTS', value: (usage) => formatCount(usage.comments), align: 'right' },
        { header: 'RATE', value: (usage) => rate(usage.engagementRate), align: 'right' },
        { header: 'SYNCED', value: (usage) => usage.lastSyncedAt ?? 'never' },
        { header: 'URL', value: (usage) => usage.postUrl ?? '-', maxWidth: 48 },
      ],
      segment.socialUsage,
    ),
  ].join('\n');
}

/** `segments analytics <segment>`: totals, per platform (best first), the top platform. */
export function segmentAnalyticsText(segmentId: string, analytics: SegmentAnalytics): string {
  if (analytics.platformCount === 0) {
    return `Segment ${segmentId} has no social usage yet: nothing to analyse.`;
  }
  const { totals } = analytics;
  return [
    `Segment ${segmentId}: ${formatCount(totals.views)} views, ${formatCount(totals.likes)} likes, ${formatCount(totals.shares)} shares, ${formatCount(totals.comments)} comments on ${countOf(analytics.platformCount, 'platform')}`,
    `Engagement rate ${rate(analytics.engagementRate)} overall, ${rate(analytics.averageEngagementRate)} averaged over platforms; top platform: ${analytics.topPlatform ?? '-'}`,
    '',
    renderTable(
      [
        { header: 'PLATFORM', value: (each) => each.platform },
        { header: 'VIEWS', value: (each) => formatCount(each.views), align: 'right' },
        { header: 'LIKES', value: (each) => formatCount(each.likes), align: 'right' },
        { header: 'SHARES', value: (each) => formatCount(each.shares), align: 'right' },
        { header: 'COMMENTS', value: (each) => formatCount(each.comments), align: 'right' },
        { header: 'RATE', value: (each) => rate(each.engagementRate), align: 'right' },
      ],
      analytics.platforms,
    ),
  ].join('\n');
}

/** `segments analytics --by …`: a line per group and a totals line. */
export function usageTotalsText(groupBy: string, groups: readonly SegmentUsageTotals[]): string {
  if (groups.length === 0) return 'No social usage yet: nothing to sum.';
  const engagement = (each: SegmentUsageTotals) => each.likes + each.shares + each.comments;
  const all = groups.reduce(
    (sum, each) => ({
      views: sum.views + each.views,
      engagement: sum.engagement + engagement(each),
    }),
    { views: 0, engagement: 0 },
  );
  return [
    renderTable(
      [
        { header: groupBy.toUpperCase(), value: (each) => each.key ?? '(none)' },
        { header: 'SEGMENTS', value: (each) => formatCount(each.segments), align: 'right' },
        { header: 'VIEWS', value: (each) => formatCount(each.views), align: 'right' },
        { header: 'LIKES', value: (each) => formatCount(each.likes), align: 'right' },
        { header: 'SHARES', value: (each) => formatCount(each.shares), align: 'right' },
        { header: 'COMMENTS', value: (each) => formatCount(each.comments), align: 'right' },
        {
          header: 'RATE',
          value: (each) => rate(each.views === 0 ? null : engagement(each) / each.views),
          align: 'right',
        },
      ],
      groups,
    ),
    `Total: ${formatCount(all.views)} views, ${formatCount(all.engagement)} engagements, rate ${rate(all.views === 0 ? null : all.engagement / all.views)}`,
  ].join('\n');
}

/** `segments sync`: a line per post that failed, then the counts. */
export function syncText(
  summary: SyncMetricsSummary,
  /** The CLI's words for a platform without a metrics source (which token to set). */
  unconfigured: (platform: string) => string,
): string {
  const failures = summary.results.filter((result) => !result.ok);
  const lines = failures.map((result) => {
    if (result.ok) return '';
    const reason =
      result.error.path === 'metricsSources'
        ? unconfigured(result.platform)
        : `${result.error.code} ${result.error.message}`;
    return `  ${result.segmentId} ${result.platform} ${result.postId}: ${reason}`;
  });
  return [
    `Synced ${countOf(summary.synced, 'post')}; ${summary.failed} failed (kept as they were).`,
    ...(failures.length === 0 ? [] : ['', ...lines]),
    ...(summary.results.length === 0
      ? ['Nothing to sync: no segment has a post with an id on a platform with a metrics source.']
      : []),
  ].join('\n');
}

const successNoun = { engagement: 'engagement', clicks: 'click', conversions: 'conversion' };

function armColumns(arms: readonly InsightArm[], withPBest: boolean): Column<InsightArm>[] {
  return [
    { header: 'ARM', value: (arm) => arm.label, maxWidth: 32 },
    ...(arms.some((arm) => arm.dimension !== null)
      ? [{ header: 'DIMENSION', value: (arm: InsightArm) => arm.dimension ?? '-' }]
      : []),
    ...posteriorColumns(arms, withPBest),
    {
      header: 'EVIDENCE',
      value: (arm) =>
        arm.trials === 0
          ? 'no data yet'
          : `${formatCount(arm.successes)} of ${formatCount(arm.trials)} (${countOf(arm.segments, 'segment')})`,
    },
  ];
}

/** `insights buckets|patterns`: a heading, the arms by P(best), and what the columns mean. */
export function insightRankingText(ranking: InsightRanking, seed?: number): string {
  const what =
    ranking.by === 'bucket'
      ? `Product ${ranking.productId}: ${countOf(ranking.arms.length, 'bucket')}`
      : `${ranking.productCategory === null ? 'All categories' : `Category ${ranking.productCategory}`}: ${countOf(ranking.arms.length, 'pattern')}`;
  return [
    `${what} by P(best) of the ${successNoun[ranking.success]} rate over ${formatCount(ranking.draws)} Thompson draws${seed === undefined ? '' : `, seed ${seed}`}`,
    '',
    renderTable(armColumns(ranking.arms, true), ranking.arms),
    '',
    'MEAN is the posterior rate (● on the bar), the bar its 95% credible interval; P(BEST) the',
    'share of draws the arm won. Evidence is the synced metrics of the posts of its segments;',
    `every arm starts at the pooled rate ${formatRate(ranking.prior.mean)}, worth ${formatCount(ranking.prior.strength)} pseudo-trials.`,
  ].join('\n');
}

/** `insights next`: the arms to produce next, in the order drawn. */
export function suggestionsText(arms: readonly InsightArm[]): string {
  return [
    `Produce next (${arms.length}, one Thompson draw each, highest first):`,
    '',
    renderTable(
      [
        { header: '#', value: (arm) => String(arms.indexOf(arm) + 1), align: 'right' },
        ...armColumns(arms, false),
      ],
      arms,
    ),
  ].join('\n');
}
