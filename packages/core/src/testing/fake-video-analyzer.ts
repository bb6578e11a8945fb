import type {
  AnalyzerVideo,
  CallOptions,
  CategorizerAnswer,
  VideoAnalysis,
  VideoAnalyzer,
} from '../ports/video-analyzer';
import type { Bucket } from '../schemas/bucket';
import { createAnswerQueue, type ScriptedAnswer } from './answer-queue';

/** One recorded call of a fake analyzer. */
export interface FakeVideoAnalyzerCall {
  method: 'analyze' | 'analyzeAndCategorize';
  video: AnalyzerVideo;
  /** The buckets offered, for `analyzeAndCategorize`. */
  buckets?: readonly Bucket[];
  options?: CallOptions;
}

/** What `analyzeAndCategorize` returns. */
export interface CombinedAnalysis {
  analysis: VideoAnalysis;
  answer: CategorizerAnswer;
}

export interface FakeVideoAnalyzerSettings {
  /** Provider name (default `fake`). */
  provider?: string;
  /** Offer `analyzeAndCategorize` too, as providers that do both in one request do (default false). */
  combined?: boolean;
  /** Declare `gatesRequests`: core then passes `options.rateLimit` and takes no token itself; scripted answers take tokens through `call.options.rateLimit` (default false). */
  gatesRequests?: boolean;
  /** Answer for `analyze` once its queue is empty; without one, that is a `PROVIDER` error. */
  fallbackAnalysis?: ScriptedAnswer<FakeVideoAnalyzerCall, VideoAnalysis>;
  /** Answer for `analyzeAndCategorize` once its queue is empty. */
  fallbackCombined?: ScriptedAnswer<FakeVideoAnalyzerCall, CombinedAnalysis>;
}

/** A VideoAnalyzer that records its calls and answers from scripted queues. */
export interface FakeVideoAnalyzer extends VideoAnalyzer {
  /** Every call, in order (aborted ones included). */
  readonly calls: FakeVideoAnalyzerCall[];
  /** Queues answers for `analyze`. */
  queueAnalyze(...answers: ScriptedAnswer<FakeVideoAnalyzerCall, VideoAnalysis>[]): void;
  /** Queues answers for `analyzeAndCategorize` (present only with `combined: true`). */
  queueAnalyzeAndCategorize(
    ...answers: ScriptedAnswer<FakeVideoAnalyzerCall, CombinedAnalysis>[]
  ): void;
}

/** A complete VideoAnalysis with plain defaults, for scripting answers. */
export function makeVideoAnalysis(fields: Partial<VideoAnalysis> = {}): VideoAnalysis {
  return {
    summary: '',
    transcript: '',
    hook: '',
    topics: [],
    onScreenText: '',
    raw: {},
    ...fields,
  };
}

export function createFakeVideoAnalyzer(
  settings: FakeVideoAnalyzerSettings = {},
): FakeVideoAnalyzer {
  const calls: FakeVideoAnalyzerCall[] = [];
  const analyses = createAnswerQueue<FakeVideoAnalyzerCall, VideoAnalysis>({
    label: 'fake-video-analyzer.analyze',
    errorCode: 'PROVIDER',
    fallback:
      settings.fallbackAnalysis === undefined ? undefined : { answer: settings.fallbackAnalysis },
  });
  const combined = createAnswerQueue<FakeVideoAnalyzerCall, CombinedAnalysis>({
    label: 'fake-video-analyzer.analyzeAndCategorize',
    errorCode: 'PROVIDER',
    fallback:
      settings.fallbackCombined === undefined ? undefined : { answer: settings.fallbackCombined },
  });

  const analyzer: FakeVideoAnalyzer = {
    specificationVersion: 'v1',
    provider: settings.provider ?? 'fake',
    ...(settings.gatesRequests === true ? { gatesRequests: true } : {}),
    calls,
    queueAnalyze: (...answers) => analyses.push(...answers),
    queueAnalyzeAndCategorize: (...answers) => combined.push(...answers),
    analyze(video, options) {
      const call: FakeVideoAnalyzerCall = { method: 'analyze', video, options };
      calls.push(call);
      return analyses.answer(call, options?.signal);
    },
  };
  if (settings.combined === true) {
    analyzer.analyzeAndCategorize = (video, buckets, options) => {
      const call: FakeVideoAnalyzerCall = {
        method: 'analyzeAndCategorize',
        video,
        buckets,
        options,
      };
      calls.push(call);
      return combined.answer(call, options?.signal);
    };
  }
  return analyzer;
}
