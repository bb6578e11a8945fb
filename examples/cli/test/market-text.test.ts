import type { MarketArm } from '@vbuckets/core';
import { validationError } from '@vbuckets/core';
import { describe, expect, it } from 'vitest';
import { inFlagTerms, parseDimension, parseRate } from '../src/market-options';
import { formatRate, intervalBar, scaleMaxOf } from '../src/output/market-text';

const arm = (lower: number, mean: number, upper: number) =>
  ({ mean, interval: { lower, upper } }) as MarketArm;

describe('market text', () => {
  it('draws the 95% interval on a 0..max axis, the mean as ●', () => {
    expect(intervalBar(arm(0.04, 0.05, 0.06), 0.1, 11)).toBe('····├●┤····');
    expect(intervalBar(arm(0, 0.5, 1), 1, 5)).toBe('├─●─┤');
    // An interval narrower than a cell is the mean alone.
    expect(intervalBar(arm(0.0501, 0.0502, 0.0503), 0.1, 11)).toBe('·····●·····');
  });

  it('ends the axis at 1, 2, 2.5 or 5 × 10^k above the widest interval', () => {
    expect(scaleMaxOf([arm(0.01, 0.02, 0.031)])).toBeCloseTo(0.05);
    expect(scaleMaxOf([arm(0.01, 0.02, 0.021), arm(0, 0.1, 0.19)])).toBeCloseTo(0.2);
    expect(scaleMaxOf([arm(0.5, 0.9, 0.99)])).toBeCloseTo(1);
  });

  it('shows small rates with two decimals', () => {
    expect([0, 0.0035, 0.05, 1].map(formatRate)).toEqual(['0.0%', '0.35%', '5.0%', '100.0%']);
  });
});

describe('market options', () => {
  it('takes a rate as 0.05 or 5%, and tag dimensions in snake_case or camelCase', () => {
    expect(parseRate('5%')).toBeCloseTo(0.05);
    expect(parseRate(' 0.05 ')).toBe(0.05);
    expect(() => parseRate('%')).toThrow('Expected a conversion rate');
    expect(parseDimension('target_audience_pain')).toBe('targetAudiencePain');
    expect(parseDimension('hookType')).toBe('hookType');
    expect(() => parseDimension('colour')).toThrow('Expected one of: hook_type,');
  });

  it('says an SDK validation error with the flag the user typed, and leaves others alone', () => {
    const sdk = validationError('Invalid benchmark.marketCvr: Too big: expected number to be <=1', {
      path: 'marketCvr',
      details: { issues: [{ path: 'marketCvr', message: 'Too big: expected number to be <=1' }] },
    });
    const said = inFlagTerms(sdk) as Error & { path?: string; cause?: unknown };
    expect(said.message).toBe('Invalid --cvr: Too big: expected number to be <=1');
    expect(said.path).toBe('marketCvr');
    expect(said.cause).toBe(sdk);
    const other = validationError('No market analyzer', { path: 'analyzers.market' });
    expect(inFlagTerms(other)).toBe(other);
  });
});
