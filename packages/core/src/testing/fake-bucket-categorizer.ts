import type {
  BucketCategorizer,
  CallOptions,
  CategorizerAnswer,
  VideoAnalysis,
} from '../ports/video-analyzer';
import type { Bucket } from '../schemas/bucket';
import { createAnswerQueue, type ScriptedAnswer } from './answer-queue';

/** One recorded call of a fake categorizer. */
export interface FakeBucketCategorizerCall {
  analysis: VideoAnalysis;
  buckets: readonly Bucket[];
  options?: CallOptions;
}

export interface FakeBucketCategorizerSettings {
  /** Provider name (default `fake`). */
  provider?: string;
  /** Declare `gatesRequests`: core then passes `options.rateLimit` and takes no token itself; scripted answers take tokens through `call.options.rateLimit` (default false). */
  gatesRequests?: boolean;
  /** Answer once the queue is empty; without one, that is a `PROVIDER` error. */
  fallback?: ScriptedAnswer<FakeBucketCategorizerCall, CategorizerAnswer>;
}

/** A BucketCategorizer that records its calls and answers from a scripted queue. */
export interface FakeBucketCategorizer extends BucketCategorizer {
  /** Every call, in order (aborted ones included). */
  readonly calls: FakeBucketCategorizerCall[];
  /** Queues answers for `categorize`. */
  queueCategorize(...answers: ScriptedAnswer<FakeBucketCategorizerCall, CategorizerAnswer>[]): void;
}

export function createFakeBucketCategorizer(
  settings: FakeBucketCategorizerSettings = {},
): FakeBucketCategorizer {
  const calls: FakeBucketCategorizerCall[] = [];
  const answers = createAnswerQueue<FakeBucketCategorizerCall, CategorizerAnswer>({
    label: 'fake-bucket-categorizer.categorize',
    errorCode: 'PROVIDER',
    fallback: settings.fallback === undefined ? undefined : { answer: settings.fallback },
  });
  return {
    specificationVersion: 'v1',
    provider: settings.provider ?? 'fake',
    ...(settings.gatesRequests === true ? { gatesRequests: true } : {}),
    calls,
    queueCategorize: (...queued) => answers.push(...queued),
    categorize(analysis, buckets, options) {
      const call: FakeBucketCategorizerCall = { analysis, buckets, options };
      calls.push(call);
      return answers.answer(call, options?.signal);
    },
  };
}
