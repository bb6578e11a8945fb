import { err, ok, type Result } from 'neverthrow';
import type { VBucketsError } from '../../errors';
import { sampleLogGammaUnchecked } from './gamma-distribution';
import { inverseIncompleteBetaUnchecked } from './incomplete-beta';
import { checkOpenUnitInterval, checkPositiveFinite } from './number-checks';
import type { RandomSource } from './random';

/** The shapes of a Beta distribution: successes + 1 and failures + 1 under a uniform prior. */
export interface BetaParameters {
  alpha: number;
  beta: number;
}

/** An equal-tailed credible interval. */
export interface CredibleInterval {
  lower: number;
  upper: number;
}

export const DEFAULT_CREDIBLE_LEVEL = 0.95;

/** VALIDATION error for the first shape that is not a positive finite number, named under `prefix`. */
export function checkBetaParameters(
  parameters: BetaParameters,
  prefix = '',
): VBucketsError | undefined {
  return (
    checkPositiveFinite(parameters.alpha, `${prefix}alpha`) ??
    checkPositiveFinite(parameters.beta, `${prefix}beta`)
  );
}

/**
 * One Beta(alpha, beta) draw as X / (X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta), unchecked.
 * Written as 1 / (1 + e^(ln Y − ln X)) so that neither huge shapes nor tiny ones overflow,
 * underflow to 0/0, or lose precision near 0 and 1.
 */
export function sampleBetaUnchecked(alpha: number, beta: number, random: RandomSource): number {
  const logX = sampleLogGammaUnchecked(alpha, random);
  const logY = sampleLogGammaUnchecked(beta, random);
  return 1 / (1 + Math.exp(logY - logX));
}

/** One draw from Beta(alpha, beta). VALIDATION when a shape is not a positive finite number. */
export function sampleBeta(
  alpha: number,
  beta: number,
  random: RandomSource,
): Result<number, VBucketsError> {
  const problem = checkBetaParameters({ alpha, beta });
  if (problem) return err(problem);
  return ok(sampleBetaUnchecked(alpha, beta, random));
}

/** The mean of Beta(alpha, beta), alpha / (alpha + beta): the expected conversion rate. */
export function expectedRate(alpha: number, beta: number): Result<number, VBucketsError> {
  const problem = checkBetaParameters({ alpha, beta });
  if (problem) return err(problem);
  return ok(alpha / (alpha + beta));
}

/**
 * The equal-tailed interval holding `level` of Beta(alpha, beta): the (1 − level)/2 and
 * (1 + level)/2 quantiles. VALIDATION for bad shapes or a level outside (0, 1).
 */
export function credibleInterval(
  alpha: number,
  beta: number,
  level: number = DEFAULT_CREDIBLE_LEVEL,
): Result<CredibleInterval, VBucketsError> {
  const problem = checkBetaParameters({ alpha, beta }) ?? checkOpenUnitInterval(level, 'level');
  if (problem) return err(problem);
  const tail = (1 - level) / 2;
  return ok({
    lower: inverseIncompleteBetaUnchecked(tail, alpha, beta),
    upper: inverseIncompleteBetaUnchecked(1 - tail, alpha, beta),
  });
}
