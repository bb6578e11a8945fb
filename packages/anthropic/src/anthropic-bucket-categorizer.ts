import type Anthropic from '@anthropic-ai/sdk';
import { type Bucket, cancelledError, type VBucketsError } from '@vbuckets/core';
import {
  type BucketCategorizer,
  type CallOptions,
  type CategorizerAnswer,
  type VideoAnalysis,
  withErrorSource,
} from '@vbuckets/core/adapter-kit';
import { ResultAsync } from 'neverthrow';
import { answerFromToolInput } from './anthropic-answer';
import { toClaudeError } from './anthropic-error';
import { callClaudeTool } from './anthropic-messages';
import { categorizationPrompt, choiceTool } from './anthropic-prompts';
import type { ResolvedClaudeSettings } from './anthropic-settings';

/**
 * The Claude BucketCategorizer: one text-only request with the analysis (its seed 003 tags
 * included) and the buckets, for which it takes a token from `options.rateLimit` itself (none
 * when there is nothing to choose from).
 */
export interface ClaudeBucketCategorizer extends BucketCategorizer {
  readonly provider: 'claude';
  readonly gatesRequests: true;
}

export function createClaudeBucketCategorizer(
  settings: ResolvedClaudeSettings,
  clients: () => Anthropic,
): ClaudeBucketCategorizer {
  return {
    specificationVersion: 'v1',
    provider: 'claude',
    gatesRequests: true,
    categorize(analysis: VideoAnalysis, buckets: readonly Bucket[], options?: CallOptions) {
      const signal = options?.signal;
      const action = 'Categorizing a video analysis';
      return ResultAsync.fromPromise<CategorizerAnswer, VBucketsError>(
        (async () => {
          if (signal?.aborted) throw cancelledError(`${action} was cancelled`);
          // Nothing to choose from: no request, no made-up bucket.
          if (buckets.length === 0) {
            return {
              bucketName: null,
              confidence: 0,
              reasoning: 'There are no buckets to choose from.',
            };
          }
          const call = await callClaudeTool(
            clients(),
            settings,
            {
              content: [{ type: 'text', text: categorizationPrompt(analysis, buckets) }],
              tool: choiceTool(buckets),
              action,
            },
            options,
          );
          const answer = answerFromToolInput(call.input, action);
          if (answer.isErr()) throw answer.error;
          return answer.value;
        })(),
        (error) =>
          withErrorSource(toClaudeError(error, action, signal, settings.requestTimeoutMs), {
            adapter: 'anthropic',
            operation: 'categorizer.categorize',
          }),
      );
    },
  };
}
