import { describe, expect, it } from 'vitest';
import { createSeededRandom, sampleStandardNormal } from '../../../src/domain/market/random';

function drawMany(random: () => number, count: number): number[] {
  return Array.from({ length: count }, () => random());
}

function meanOf(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function varianceOf(values: readonly number[]): number {
  const mean = meanOf(values);
  return values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1);
}

describe('createSeededRandom', () => {
  it('repeats the same stream for the same seed', () => {
    expect(drawMany(createSeededRandom(42), 100)).toEqual(drawMany(createSeededRandom(42), 100));
    expect(drawMany(createSeededRandom('campaign-7'), 100)).toEqual(
      drawMany(createSeededRandom('campaign-7'), 100),
    );
  });

  it('gives different streams for neighbouring seeds', () => {
    const first = drawMany(createSeededRandom(1), 20);
    const second = drawMany(createSeededRandom(2), 20);
    expect(first[0]).not.toBe(second[0]);
    expect(first.filter((value, index) => value === second[index])).toHaveLength(0);
  });

  it('seeds a number and its decimal string alike', () => {
    expect(drawMany(createSeededRandom(7), 10)).toEqual(drawMany(createSeededRandom('7'), 10));
  });

  it('stays in [0, 1) and is uniform over ten bins', () => {
    const count = 100_000;
    const values = drawMany(createSeededRandom('uniformity'), count);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const bins = new Array<number>(10).fill(0);
    for (const value of values) bins[Math.floor(value * 10)]! += 1;
    const expected = count / 10;
    const chiSquare = bins.reduce(
      (sum, observed) => sum + (observed - expected) ** 2 / expected,
      0,
    );
    // 9 degrees of freedom: 27.9 is the 0.1% critical value.
    expect(chiSquare).toBeLessThan(27.9);
    expect(meanOf(values)).toBeCloseTo(0.5, 2);
    expect(varianceOf(values)).toBeCloseTo(1 / 12, 3);
  });

  it('has no lag-one correlation', () => {
    const values = drawMany(createSeededRandom(99), 50_000);
    const mean = meanOf(values);
    let covariance = 0;
    for (let index = 1; index < values.length; index += 1) {
      covariance += (values[index]! - mean) * (values[index - 1]! - mean);
    }
    const correlation = covariance / (values.length - 1) / varianceOf(values);
    expect(Math.abs(correlation)).toBeLessThan(0.02);
  });
});

describe('sampleStandardNormal', () => {
  it('has mean 0, variance 1 and the normal tail mass', () => {
    const random = createSeededRandom('normal');
    const values = Array.from({ length: 100_000 }, () => sampleStandardNormal(random));
    expect(Math.abs(meanOf(values))).toBeLessThan(0.02);
    expect(varianceOf(values)).toBeGreaterThan(0.98);
    expect(varianceOf(values)).toBeLessThan(1.02);
    // P(|Z| > 1.96) = 5%.
    const outside = values.filter((value) => Math.abs(value) > 1.96).length / values.length;
    expect(outside).toBeGreaterThan(0.045);
    expect(outside).toBeLessThan(0.055);
  });

  it('is deterministic for a seed', () => {
    const first = createSeededRandom(3);
    const second = createSeededRandom(3);
    expect(sampleStandardNormal(first)).toBe(sampleStandardNormal(second));
  });
});
