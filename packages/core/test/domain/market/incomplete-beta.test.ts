import { describe, expect, it } from 'vitest';
import {
  inverseRegularizedIncompleteBeta,
  logGamma,
  regularizedIncompleteBeta,
} from '../../../src/domain/market/incomplete-beta';

// Reference values from SciPy 1.17 (scipy.special.betainc, gammaln, stats.beta.ppf).

function cdf(x: number, alpha: number, beta: number): number {
  return regularizedIncompleteBeta(x, alpha, beta)._unsafeUnwrap();
}

function quantile(p: number, alpha: number, beta: number): number {
  return inverseRegularizedIncompleteBeta(p, alpha, beta)._unsafeUnwrap();
}

describe('logGamma', () => {
  it.each([
    [0.5, 0.5723649429247],
    [1, 0],
    [10, 12.801827480081469],
    [100.5, 361.43554046777757],
    [0.1, 2.252712651734206],
    [3.7, 1.428072326665388],
  ])('ln Γ(%d) = %d', (x, expected) => {
    expect(logGamma(x)).toBeCloseTo(expected, 11);
  });

  it('stays accurate for a million', () => {
    expect(logGamma(1e6) / 12815504.569147611).toBeCloseTo(1, 14);
  });
});

describe('regularizedIncompleteBeta', () => {
  it.each([
    [0.5, 2, 3, 0.6875],
    [0.2, 0.5, 0.5, 0.2951672353008665],
    [0.3, 10, 20, 0.3640040810719437],
    [0.05, 51, 951, 0.4653603583842784],
    [0.05, 50001, 950001, 0.4989017192549701],
    [0.0502, 50001, 950001, 0.8195775698211472],
  ])('I_%d(%d, %d) = %d', (x, alpha, beta, expected) => {
    expect(Math.abs(cdf(x, alpha, beta) - expected)).toBeLessThan(1e-9);
  });

  it('is the identity for Beta(1, 1)', () => {
    for (const x of [0, 0.1, 0.37, 0.5, 0.99, 1]) expect(cdf(x, 1, 1)).toBeCloseTo(x, 12);
  });

  it('has the closed forms x^a for b = 1 and 1 − (1 − x)^b for a = 1', () => {
    expect(cdf(0.3, 4, 1)).toBeCloseTo(0.3 ** 4, 12);
    expect(cdf(0.3, 1, 4)).toBeCloseTo(1 - 0.7 ** 4, 12);
  });

  it('is one half at x = 1/2 when the shapes are equal', () => {
    for (const shape of [0.3, 2, 7.5, 1000]) expect(cdf(0.5, shape, shape)).toBeCloseTo(0.5, 10);
  });

  it('satisfies I_x(a, b) = 1 − I_{1−x}(b, a) on both sides of the switch point', () => {
    for (const [x, alpha, beta] of [
      [0.1, 2, 5],
      [0.6, 2, 5],
      [0.04, 51, 951],
      [0.07, 51, 951],
    ] as const) {
      expect(cdf(x, alpha, beta) + cdf(1 - x, beta, alpha)).toBeCloseTo(1, 12);
    }
  });

  it('is 0 and 1 at the ends', () => {
    expect(cdf(0, 3, 4)).toBe(0);
    expect(cdf(1, 3, 4)).toBe(1);
  });

  it.each([
    [1.5, 2, 3, 'x'],
    [-0.1, 2, 3, 'x'],
    [0.5, 0, 3, 'alpha'],
    [0.5, 2, Number.NaN, 'beta'],
    [0.5, 2, Number.POSITIVE_INFINITY, 'beta'],
  ])('rejects x=%d alpha=%d beta=%d naming %s', (x, alpha, beta, path) => {
    const error = regularizedIncompleteBeta(x, alpha, beta)._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe(path);
    expect(error.message).toContain(path);
  });
});

describe('inverseRegularizedIncompleteBeta', () => {
  it.each([
    [0.025, 1, 1, 0.025],
    [0.975, 1, 1, 0.975],
    [0.025, 2, 3, 0.067585986489],
    [0.5, 2, 3, 0.385727568132],
    [0.975, 2, 3, 0.805879550317],
    [0.025, 0.5, 0.5, 0.001541333133],
    [0.975, 0.5, 0.5, 0.998458666867],
    [0.025, 51, 951, 0.038166833651],
    [0.5, 51, 951, 0.050599578735],
    [0.975, 51, 951, 0.065325693681],
    [0.025, 50001, 950001, 0.049574585912],
    [0.975, 50001, 950001, 0.050428918951],
  ])('the %d quantile of Beta(%d, %d) is %d', (p, alpha, beta, expected) => {
    expect(Math.abs(quantile(p, alpha, beta) - expected)).toBeLessThan(1e-9);
  });

  it('finds quantiles deep in a tail to relative precision', () => {
    expect(quantile(0.001, 0.1, 3) / 2.3669013519449123e-31).toBeCloseTo(1, 9);
    expect(quantile(0.025, 0.01, 5) / 7.803601735629069e-162).toBeCloseTo(1, 9);
  });

  it.each([
    [0.025, 2, 5e6, 4.8441849691301684e-8],
    [0.5, 0.5, 1e6, 2.274682425559405e-7],
    [0.025, 1e7, 1e7, 0.499780869372639],
    [0.025, 1e5, 3e6, 0.03206166783115982],
  ])(
    'keeps its digits for the %d quantile of Beta(%d, %d) with a huge shape',
    (p, alpha, beta, expected) => {
      expect(quantile(p, alpha, beta) / expected).toBeCloseTo(1, 10);
    },
  );

  it('resolves a quantile next to 1 by its distance from 1', () => {
    // Beta(5e6, 2) at 97.5% is 1 − 4.84e-8: the distance must be right, not just the leading 9s.
    expect((1 - quantile(0.975, 5e6, 2)) / (1 - 0.9999999515581504)).toBeCloseTo(1, 6);
  });

  it('gives 0 for a quantile below the smallest double', () => {
    // Beta(0.001, 0.001) puts 2.5% below about 1e-1300.
    expect(quantile(0.025, 0.001, 0.001)).toBe(0);
  });

  it('inverts the CDF', () => {
    for (const [alpha, beta] of [
      [0.3, 0.7],
      [2, 5],
      [51, 951],
      [50001, 950001],
    ] as const) {
      for (const p of [1e-6, 0.01, 0.3, 0.5, 0.8, 0.999]) {
        expect(cdf(quantile(p, alpha, beta), alpha, beta)).toBeCloseTo(p, 9);
      }
    }
  });

  it('is 0 and 1 at p = 0 and p = 1', () => {
    expect(quantile(0, 2, 3)).toBe(0);
    expect(quantile(1, 2, 3)).toBe(1);
  });

  it('rejects a probability outside [0, 1] naming p', () => {
    const error = inverseRegularizedIncompleteBeta(1.01, 2, 3)._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe('p');
  });
});
