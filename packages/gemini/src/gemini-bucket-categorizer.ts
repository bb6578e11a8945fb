import { type BucketCategorizer, createModelCategorizer } from '@vbuckets/core/adapter-kit';
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
  return createModelCategorizer({
    provider: 'gemini',
    adapter: 'gemini',
    async ask(analysis, buckets, options, action) {
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
    },
    toError: (error, action, signal) => toGeminiError(error, action, signal),
  });
}
