import { err, ok, type Result } from 'neverthrow';
import { type VBucketsError, validationError } from '../../errors';
import { type EvidenceSource, EvidenceSourceSchema } from '../../schemas/market';
import { checkNonNegativeFinite } from './number-checks';

/**
 * Conversions a client creative needs before it is worth a vision analysis (seed 003): below
 * this a creative has not shown it is a winner, and analysis costs tokens.
 */
export const DEFAULT_ANALYSIS_CONVERSION_THRESHOLD = 5;

/** The facts the decision reads; a `Creative` has them all. */
export interface AnalysisCandidate {
  source: EvidenceSource;
  conversions: number;
  /** When the creative was last analysed; null or absent when never. */
  analyzedAt?: string | null;
}

export interface AnalysisTriggerOptions {
  /** An admin's force: analyse whatever the other rules say. */
  force?: boolean;
  /** Client conversions that trigger an analysis (default 5). */
  conversionThreshold?: number;
}

/**
 * Why the decision went the way it did:
 * - `forced`: an admin asked for it (also re-analyses an analysed creative);
 * - `already-analyzed`: it has an analysis, and nothing forced a new one;
 * - `benchmark`: a market benchmark is analysed as soon as it arrives;
 * - `conversions`: a client creative reached the conversion threshold;
 * - `below-threshold`: a client creative that has not reached it yet.
 */
export type AnalysisTriggerReason =
  | 'forced'
  | 'already-analyzed'
  | 'benchmark'
  | 'conversions'
  | 'below-threshold';

export interface AnalysisDecision {
  analyze: boolean;
  reason: AnalysisTriggerReason;
}

/**
 * Whether a creative should be sent to vision analysis now (seed 003 triggers), checked in
 * this order: force, already analysed, benchmark, client conversions ≥ threshold.
 */
export function decideAnalysis(
  candidate: AnalysisCandidate,
  options: AnalysisTriggerOptions = {},
): Result<AnalysisDecision, VBucketsError> {
  const conversionThreshold = options.conversionThreshold ?? DEFAULT_ANALYSIS_CONVERSION_THRESHOLD;
  if (!EvidenceSourceSchema.safeParse(candidate.source).success) {
    return err(
      validationError(
        `Invalid source: must be one of ${EvidenceSourceSchema.options.join(', ')} (got ${String(candidate.source)})`,
        { path: 'source' },
      ),
    );
  }
  const problem =
    checkNonNegativeFinite(candidate.conversions, 'conversions') ??
    checkNonNegativeFinite(conversionThreshold, 'conversionThreshold');
  if (problem) return err(problem);

  if (options.force === true) return ok({ analyze: true, reason: 'forced' });
  if (candidate.analyzedAt != null) return ok({ analyze: false, reason: 'already-analyzed' });
  if (candidate.source === 'benchmark') return ok({ analyze: true, reason: 'benchmark' });
  if (candidate.conversions >= conversionThreshold) {
    return ok({ analyze: true, reason: 'conversions' });
  }
  return ok({ analyze: false, reason: 'below-threshold' });
}
