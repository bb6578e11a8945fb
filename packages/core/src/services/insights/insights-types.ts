import type { ResultAsync } from 'neverthrow';
import type { BetaParameters, CredibleInterval } from '../../domain/market/beta-distribution';
import type { VBucketsError } from '../../errors';
import type { Scope } from '../../schemas/common';
import type { PatternDimension } from '../../schemas/market';

/**
 * What counts as a success among which trials: `engagement` (likes + shares + comments per
 * view, the default), `clicks` (per view) or `conversions` (per click). Successes are capped at
 * the trials, so a post liked more often than it was viewed counts as all successes.
 */
export type InsightSuccess = 'engagement' | 'clicks' | 'conversions';

/** One arm of an insights ranking: a bucket of the product, or a market pattern. */
export interface InsightArm {
  /** The bucket's id, or `dimension:value` for a pattern. */
  id: string;
  /** The bucket's name, or the pattern's value. */
  label: string;
  kind: 'bucket' | 'pattern';
  /** The pattern's dimension; null for a bucket. */
  dimension: PatternDimension | null;
  /** Segments with usage behind the arm. */
  segments: number;
  successes: number;
  trials: number;
  /**
   * The pooled prior's pseudo-trials plus the arm's own successes and trials (weighted as the
   * market's client evidence), over the uniform Beta(1, 1).
   */
  posterior: BetaParameters;
  /** Posterior mean rate. */
  mean: number;
  /** 95% equal-tailed credible interval. */
  interval: CredibleInterval;
  /** Share of Thompson draws this arm won (0 in `suggestNext`, which draws once). */
  pBest: number;
}

/**
 * The prior every arm of a ranking starts from: the pooled rate of all its arms, worth
 * `strength` pseudo-trials. An arm without posts sits at the pooled rate, not at 50%.
 */
export interface InsightPrior {
  /** (Σ successes + 1) / (Σ trials + 2) over the ranked arms. */
  mean: number;
  /** Pseudo-trials (default 50; 0 leaves the uniform Beta(1, 1)). */
  strength: number;
}

/** Arms by P(best), highest first, then mean, then id. */
export interface InsightRanking {
  by: 'bucket' | 'pattern';
  productId: string | null;
  productCategory: string | null;
  success: InsightSuccess;
  draws: number;
  prior: InsightPrior;
  arms: InsightArm[];
}

interface DrawOptions {
  success?: InsightSuccess;
  /** Thompson draws behind P(best) (default 4000, 100..100 000). */
  draws?: number;
  /** Makes the draws reproducible; default the market's random source. */
  seed?: number;
  /** Pseudo-trials of the pooled prior (default 50; 0 for the uniform Beta(1, 1) alone). */
  priorStrength?: number;
}

export interface RankBucketsQuery extends DrawOptions {
  /** Every bucket of this product is an arm, with data or without. */
  productId: string;
}

export interface RankPatternsQuery extends DrawOptions {
  /** Only creatives of this category (default all of the org's). */
  productCategory?: string;
}

export interface SuggestNextQuery extends Omit<DrawOptions, 'draws'> {
  /** Choose among buckets (default; needs `productId`) or patterns. */
  by?: 'bucket' | 'pattern';
  productId?: string;
  productCategory?: string;
  /** How many arms to produce next (default 1, at most 100). */
  n?: number;
}

/**
 * Evidence from social usage (seed 004's metrics) for what to make next: buckets of a product
 * and market patterns ranked by their posts' results, with the market service's Bayesian
 * machinery (Beta posteriors, credible intervals, Thompson sampling).
 */
export interface InsightsService {
  /**
   * Every bucket of the product with the usage totals of its videos' segments (a video's bucket
   * is its newest categorization in the product); `NOT_FOUND` when the product has no buckets.
   */
  rankBuckets(scope: Scope, query: RankBucketsQuery): ResultAsync<InsightRanking, VBucketsError>;
  /**
   * Every tag value (hook type, emotion, pacing, audience pain, extra tags) of the org's
   * creatives that have a video, with the usage totals of those videos (each video counted once
   * per pattern); `NOT_FOUND` when no creative has a video.
   */
  rankPatterns(scope: Scope, query?: RankPatternsQuery): ResultAsync<InsightRanking, VBucketsError>;
  /** The next `n` arms to produce: one Thompson draw per arm, the `n` highest. */
  suggestNext(scope: Scope, query: SuggestNextQuery): ResultAsync<InsightArm[], VBucketsError>;
}
