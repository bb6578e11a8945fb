import { randomBytes } from 'node:crypto';

/** An Anthropic API error body: `{ type: 'error', error: { type, message }, request_id }`. */
export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string; details?: Record<string, unknown> };
  request_id: string;
}

/** An HTTP status, the JSON body and the headers the fake answers an error with. */
export interface AnthropicErrorAnswer {
  httpStatus: number;
  body: AnthropicErrorBody;
  headers: Record<string, string>;
}

/** The `error.type` Anthropic documents for each status. */
const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

const DEFAULT_MESSAGES: Record<string, string> = {
  authentication_error: 'invalid x-api-key',
  rate_limit_error:
    'This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.',
  api_error: 'Internal server error',
  overloaded_error: 'Overloaded',
  timeout_error: 'Request timed out',
};

/** A request id in the shape the API gives (`req_` and 24 base62-ish characters). */
export function fakeRequestId(): string {
  return `req_${randomBytes(18).toString('base64url').slice(0, 24)}`;
}

/** An Anthropic error answer; the type defaults to the one documented for the status. */
export function anthropicError(
  httpStatus: number,
  options: {
    errorType?: string;
    message?: string;
    details?: Record<string, unknown>;
    headers?: Record<string, string>;
  } = {},
): AnthropicErrorAnswer {
  const errorType =
    options.errorType ??
    ERROR_TYPES[httpStatus] ??
    (httpStatus >= 500 ? 'api_error' : 'invalid_request_error');
  const requestId = fakeRequestId();
  return {
    httpStatus,
    body: {
      type: 'error',
      error: {
        type: errorType,
        message: options.message ?? DEFAULT_MESSAGES[errorType] ?? `HTTP ${httpStatus}`,
        ...(options.details === undefined ? {} : { details: options.details }),
      },
      request_id: requestId,
    },
    headers: { 'request-id': requestId, ...options.headers },
  };
}

/** A 400 `invalid_request_error` naming what is wrong with the request. */
export function invalidRequest(message: string): AnthropicErrorAnswer {
  return anthropicError(400, { message });
}

/** The 429 of a spent per-minute limit, with `retry-after` in seconds unless null. */
export function rateLimitError(retryAfter: string | null = '20'): AnthropicErrorAnswer {
  return anthropicError(429, {
    headers: {
      ...(retryAfter === null ? {} : { 'retry-after': retryAfter }),
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '0',
    },
  });
}

/** The 529 of an API overloaded for every customer (`retry-after` only when given). */
export function overloadedError(retryAfter: string | null = null): AnthropicErrorAnswer {
  return anthropicError(529, {
    headers: retryAfter === null ? {} : { 'retry-after': retryAfter },
  });
}
