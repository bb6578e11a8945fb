import { describe, expect, it } from 'vitest';
import {
  createHeuristicThumbnailScorer,
  exposureScore,
  THUMBNAIL_QUALITY_WEIGHTS,
  thumbnailQualityScore,
} from '../../../src/domain/media/thumbnail-quality';
import { makeThumbnailCandidate } from '../../../src/testing/fake-media-probe';

const clean = { brightness: 0.5, contrast: 0.7, sharpness: 0.6, colourfulness: 0.5 };

describe('thumbnailQualityScore', () => {
  it('weights sum to 1, so a perfect frame scores 1 and a black one 0', () => {
    const total = Object.values(THUMBNAIL_QUALITY_WEIGHTS).reduce((sum, each) => sum + each, 0);
    expect(total).toBeCloseTo(1, 10);
    expect(
      thumbnailQualityScore({ brightness: 0.5, contrast: 1, sharpness: 1, colourfulness: 1 }),
    ).toBe(1);
    expect(
      thumbnailQualityScore({ brightness: 0, contrast: 0, sharpness: 0, colourfulness: 0 }),
    ).toBe(0);
  });

  it('exposure peaks at mid-grey and is 0 at 0.1 and 0.9', () => {
    expect(exposureScore(0.5)).toBe(1);
    expect(exposureScore(0.1)).toBeCloseTo(0, 10);
    expect(exposureScore(0.9)).toBeCloseTo(0, 10);
    expect(exposureScore(0.3)).toBeCloseTo(0.75, 10);
    expect(exposureScore(0.02)).toBe(0);
  });

  it('ranks a clean frame above a dark, a washed-out and a blurred one', () => {
    const score = thumbnailQualityScore(clean);
    expect(score).toBeGreaterThan(thumbnailQualityScore({ ...clean, brightness: 0.08 }));
    expect(score).toBeGreaterThan(thumbnailQualityScore({ ...clean, brightness: 0.95 }));
    expect(score).toBeGreaterThan(thumbnailQualityScore({ ...clean, sharpness: 0.05 }));
    expect(score).toBeGreaterThan(thumbnailQualityScore({ ...clean, colourfulness: 0 }));
  });

  it('clamps out-of-range and non-finite metrics instead of leaving 0..1', () => {
    const score = thumbnailQualityScore({
      brightness: Number.NaN,
      contrast: 7,
      sharpness: -3,
      colourfulness: Number.POSITIVE_INFINITY,
    });
    expect(score).toBeGreaterThanOrEqual(0);
    expect(score).toBeLessThanOrEqual(1);
    expect(score).toBe(THUMBNAIL_QUALITY_WEIGHTS.contrast);
  });
});

describe('createHeuristicThumbnailScorer', () => {
  it('scores each candidate in order and never predicts clicks', async () => {
    const scorer = createHeuristicThumbnailScorer();
    expect(scorer).toMatchObject({ specificationVersion: 'v1', provider: 'heuristic' });
    const candidates = [
      makeThumbnailCandidate({ metrics: { ...clean, brightness: 0.05 } }),
      makeThumbnailCandidate({ metrics: clean }),
    ];
    const scores = (await scorer.score(candidates, { title: 'ignored' }))._unsafeUnwrap();
    expect(scores).toHaveLength(2);
    expect(scores.every((each) => each.clickPrediction === null)).toBe(true);
    expect(scores[1]?.qualityScore).toBe(thumbnailQualityScore(clean));
    expect(scores[1]?.qualityScore ?? 0).toBeGreaterThan(scores[0]?.qualityScore ?? 1);
  });

  it('answers an empty list with no scores', async () => {
    expect((await createHeuristicThumbnailScorer().score([]))._unsafeUnwrap()).toEqual([]);
  });
});
