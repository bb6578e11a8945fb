import { err, ok, type Result } from 'neverthrow';
import { type VBucketsError, validationError } from '../../errors';
import type { BetaParameters } from './beta-distribution';
import {
  checkNonNegativeFinite,
  checkNonNegativeOrInfinite,
  checkUnitInterval,
} from './number-checks';

/**
 * How many clicks of market evidence a prior may stand for. Without a cap, a 30-day winner at
 * 1000 clicks a day is worth 30 000 pseudo-clicks and no client's real data could move it.
 */
export const DEFAULT_MAX_PRIOR_CLICKS = 1000;

/** What the market says about a benchmark creative; the field names match `Creative`. */
export interface MarketPriorInput {
  /** How many days the ad kept running. */
  marketLongevityDays: number;
  /** Estimated clicks per day while it ran. */
  avgDailyClicks: number;
  /** Conversion rate per click, 0..1. */
  marketCvr: number;
}

export interface MarketPriorOptions {
  /** Upper bound on the pseudo-observation clicks (default 1000); `Infinity` for none. */
  maxPriorClicks?: number;
}

export interface MarketPrior extends BetaParameters {
  /** longevity × daily clicks, before the cap. */
  marketClicks: number;
  /** The pseudo-observation clicks the prior stands for, after the cap. */
  clicks: number;
  /** clicks × cvr: the pseudo-observation conversions. */
  conversions: number;
  /** Whether the cap lowered the clicks. */
  capped: boolean;
}

/**
 * Turns market numbers into a Beta prior (DESIGN.md §5): clicks = days × daily clicks, capped at
 * `maxPriorClicks`; conversions = clicks × cvr; alpha = conversions + 1, beta = clicks −
 * conversions + 1. Conversions follow the capped clicks, so the cap keeps the rate and only
 * lowers the confidence. VALIDATION names the first bad field.
 */
export function computeMarketPrior(
  input: MarketPriorInput,
  options: MarketPriorOptions = {},
): Result<MarketPrior, VBucketsError> {
  const maxPriorClicks = options.maxPriorClicks ?? DEFAULT_MAX_PRIOR_CLICKS;
  const problem =
    checkNonNegativeFinite(input.marketLongevityDays, 'marketLongevityDays') ??
    checkNonNegativeFinite(input.avgDailyClicks, 'avgDailyClicks') ??
    checkUnitInterval(input.marketCvr, 'marketCvr') ??
    checkNonNegativeOrInfinite(maxPriorClicks, 'maxPriorClicks');
  if (problem) return err(problem);

  const marketClicks = input.marketLongevityDays * input.avgDailyClicks;
  if (!Number.isFinite(marketClicks)) {
    return err(
      validationError(
        'Invalid avgDailyClicks: marketLongevityDays × avgDailyClicks is too large to represent',
        { path: 'avgDailyClicks' },
      ),
    );
  }
  const clicks = Math.min(marketClicks, maxPriorClicks);
  const conversions = clicks * input.marketCvr;
  return ok({
    alpha: conversions + 1,
    beta: clicks - conversions + 1,
    marketClicks,
    clicks,
    conversions,
    capped: clicks < marketClicks,
  });
}
