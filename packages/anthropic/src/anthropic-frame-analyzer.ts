import type Anthropic from '@anthropic-ai/sdk';
import {
  type Bucket,
  type CategorizationProvider,
  cancelledError,
  type VBucketsError,
} from '@vbuckets/core';
import {
  type AnalyzerVideo,
  type CallOptions,
  type CategorizerAnswer,
  type VideoAnalysis,
  type VideoAnalyzer,
  withErrorSource,
} from '@vbuckets/core/adapter-kit';
import { errAsync, ResultAsync } from 'neverthrow';
import {
  type AnalysisContext,
  analysisFromToolInput,
  answerFromToolInput,
} from './anthropic-answer';
import {
  type ClaudeBucketCategorizer,
  createClaudeBucketCategorizer,
} from './anthropic-bucket-categorizer';
import { createClaudeClients } from './anthropic-client';
import { toClaudeError } from './anthropic-error';
import { extractClaudeFrames } from './anthropic-frames';
import { callClaudeTool } from './anthropic-messages';
import { analysisTool, combinedTool, framesContent } from './anthropic-prompts';
import { type ClaudeFrameAnalyzerSettings, resolveClaudeSettings } from './anthropic-settings';

/**
 * Claude's frame-based VideoAnalyzer, which is also a categorization provider: hand it to
 * `createVBuckets({ providers: { claude: analyzer } })`. `analyzeAndCategorize` analyses and
 * picks the bucket in one request; `categorizer` re-files a saved analysis with a text-only one.
 * It takes a token from `options.rateLimit` right before each Messages request.
 */
export interface ClaudeFrameAnalyzer extends VideoAnalyzer, CategorizationProvider {
  readonly provider: 'claude';
  readonly gatesRequests: true;
  analyzeAndCategorize(
    video: AnalyzerVideo,
    buckets: readonly Bucket[],
    options?: CallOptions,
  ): ResultAsync<{ analysis: VideoAnalysis; answer: CategorizerAnswer }, VBucketsError>;
  /** This analyzer itself, as the provider's analyzer. */
  readonly analyzer: ClaudeFrameAnalyzer;
  /** Picks a bucket for a saved analysis with a text-only request. */
  readonly categorizer: ClaudeBucketCategorizer;
  /** The `requestsPerMinute` setting, for the pipeline's rate limiter. */
  readonly requestsPerMinute?: number;
  /** The `burst` setting, for the pipeline's rate limiter. */
  readonly burst?: number;
}

const ADAPTER = 'anthropic';

/**
 * Creates the Claude frame analyzer: per video, frames at `timestampsSec` (0, 3, 10 s by
 * default, clamped into shorter videos) are extracted with the MediaProbe, scaled down to
 * `maxFrameWidth` × `maxFrameHeight`, labelled Hook, Body and CTA, and sent in one Messages
 * request whose forced tool gives the analysis. It throws nothing: with invalid settings every
 * call answers their VALIDATION error (no request is sent), and a missing API key is reported by
 * each call as UNAUTHENTICATED. Errors name `anthropic` in `error.adapter`.
 */
export function createClaudeFrameAnalyzer(
  settings: ClaudeFrameAnalyzerSettings,
): ClaudeFrameAnalyzer {
  const checked = resolveClaudeSettings(settings);
  if (checked.isErr()) return refusingAnalyzer(checked.error);
  const resolved = checked.value;
  const clients = createClaudeClients(resolved);

  function run<T>(
    operation: string,
    video: AnalyzerVideo,
    options: CallOptions | undefined,
    work: (client: Anthropic, action: string) => Promise<T>,
  ): ResultAsync<T, VBucketsError> {
    const action = `Analysing "${video.filename}"`;
    return ResultAsync.fromPromise(
      (async () => {
        if (options?.signal?.aborted) throw cancelledError(`${action} was cancelled`);
        const client = clients();
        // Reported before the first await, so it replaces the pipeline's default stage.
        options?.onStage?.('processing');
        return work(client, action);
      })(),
      (error) =>
        withErrorSource(toClaudeError(error, action, options?.signal, resolved.requestTimeoutMs), {
          adapter: ADAPTER,
          operation,
        }),
    );
  }

  /** Frames, then one forced tool call over them; returns the tool input and its context. */
  async function askAboutFrames(
    client: Anthropic,
    action: string,
    video: AnalyzerVideo,
    options: CallOptions | undefined,
    buckets?: readonly Bucket[],
  ): Promise<{ input: unknown; context: AnalysisContext }> {
    const { frames, durationSec } = await extractClaudeFrames(
      video,
      resolved,
      action,
      options?.signal,
    );
    options?.onStage?.('analyzing');
    const call = await callClaudeTool(
      client,
      resolved,
      {
        content: framesContent(video, frames, buckets),
        tool: buckets === undefined ? analysisTool() : combinedTool(buckets),
        action,
      },
      options,
    );
    return {
      input: call.input,
      context: {
        model: call.model,
        messageId: call.messageId,
        durationSec,
        frames,
        usage: call.usage,
      },
    };
  }

  const analyze = (video: AnalyzerVideo, options?: CallOptions) =>
    run<VideoAnalysis>('analyzer.analyze', video, options, async (client, action) => {
      const { input, context } = await askAboutFrames(client, action, video, options);
      const analysis = analysisFromToolInput(input, context, action);
      if (analysis.isErr()) throw analysis.error;
      return analysis.value;
    });

  const analyzeAndCategorize = (
    video: AnalyzerVideo,
    buckets: readonly Bucket[],
    options?: CallOptions,
  ) =>
    run<{ analysis: VideoAnalysis; answer: CategorizerAnswer }>(
      'analyzer.analyzeAndCategorize',
      video,
      options,
      async (client, action) => {
        const { input, context } = await askAboutFrames(client, action, video, options, buckets);
        const combined = answerFromToolInput(input, action).andThen((answer) =>
          analysisFromToolInput(input, context, action, answer).map((analysis) => ({
            analysis,
            answer,
          })),
        );
        if (combined.isErr()) throw combined.error;
        return combined.value;
      },
    );

  const analyzer: ClaudeFrameAnalyzer = {
    specificationVersion: 'v1',
    provider: 'claude',
    gatesRequests: true,
    analyze,
    analyzeAndCategorize,
    get analyzer() {
      return analyzer;
    },
    categorizer: createClaudeBucketCategorizer(resolved, clients),
    ...(resolved.requestsPerMinute === undefined
      ? {}
      : { requestsPerMinute: resolved.requestsPerMinute }),
    ...(resolved.burst === undefined ? {} : { burst: resolved.burst }),
  };
  return analyzer;
}

/** The analyzer of invalid settings: every call answers the settings error, nothing is sent. */
function refusingAnalyzer(refusal: VBucketsError): ClaudeFrameAnalyzer {
  const refuse = (operation: string) =>
    errAsync(withErrorSource(refusal, { adapter: ADAPTER, operation }));
  const analyzer: ClaudeFrameAnalyzer = {
    specificationVersion: 'v1',
    provider: 'claude',
    gatesRequests: true,
    analyze: () => refuse('analyzer.analyze'),
    analyzeAndCategorize: () => refuse('analyzer.analyzeAndCategorize'),
    get analyzer() {
      return analyzer;
    },
    categorizer: {
      specificationVersion: 'v1',
      provider: 'claude',
      gatesRequests: true,
      categorize: () => refuse('categorizer.categorize'),
    },
  };
  return analyzer;
}
