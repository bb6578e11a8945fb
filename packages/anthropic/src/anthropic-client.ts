import Anthropic from '@anthropic-ai/sdk';
import { VBucketsError } from '@vbuckets/core';
import { type ClaudeClientSettings, resolveApiKey } from './anthropic-settings';

/**
 * Gives the SDK client of a call: the `client` setting, else one built for the key resolved at
 * call time (so a key set after start-up is seen), reused while the key stays the same. Throws
 * UNAUTHENTICATED when there is neither a client nor a key.
 */
export function createClaudeClients(settings: ClaudeClientSettings): () => Anthropic {
  let cached: { apiKey: string; client: Anthropic } | undefined;
  return () => {
    if (settings.client !== undefined) return settings.client;
    const apiKey = resolveApiKey(settings);
    if (apiKey === undefined) {
      throw new VBucketsError(
        'UNAUTHENTICATED',
        'No API key: pass apiKey or set the ANTHROPIC_API_KEY environment variable',
        { details: { environmentVariable: 'ANTHROPIC_API_KEY' } },
      );
    }
    if (cached?.apiKey === apiKey) return cached.client;
    const client = new Anthropic({
      // A key passed in code is the client's only credential: the SDK then reads no
      // ANTHROPIC_AUTH_TOKEN or credentials profile from the environment.
      apiKey,
      ...(settings.baseURL === undefined ? {} : { baseURL: settings.baseURL }),
      // Our pipeline's limiter and retry policy own retries; SDK retries under them would
      // multiply the attempts (and the SDK waits out a 429's retry-after with no upper cap).
      maxRetries: settings.maxRetries,
      timeout: settings.requestTimeoutMs,
      ...(settings.headers === undefined ? {} : { defaultHeaders: settings.headers }),
      ...(settings.fetch === undefined ? {} : { fetch: settings.fetch }),
    });
    cached = { apiKey, client };
    return client;
  };
}
