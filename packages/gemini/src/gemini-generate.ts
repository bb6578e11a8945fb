import type { Part, Schema } from '@google/genai';
import { geminiAnswerObject, geminiResponseText } from './gemini-answer';
import { type GeminiSession, requestSignal } from './gemini-client';
import { toGeminiError } from './gemini-error';
import type { ResolvedGeminiSettings } from './gemini-settings';

/**
 * One generateContent with structured JSON output; returns the answer's JSON object.
 * Throws a VBucketsError (PROVIDER for an empty or unreadable answer).
 */
export async function generateJson(
  session: GeminiSession,
  settings: ResolvedGeminiSettings,
  request: { parts: Part[]; schema: Schema; action: string },
  signal: AbortSignal | undefined,
): Promise<Record<string, unknown>> {
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
