import { describe, expect, it } from 'vitest';
import {
  computeMarketPrior,
  DEFAULT_MAX_PRIOR_CLICKS,
} from '../../../src/domain/market/market-prior';

// Seed 003's example: a winner that ran 30 days at 1000 clicks a day and converted 5%.
const SEED_EXAMPLE = { marketLongevityDays: 30, avgDailyClicks: 1000, marketCvr: 0.05 };

describe('computeMarketPrior', () => {
  it('caps the seed example at 1000 pseudo-clicks: alpha 51, beta 951', () => {
    const prior = computeMarketPrior(SEED_EXAMPLE)._unsafeUnwrap();
    expect(DEFAULT_MAX_PRIOR_CLICKS).toBe(1000);
    expect(prior.alpha).toBeCloseTo(51, 10);
    expect(prior.beta).toBeCloseTo(951, 10);
    expect(prior).toMatchObject({ marketClicks: 30_000, clicks: 1000, capped: true });
    expect(prior.conversions).toBeCloseTo(50, 10);
  });

  it('follows the formula without a cap: alpha 1501, beta 28501', () => {
    const prior = computeMarketPrior(SEED_EXAMPLE, {
      maxPriorClicks: Number.POSITIVE_INFINITY,
    })._unsafeUnwrap();
    expect(prior.alpha).toBeCloseTo(1501, 8);
    expect(prior.beta).toBeCloseTo(28501, 8);
    expect(prior).toMatchObject({ marketClicks: 30_000, clicks: 30_000, capped: false });
  });

  it('keeps the market rate under the cap and only lowers the confidence', () => {
    const capped = computeMarketPrior(SEED_EXAMPLE, { maxPriorClicks: 200 })._unsafeUnwrap();
    expect(capped.alpha).toBeCloseTo(11, 10);
    expect(capped.beta).toBeCloseTo(191, 10);
    expect((capped.alpha - 1) / (capped.alpha + capped.beta - 2)).toBeCloseTo(0.05, 12);
  });

  it('leaves evidence below the cap alone', () => {
    const prior = computeMarketPrior({
      marketLongevityDays: 10,
      avgDailyClicks: 20,
      marketCvr: 0.1,
    })._unsafeUnwrap();
    expect(prior).toMatchObject({ clicks: 200, capped: false });
    expect(prior.alpha).toBeCloseTo(21, 10);
    expect(prior.beta).toBeCloseTo(181, 10);
  });

  it('gives the uniform Beta(1, 1) when there is no market evidence', () => {
    const prior = computeMarketPrior({ ...SEED_EXAMPLE, marketLongevityDays: 0 })._unsafeUnwrap();
    expect(prior).toMatchObject({ alpha: 1, beta: 1, clicks: 0, conversions: 0 });
    const zeroCap = computeMarketPrior(SEED_EXAMPLE, { maxPriorClicks: 0 })._unsafeUnwrap();
    expect(zeroCap).toMatchObject({ alpha: 1, beta: 1, capped: true });
  });

  it('handles the rate extremes 0 and 1', () => {
    expect(computeMarketPrior({ ...SEED_EXAMPLE, marketCvr: 0 })._unsafeUnwrap()).toMatchObject({
      alpha: 1,
      beta: 1001,
    });
    expect(computeMarketPrior({ ...SEED_EXAMPLE, marketCvr: 1 })._unsafeUnwrap()).toMatchObject({
      alpha: 1001,
      beta: 1,
    });
  });

  it.each([
    ['marketLongevityDays', { ...SEED_EXAMPLE, marketLongevityDays: -1 }, {}],
    ['marketLongevityDays', { ...SEED_EXAMPLE, marketLongevityDays: Number.NaN }, {}],
    ['avgDailyClicks', { ...SEED_EXAMPLE, avgDailyClicks: -5 }, {}],
    ['avgDailyClicks', { ...SEED_EXAMPLE, avgDailyClicks: Number.POSITIVE_INFINITY }, {}],
    ['avgDailyClicks', { ...SEED_EXAMPLE, marketLongevityDays: 1e200, avgDailyClicks: 1e200 }, {}],
    ['marketCvr', { ...SEED_EXAMPLE, marketCvr: 1.5 }, {}],
    ['marketCvr', { ...SEED_EXAMPLE, marketCvr: -0.01 }, {}],
    ['marketCvr', { ...SEED_EXAMPLE, marketCvr: Number.NaN }, {}],
    ['maxPriorClicks', SEED_EXAMPLE, { maxPriorClicks: -1 }],
    ['maxPriorClicks', SEED_EXAMPLE, { maxPriorClicks: Number.NaN }],
  ])('rejects a bad %s', (path, input, options) => {
    const error = computeMarketPrior(input, options)._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe(path);
    expect(error.message).toContain(path);
  });
});
