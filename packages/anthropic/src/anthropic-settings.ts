import type Anthropic from '@anthropic-ai/sdk';
import { fromZodError, type VBucketsError } from '@vbuckets/core';
import { type MediaProbe, settingsError } from '@vbuckets/core/adapter-kit';
import { DEFAULT_FRAME_TIMESTAMPS_SEC, TokenBucketOptionsSchema } from '@vbuckets/core/domain';
import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';

export interface ClaudeFrameAnalyzerSettings {
  /** Reads the video's duration and extracts its frames (`createMediaProbe()` of `@vbuckets/media`). */
  mediaProbe: MediaProbe;
  /** API key. Default: the `ANTHROPIC_API_KEY` environment variable, read at call time. */
  apiKey?: string;
  /** API root, e.g. a proxy or a fake server (default: `ANTHROPIC_BASE_URL`, then `https://api.anthropic.com`). */
  baseURL?: string;
  /** Model of every request (default `claude-sonnet-5-5`). */
  model?: string;
  /** Wanted frame times in seconds (default 0, 3, 10: hook, body, call to action), clamped into shorter videos. */
  timestampsSec?: readonly number[];
  /** Frames wider than this are scaled down, keeping their aspect ratio (default 768 px). */
  maxFrameWidth?: number;
  /** Frames taller than this are scaled down, keeping their aspect ratio (default 768 px). */
  maxFrameHeight?: number;
  /** JPEG quality of a scaled-down frame, 1 to 100 (default 80). */
  jpegQuality?: number;
  /** `max_tokens` of each request (default 1 024; the tool answer needs a few hundred). */
  maxTokens?: number;
  /** Time limit of each Messages request (default 120 000 ms). */
  requestTimeoutMs?: number;
  /** Retries of the SDK itself, per request (default 0: the categorize pipeline owns retries). */
  maxRetries?: number;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** A fetch implementation for the SDK (default the global `fetch`). */
  fetch?: typeof globalThis.fetch;
  /** A ready `Anthropic` client; `apiKey`, `baseURL`, `headers` and `fetch` are then unused. */
  client?: Anthropic;
  /** Where the video is copied for ffmpeg to read, one temporary folder per call (default the OS's). */
  tempDirectory?: string;
  /** Handed on to the categorize pipeline's rate limiter: Messages requests per minute. */
  requestsPerMinute?: number;
  /** Handed on to the categorize pipeline's rate limiter: requests that may go at once after an idle spell. */
  burst?: number;
}

export const DEFAULT_CLAUDE_MODEL = 'claude-sonnet-5-5';
export const DEFAULT_MAX_FRAME_WIDTH = 768;
export const DEFAULT_MAX_FRAME_HEIGHT = 768;

const functionSchema = <T>(label: string) =>
  z.custom<T>((value) => typeof value === 'function', { error: `must be a ${label} function` });

const SettingsSchema = z.strictObject({
  mediaProbe: z.custom<MediaProbe>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      typeof (value as MediaProbe).probe === 'function' &&
      typeof (value as MediaProbe).extractFrames === 'function',
    { error: 'must be a MediaProbe (createMediaProbe() of @vbuckets/media)' },
  ),
  apiKey: z.string().min(1, 'must not be empty').optional(),
  baseURL: z.url({ protocol: /^https?$/u, error: 'must be an http(s) URL' }).optional(),
  model: z.string().min(1, 'must not be empty').default(DEFAULT_CLAUDE_MODEL),
  timestampsSec: z
    .array(z.number().nonnegative('must be at least 0'))
    .min(1, 'must hold at least one timestamp')
    .max(20, 'must hold at most 20 timestamps (the API takes larger images only up to 20)')
    .default([...DEFAULT_FRAME_TIMESTAMPS_SEC]),
  maxFrameWidth: z.number().int().min(16).max(8000).default(DEFAULT_MAX_FRAME_WIDTH),
  maxFrameHeight: z.number().int().min(16).max(8000).default(DEFAULT_MAX_FRAME_HEIGHT),
  jpegQuality: z.number().int().min(1).max(100).default(80),
  maxTokens: z.number().int().positive().max(16_000).default(1_024),
  requestTimeoutMs: z.number().int().positive().default(120_000),
  maxRetries: z.number().int().min(0).max(10).default(0),
  headers: z.record(z.string(), z.string()).optional(),
  fetch: functionSchema<typeof globalThis.fetch>('fetch').optional(),
  client: z
    .custom<Anthropic>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        typeof (value as { messages?: { create?: unknown } }).messages?.create === 'function',
      { error: 'must be an Anthropic client' },
    )
    .optional(),
  tempDirectory: z.string().min(1, 'must not be empty').optional(),
  // Core's own rules for the pipeline's rate limiter (Infinity for no limit).
  requestsPerMinute: TokenBucketOptionsSchema.shape.requestsPerMinute,
  burst: TokenBucketOptionsSchema.shape.burst,
});

/** Settings after defaults, as the adapter uses them. */
export type ResolvedClaudeSettings = z.output<typeof SettingsSchema>;

/** The settings with defaults applied, or the VALIDATION settings error naming the bad field. */
export function resolveClaudeSettings(
  settings: ClaudeFrameAnalyzerSettings,
): Result<ResolvedClaudeSettings, VBucketsError> {
  const parsed = SettingsSchema.safeParse(settings);
  if (!parsed.success) {
    return err(settingsError(fromZodError(parsed.error, 'Claude frame analyzer settings')));
  }
  return ok(parsed.data);
}

/** What the SDK client is built from: shared by the analyzer and the thumbnail scorer. */
export type ClaudeClientSettings = Pick<
  ResolvedClaudeSettings,
  'apiKey' | 'baseURL' | 'maxRetries' | 'requestTimeoutMs' | 'headers' | 'fetch' | 'client'
>;

/** What one Messages request is sent with. */
export type ClaudeRequestSettings = Pick<
  ResolvedClaudeSettings,
  'model' | 'maxTokens' | 'requestTimeoutMs' | 'maxRetries'
>;

/** The key to use: the setting, else `ANTHROPIC_API_KEY` (read at call time). */
export function resolveApiKey(
  settings: Pick<ResolvedClaudeSettings, 'apiKey'>,
): string | undefined {
  if (settings.apiKey !== undefined) return settings.apiKey;
  const fromEnvironment = process.env.ANTHROPIC_API_KEY;
  return fromEnvironment === undefined || fromEnvironment === '' ? undefined : fromEnvironment;
}
