import type { GoogleGenAI } from '@google/genai';
import { fromZodError, type VBucketsError } from '@vbuckets/core';
import {
  type Clock,
  type Sleep,
  settingsError,
  systemClock,
  timerSleep,
} from '@vbuckets/core/adapter-kit';
import { TokenBucketOptionsSchema } from '@vbuckets/core/domain';
import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';

/** How a video is categorized: analysis and bucket choice in one request, or two. */
export type GeminiMode = 'combined' | 'separate';

export interface GeminiSettings {
  /** API key. Default: the `GEMINI_API_KEY` environment variable, then `GOOGLE_API_KEY`. */
  apiKey?: string;
  /** API root, e.g. a proxy or a fake server (default `https://generativelanguage.googleapis.com`). */
  baseURL?: string;
  /** Model for every request (default `gemini-2.5-flash`). */
  model?: string;
  /** `combined` (default): one request analyses and picks the bucket; `separate`: analysis, then a text-only call. */
  mode?: GeminiMode;
  /** Pause between file-state polls after an upload (default 3 000 ms). */
  pollIntervalMs?: number;
  /** Give up on a file still PROCESSING after this long (default 180 000 ms). */
  pollTimeoutMs?: number;
  /** Time limit of each HTTP request (default 300 000 ms). */
  requestTimeoutMs?: number;
  /** Upload chunk size, a multiple of 256 KiB (default 8 MiB): the most video bytes held in memory. */
  uploadChunkBytes?: number;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** A fetch implementation for every request (default the global `fetch`). */
  fetch?: typeof globalThis.fetch;
  /**
   * A ready `GoogleGenAI` client for the SDK calls (file state, delete, generateContent). The
   * upload does not go through it: it uses `apiKey`, `baseURL`, `headers` and `fetch`.
   */
  client?: GoogleGenAI;
  /** Handed on to the categorize pipeline's rate limiter: generateContent requests per minute, the ones Gemini's quota counts (core's default: 9, the free tier's limit). */
  requestsPerMinute?: number;
  /** Handed on to the categorize pipeline's rate limiter: requests that may go at once after an idle spell. */
  burst?: number;
  /** Told about problems that do not fail the call, such as a remote file that could not be deleted (default `console.warn`). */
  onWarning?: (warning: VBucketsError) => void;
  /** Waits between polls (default core's `timerSleep`); injected by tests. An abort during the wait is CANCELLED, whether the sleep resolves early or rejects. */
  sleep?: Sleep;
  /** Time source of the poll deadline (default the wall clock); injected by tests. */
  clock?: Clock;
}

const CHUNK_GRANULARITY = 256 * 1024;

const functionSchema = <T>(label: string) =>
  z.custom<T>((value) => typeof value === 'function', { error: `must be a ${label} function` });

const SettingsSchema = z.strictObject({
  apiKey: z.string().min(1, 'must not be empty').optional(),
  baseURL: z.url({ protocol: /^https?$/u, error: 'must be an http(s) URL' }).optional(),
  model: z.string().min(1, 'must not be empty').default('gemini-2.5-flash'),
  mode: z.enum(['combined', 'separate']).default('combined'),
  pollIntervalMs: z.number().int().positive().default(3_000),
  pollTimeoutMs: z.number().int().positive().default(180_000),
  requestTimeoutMs: z.number().int().positive().default(300_000),
  uploadChunkBytes: z
    .number()
    .int()
    .positive()
    .refine((value) => value % CHUNK_GRANULARITY === 0, {
      error: `must be a multiple of 256 KiB (${CHUNK_GRANULARITY} bytes)`,
    })
    .default(8 * 1024 * 1024),
  headers: z.record(z.string(), z.string()).optional(),
  fetch: functionSchema<typeof globalThis.fetch>('fetch').optional(),
  client: z
    .custom<GoogleGenAI>(
      (value) =>
        typeof value === 'object' && value !== null && 'models' in value && 'files' in value,
      { error: 'must be a GoogleGenAI client' },
    )
    .optional(),
  // Core's own rules for the pipeline's rate limiter (Infinity for no limit).
  requestsPerMinute: TokenBucketOptionsSchema.shape.requestsPerMinute,
  burst: TokenBucketOptionsSchema.shape.burst,
  onWarning: functionSchema<(warning: VBucketsError) => void>('warning').optional(),
  sleep: functionSchema<Sleep>('sleep').optional(),
  clock: z
    .custom<Clock>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        typeof (value as { now?: unknown }).now === 'function',
      { error: 'must be a Clock' },
    )
    .optional(),
});

export const DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';

/** Settings after defaults, as the adapter uses them. */
export interface ResolvedGeminiSettings {
  apiKey: string | undefined;
  baseURL: string;
  /** Whether `baseURL` was given (then upload URLs are pointed at it, as the SDK does). */
  customBaseURL: boolean;
  model: string;
  mode: GeminiMode;
  pollIntervalMs: number;
  pollTimeoutMs: number;
  requestTimeoutMs: number;
  uploadChunkBytes: number;
  headers: Record<string, string>;
  fetch: typeof globalThis.fetch | undefined;
  client: GoogleGenAI | undefined;
  requestsPerMinute: number | undefined;
  burst: number | undefined;
  onWarning: (warning: VBucketsError) => void;
  sleep: Sleep;
  clock: Clock;
}

/** The settings with defaults applied, or the VALIDATION error naming the bad field. */
export function resolveGeminiSettings(
  settings: GeminiSettings,
): Result<ResolvedGeminiSettings, VBucketsError> {
  const parsed = SettingsSchema.safeParse(settings);
  if (!parsed.success) return err(settingsError(fromZodError(parsed.error, 'gemini settings')));
  const value = parsed.data;
  return ok({
    apiKey: value.apiKey,
    baseURL: (value.baseURL ?? DEFAULT_BASE_URL).replace(/\/+$/u, ''),
    customBaseURL: value.baseURL !== undefined,
    model: value.model,
    mode: value.mode,
    pollIntervalMs: value.pollIntervalMs,
    pollTimeoutMs: value.pollTimeoutMs,
    requestTimeoutMs: value.requestTimeoutMs,
    uploadChunkBytes: value.uploadChunkBytes,
    headers: value.headers ?? {},
    fetch: value.fetch,
    client: value.client,
    requestsPerMinute: value.requestsPerMinute,
    burst: value.burst,
    onWarning: value.onWarning ?? ((warning) => console.warn(warning.message)),
    sleep: value.sleep ?? timerSleep,
    clock: value.clock ?? systemClock,
  });
}

/** The key to use: the setting, else `GEMINI_API_KEY`, else `GOOGLE_API_KEY` (read at call time). */
export function resolveApiKey(settings: ResolvedGeminiSettings): string | undefined {
  if (settings.apiKey !== undefined) return settings.apiKey;
  const environment = (globalThis as { process?: { env?: Record<string, string | undefined> } })
    .process?.env;
  const fromEnvironment = environment?.GEMINI_API_KEY || environment?.GOOGLE_API_KEY;
  return fromEnvironment === undefined || fromEnvironment === '' ? undefined : fromEnvironment;
}
