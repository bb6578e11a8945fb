import type { VBucketsError } from '@vbuckets/core';
import { withErrorSource } from '@vbuckets/core/adapter-kit';
import { errAsync } from 'neverthrow';
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
 * Creates the Gemini analyzer and categorizer over one client. It throws nothing: with invalid
 * settings every call answers their VALIDATION error (no request is sent), and a missing API
 * key is reported by each call as UNAUTHENTICATED. Errors name `gemini` in `error.adapter`.
 */
export function createGemini(settings: GeminiSettings = {}): GeminiProvider {
  const checked = resolveGeminiSettings(settings);
  if (checked.isErr()) return refusingGemini(settings, checked.error);
  const resolved = checked.value;
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

/** The provider of invalid settings: every call answers the settings error, nothing is sent. */
function refusingGemini(settings: GeminiSettings, refusal: VBucketsError): GeminiProvider {
  const refuse = (operation: string) =>
    errAsync(withErrorSource(refusal, { adapter: 'gemini', operation }));
  const mode = (settings as { mode?: unknown } | undefined)?.mode;
  return {
    analyzer: {
      specificationVersion: 'v1',
      provider: 'gemini',
      gatesRequests: true,
      mode: mode === 'separate' ? 'separate' : 'combined',
      analyze: () => refuse('analyzer.analyze'),
      analyzeAndCategorize: () => refuse('analyzer.analyzeAndCategorize'),
    },
    categorizer: {
      specificationVersion: 'v1',
      provider: 'gemini',
      gatesRequests: true,
      categorize: () => refuse('categorizer.categorize'),
    },
  };
}
