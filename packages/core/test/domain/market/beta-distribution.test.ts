import { describe, expect, it } from 'vitest';
import {
  credibleInterval,
  expectedRate,
  sampleBeta,
} from '../../../src/domain/market/beta-distribution';
import { createSeededRandom } from '../../../src/domain/market/random';

const DRAWS = 20_000;

function betaDraws(alpha: number, beta: number, seed: string): number[] {
  const random = createSeededRandom(seed);
  return Array.from({ length: DRAWS }, () => sampleBeta(alpha, beta, random)._unsafeUnwrap());
}

function moments(values: readonly number[]): { mean: number; variance: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance =
    values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1);
  return { mean, variance };
}

describe('sampleBeta', () => {
  it.each([
    [1, 1],
    [2, 5],
    [0.5, 0.5],
    [51, 951],
    [50001, 950001],
  ])('matches the mean and variance of Beta(%d, %d)', (alpha, beta) => {
    const total = alpha + beta;
    const expectedMean = alpha / total;
    const expectedVariance = (alpha * beta) / (total * total * (total + 1));
    const values = betaDraws(alpha, beta, `beta-${alpha}-${beta}`);
    const { mean, variance } = moments(values);
    // Five standard errors of the sample mean; the sample variance is within about 2% at this size.
    expect(Math.abs(mean - expectedMean)).toBeLessThan(5 * Math.sqrt(expectedVariance / DRAWS));
    expect(variance / expectedVariance).toBeGreaterThan(0.94);
    expect(variance / expectedVariance).toBeLessThan(1.06);
    expect(values.every((value) => value >= 0 && value <= 1)).toBe(true);
  });

  it('puts the right share of draws below the median of Beta(51, 951)', () => {
    const below = betaDraws(51, 951, 'median').filter((value) => value < 0.050599578735).length;
    expect(below / DRAWS).toBeGreaterThan(0.485);
    expect(below / DRAWS).toBeLessThan(0.515);
  });

  it('stays a number for tiny shapes whose gamma draws underflow', () => {
    const values = betaDraws(0.01, 0.01, 'tiny');
    expect(values.every((value) => Number.isFinite(value) && value >= 0 && value <= 1)).toBe(true);
    // Beta(0.01, 0.01) piles up at both ends, half each.
    const nearZero = values.filter((value) => value < 0.5).length / DRAWS;
    expect(nearZero).toBeGreaterThan(0.47);
    expect(nearZero).toBeLessThan(0.53);
  });

  it('repeats its draws for a seed', () => {
    expect(betaDraws(2, 5, 'same').slice(0, 50)).toEqual(betaDraws(2, 5, 'same').slice(0, 50));
    expect(betaDraws(2, 5, 'same')[0]).not.toBe(betaDraws(2, 5, 'other')[0]);
  });

  it.each([
    [0, 1, 'alpha'],
    [-1, 1, 'alpha'],
    [Number.NaN, 1, 'alpha'],
    [1, Number.POSITIVE_INFINITY, 'beta'],
  ])('rejects Beta(%d, %d) naming %s', (alpha, beta, path) => {
    const error = sampleBeta(alpha, beta, createSeededRandom(1))._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe(path);
  });
});

describe('expectedRate', () => {
  it('is alpha / (alpha + beta)', () => {
    expect(expectedRate(51, 951)._unsafeUnwrap()).toBeCloseTo(51 / 1002, 15);
    expect(expectedRate(1, 1)._unsafeUnwrap()).toBe(0.5);
  });

  it('rejects a non-positive shape', () => {
    expect(expectedRate(1, 0)._unsafeUnwrapErr().path).toBe('beta');
  });
});

describe('credibleInterval', () => {
  it('is [0.025, 0.975] for Beta(1, 1) at 95%', () => {
    const interval = credibleInterval(1, 1)._unsafeUnwrap();
    expect(interval.lower).toBeCloseTo(0.025, 10);
    expect(interval.upper).toBeCloseTo(0.975, 10);
  });

  it('uses the 2.5% and 97.5% quantiles of Beta(2, 3)', () => {
    // SciPy: beta.ppf([0.025, 0.975], 2, 3).
    const interval = credibleInterval(2, 3)._unsafeUnwrap();
    expect(interval.lower).toBeCloseTo(0.067585986489, 9);
    expect(interval.upper).toBeCloseTo(0.805879550317, 9);
  });

  it('takes another level', () => {
    // SciPy: beta.ppf([0.05, 0.95], 51, 951).
    const interval = credibleInterval(51, 951, 0.9)._unsafeUnwrap();
    expect(interval.lower).toBeCloseTo(0.04001424326, 9);
    expect(interval.upper).toBeCloseTo(0.062801029038, 9);
  });

  it('is symmetric about 1/2 for equal shapes', () => {
    for (const shape of [0.5, 3, 400]) {
      const interval = credibleInterval(shape, shape)._unsafeUnwrap();
      expect(interval.lower + interval.upper).toBeCloseTo(1, 10);
      expect(interval.lower).toBeLessThan(0.5);
    }
  });

  it('narrows as evidence grows at the same rate', () => {
    const small = credibleInterval(51, 951)._unsafeUnwrap();
    const large = credibleInterval(50001, 950001)._unsafeUnwrap();
    expect(large.upper - large.lower).toBeLessThan((small.upper - small.lower) / 10);
    expect(large.lower).toBeLessThan(0.05);
    expect(large.upper).toBeGreaterThan(0.05);
  });

  it.each([0, 1, 1.2, Number.NaN])('rejects level %d', (level) => {
    const error = credibleInterval(2, 3, level)._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe('level');
  });
});
