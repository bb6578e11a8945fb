import { ResultAsync } from 'neverthrow';
import { cancelledError, type VBucketsError, withErrorSource } from '../../errors';
import type {
  BucketCategorizer,
  CallOptions,
  CategorizerAnswer,
  VideoAnalysis,
} from '../../ports/video-analyzer';
import type { Bucket } from '../../schemas/bucket';

/** What an AI adapter gives to make its BucketCategorizer. */
export interface ModelCategorizerParts<Provider extends string> {
  provider: Provider;
  /** The adapter's name on errors (`gemini`, `anthropic`). */
  adapter: string;
  /** One model request choosing among the (non-empty) buckets; it takes its rate-limit token itself. */
  ask(
    analysis: VideoAnalysis,
    buckets: readonly Bucket[],
    options: CallOptions | undefined,
    action: string,
  ): Promise<CategorizerAnswer>;
  /** Turns whatever `ask` threw into the adapter's VBucketsError. */
  toError(error: unknown, action: string, signal: AbortSignal | undefined): VBucketsError;
}

/**
 * A BucketCategorizer over one model request that takes its rate-limit token itself
 * (`gatesRequests`): an aborted signal is CANCELLED before anything is sent, no buckets is a
 * null answer without a request (never a made-up bucket), and errors name the adapter and
 * `categorizer.categorize`.
 */
export function createModelCategorizer<Provider extends string>(
  parts: ModelCategorizerParts<Provider>,
): BucketCategorizer & { readonly provider: Provider; readonly gatesRequests: true } {
  return {
    specificationVersion: 'v1',
    provider: parts.provider,
    gatesRequests: true,
    categorize(analysis, buckets, options) {
      const signal = options?.signal;
      const action = 'Categorizing a video analysis';
      return ResultAsync.fromPromise<CategorizerAnswer, VBucketsError>(
        (async () => {
          if (signal?.aborted) throw cancelledError(`${action} was cancelled`);
          if (buckets.length === 0) {
            return {
              bucketName: null,
              confidence: 0,
              reasoning: 'There are no buckets to choose from.',
            };
          }
          return parts.ask(analysis, buckets, options, action);
        })(),
        (error) =>
          withErrorSource(parts.toError(error, action, signal), {
            adapter: parts.adapter,
            operation: 'categorizer.categorize',
          }),
      );
    },
  };
}
