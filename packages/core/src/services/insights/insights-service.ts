import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import { createSeededRandom, type RandomSource } from '../../domain/market/random';
import { notFoundError, settingsError, type VBucketsError } from '../../errors';
import type { SegmentUsageTotals } from '../../ports/segment-store';
import type { Store } from '../../ports/store';
import { IdSchema, type Scope } from '../../schemas/common';
import type { PatternDimension } from '../../schemas/market';
import { type ArmInput, chooseArms, rankArms } from '../market/market-arms';
import { tagsOf } from '../market/market-context';
import { type ResolvedMarketSettings, resolveMarketSettings } from '../market/market-settings';
import type { MarketSettings } from '../market/market-types';
import { parseInput } from '../parse-input';
import { recordScope } from '../scope';
import { contextRunner, fromAsync } from '../with-context';
import type {
  InsightArm,
  InsightPrior,
  InsightRanking,
  InsightSuccess,
  InsightsService,
} from './insights-types';

/** What the insights service is built from. */
export interface InsightsServiceDependencies {
  store: Store;
  /** The market's settings: its client evidence weight and its random source. */
  market?: MarketSettings;
}

interface InsightsContext extends ResolvedMarketSettings {
  store: Store;
}

const DEFAULT_DRAWS = 4000;
/**
 * Pseudo-trials of the pooled prior: every arm starts as if it had 50 trials at the rate of all
 * the ranked arms together. Weak next to real posts (thousands of views), strong enough that an
 * arm without posts is not taken for a 50% engagement rate (what the uniform Beta(1, 1) says).
 */
const DEFAULT_PRIOR_STRENGTH = 50;
/** Creatives a pattern ranking reads at most. */
const MAX_CREATIVES = 1000;

const SuccessSchema = z.enum(['engagement', 'clicks', 'conversions'], {
  message: 'must be engagement, clicks or conversions',
});
const drawFields = {
  success: SuccessSchema.default('engagement'),
  draws: z.number().int().min(100).max(100_000).default(DEFAULT_DRAWS),
  seed: z.number().int().optional(),
  priorStrength: z.number().min(0).max(1_000_000).default(DEFAULT_PRIOR_STRENGTH),
};
export const RankBucketsSchema = z.strictObject({ productId: IdSchema, ...drawFields });
export const RankPatternsSchema = z.strictObject({
  productCategory: IdSchema.optional(),
  ...drawFields,
});
export const SuggestSchema = z
  .strictObject({
    by: z.enum(['bucket', 'pattern']).default('bucket'),
    productId: IdSchema.optional(),
    productCategory: IdSchema.optional(),
    n: z.number().int().min(1).max(100).default(1),
    success: drawFields.success,
    seed: drawFields.seed,
    priorStrength: drawFields.priorStrength,
  })
  .refine((query) => query.by !== 'bucket' || query.productId !== undefined, {
    message: 'is needed to suggest buckets (or give by: "pattern")',
    path: ['productId'],
  });

/** An arm's counts before ranking. */
interface Evidence {
  id: string;
  label: string;
  kind: InsightArm['kind'];
  dimension: PatternDimension | null;
  segments: number;
  successes: number;
  trials: number;
}

/** The successes and trials of a group's totals, successes capped at the trials. */
function countsOf(
  totals: SegmentUsageTotals | undefined,
  success: InsightSuccess,
): Pick<Evidence, 'segments' | 'successes' | 'trials'> {
  if (totals === undefined) return { segments: 0, successes: 0, trials: 0 };
  const [successes, trials] =
    success === 'engagement'
      ? [totals.likes + totals.shares + totals.comments, totals.views]
      : success === 'clicks'
        ? [totals.clicks ?? 0, totals.views]
        : [totals.conversions ?? 0, totals.clicks ?? 0];
  return { segments: totals.segments, successes: Math.min(successes, trials), trials };
}

/** Sums of several groups (a pattern's videos). */
function addTotals(
  sum: SegmentUsageTotals | undefined,
  more: SegmentUsageTotals,
): SegmentUsageTotals {
  if (sum === undefined) return { ...more };
  const nullableSum = (left: number | null, right: number | null) =>
    left === null && right === null ? null : (left ?? 0) + (right ?? 0);
  return {
    key: sum.key,
    segments: sum.segments + more.segments,
    views: sum.views + more.views,
    likes: sum.likes + more.likes,
    shares: sum.shares + more.shares,
    comments: sum.comments + more.comments,
    clicks: nullableSum(sum.clicks, more.clicks),
    conversions: nullableSum(sum.conversions, more.conversions),
  };
}

/**
 * The prior every arm starts from: the pooled rate of all the arms, (Σ successes + 1) /
 * (Σ trials + 2), worth `strength` pseudo-trials on top of the uniform Beta(1, 1).
 */
export function pooledPrior(
  evidence: readonly Pick<Evidence, 'successes' | 'trials'>[],
  strength: number,
): InsightPrior {
  let successes = 0;
  let trials = 0;
  for (const arm of evidence) {
    successes += arm.successes;
    trials += arm.trials;
  }
  return { mean: (successes + 1) / (trials + 2), strength };
}

/** Ranks (or, with `choose`, draws from) the arms with the market's posterior machinery. */
function rank(
  context: InsightsContext,
  evidence: readonly Evidence[],
  options: { draws: number; seed?: number | undefined; prior: InsightPrior },
  choose?: number,
): Result<InsightArm[], VBucketsError> {
  const random: RandomSource =
    options.seed === undefined ? context.random : createSeededRandom(options.seed);
  const { mean, strength } = options.prior;
  const prior = { alpha: 1 + strength * mean, beta: 1 + strength * (1 - mean), weight: 1 };
  const inputs: ArmInput[] = evidence.map((arm) => ({
    id: arm.id,
    label: arm.label,
    kind: 'pattern',
    evidence: [
      ...(strength === 0 ? [] : [prior]),
      ...(arm.trials === 0
        ? []
        : [
            {
              alpha: 1 + arm.successes,
              beta: 1 + arm.trials - arm.successes,
              weight: context.rules.weights.client,
            },
          ]),
    ],
    counts: {
      benchmarkClicks: 0,
      clientClicks: arm.trials,
      clientConversions: arm.successes,
      creatives: 0,
    },
  }));
  const byId = new Map(evidence.map((arm) => [arm.id, arm]));
  return rankArms(inputs, choose === undefined ? options.draws : 0, random).map((ranked) =>
    (choose === undefined ? ranked : chooseArms(ranked, choose, random)).map((arm) => {
      const counts = byId.get(arm.id) as Evidence;
      return {
        id: arm.id,
        label: arm.label,
        kind: counts.kind,
        dimension: counts.dimension,
        segments: counts.segments,
        successes: counts.successes,
        trials: counts.trials,
        posterior: arm.posterior,
        mean: arm.mean,
        interval: arm.interval,
        pBest: arm.pBest,
      };
    }),
  );
}

/** Every bucket of the product, with its videos' usage totals. */
async function bucketEvidence(
  context: InsightsContext,
  scope: Scope,
  productId: string,
  success: InsightSuccess,
): Promise<Result<Evidence[], VBucketsError>> {
  const buckets = await context.store.buckets.list(scope, { productId });
  if (buckets.isErr()) return err(buckets.error);
  if (buckets.value.length === 0) {
    return err(
      notFoundError(`Product "${productId}" has no buckets to rank`, { details: { productId } }),
    );
  }
  const totals = await context.store.segments.analytics(scope, 'bucket', { productId });
  if (totals.isErr()) return err(totals.error);
  // Categorizations keep the bucket's name as it was; names are unique per product ignoring case.
  const byName = new Map<string, SegmentUsageTotals>();
  for (const group of totals.value) {
    if (group.key !== null) byName.set(group.key.toLowerCase(), group);
  }
  return ok(
    buckets.value.map((bucket) => ({
      id: bucket.id,
      label: bucket.name,
      kind: 'bucket',
      dimension: null,
      ...countsOf(byName.get(bucket.name.toLowerCase()), success),
    })),
  );
}

/** Every tag value of the org's creatives with a video, with those videos' usage totals. */
async function patternEvidence(
  context: InsightsContext,
  scope: Scope,
  productCategory: string | undefined,
  success: InsightSuccess,
): Promise<Result<Evidence[], VBucketsError>> {
  const creatives = await context.store.creatives.list(
    scope,
    {
      includePublic: false,
      ...(productCategory === undefined ? {} : { productCategory }),
    },
    { limit: MAX_CREATIVES },
  );
  if (creatives.isErr()) return err(creatives.error);
  const withVideo = creatives.value.filter((creative) => creative.videoId !== null);
  if (withVideo.length === 0) {
    return err(
      notFoundError(
        `No creative${productCategory === undefined ? '' : ` of category "${productCategory}"`} has a video to rank patterns by`,
        { details: { productCategory: productCategory ?? null } },
      ),
    );
  }
  const totals = await context.store.segments.analytics(scope, 'video');
  if (totals.isErr()) return err(totals.error);
  const byVideo = new Map(totals.value.map((group) => [group.key, group]));
  const patterns = new Map<
    string,
    { dimension: PatternDimension; value: string; videos: Set<string> }
  >();
  for (const creative of withVideo) {
    for (const { dimension, value } of tagsOf(creative)) {
      const id = `${dimension}:${value}`;
      const pattern = patterns.get(id) ?? { dimension, value, videos: new Set<string>() };
      pattern.videos.add(creative.videoId as string);
      patterns.set(id, pattern);
    }
  }
  return ok(
    [...patterns.entries()].map(([id, pattern]) => {
      let sum: SegmentUsageTotals | undefined;
      for (const videoId of pattern.videos) {
        const group = byVideo.get(videoId);
        if (group !== undefined) sum = addTotals(sum, group);
      }
      return {
        id,
        label: pattern.value,
        kind: 'pattern' as const,
        dimension: pattern.dimension,
        ...countsOf(sum, success),
      };
    }),
  );
}

/** The insights service: usage evidence ranked with the market's posterior machinery. */
export function createInsightsService(dependencies: InsightsServiceDependencies): InsightsService {
  const built: Result<InsightsContext, VBucketsError> = resolveMarketSettings(dependencies.market)
    .mapErr(settingsError)
    .map((resolved) => ({ ...resolved, store: dependencies.store }));
  const withContext = contextRunner(built);

  return {
    rankBuckets: (scopeInput, query) =>
      withContext((context) =>
        recordScope(scopeInput)
          .andThen((scope) =>
            parseInput(RankBucketsSchema, query, 'query').map((parsed) => ({ scope, parsed })),
          )
          .asyncAndThen(({ scope, parsed }) =>
            fromAsync(async () => {
              const evidence = await bucketEvidence(
                context,
                scope,
                parsed.productId,
                parsed.success,
              );
              if (evidence.isErr()) return err(evidence.error);
              const prior = pooledPrior(evidence.value, parsed.priorStrength);
              return rank(context, evidence.value, { ...parsed, prior }).map(
                (arms): InsightRanking => ({
                  by: 'bucket',
                  productId: parsed.productId,
                  productCategory: null,
                  success: parsed.success,
                  draws: parsed.draws,
                  prior,
                  arms,
                }),
              );
            }),
          ),
      ),

    rankPatterns: (scopeInput, query = {}) =>
      withContext((context) =>
        recordScope(scopeInput)
          .andThen((scope) =>
            parseInput(RankPatternsSchema, query, 'query').map((parsed) => ({ scope, parsed })),
          )
          .asyncAndThen(({ scope, parsed }) =>
            fromAsync(async () => {
              const evidence = await patternEvidence(
                context,
                scope,
                parsed.productCategory,
                parsed.success,
              );
              if (evidence.isErr()) return err(evidence.error);
              const prior = pooledPrior(evidence.value, parsed.priorStrength);
              return rank(context, evidence.value, { ...parsed, prior }).map(
                (arms): InsightRanking => ({
                  by: 'pattern',
                  productId: null,
                  productCategory: parsed.productCategory ?? null,
                  success: parsed.success,
                  draws: parsed.draws,
                  prior,
                  arms,
                }),
              );
            }),
          ),
      ),

    suggestNext: (scopeInput, query) =>
      withContext((context) =>
        recordScope(scopeInput)
          .andThen((scope) =>
            parseInput(SuggestSchema, query, 'query').map((parsed) => ({ scope, parsed })),
          )
          .asyncAndThen(({ scope, parsed }) =>
            fromAsync(async () => {
              const evidence =
                parsed.by === 'bucket'
                  ? await bucketEvidence(context, scope, parsed.productId ?? '', parsed.success)
                  : await patternEvidence(context, scope, parsed.productCategory, parsed.success);
              if (evidence.isErr()) return err(evidence.error);
              const prior = pooledPrior(evidence.value, parsed.priorStrength);
              return rank(
                context,
                evidence.value,
                { draws: 0, seed: parsed.seed, prior },
                parsed.n,
              );
            }),
          ),
      ),
  };
}
