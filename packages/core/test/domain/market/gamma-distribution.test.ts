import { describe, expect, it } from 'vitest';
import { sampleGamma } from '../../../src/domain/market/gamma-distribution';
import { createSeededRandom } from '../../../src/domain/market/random';

describe('sampleGamma', () => {
  // Gamma(k, 1) has mean k and variance k; shapes below 1 go through the boost.
  it.each([0.3, 1, 2.5, 50_001])('matches the mean and variance of Gamma(%d)', (shape) => {
    const random = createSeededRandom(`gamma-${shape}`);
    const count = 20_000;
    const values = Array.from({ length: count }, () => sampleGamma(shape, random)._unsafeUnwrap());
    const mean = values.reduce((sum, value) => sum + value, 0) / count;
    const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (count - 1);
    expect(Math.abs(mean - shape)).toBeLessThan(5 * Math.sqrt(shape / count));
    expect(variance / shape).toBeGreaterThan(0.92);
    expect(variance / shape).toBeLessThan(1.08);
    expect(values.every((value) => value >= 0 && Number.isFinite(value))).toBe(true);
  });

  it('rejects a shape that is not positive and finite', () => {
    for (const shape of [0, -2, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = sampleGamma(shape, createSeededRandom(1))._unsafeUnwrapErr();
      expect(error.code).toBe('VALIDATION');
      expect(error.path).toBe('shape');
    }
  });
});
