import { describe, expect, it } from 'vitest';
import {
  combineEvidence,
  DEFAULT_EVIDENCE_WEIGHTS,
} from '../../../src/domain/market/evidence-weights';

describe('DEFAULT_EVIDENCE_WEIGHTS', () => {
  it('counts a benchmark twice and a client once', () => {
    expect(DEFAULT_EVIDENCE_WEIGHTS).toEqual({ benchmark: 2, client: 1 });
    expect(Object.isFrozen(DEFAULT_EVIDENCE_WEIGHTS)).toBe(true);
  });
});

describe('combineEvidence', () => {
  it('doubles the pseudo-observations of a benchmark at weight 2', () => {
    // Beta(51, 951) is 50 conversions in 1000 clicks; counted twice, 100 in 2000.
    const posterior = combineEvidence([
      { alpha: 51, beta: 951, weight: DEFAULT_EVIDENCE_WEIGHTS.benchmark },
    ])._unsafeUnwrap();
    expect(posterior).toEqual({ alpha: 101, beta: 1901 });
  });

  it('leaves a client source unchanged at weight 1', () => {
    expect(combineEvidence([{ alpha: 4, beta: 9, weight: 1 }])._unsafeUnwrap()).toEqual({
      alpha: 4,
      beta: 9,
    });
  });

  it('adds the weighted evidence of every source onto one uniform base', () => {
    const posterior = combineEvidence([
      { alpha: 51, beta: 951, weight: 2 },
      { alpha: 31, beta: 71, weight: 1 },
    ])._unsafeUnwrap();
    // 1 + 2·50 + 1·30 and 1 + 2·950 + 1·70: the base Beta(1, 1) is counted once, not per source.
    expect(posterior).toEqual({ alpha: 131, beta: 1971 });
  });

  it('keeps the rate of a source while its weight changes the certainty', () => {
    const once = combineEvidence([{ alpha: 11, beta: 91, weight: 1 }])._unsafeUnwrap();
    const twice = combineEvidence([{ alpha: 11, beta: 91, weight: 2 }])._unsafeUnwrap();
    expect((once.alpha - 1) / (once.alpha + once.beta - 2)).toBeCloseTo(0.1, 12);
    expect((twice.alpha - 1) / (twice.alpha + twice.beta - 2)).toBeCloseTo(0.1, 12);
    expect(twice.alpha + twice.beta - 2).toBe(2 * (once.alpha + once.beta - 2));
  });

  it('ignores a source of weight 0 and gives Beta(1, 1) for no evidence', () => {
    expect(combineEvidence([{ alpha: 51, beta: 951, weight: 0 }])._unsafeUnwrap()).toEqual({
      alpha: 1,
      beta: 1,
    });
    expect(combineEvidence([])._unsafeUnwrap()).toEqual({ alpha: 1, beta: 1 });
  });

  it.each([
    [
      'evidence.1.alpha',
      [
        { alpha: 2, beta: 2, weight: 1 },
        { alpha: 0, beta: 2, weight: 1 },
      ],
    ],
    ['evidence.0.beta', [{ alpha: 2, beta: Number.NaN, weight: 1 }]],
    ['evidence.0.weight', [{ alpha: 2, beta: 2, weight: -1 }]],
    ['evidence.0.weight', [{ alpha: 2, beta: 2, weight: Number.POSITIVE_INFINITY }]],
  ])('rejects bad evidence naming %s', (path, evidence) => {
    const error = combineEvidence(evidence)._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe(path);
  });

  it('rejects evidence whose weighted shapes fall to zero', () => {
    // Beta(0.5, 1) weighted 2 takes one pseudo-success away from the base of one.
    const error = combineEvidence([{ alpha: 0.5, beta: 1, weight: 2 }])._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe('evidence');
  });
});
