// The development set and the keyword categorizer come from core's sources, so the figures
// are those of the code in this tree whether or not core was built.

import {
  categorizeByKeywords,
  type KeywordBucketScore,
  rankBucketsByKeywords,
} from '../../packages/core/src/domain/keyword/keyword-ranker';
import { tokenizeKeywords } from '../../packages/core/src/domain/keyword/keyword-tokenizer';
import {
  DEVELOPMENT_PRODUCTS,
  type DevelopmentClip,
  loadDevelopmentSet,
  measureQuality,
} from '../../packages/core/test/domain/keyword/__fixtures__/dev-set';
import { type Benchmark, integerFromEnvironment, round } from './harness';

/** The held-out set had 54 clips; wall time is reported per 54 clips. */
const CLIPS_PER_REPORT = 54;
/** The removed confidence's scale: its default. */
const LEGACY_CONFIDENCE_SCALE = 3;

interface Answer {
  bucketName: string | null;
  confidence: number;
}

/**
 * The categorizer before open-set rejection, for the baseline: the best BM25 bucket whenever
 * any word matched, with confidence strength × dominance (strength 1 - exp(-s/3), s the top
 * score in distinctive-word idfs; dominance 1 - runnerUp / (2·top)). Its empty-text check
 * tokenized the text once more, as here; its reasoning text is left out, so the baseline is
 * slightly faster than the old code was.
 */
function legacyAnswer(clip: DevelopmentClip): Answer {
  const buckets = DEVELOPMENT_PRODUCTS[clip.product];
  if (tokenizeKeywords(clip.text, { bigrams: false }).length === 0) {
    return { bucketName: null, confidence: 0 };
  }
  const ranking: KeywordBucketScore[] = rankBucketsByKeywords(clip.text, buckets)._unsafeUnwrap();
  const top = ranking[0];
  if (top === undefined || top.score <= 0) return { bucketName: null, confidence: 0 };
  const runnerUp = ranking[1]?.score ?? 0;
  const distinctiveIdf = Math.log(1 + (ranking.length - 1 + 0.5) / 1.5);
  const strength = 1 - Math.exp(-top.score / distinctiveIdf / LEGACY_CONFIDENCE_SCALE);
  const dominance = 1 - runnerUp / (2 * top.score);
  return {
    bucketName: top.bucket.name,
    confidence: Math.round(strength * dominance * 1000) / 1000,
  };
}

function currentAnswer(clip: DevelopmentClip): Answer {
  return categorizeByKeywords(clip.text, DEVELOPMENT_PRODUCTS[clip.product])._unsafeUnwrap();
}

/** Median over rounds of the milliseconds one pass over every clip takes, scaled to 54 clips. */
function millisecondsPer54Clips(
  clips: readonly DevelopmentClip[],
  answer: (clip: DevelopmentClip) => Answer,
  rounds: number,
): number {
  const samples: number[] = [];
  let sink = 0;
  for (let round = 0; round < rounds; round += 1) {
    const started = process.hrtime.bigint();
    for (const clip of clips) sink += answer(clip).confidence;
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  if (Number.isNaN(sink)) throw new Error('unreachable: confidences are numbers');
  samples.sort((left, right) => left - right);
  const median = samples[Math.floor(samples.length / 2)] ?? Number.NaN;
  return (median * CLIPS_PER_REPORT) / clips.length;
}

export const categorizeQuality: Benchmark = {
  name: 'categorize-quality',
  description:
    'Keyword categorizer on its development set (2 products, hand-written UGC transcripts): on-topic accuracy, off-topic rejection, calibration (ECE) and wall time, against the categorizer before open-set rejection in the same run',
  async run() {
    const rounds = integerFromEnvironment('BENCH_QUALITY_ROUNDS', 41);
    const clips = loadDevelopmentSet();
    const quality = measureQuality(clips, clips.map(currentAnswer));
    const legacy = measureQuality(clips, clips.map(legacyAnswer));
    // Interleaved, warm: each pass is timed after one untimed pass of both.
    millisecondsPer54Clips(clips, legacyAnswer, 3);
    millisecondsPer54Clips(clips, currentAnswer, 3);
    const legacyMs = millisecondsPer54Clips(clips, legacyAnswer, rounds);
    const currentMs = millisecondsPer54Clips(clips, currentAnswer, rounds);
    const figures = (each: typeof quality, milliseconds: number) => ({
      onTopicAccuracy: round(each.onTopicAccuracy, 4),
      onTopicCorrect: each.onTopicCorrect,
      offTopicRejection: round(each.offTopicRejection, 4),
      offTopicRejected: each.offTopicRejected,
      expectedCalibrationError: round(each.expectedCalibrationError, 4),
      filedExpectedCalibrationError: round(each.filedExpectedCalibrationError, 4),
      categorizeMsPer54Clips: round(milliseconds, 3),
    });
    return {
      metrics: figures(quality, currentMs),
      baseline: {
        description:
          'the keyword categorizer before open-set rejection (best BM25 bucket, strength × dominance confidence), same clips, same run',
        metrics: figures(legacy, legacyMs),
      },
      ratios: {
        categorizeWallTimeVersusBaseline: round(currentMs / legacyMs, 3),
      },
      targets: {
        onTopicAccuracy: { target: '≥ 0.95', met: quality.onTopicAccuracy >= 0.95 },
        offTopicRejection: { target: '≥ 0.85', met: quality.offTopicRejection >= 0.85 },
        expectedCalibrationError: {
          target: '≤ 0.10 (over every clip and over filed answers)',
          met:
            quality.expectedCalibrationError <= 0.1 && quality.filedExpectedCalibrationError <= 0.1,
        },
        categorizeWallTime: {
          target: 'no worse than the baseline (ratio ≤ 1.0, 5% measurement noise allowed)',
          met: currentMs / legacyMs <= 1.05,
        },
      },
      parameters: {
        clips: clips.length,
        onTopicClips: quality.onTopicClips,
        offTopicClips: quality.offTopicClips,
        products: Object.keys(DEVELOPMENT_PRODUCTS).length,
        timedRounds: rounds,
      },
    };
  },
};
