import { BACKGROUND_STEMS } from './keyword-background';

/**
 * The fitted logistic that turns open-set evidence into the probability that the best bucket
 * is the video's bucket. Fitted (plain gradient descent on log loss, 30,000 steps) on the
 * development set in core's test/domain/keyword/__fixtures__/dev-set, 90 clips of two
 * products, and on nothing else; see the core README's keyword section to refit it after
 * changing the features.
 */
export const FIT_CALIBRATION = {
  intercept: -12.275,
  evidence: 5.314,
  coverage: 9.416,
  margin: 4.974,
} as const;

/**
 * Coverage is smoothed as if every text had this many more, unmatched, words: a caption of
 * three words that are all a bucket's is little evidence, an ad of sixty that mostly are is
 * much.
 */
const COVERAGE_PRIOR_WORDS = 8;

/** The features of the best bucket that decide whether any bucket fits. */
export interface OpenSetFeatures {
  /** ln(1 + distinctive score): the BM25 score of the non-everyday matches, in distinctive words. */
  evidence: number;
  /** Share of the video's words that are non-everyday words of the best bucket (smoothed). */
  coverage: number;
  /** (best - runner-up) / best, 0 for a tie. */
  margin: number;
}

interface MatchEvidence {
  term: string;
  bigram: boolean;
  occurrences: number;
  contribution: number;
}

/**
 * Open-set features of a ranking. Everyday words (the background model) are left out of the
 * evidence: an unrelated video says "morning", "coffee" or "routine" as often as an ad does,
 * so they cannot tell the two apart. `distinctiveIdf` is the idf of a word found in one bucket
 * only and `scale` the confidenceScale option (3 = the fitted model).
 */
export function openSetFeatures(
  best: { score: number; matches: readonly MatchEvidence[] },
  runnerUpScore: number,
  wordCount: number,
  distinctiveIdf: number,
  scale: number,
): OpenSetFeatures {
  let distinctiveScore = 0;
  let distinctiveWords = 0;
  for (const match of best.matches) {
    if (!match.bigram && BACKGROUND_STEMS.has(match.term)) continue;
    distinctiveScore += match.contribution;
    if (!match.bigram) distinctiveWords += match.occurrences;
  }
  return {
    evidence: Math.log(1 + ((distinctiveScore / distinctiveIdf) * 3) / scale),
    coverage: distinctiveWords / (wordCount + COVERAGE_PRIOR_WORDS),
    margin: best.score <= 0 ? 0 : (best.score - runnerUpScore) / best.score,
  };
}

/** The calibrated probability that the best bucket is right, from its features. */
export function fitProbability(features: OpenSetFeatures): number {
  const z =
    FIT_CALIBRATION.intercept +
    FIT_CALIBRATION.evidence * features.evidence +
    FIT_CALIBRATION.coverage * features.coverage +
    FIT_CALIBRATION.margin * features.margin;
  return 1 / (1 + Math.exp(-z));
}
