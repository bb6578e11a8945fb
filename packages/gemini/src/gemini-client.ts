import { GoogleGenAI } from '@google/genai';
import { VBucketsError } from '@vbuckets/core';
import { type ResolvedGeminiSettings, resolveApiKey } from './gemini-settings';

/** What one call needs: the SDK client and the key the hand-made upload sends. */
export interface GeminiSession {
  client: GoogleGenAI;
  apiKey: string;
}

/**
 * Resolves the key at call time (so a key set after start-up is seen) and builds the SDK
 * client once per key. Throws UNAUTHENTICATED when there is no key.
 */
export function createGeminiSessions(settings: ResolvedGeminiSettings): () => GeminiSession {
  let cached: GeminiSession | undefined;
  return () => {
    const apiKey = resolveApiKey(settings);
    if (apiKey === undefined) {
      throw new VBucketsError(
        'UNAUTHENTICATED',
        'No API key: pass apiKey or set the GEMINI_API_KEY environment variable (GOOGLE_API_KEY is read too)',
        { details: { environmentVariable: 'GEMINI_API_KEY' } },
      );
    }
    if (cached?.apiKey === apiKey) return cached;
    const client =
      settings.client ??
      new GoogleGenAI({
        apiKey,
        // Explicit, so GOOGLE_GENAI_USE_VERTEXAI or GOOGLE_GEMINI_BASE_URL in the environment
        // cannot send the SDK calls somewhere other than the upload.
        vertexai: false,
        httpOptions: {
          baseUrl: settings.baseURL,
          headers: settings.headers,
          ...(settings.fetch === undefined ? {} : { fetch: settings.fetch }),
        },
      });
    cached = { client, apiKey };
    return cached;
  };
}

/** Aborts when any of `signals` does (AbortSignal.any arrived in Node 20.3). */
function anySignal(signals: AbortSignal[]): AbortSignal {
  if (typeof AbortSignal.any === 'function') return AbortSignal.any(signals);
  const controller = new AbortController();
  for (const signal of signals) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  }
  return controller.signal;
}

/** The caller's signal plus the per-request time limit. */
export function requestSignal(
  settings: ResolvedGeminiSettings,
  signal: AbortSignal | undefined,
): AbortSignal {
  const timeout = AbortSignal.timeout(settings.requestTimeoutMs);
  return signal === undefined ? timeout : anySignal([signal, timeout]);
}
