import { okAsync } from 'neverthrow';
import type { FrameMetrics } from '../../ports/media-probe';
import type { ThumbnailScorer } from '../../ports/thumbnail-scorer';

/** The weights of `thumbnailQualityScore`; they sum to 1. */
export const THUMBNAIL_QUALITY_WEIGHTS = Object.freeze({
  exposure: 0.35,
  contrast: 0.25,
  sharpness: 0.25,
  colourfulness: 0.15,
});

/** Brightness this far from mid-grey (0.5) or more scores no exposure at all. */
const EXPOSURE_TOLERANCE = 0.4;

function unit(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

/**
 * How well exposed a frame is, 0..1: 1 at mid-grey brightness, falling with the square of the
 * distance from it, 0 at or below 0.1 and at or above 0.9 (a black or washed-out frame).
 */
export function exposureScore(brightness: number): number {
  const distance = (unit(brightness) - 0.5) / EXPOSURE_TOLERANCE;
  return unit(1 - distance * distance);
}

/**
 * The image-quality heuristic of thumbnail candidates, 0..1:
 * `0.35·exposure + 0.25·contrast + 0.25·sharpness + 0.15·colourfulness`, where exposure is
 * `max(0, 1 − ((brightness − 0.5) / 0.4)²)` and the other three are the metrics as measured
 * (each clamped into 0..1; a missing or non-finite metric counts 0). A black, flat or blurred
 * frame scores low; a well-lit, crisp, colourful one high. It says nothing about clicks.
 */
export function thumbnailQualityScore(metrics: FrameMetrics): number {
  const weights = THUMBNAIL_QUALITY_WEIGHTS;
  const score =
    weights.exposure * exposureScore(metrics.brightness) +
    weights.contrast * unit(metrics.contrast) +
    weights.sharpness * unit(metrics.sharpness) +
    weights.colourfulness * unit(metrics.colourfulness);
  // Rounded so that the same metrics give the same stored score on every platform.
  return Math.round(unit(score) * 10_000) / 10_000;
}

/**
 * The default ThumbnailScorer: `thumbnailQualityScore` of each candidate's ffmpeg metrics, no
 * request, no I/O. It never predicts clicks (`clickPrediction` is always null).
 */
export function createHeuristicThumbnailScorer(): ThumbnailScorer {
  return {
    specificationVersion: 'v1',
    provider: 'heuristic',
    score: (candidates) =>
      okAsync(
        candidates.map((candidate) => ({
          qualityScore: thumbnailQualityScore(candidate.metrics),
          clickPrediction: null,
        })),
      ),
  };
}
