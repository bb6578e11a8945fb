import { isVBucketsError, VBucketsError } from '@vbuckets/core';
import { transientNetworkCode } from '@vbuckets/core/adapter-kit';

/** Used when a rate limit (429, a `rateLimitExceeded` reason…) says nothing about when to come back. */
export const DEFAULT_RATE_LIMIT_RETRY_MS = 60_000;

/**
 * Used when a daily quota is spent (`quotaExceeded`) and the server gives no Retry-After.
 * YouTube resets quotas at midnight Pacific time; an hour is a documented, conservative wait
 * that keeps a scheduler polling without hammering the API.
 */
export const DEFAULT_QUOTA_RETRY_MS = 3_600_000;

/** Response headers as fetch gives them, or as a plain object (node:http style). */
export type HeadersLike =
  | Headers
  | Record<string, string | string[] | number | undefined>
  | null
  | undefined;

/** What is known of a failed HTTP answer from a platform. */
export interface HttpFailure {
  /** The platform name, named in the message and kept in `details.platform`. */
  platform: string;
  /** The HTTP status code. */
  status: number;
  /** The response headers (Retry-After is read from them). */
  headers?: HeadersLike;
  /** The response body: text or parsed JSON. */
  body?: unknown;
  /** What was being done, e.g. `upload chunk`; defaults to `upload`. */
  action?: string;
  /** Forces the rate-limit reading of a status that is not 429 (e.g. a platform's own error code). */
  rateLimited?: boolean;
  /** Overrides the computed wait of a rate limit. */
  retryAfterMs?: number;
  /** The underlying error, kept for debugging. */
  cause?: unknown;
}

/** Reasons (Google `errors[].reason`, Meta/TikTok `error.code` strings) that mean "slow down". */
const RATE_LIMIT_REASONS: ReadonlySet<string> = new Set([
  'ratelimitexceeded',
  'userratelimitexceeded',
  'rate_limit_exceeded',
  'spam_risk_too_many_posts',
  'toomanyrequests',
]);
/** Reasons that mean a daily quota is spent: wait longer. */
const QUOTA_REASONS: ReadonlySet<string> = new Set(['quotaexceeded', 'dailylimitexceeded']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One header of a `HeadersLike`, case-insensitively, or undefined. */
export function headerValue(headers: HeadersLike, name: string): string | undefined {
  if (headers === null || headers === undefined) return undefined;
  if (typeof (headers as Headers).get === 'function') {
    return (headers as Headers).get(name) ?? undefined;
  }
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return Array.isArray(value) ? value.join(', ') : String(value);
  }
  return undefined;
}

/** The Retry-After header (delta seconds or an HTTP date) in milliseconds, or undefined. */
export function parseRetryAfter(headers: HeadersLike, now = Date.now()): number | undefined {
  const value = headerValue(headers, 'retry-after');
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/u.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The platform's own message and reason, read from the usual JSON error shapes. */
export interface PlatformErrorInfo {
  message?: string;
  reason?: string;
}

/**
 * Reads `{ error: { message, errors: [{ reason }] } }` (Google), `{ error: { message, code,
 * type } }` (Meta, TikTok), `{ message }`, `{ error_description }` or a text body.
 */
export function platformErrorInfo(body: unknown): PlatformErrorInfo {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      const text = body.trim();
      return text === '' ? {} : { message: text.slice(0, 300) };
    }
  }
  if (!isRecord(value)) return {};
  const error = isRecord(value.error) ? value.error : value;
  const info: PlatformErrorInfo = {};
  for (const key of ['message', 'error_description', 'error_user_msg']) {
    const candidate = error[key] ?? value[key];
    if (typeof candidate === 'string' && candidate !== '') {
      info.message = candidate;
      break;
    }
  }
  if (info.message === undefined && typeof value.error === 'string') info.message = value.error;
  const first = Array.isArray(error.errors) ? error.errors.find(isRecord) : undefined;
  const reason = first?.reason ?? (typeof error.code === 'string' ? error.code : undefined);
  if (typeof reason === 'string') info.reason = reason;
  return info;
}

/**
 * Maps a failed HTTP answer of a platform: 401 is UNAUTHENTICATED (the host must refresh the
 * token); 429, or a rate/quota reason in the body (YouTube answers 403 `quotaExceeded`), is
 * RATE_LIMITED with Retry-After or a default (1 min, 1 h for a spent quota); 408 and 5xx are
 * retryable PROVIDER errors; any other 4xx is a final PROVIDER error carrying the platform's
 * message.
 */
export function mapHttpFailure(failure: HttpFailure): VBucketsError {
  const { platform, status } = failure;
  const info = platformErrorInfo(failure.body);
  const reason = info.reason?.toLowerCase();
  const suffix = info.message === undefined ? '' : `: ${info.message}`;
  const details = {
    platform,
    httpStatus: status,
    ...(info.reason === undefined ? {} : { reason: info.reason }),
    ...(info.message === undefined ? {} : { platformMessage: info.message }),
  };
  const options = { cause: failure.cause, details };
  if (status === 401) {
    return new VBucketsError(
      'UNAUTHENTICATED',
      `The ${platform} access token was refused (HTTP 401); re-authenticate${suffix}`,
      { ...options, retryable: false },
    );
  }
  const action = failure.action ?? 'upload';
  const message = `${sentenceStart(action)} on ${platform} failed (HTTP ${status})${suffix}`;
  const quota = reason !== undefined && QUOTA_REASONS.has(reason);
  if (
    failure.rateLimited === true ||
    status === 429 ||
    quota ||
    (reason !== undefined && RATE_LIMIT_REASONS.has(reason))
  ) {
    const retryAfterMs =
      failure.retryAfterMs ??
      parseRetryAfter(failure.headers) ??
      (quota ? DEFAULT_QUOTA_RETRY_MS : DEFAULT_RATE_LIMIT_RETRY_MS);
    return new VBucketsError('RATE_LIMITED', message, {
      ...options,
      retryable: true,
      retryAfterMs,
    });
  }
  return new VBucketsError('PROVIDER', message, {
    ...options,
    retryable: status === 408 || status >= 500,
  });
}

/**
 * Turns anything thrown while talking to a platform into a VBucketsError (one passes
 * through): the caller's abort is CANCELLED; timeouts, resets and other network failures are
 * retryable PROVIDER errors; anything else is a final PROVIDER error.
 */
export function mapNetworkFailure(
  platform: string,
  error: unknown,
  signal?: AbortSignal,
  action = 'upload',
): VBucketsError {
  if (isVBucketsError(error)) return error;
  if (signal?.aborted) {
    return new VBucketsError('CANCELLED', `${sentenceStart(action)} on ${platform} was cancelled`, {
      cause: error,
      details: { platform },
    });
  }
  const name = (error as { name?: unknown } | null | undefined)?.name;
  const detail = error instanceof Error ? error.message : String(error);
  const code = transientNetworkCode(error);
  const transient =
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    code !== undefined ||
    (error instanceof TypeError && /fetch failed|terminated|network|socket/iu.test(detail));
  return new VBucketsError(
    'PROVIDER',
    `${sentenceStart(action)} on ${platform} failed: ${detail}`,
    {
      cause: error,
      retryable: transient,
      details: { platform, ...(code === undefined ? {} : { networkCode: code }) },
    },
  );
}

/** `chunk upload` → `Chunk upload`, so an action opens a sentence. */
export function sentenceStart(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

/** A final PROVIDER error: the platform refused the request for good (e.g. an unknown session). */
export function isFinalProviderError(error: unknown): error is VBucketsError {
  return error instanceof VBucketsError && error.code === 'PROVIDER' && !error.retryable;
}
