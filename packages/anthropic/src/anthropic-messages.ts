import type Anthropic from '@anthropic-ai/sdk';
import type { ContentBlockParam, Message, Tool } from '@anthropic-ai/sdk/resources/messages';
import { cancelledError, VBucketsError } from '@vbuckets/core';
import type { CallOptions } from '@vbuckets/core/adapter-kit';
import type { ClaudeTokenUsage } from './anthropic-answer';
import { toClaudeError } from './anthropic-error';
import type { ClaudeRequestSettings } from './anthropic-settings';

/** One forced tool call: the user message, the tool, and what a failure message calls it. */
export interface ToolCallRequest {
  content: ContentBlockParam[];
  tool: Tool;
  action: string;
}

/** The tool's input as the model filled it, and what the request cost. */
export interface ToolCallResult {
  input: unknown;
  usage: ClaudeTokenUsage;
  messageId: string;
  model: string;
}

const EXCERPT_LENGTH = 200;

function excerpt(text: string): string {
  const flat = text.replace(/\s+/gu, ' ').trim();
  return flat.length <= EXCERPT_LENGTH ? flat : `${flat.slice(0, EXCERPT_LENGTH)}…`;
}

function answerText(message: Message): string {
  return message.content
    .map((block) => (block.type === 'text' ? block.text : ''))
    .join(' ')
    .trim();
}

function usageOf(message: Message): ClaudeTokenUsage {
  return {
    inputTokens: message.usage.input_tokens,
    outputTokens: message.usage.output_tokens,
    cacheCreationInputTokens: message.usage.cache_creation_input_tokens ?? 0,
    cacheReadInputTokens: message.usage.cache_read_input_tokens ?? 0,
  };
}

/** The forced tool's input, or the final PROVIDER error saying why there is none. */
function toolInputOf(message: Message, request: ToolCallRequest): unknown {
  const stopReason = message.stop_reason;
  const details = { stopReason, messageId: message.id };
  if (stopReason === 'refusal') {
    const explanation = message.stop_details?.explanation ?? answerText(message);
    const category = message.stop_details?.category ?? null;
    throw new VBucketsError(
      'PROVIDER',
      `${request.action} failed: Claude declined to answer${explanation ? ` (${excerpt(explanation)})` : ''}`,
      { retryable: false, details: { ...details, category } },
    );
  }
  if (stopReason === 'max_tokens') {
    throw new VBucketsError(
      'PROVIDER',
      `${request.action} failed: Claude's answer was cut off at max_tokens; raise the maxTokens setting`,
      { retryable: false, details },
    );
  }
  const call = message.content.find(
    (block) => block.type === 'tool_use' && block.name === request.tool.name,
  );
  if (call === undefined || call.type !== 'tool_use') {
    const text = answerText(message);
    throw new VBucketsError(
      'PROVIDER',
      `${request.action} failed: Claude did not call the ${request.tool.name} tool (stop reason ${stopReason ?? 'unknown'})${text ? `: "${excerpt(text)}"` : ''}`,
      { retryable: false, details },
    );
  }
  return call.input;
}

/**
 * One Messages request that forces `request.tool`, returning the tool's input. Takes a token
 * from `options.rateLimit` right before the request (the one thing Claude's limits count).
 * The caller's signal and the `requestTimeoutMs` limit end it; the SDK retries at most
 * `maxRetries` times. Throws a VBucketsError.
 */
export async function callClaudeTool(
  client: Anthropic,
  settings: ClaudeRequestSettings,
  request: ToolCallRequest,
  options: CallOptions | undefined,
): Promise<ToolCallResult> {
  const signal = options?.signal;
  if (options?.rateLimit !== undefined) {
    const token = await options.rateLimit.take(signal);
    if (token.isErr()) {
      if (signal?.aborted !== true) throw token.error;
      throw cancelledError(`${request.action} was cancelled`, { cause: token.error });
    }
  }
  if (signal?.aborted) throw cancelledError(`${request.action} was cancelled`);
  let message: Message;
  try {
    message = await client.messages.create(
      {
        model: settings.model,
        max_tokens: settings.maxTokens,
        messages: [{ role: 'user', content: request.content }],
        tools: [request.tool],
        tool_choice: { type: 'tool', name: request.tool.name, disable_parallel_tool_use: true },
      },
      {
        signal: signal ?? null,
        timeout: settings.requestTimeoutMs,
        maxRetries: settings.maxRetries,
      },
    );
  } catch (error) {
    throw toClaudeError(error, request.action, signal, settings.requestTimeoutMs);
  }
  return {
    input: toolInputOf(message, request),
    usage: usageOf(message),
    messageId: message.id,
    model: message.model,
  };
}
