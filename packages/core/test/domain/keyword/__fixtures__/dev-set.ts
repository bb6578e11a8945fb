import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captionFormatOf, captionText } from '../../../../src/domain/keyword/caption-text';
import type { Bucket } from '../../../../src/schemas/bucket';
import { SERUM_BUCKETS } from './serum-buckets';
import { SUPPLEMENT_BUCKETS } from './supplement-buckets';

/** One labelled clip of the development set; `bucket` null means no bucket fits. */
export interface DevelopmentClip {
  file: string;
  product: 'supplement' | 'serum';
  kind: 'on' | 'off' | 'hard';
  bucket: string | null;
  /** The sidecar's text as the CLI would read it (cues joined, timings dropped). */
  text: string;
}

export const DEVELOPMENT_SET_DIRECTORY = join(dirname(fileURLToPath(import.meta.url)), 'dev-set');

export const DEVELOPMENT_PRODUCTS: Readonly<Record<DevelopmentClip['product'], readonly Bucket[]>> =
  {
    supplement: SUPPLEMENT_BUCKETS,
    serum: SERUM_BUCKETS,
  };

/** Reads the development set: every sidecar listed in labels.json, parsed by its format. */
export function loadDevelopmentSet(): DevelopmentClip[] {
  const labels = JSON.parse(
    readFileSync(join(DEVELOPMENT_SET_DIRECTORY, 'labels.json'), 'utf8'),
  ) as {
    clips: Omit<DevelopmentClip, 'text'>[];
  };
  const present = new Set(readdirSync(DEVELOPMENT_SET_DIRECTORY));
  return labels.clips.map((clip) => {
    const format = captionFormatOf(clip.file);
    if (format === undefined || !present.has(clip.file)) {
      throw new Error(`development set: no readable sidecar "${clip.file}"`);
    }
    const content = readFileSync(join(DEVELOPMENT_SET_DIRECTORY, clip.file), 'utf8');
    return { ...clip, text: captionText(content, format) };
  });
}

/** What the development set says about a categorizer's answers. */
export interface DevelopmentQuality {
  onTopicClips: number;
  onTopicCorrect: number;
  offTopicClips: number;
  offTopicRejected: number;
  /** Share of on-topic clips (hard ones included) filed into their labelled bucket. */
  onTopicAccuracy: number;
  /** Share of off-topic clips answered with bucket null. */
  offTopicRejection: number;
  /**
   * Expected calibration error of the confidence as "the probability that this clip is filed
   * into its right bucket", over every clip (a bucket-null answer has confidence 0 and is never
   * a filing), in 10 equal-width bins.
   */
  expectedCalibrationError: number;
  /** The same over the filed answers only: how far a filed answer's confidence is from its hit rate. */
  filedExpectedCalibrationError: number;
}

function calibrationError(points: readonly { confidence: number; correct: boolean }[]): number {
  if (points.length === 0) return 0;
  const bins = Array.from({ length: 10 }, () => ({ count: 0, confidence: 0, correct: 0 }));
  for (const point of points) {
    const bin = bins[Math.min(9, Math.floor(point.confidence * 10))];
    if (bin === undefined) continue;
    bin.count += 1;
    bin.confidence += point.confidence;
    bin.correct += point.correct ? 1 : 0;
  }
  return bins.reduce(
    (total, bin) =>
      bin.count === 0
        ? total
        : total +
          (bin.count / points.length) * Math.abs((bin.confidence - bin.correct) / bin.count),
    0,
  );
}

/** Scores answers (in clip order) against the labels. */
export function measureQuality(
  clips: readonly DevelopmentClip[],
  answers: readonly { bucketName: string | null; confidence: number }[],
): DevelopmentQuality {
  let onTopicClips = 0;
  let onTopicCorrect = 0;
  let offTopicClips = 0;
  let offTopicRejected = 0;
  const points: { confidence: number; correct: boolean; filed: boolean }[] = [];
  for (const [index, clip] of clips.entries()) {
    const answer = answers[index];
    if (answer === undefined) throw new Error(`no answer for "${clip.file}"`);
    const filedRight = answer.bucketName !== null && answer.bucketName === clip.bucket;
    if (clip.bucket === null) {
      offTopicClips += 1;
      if (answer.bucketName === null) offTopicRejected += 1;
    } else {
      onTopicClips += 1;
      if (filedRight) onTopicCorrect += 1;
    }
    points.push({
      confidence: answer.bucketName === null ? 0 : answer.confidence,
      correct: filedRight,
      filed: answer.bucketName !== null,
    });
  }
  return {
    onTopicClips,
    onTopicCorrect,
    offTopicClips,
    offTopicRejected,
    onTopicAccuracy: onTopicClips === 0 ? 0 : onTopicCorrect / onTopicClips,
    offTopicRejection: offTopicClips === 0 ? 0 : offTopicRejected / offTopicClips,
    expectedCalibrationError: calibrationError(points),
    filedExpectedCalibrationError: calibrationError(points.filter((point) => point.filed)),
  };
}
