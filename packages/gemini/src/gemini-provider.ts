import {
  createGeminiBucketCategorizer,
  type GeminiBucketCategorizer,
} from './gemini-bucket-categorizer';
import { createGeminiSessions } from './gemini-client';
import { type GeminiSettings, resolveGeminiSettings } from './gemini-settings';
import { createGeminiVideoAnalyzer, type GeminiVideoAnalyzer } from './gemini-video-analyzer';

/** Gemini as a categorization provider: what the categorize pipeline takes. */
export interface GeminiProvider {
  /** Uploads, analyses (and, in `combined` mode, picks the bucket in the same request). */
  readonly analyzer: GeminiVideoAnalyzer;
  /** Picks a bucket for an analysis with a text-only request. */
  readonly categorizer: GeminiBucketCategorizer;
  /** The `requestsPerMinute` setting, for the pipeline's rate limiter. */
  readonly requestsPerMinute?: number;
  /** The `burst` setting, for the pipeline's rate limiter. */
  readonly burst?: number;
}

/**
 * Creates the Gemini analyzer and categorizer over one client. Throws a VALIDATION
 * VBucketsError for invalid settings (a programming error, found at start-up); a missing API
 * key is reported by each call as UNAUTHENTICATED.
 */
export function createGemini(settings: GeminiSettings = {}): GeminiProvider {
  const resolved = resolveGeminiSettings(settings);
  const sessions = createGeminiSessions(resolved);
  return {
    analyzer: createGeminiVideoAnalyzer(resolved, sessions),
    categorizer: createGeminiBucketCategorizer(resolved, sessions),
    ...(resolved.requestsPerMinute === undefined
      ? {}
      : { requestsPerMinute: resolved.requestsPerMinute }),
    ...(resolved.burst === undefined ? {} : { burst: resolved.burst }),
  };
}
