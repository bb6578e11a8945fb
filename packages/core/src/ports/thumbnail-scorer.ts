import type { ResultAsync } from 'neverthrow';
import type { VBucketsError } from '../errors';
import type { ThumbnailCandidate } from './media-probe';

/** What a scorer may know of the video besides its frames. */
export interface ThumbnailScoringContext {
  /** The video's title, e.g. a task's YouTube title. */
  title?: string;
  /** The video's description. */
  description?: string;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/** A scorer's verdict on one candidate. */
export interface ThumbnailScore {
  /** Image quality, 0..1 (exposure, contrast, sharpness, colour, or the scorer's own view). */
  qualityScore: number;
  /** Predicted click-through appeal, 0..1; null when the scorer does not predict clicks. */
  clickPrediction: number | null;
  /** Why, in one sentence, when the scorer gives one. */
  reason?: string;
}

/** Rates thumbnail candidates; one answer per candidate, in the order given. */
export interface ThumbnailScorer {
  readonly specificationVersion: 'v1';
  /** Names the scorer, e.g. `heuristic` or `claude`. */
  readonly provider: string;
  /** Scores every candidate; the answer has exactly one entry per candidate. */
  score(
    candidates: readonly ThumbnailCandidate[],
    context?: ThumbnailScoringContext,
  ): ResultAsync<ThumbnailScore[], VBucketsError>;
}
