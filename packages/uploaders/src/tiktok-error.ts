import type { VBucketsError } from '@vbuckets/core';
import { type ApiClientSettings, apiRequest } from './api-client';
import {
  DEFAULT_QUOTA_RETRY_MS,
  type HeadersLike,
  mapHttpFailure,
  platformErrorInfo,
} from './uploader-error';

/** TikTok `error.code` values that mean the token must be renewed (or the scope granted). */
const REAUTH_CODES: ReadonlySet<string> = new Set(['access_token_invalid', 'scope_not_authorized']);

/**
 * Maps a failed TikTok answer (`{ data, error: { code, message, log_id } }`): 401 or
 * `access_token_invalid`/`scope_not_authorized` → UNAUTHENTICATED; 429 `rate_limit_exceeded` →
 * RATE_LIMITED (Retry-After, else a minute); `spam_risk_too_many_posts` (the daily post cap) →
 * RATE_LIMITED for an hour; 5xx → retryable; any other 4xx (`invalid_params`,
 * `spam_risk_user_banned_from_posting`…) → final with TikTok's message.
 */
export function tiktokHttpError(
  status: number,
  body: unknown,
  headers: HeadersLike,
  action: string,
): VBucketsError {
  const reason = platformErrorInfo(body).reason;
  return mapHttpFailure({
    platform: 'tiktok',
    status: reason !== undefined && REAUTH_CODES.has(reason) ? 401 : status,
    headers,
    body,
    action,
    ...(reason === 'spam_risk_too_many_posts' ? { retryAfterMs: DEFAULT_QUOTA_RETRY_MS } : {}),
  });
}

/**
 * POSTs JSON to TikTok's API and returns `data`; a non-2xx answer or an `error.code` other than
 * `ok` is thrown mapped by {@link tiktokHttpError}, a network failure as such.
 */
export async function tiktokApiCall(
  client: ApiClientSettings,
  path: string,
  body: unknown,
  action: string,
  signal?: AbortSignal,
  query?: Record<string, string>,
): Promise<unknown> {
  const answer = await apiRequest(client, {
    method: 'POST',
    path,
    json: body,
    action,
    ...(query === undefined ? {} : { query }),
    ...(signal === undefined ? {} : { signal }),
  });
  const code = (answer.body as { error?: { code?: unknown } } | undefined)?.error?.code;
  if (!answer.ok || (code !== undefined && code !== 'ok')) {
    throw tiktokHttpError(answer.ok ? 400 : answer.status, answer.body, answer.headers, action);
  }
  return (answer.body as { data?: unknown } | undefined)?.data;
}
