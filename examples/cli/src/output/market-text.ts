import type { Creative, MarketArm, MarketRanking, PatternDimension } from '@vbuckets/core';
import type { MarketPrior } from '@vbuckets/core/domain';
import { type Column, renderTable } from './table';

/** Characters of a creative id shown in tables: ids are UUIDs, 8 tell them apart. */
const SHORT_ID = 8;
/** Cells of the credible-interval bar. */
const BAR_WIDTH = 24;

const integers = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `1,000`: counts with thousands separators, rounded. */
export function formatCount(count: number): string {
  return integers.format(count);
}

/** `1 click`, `1,000 clicks`. */
export function countOf(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/** `5.1%`; two decimals under 1% (`0.35%`), so small rates stay distinct. */
export function formatRate(rate: number): string {
  const percent = rate * 100;
  return `${percent.toFixed(percent !== 0 && Math.abs(percent) < 1 ? 2 : 1)}%`;
}

export function shortId(id: string): string {
  return id.slice(0, SHORT_ID);
}

/** The tags of a creative as `hook_type question · emotion joy · tag ugc, tutor`, or `none`. */
export function tagsText(creative: Creative): string {
  const pairs: Array<[string, string | null]> = [
    ['hook_type', creative.hookType],
    ['emotion', creative.emotion],
    ['pacing', creative.pacing],
    ['target_audience_pain', creative.targetAudiencePain],
    ['tag', creative.extraTags.length === 0 ? null : creative.extraTags.join(', ')],
  ];
  const shown = pairs.filter((pair): pair is [string, string] => pair[1] !== null);
  return shown.length === 0 ? 'none' : shown.map(([name, value]) => `${name} ${value}`).join(' · ');
}

/** What a benchmark's numbers are worth as a prior, in one line. */
export function priorText(prior: MarketPrior, weight: number): string {
  const clicks = prior.capped
    ? `${formatCount(prior.marketClicks)} market clicks capped at ${formatCount(prior.clicks)}`
    : `${formatCount(prior.clicks)} market clicks`;
  return `Beta(${roundShape(prior.alpha)}, ${roundShape(prior.beta)}): ${clicks}, ${formatCount(prior.conversions)} conversions (${formatRate(prior.alpha / (prior.alpha + prior.beta))} mean), counted ${weight}× in rankings`;
}

function roundShape(shape: number): string {
  return Number.isInteger(shape) ? String(shape) : shape.toFixed(2);
}

/** A creative's fields, one `  label  value` line each, for `ingest`, `add` and `analyze`. */
export function creativeDetails(creative: Creative, extra: Array<[string, string]> = []): string {
  const rows: Array<[string, string]> = [
    ['id', creative.id],
    ['category', creative.productCategory],
    [
      'source',
      creative.source === 'benchmark'
        ? `benchmark (public${creative.sourcePlatform === null ? '' : `, ${creative.sourcePlatform}`})`
        : `client (private, owner ${creative.ownerId ?? 'none'})`,
    ],
    ...(creative.sourceUrl === null ? [] : [['url', creative.sourceUrl] as [string, string]]),
    ...(creative.source === 'benchmark'
      ? [
          [
            'market',
            `${formatRate(creative.marketCvr ?? 0)} CVR over ${formatCount(creative.marketLongevityDays ?? 0)} days at ${formatCount(creative.avgDailyClicks ?? 0)} clicks a day`,
          ] as [string, string],
        ]
      : []),
    ...(creative.clicks > 0 || creative.source === 'client'
      ? [['results', resultsText(creative)] as [string, string]]
      : []),
    ['tags', tagsText(creative)],
    ['video', creative.videoId ?? 'none'],
    ['analysis', analysisStatusText(creative)],
    ...extra,
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n');
}

/** `520 clicks, 11 conversions (2.1%), 5,200 impressions`. */
export function resultsText(creative: Creative): string {
  const rate =
    creative.clicks === 0 ? '' : ` (${formatRate(creative.conversions / creative.clicks)})`;
  const impressions =
    creative.impressions === 0 ? '' : `, ${countOf(creative.impressions, 'impression')}`;
  return `${countOf(creative.clicks, 'click')}, ${countOf(creative.conversions, 'conversion')}${rate}${impressions}`;
}

/** `done (claude, 2026-03-01T10:00:00.000Z)`, `failed: …`, `queued`, `none`. */
export function analysisStatusText(creative: Creative): string {
  switch (creative.analysisStatus) {
    case 'done': {
      const provider = creative.analysis?.provider;
      return `done${typeof provider === 'string' ? ` by ${provider}` : ''}${creative.analyzedAt === null ? '' : ` at ${creative.analyzedAt}`}`;
    }
    case 'failed':
      return `failed: ${creative.analysisError ?? 'no reason recorded'}`;
    default:
      return creative.analysisStatus;
  }
}

/** The summary a finished analysis stored, if any. */
export function analysisSummary(creative: Creative): string | undefined {
  const summary = creative.analysis?.summary;
  return typeof summary === 'string' && summary.trim() !== '' ? summary.trim() : undefined;
}

/** A `summary` row for {@link creativeDetails} when an analysis stored one. */
export function summaryRows(creative: Creative): Array<[string, string]> {
  const summary = analysisSummary(creative);
  return summary === undefined ? [] : [['summary', summary]];
}

/** `market list` and `market benchmarks`: one line per creative, newest first. */
export function creativesTable(creatives: readonly Creative[]): string {
  const columns: Column<Creative>[] = [
    { header: 'ID', value: (creative) => shortId(creative.id) },
    { header: 'NAME', value: (creative) => creative.name, maxWidth: 32 },
    { header: 'SOURCE', value: (creative) => creative.source },
    { header: 'CATEGORY', value: (creative) => creative.productCategory, maxWidth: 24 },
    {
      header: 'EVIDENCE',
      value: (creative) =>
        creative.source === 'benchmark' && creative.clicks === 0
          ? `${formatRate(creative.marketCvr ?? 0)} CVR × ${formatCount((creative.marketLongevityDays ?? 0) * (creative.avgDailyClicks ?? 0))} market clicks`
          : `${formatCount(creative.conversions)}/${formatCount(creative.clicks)} conv/clicks`,
    },
    { header: 'TAGS', value: tagsText, maxWidth: 48 },
    { header: 'ANALYSIS', value: (creative) => creative.analysisStatus },
  ];
  return renderTable(columns, creatives);
}

/**
 * The 95% interval on a `0..scaleMax` axis of `width` cells: `·` outside it, `├──┤` across
 * it, `●` at the mean.
 */
export function intervalBar(
  arm: Pick<MarketArm, 'mean' | 'interval'>,
  scaleMax: number,
  width = BAR_WIDTH,
): string {
  const cell = (rate: number) =>
    Math.min(width - 1, Math.max(0, Math.round((rate / scaleMax) * (width - 1))));
  const cells = new Array<string>(width).fill('·');
  const lower = cell(arm.interval.lower);
  const upper = cell(arm.interval.upper);
  for (let index = lower; index <= upper; index += 1) cells[index] = '─';
  if (lower < upper) {
    cells[lower] = '├';
    cells[upper] = '┤';
  }
  cells[cell(arm.mean)] = '●';
  return cells.join('');
}

/** The axis end: the smallest 1, 2, 2.5 or 5 × 10^k at or above the largest upper bound. */
export function scaleMaxOf(arms: readonly Pick<MarketArm, 'interval'>[]): number {
  const largest = Math.max(0.001, ...arms.map((arm) => arm.interval.upper));
  const magnitude = 10 ** Math.floor(Math.log10(largest));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * magnitude >= largest) return step * magnitude;
  }
  return 10 * magnitude;
}

/** `1,000 benchmark pseudo-clicks · 400 clicks, 6 conv`, or `no data yet` (a uniform prior). */
export function evidenceText(arm: MarketArm): string {
  const parts: string[] = [];
  if (arm.evidence.benchmarkClicks > 0) {
    parts.push(`${formatCount(arm.evidence.benchmarkClicks)} benchmark pseudo-clicks`);
  }
  if (arm.evidence.clientClicks > 0) {
    parts.push(
      `${formatCount(arm.evidence.clientClicks)} clicks, ${formatCount(arm.evidence.clientConversions)} conv`,
    );
  }
  return parts.length === 0 ? 'no data yet' : parts.join(' · ');
}

/** A ranked arm as the posterior columns read it (a market arm, an insights arm). */
export type PosteriorRow = Pick<MarketArm, 'mean' | 'interval' | 'pBest'>;

/** MEAN, the 95% interval drawn on one axis for all `arms`, and P(BEST) when asked. */
export function posteriorColumns<Arm extends PosteriorRow>(
  arms: readonly Arm[],
  withPBest: boolean,
): Column<Arm>[] {
  const scaleMax = scaleMaxOf(arms);
  return [
    { header: 'MEAN', value: (arm) => formatRate(arm.mean), align: 'right' },
    {
      header: `95% CI (axis 0–${formatRate(scaleMax)})`,
      value: (arm) =>
        `${intervalBar(arm, scaleMax)} ${formatRate(arm.interval.lower)}–${formatRate(arm.interval.upper)}`,
    },
    ...(withPBest
      ? [{ header: 'P(BEST)', value: (arm: Arm) => formatRate(arm.pBest), align: 'right' as const }]
      : []),
  ];
}

function armColumns(arms: readonly MarketArm[], withPBest: boolean): Column<MarketArm>[] {
  const creatives = arms.some((arm) => arm.kind === 'creative');
  return [
    { header: 'ARM', value: (arm) => arm.label, maxWidth: 32 },
    ...(creatives ? [{ header: 'ID', value: (arm: MarketArm) => shortId(arm.id) }] : []),
    ...posteriorColumns(arms, withPBest),
    { header: 'EVIDENCE', value: evidenceText },
  ];
}

/** What the arms are: `creatives` or `hook_type values`. */
export function armsNoun(dimension: PatternDimension | null, dimensionName: string): string {
  return dimension === null ? 'creatives' : `${dimensionName} values`;
}

/** `market rank`: a heading, the table by P(best), and what the columns mean. */
export function rankingText(
  ranking: MarketRanking,
  options: { dimensionName: string; seed?: number },
): string {
  const noun = armsNoun(ranking.dimension, options.dimensionName);
  const seed = options.seed === undefined ? '' : `, seed ${options.seed}`;
  return [
    `Category ${ranking.productCategory}: ${ranking.arms.length} ${noun} by P(best) over ${formatCount(ranking.draws)} Thompson draws${seed}`,
    '',
    renderTable(armColumns(ranking.arms, true), ranking.arms),
    '',
    'MEAN is the posterior conversion rate (● on the bar), the bar its 95% credible interval;',
    'P(BEST) the share of draws the arm won. Benchmarks count 2×, each capped at 1,000 pseudo-clicks.',
  ].join('\n');
}

/** `market choose`: the arms to produce next, in the order drawn. */
export function chosenText(
  arms: readonly MarketArm[],
  options: { productCategory: string; noun: string },
): string {
  return [
    `Produce next in ${options.productCategory} (${arms.length} ${options.noun}, one Thompson draw each, highest first):`,
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
