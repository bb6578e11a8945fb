import { describe, expect, it } from 'vitest';
import { updatePosterior } from '../../../src/domain/market/posterior';

describe('updatePosterior', () => {
  it('adds conversions to alpha and the other clicks to beta', () => {
    expect(
      updatePosterior({ alpha: 51, beta: 951 }, { clicks: 200, conversions: 30 })._unsafeUnwrap(),
    ).toEqual({ alpha: 81, beta: 1121 });
  });

  it('changes nothing without observations', () => {
    expect(
      updatePosterior({ alpha: 2, beta: 3 }, { clicks: 0, conversions: 0 })._unsafeUnwrap(),
    ).toEqual({ alpha: 2, beta: 3 });
  });

  it('gives the same posterior in one update or in two', () => {
    const prior = { alpha: 1, beta: 1 };
    const once = updatePosterior(prior, { clicks: 50, conversions: 7 })._unsafeUnwrap();
    const twice = updatePosterior(prior, { clicks: 20, conversions: 3 })
      .andThen((middle) => updatePosterior(middle, { clicks: 30, conversions: 4 }))
      ._unsafeUnwrap();
    expect(twice).toEqual(once);
  });

  it.each([
    ['observations.conversions', { alpha: 1, beta: 1 }, { clicks: 3, conversions: 4 }],
    ['observations.clicks', { alpha: 1, beta: 1 }, { clicks: -1, conversions: 0 }],
    ['observations.conversions', { alpha: 1, beta: 1 }, { clicks: 3, conversions: Number.NaN }],
    ['prior.alpha', { alpha: 0, beta: 1 }, { clicks: 3, conversions: 1 }],
    ['prior.beta', { alpha: 1, beta: -2 }, { clicks: 3, conversions: 1 }],
  ])('rejects bad input naming %s', (path, prior, observations) => {
    const error = updatePosterior(prior, observations)._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe(path);
    expect(error.message).toContain(path);
  });
});
