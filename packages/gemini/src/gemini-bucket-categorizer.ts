import { type Bucket, cancelledError, type VBucketsError } from '@vbuckets/core';
import {
  type BucketCategorizer,
  type CallOptions,
  type CategorizerAnswer,
  type VideoAnalysis,
  withErrorSource,
} from '@vbuckets/core/adapter-kit';
import { ResultAsync } from 'neverthrow';
import { answerFromObject } from './gemini-answer';
import type { GeminiSession } from './gemini-client';
import { toGeminiError } from './gemini-error';
import { generateJson } from './gemini-generate';
import { categorizationPrompt, categorizationSchema } from './gemini-prompts';
import type { ResolvedGeminiSettings } from './gemini-settings';

/**
 * The Gemini BucketCategorizer: one text-only request with the analysis and the buckets, for
 * which it takes a token from `options.rateLimit` itself (none when there is nothing to choose).
 */
export interface GeminiBucketCategorizer extends BucketCategorizer {
  readonly provider: 'gemini';
  readonly gatesRequests: true;
}

export function createGeminiBucketCategorizer(
  settings: ResolvedGeminiSettings,
  sessions: () => GeminiSession,
): GeminiBucketCategorizer {
  return {
    specificationVersion: 'v1',
    provider: 'gemini',
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
          const object = await generateJson(
            sessions(),
            settings,
            {
              parts: [{ text: categorizationPrompt(analysis, buckets) }],
              schema: categorizationSchema(buckets),
              action,
            },
            options,
          );
          const answer = answerFromObject(object);
          if (answer.isErr()) throw answer.error;
          return answer.value;
        })(),
        (error) =>
          withErrorSource(toGeminiError(error, action, signal), {
            adapter: 'gemini',
            operation: 'categorizer.categorize',
          }),
      );
    },
  };
}
