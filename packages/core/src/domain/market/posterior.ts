import { err, ok, type Result } from 'neverthrow';
import { type VBucketsError, validationError } from '../../errors';
import { type BetaParameters, checkBetaParameters } from './beta-distribution';
import { checkNonNegativeFinite } from './number-checks';

/** What was seen since the prior: every conversion is also a click. */
export interface ConversionObservations {
  clicks: number;
  conversions: number;
}

/**
 * The conjugate update of a Beta prior: conversions are successes, the other clicks failures.
 * VALIDATION for bad shapes, negative counts, or more conversions than clicks.
 */
export function updatePosterior(
  prior: BetaParameters,
  observations: ConversionObservations,
): Result<BetaParameters, VBucketsError> {
  const problem =
    checkBetaParameters(prior, 'prior.') ??
    checkNonNegativeFinite(observations.clicks, 'observations.clicks') ??
    checkNonNegativeFinite(observations.conversions, 'observations.conversions');
  if (problem) return err(problem);
  if (observations.conversions > observations.clicks) {
    return err(
      validationError(
        `Invalid observations.conversions: must not exceed observations.clicks (${observations.conversions} > ${observations.clicks})`,
        { path: 'observations.conversions' },
      ),
    );
  }
  return ok({
    alpha: prior.alpha + observations.conversions,
    beta: prior.beta + observations.clicks - observations.conversions,
  });
}
