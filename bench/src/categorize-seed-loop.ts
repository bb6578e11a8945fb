import type { Bucket } from '@vbuckets/core';
import type { AnalyzerVideo, Sleep } from '@vbuckets/core/adapter-kit';
import type { GeminiProvider } from '@vbuckets/gemini';
import { okAsync } from 'neverthrow';

/** One video as both the pipeline and the seed's loop are given it. */
export interface BenchVideo {
  filename: string;
  bytes: Uint8Array;
  /** The bucket the fake model picks for it. */
  expectedBucket: string;
}

export interface SeedLoopOutcome {
  categorized: number;
  failed: number;
  /** Categorized, but not into the bucket the fake model was told to pick (should stay 0). */
  misfiled: number;
  /** Failures by the adapter's error code (RATE_LIMITED for a 429). */
  failuresByCode: Record<string, number>;
}

export function analyzerVideo(video: BenchVideo): AnalyzerVideo {
  return {
    filename: video.filename,
    mimeType: 'video/mp4',
    sizeBytes: video.bytes.byteLength,
    open: () =>
      okAsync(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(video.bytes);
            controller.close();
          },
        }),
      ),
  };
}

/**
 * Seed 000's `analyze_and_categorize_batch`, as it works: one video after the other, each
 * uploaded to the Files API, polled until ACTIVE, analysed (a generateContent on the video)
 * and then categorized (a text-only generateContent), with a fixed sleep between videos in
 * place of a rate limiter. The seed has no retry: a failed call (a 429 included) makes that
 * video an error row and the loop goes on to the next one.
 */
export async function runSeedLoop(
  gemini: GeminiProvider,
  videos: readonly BenchVideo[],
  buckets: readonly Bucket[],
  options: { sleep: Sleep; sleepBetweenVideosMs: number },
): Promise<SeedLoopOutcome> {
  const outcome: SeedLoopOutcome = { categorized: 0, failed: 0, misfiled: 0, failuresByCode: {} };
  const fail = (code: string) => {
    outcome.failed += 1;
    outcome.failuresByCode[code] = (outcome.failuresByCode[code] ?? 0) + 1;
  };
  for (const [index, video] of videos.entries()) {
    if (index > 0) await options.sleep(options.sleepBetweenVideosMs);
    const analysis = await gemini.analyzer.analyze(analyzerVideo(video));
    if (analysis.isErr()) {
      fail(analysis.error.code);
      continue;
    }
    const answer = await gemini.categorizer.categorize(analysis.value, buckets);
    if (answer.isErr()) {
      fail(answer.error.code);
      continue;
    }
    outcome.categorized += 1;
    if (answer.value.bucketName !== video.expectedBucket) outcome.misfiled += 1;
  }
  return outcome;
}
