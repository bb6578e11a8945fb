import type Anthropic from '@anthropic-ai/sdk';
import { type BucketCategorizer, createModelCategorizer } from '@vbuckets/core/adapter-kit';
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
  return createModelCategorizer({
    provider: 'claude',
    adapter: 'anthropic',
    async ask(analysis, buckets, options, action) {
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
    },
    toError: (error, action, signal) =>
      toClaudeError(error, action, signal, settings.requestTimeoutMs),
  });
}
