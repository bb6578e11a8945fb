import { describe, expect, it } from 'vitest';
import {
  type AnalysisCandidate,
  type AnalysisTriggerOptions,
  DEFAULT_ANALYSIS_CONVERSION_THRESHOLD,
  decideAnalysis,
} from '../../../src/domain/market/analysis-trigger';

const ANALYZED_AT = '2026-01-06T10:00:00.000Z';

describe('decideAnalysis', () => {
  it('defaults the conversion threshold to 5', () => {
    expect(DEFAULT_ANALYSIS_CONVERSION_THRESHOLD).toBe(5);
  });

  it.each<[string, AnalysisCandidate, AnalysisTriggerOptions, boolean, string]>([
    ['a new benchmark', { source: 'benchmark', conversions: 0 }, {}, true, 'benchmark'],
    ['a client at 5 conversions', { source: 'client', conversions: 5 }, {}, true, 'conversions'],
    ['a client above 5', { source: 'client', conversions: 40 }, {}, true, 'conversions'],
    ['a client at 4', { source: 'client', conversions: 4 }, {}, false, 'below-threshold'],
    [
      'a client at 0',
      { source: 'client', conversions: 0, analyzedAt: null },
      {},
      false,
      'below-threshold',
    ],
    ['a forced client at 0', { source: 'client', conversions: 0 }, { force: true }, true, 'forced'],
    [
      'an analysed benchmark',
      { source: 'benchmark', conversions: 0, analyzedAt: ANALYZED_AT },
      {},
      false,
      'already-analyzed',
    ],
    [
      'an analysed client winner',
      { source: 'client', conversions: 50, analyzedAt: ANALYZED_AT },
      {},
      false,
      'already-analyzed',
    ],
    [
      'an analysed creative, forced',
      { source: 'client', conversions: 1, analyzedAt: ANALYZED_AT },
      { force: true },
      true,
      'forced',
    ],
    [
      'a client at 2 with threshold 2',
      { source: 'client', conversions: 2 },
      { conversionThreshold: 2 },
      true,
      'conversions',
    ],
    [
      'a client at 9 with threshold 10',
      { source: 'client', conversions: 9 },
      { conversionThreshold: 10 },
      false,
      'below-threshold',
    ],
    [
      'a benchmark with threshold 10',
      { source: 'benchmark', conversions: 0 },
      { conversionThreshold: 10 },
      true,
      'benchmark',
    ],
    [
      'force: false',
      { source: 'client', conversions: 0 },
      { force: false },
      false,
      'below-threshold',
    ],
  ])('%s', (_name, candidate, options, analyze, reason) => {
    expect(decideAnalysis(candidate, options)._unsafeUnwrap()).toEqual({ analyze, reason });
  });

  it.each<[string, AnalysisCandidate, AnalysisTriggerOptions]>([
    ['conversions', { source: 'client', conversions: -1 }, {}],
    ['conversions', { source: 'client', conversions: Number.NaN }, {}],
    ['conversionThreshold', { source: 'client', conversions: 1 }, { conversionThreshold: -2 }],
    ['source', { source: 'market' as never, conversions: 1 }, {}],
  ])('rejects a bad %s', (path, candidate, options) => {
    const error = decideAnalysis(candidate, options)._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe(path);
    expect(error.message).toContain(path);
  });
});
