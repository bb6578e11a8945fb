import type { Sleep } from '@vbuckets/core/adapter-kit';
import { z } from 'zod';

/** Returns the current access token; refreshing it is the host's job. */
export type AccessTokenSource = () => string | Promise<string>;

/**
 * How an uploader that calls an HTTP API with a bearer token reaches it (YouTube, Meta, TikTok,
 * Instagram); each uploader documents its own defaults.
 */
export interface ApiUploaderSettings {
  /** Returns the current access token, read before every request; refreshing it is the host's job. */
  accessToken: AccessTokenSource;
  /** API root, e.g. a proxy or a fake server (default: the platform's). */
  baseURL?: string;
  /** Extra headers on every API request. */
  headers?: Record<string, string>;
  /** A fetch implementation for every request (default the global `fetch`). */
  fetch?: typeof globalThis.fetch;
  /** Time limit of each HTTP request (default 300 000 ms). */
  requestTimeoutMs?: number;
}

/** An API uploader that polls the platform until the posted video is processed (Meta, TikTok, Instagram). */
export interface PollingUploaderSettings extends ApiUploaderSettings {
  /** Pause between status polls. */
  pollIntervalMs?: number;
  /** Give up on a video still processing after this long; the failure is retryable. */
  pollTimeoutMs?: number;
  /** Waits between polls (default core's `timerSleep`); injected by tests. An abort during the wait is CANCELLED, whether the sleep resolves early or rejects. */
  sleep?: Sleep;
  /** Time source of the poll deadline (default `Date.now`). */
  now?: () => number;
}

/** A settings field that must be a function; `label` names it in the error message. */
export const functionSchema = <T>(label: string) =>
  z.custom<T>((value) => typeof value === 'function', { error: `must be a ${label} function` });

/** An http(s) URL. */
export const httpUrlSchema = z.url({ protocol: /^https?$/u, error: 'must be an http(s) URL' });

/** The zod fields of {@link ApiUploaderSettings} but `requestTimeoutMs` (see {@link pollingSettingsFields}). */
export const apiSettingsFields = {
  accessToken: functionSchema<AccessTokenSource>('token'),
  baseURL: httpUrlSchema.optional(),
  headers: z.record(z.string(), z.string()).optional(),
  fetch: functionSchema<typeof globalThis.fetch>('fetch').optional(),
};

/** The zod fields of the poll timing and of the request time limit, with the uploader's defaults. */
export function pollingSettingsFields(defaults: { pollIntervalMs: number; pollTimeoutMs: number }) {
  return {
    pollIntervalMs: z.number().int().positive().default(defaults.pollIntervalMs),
    pollTimeoutMs: z.number().int().positive().default(defaults.pollTimeoutMs),
    requestTimeoutMs: z.number().int().positive().default(300_000),
  };
}

/** The zod fields of the injected waits and time source. */
export const clockSettingsFields = {
  sleep: functionSchema<Sleep>('sleep').optional(),
  now: functionSchema<() => number>('clock').optional(),
};

/** Removes the trailing slashes of an API root, or uses the default root. */
export function apiRoot(baseURL: string | undefined, defaultBaseURL: string): string {
  return (baseURL ?? defaultBaseURL).replace(/\/+$/u, '');
}
