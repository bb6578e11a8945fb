import { err, ok, type Result } from 'neverthrow';
import { type VBucketsError, validationError } from '../../errors';
import type { EvidenceSource } from '../../schemas/market';
import { type BetaParameters, checkBetaParameters } from './beta-distribution';
import { checkNonNegativeFinite } from './number-checks';

/**
 * How much one source's evidence counts (seed 003): a market benchmark twice a client's own
 * numbers, because it summarises a proven winner.
 */
export const DEFAULT_EVIDENCE_WEIGHTS: Readonly<Record<EvidenceSource, number>> = Object.freeze({
  benchmark: 2,
  client: 1,
});

/** A Beta from one source (a benchmark prior, a client's counts) and the weight of that source. */
export interface WeightedEvidence extends BetaParameters {
  /** Multiplies the source's pseudo-observations; 0 ignores the source. */
  weight: number;
}

/** Merges evidence, naming a bad field under `prefix` (e.g. `arms.2.evidence.`). */
export function combineEvidenceAt(
  evidence: readonly WeightedEvidence[],
  prefix: string,
): Result<BetaParameters, VBucketsError> {
  let alpha = 1;
  let beta = 1;
  for (const [index, source] of evidence.entries()) {
    const problem =
      checkBetaParameters(source, `${prefix}${index}.`) ??
      checkNonNegativeFinite(source.weight, `${prefix}${index}.weight`);
    if (problem) return err(problem);
    alpha += source.weight * (source.alpha - 1);
    beta += source.weight * (source.beta - 1);
  }
  // Shapes below 1 (e.g. a Jeffreys prior) carry negative pseudo-observations; weighted up they
  // can cancel the uniform base entirely, and no Beta has a shape of 0 or less.
  if (!(alpha > 0 && beta > 0 && Number.isFinite(alpha) && Number.isFinite(beta))) {
    const path = prefix.endsWith('.') ? prefix.slice(0, -1) : prefix;
    return err(
      validationError(
        `Invalid ${path}: the weighted evidence gives Beta(${alpha}, ${beta}), whose shapes must be positive and finite`,
        { path },
      ),
    );
  }
  return ok({ alpha, beta });
}

/**
 * The posterior of one arm from several sources: alpha = 1 + Σ weight·(alpha − 1), beta likewise.
 * A weight scales the evidence of its source — the pseudo-observations above the uniform
 * Beta(1, 1) — never the sample drawn from the result. No evidence gives Beta(1, 1).
 */
export function combineEvidence(
  evidence: readonly WeightedEvidence[],
): Result<BetaParameters, VBucketsError> {
  return combineEvidenceAt(evidence, 'evidence.');
}
