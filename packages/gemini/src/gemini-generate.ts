import type { Part, Schema } from '@google/genai';
import { cancelledError } from '@vbuckets/core';
import type { CallOptions } from '@vbuckets/core/adapter-kit';
import { geminiAnswerObject, geminiResponseText } from './gemini-answer';
import { type GeminiSession, requestSignal } from './gemini-client';
import { toGeminiError } from './gemini-error';
import type { ResolvedGeminiSettings } from './gemini-settings';

/**
 * One generateContent with structured JSON output; returns the answer's JSON object. Takes a
 * token from `options.rateLimit` right before the request, as generateContent is what Gemini's
 * per-minute quota counts (uploads, polls and deletes are not). Throws a VBucketsError
 * (CANCELLED when aborted while waiting for the token, PROVIDER for an empty or unreadable answer).
 */
export async function generateJson(
  session: GeminiSession,
  settings: ResolvedGeminiSettings,
  request: { parts: Part[]; schema: Schema; action: string },
  options: CallOptions | undefined,
): Promise<Record<string, unknown>> {
  const signal = options?.signal;
  if (options?.rateLimit !== undefined) {
    const token = await options.rateLimit.take(signal);
    if (token.isErr()) {
      if (signal?.aborted !== true) throw token.error;
      throw cancelledError(`${request.action} was cancelled`, { cause: token.error });
    }
  }
  let response: Awaited<ReturnType<GeminiSession['client']['models']['generateContent']>>;
  try {
    response = await session.client.models.generateContent({
      model: settings.model,
      contents: [{ role: 'user', parts: request.parts }],
      config: {
        responseMimeType: 'application/json',
        responseSchema: request.schema,
        abortSignal: requestSignal(settings, signal),
      },
    });
  } catch (error) {
    throw toGeminiError(error, request.action, signal);
  }
  const text = geminiResponseText(response);
  if (text.isErr()) throw text.error;
  const object = geminiAnswerObject(text.value);
  if (object.isErr()) throw object.error;
  return object.value;
}
