import { type VBucketsError, validationError } from '../../errors';
import type { PatternEvidence, PatternKey, PerformanceDelta } from '../../ports/market-store';
import {
  AnalysisStatusSchema,
  EvidenceSourceSchema,
  PatternDimensionSchema,
} from '../../schemas/market';
import { checkNonNegativeFinite, checkPositiveFinite } from './number-checks';

// What every store checks before it writes market counts, so that a value one database would
// store, round or refuse with a driver error is refused the same way (VALIDATION) by all.

function checkCount(value: unknown, path: string): VBucketsError | undefined {
  if (Number.isSafeInteger(value) && (value as number) >= 0) return undefined;
  return validationError(
    `Invalid ${path}: must be an integer of at least 0 (got ${String(value)})`,
    {
      path,
    },
  );
}

function checkText(value: unknown, path: string): VBucketsError | undefined {
  if (typeof value === 'string' && value.length > 0) return undefined;
  return validationError(`Invalid ${path}: must be a non-empty string`, { path });
}

function checkTimestamp(value: unknown, path: string): VBucketsError | undefined {
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return undefined;
  return validationError(`Invalid ${path}: not an ISO-8601 time`, { path });
}

function checkMember(
  value: unknown,
  options: readonly string[],
  path: string,
): VBucketsError | undefined {
  if (typeof value === 'string' && options.includes(value)) return undefined;
  return validationError(
    `Invalid ${path}: must be one of ${options.join(', ')} (got ${String(value)})`,
    { path },
  );
}

/** The problem with a `recordPerformance` call, or undefined: counts ≥ 0, conversions ≤ clicks. */
export function performanceInputError(
  delta: PerformanceDelta,
  options: { idempotencyKey: string; at: string },
): VBucketsError | undefined {
  const problem =
    checkCount(delta.impressions, 'impressions') ??
    checkCount(delta.clicks, 'clicks') ??
    checkCount(delta.conversions, 'conversions') ??
    checkText(options.idempotencyKey, 'idempotencyKey') ??
    checkTimestamp(options.at, 'at');
  if (problem !== undefined) return problem;
  if (delta.conversions > delta.clicks) {
    return validationError(
      `Invalid conversions: must not exceed the clicks of the same call (${delta.conversions} > ${delta.clicks})`,
      { path: 'conversions' },
    );
  }
  return undefined;
}

/** The problem with an analysis status a transition moves to, or undefined. */
export function analysisStatusError(value: unknown, path: string): VBucketsError | undefined {
  return checkMember(value, AnalysisStatusSchema.options, path);
}

/** The problem with the rows of an `addEvidence` call (naming `rows.<index>.…`), or undefined. */
export function patternEvidenceError(
  rows: ReadonlyArray<{ key: PatternKey; evidence: PatternEvidence; id: string }>,
  at: string,
): VBucketsError | undefined {
  for (const [index, { key, evidence, id }] of rows.entries()) {
    const path = (field: string) => `rows.${index}.${field}`;
    const { marketLongevityDays } = evidence;
    const problem =
      checkText(id, path('id')) ??
      checkText(key.productCategory, path('key.productCategory')) ??
      checkMember(key.dimension, PatternDimensionSchema.options, path('key.dimension')) ??
      checkText(key.value, path('key.value')) ??
      checkMember(key.source, EvidenceSourceSchema.options, path('key.source')) ??
      checkNonNegativeFinite(evidence.alpha, path('evidence.alpha')) ??
      checkNonNegativeFinite(evidence.beta, path('evidence.beta')) ??
      checkNonNegativeFinite(evidence.clicks, path('evidence.clicks')) ??
      checkNonNegativeFinite(evidence.conversions, path('evidence.conversions')) ??
      checkNonNegativeFinite(evidence.weight, path('evidence.weight')) ??
      (marketLongevityDays === null
        ? undefined
        : checkPositiveFinite(marketLongevityDays, path('evidence.marketLongevityDays')));
    if (problem !== undefined) return problem;
  }
  return checkTimestamp(at, 'at');
}
