import { ApiError } from '@google/genai';
import { VBucketsError } from '@vbuckets/core';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_AFTER_MS,
  geminiHttpError,
  googleErrorInfo,
  parseDurationMs,
  parseRetryAfterHeader,
  toGeminiError,
} from '../src/gemini-error';

const rateLimitBody = (retryDelay?: string) => ({
  error: {
    code: 429,
    message: 'You exceeded your current quota.',
    status: 'RESOURCE_EXHAUSTED',
    details: [
      { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [] },
      ...(retryDelay === undefined
        ? []
        : [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay }]),
    ],
  },
});

describe('parseDurationMs', () => {
  it.each([
    ['12s', 12_000],
    ['1.5s', 1500],
    ['0.250s', 250],
    ['43.123456s', 43_123],
    [{ seconds: '2', nanos: 500_000_000 }, 2500],
  ])('reads %j', (value, expected) => {
    expect(parseDurationMs(value)).toBe(expected);
  });

  it.each(['12', '1m', '', 'abc', null])('refuses %j', (value) => {
    expect(parseDurationMs(value)).toBeUndefined();
  });
});

describe('parseRetryAfterHeader', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfterHeader('30')).toBe(30_000);
    const now = Date.UTC(2026, 0, 1, 0, 0, 0);
    expect(parseRetryAfterHeader('Thu, 01 Jan 2026 00:00:20 GMT', now)).toBe(20_000);
    expect(parseRetryAfterHeader('soon')).toBeUndefined();
    expect(parseRetryAfterHeader(null)).toBeUndefined();
  });
});

describe('googleErrorInfo', () => {
  it('unwraps the SDK wrapping a non-JSON body whose text is a JSON error list', () => {
    const inner = JSON.stringify([rateLimitBody('9s')]);
    const sdkMessage = JSON.stringify({
      error: { message: inner, code: 429, status: 'Too Many Requests' },
    });
    expect(googleErrorInfo(sdkMessage)).toMatchObject({
      code: 429,
      status: 'RESOURCE_EXHAUSTED',
      details: expect.arrayContaining([expect.objectContaining({ retryDelay: '9s' })]),
    });
  });

  it('gives undefined for text that is not a Google error', () => {
    expect(googleErrorInfo('<html>Bad Gateway</html>')).toBeUndefined();
    expect(googleErrorInfo({ message: 'no error key' })).toBeUndefined();
  });
});

describe('geminiHttpError', () => {
  it.each([
    [
      400,
      {
        error: {
          code: 400,
          message: 'API key not valid. Please pass a valid API key.',
          status: 'INVALID_ARGUMENT',
          details: [
            { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' },
          ],
        },
      },
      'UNAUTHENTICATED',
      false,
    ],
    [
      401,
      {
        error: {
          code: 401,
          message: 'Request had invalid authentication credentials.',
          status: 'UNAUTHENTICATED',
        },
      },
      'UNAUTHENTICATED',
      false,
    ],
    [
      403,
      {
        error: {
          code: 403,
          message: "Method doesn't allow unregistered callers",
          status: 'PERMISSION_DENIED',
        },
      },
      'UNAUTHENTICATED',
      false,
    ],
    [
      400,
      {
        error: {
          code: 400,
          message: 'Request contains an invalid argument.',
          status: 'INVALID_ARGUMENT',
        },
      },
      'PROVIDER',
      false,
    ],
    [
      404,
      { error: { code: 404, message: 'models/nope is not found', status: 'NOT_FOUND' } },
      'PROVIDER',
      false,
    ],
    [408, 'Request Timeout', 'PROVIDER', true],
    [429, rateLimitBody('7s'), 'RATE_LIMITED', true],
    [
      500,
      { error: { code: 500, message: 'Internal error', status: 'INTERNAL' } },
      'PROVIDER',
      true,
    ],
    [502, '<html>Bad Gateway</html>', 'PROVIDER', true],
    [
      503,
      { error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } },
      'PROVIDER',
      true,
    ],
  ] as const)('maps HTTP %i to its code', (httpStatus, body, code, retryable) => {
    const error = geminiHttpError({ httpStatus, body }, 'Doing it');
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.message).toMatch(
      new RegExp(`^Doing it failed \\(Gemini answered HTTP ${httpStatus}`),
    );
    expect(error.details).toMatchObject({ httpStatus });
  });

  it('prefers RetryInfo over Retry-After, which beats the default', () => {
    expect(
      geminiHttpError({ httpStatus: 429, body: rateLimitBody('7s'), retryAfter: '30' }, 'x')
        .retryAfterMs,
    ).toBe(7000);
    expect(
      geminiHttpError({ httpStatus: 429, body: rateLimitBody(), retryAfter: '30' }, 'x')
        .retryAfterMs,
    ).toBe(30_000);
    expect(geminiHttpError({ httpStatus: 429, body: rateLimitBody() }, 'x').retryAfterMs).toBe(
      DEFAULT_RETRY_AFTER_MS,
    );
  });
});

describe('toGeminiError', () => {
  it('reads the SDK ApiError, whose message is the JSON body', () => {
    const cause = new ApiError({ status: 429, message: JSON.stringify(rateLimitBody('12s')) });
    const error = toGeminiError(cause, 'Analysing "a.mp4"');
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 12_000 });
    expect(error.cause).toBe(cause);
  });

  it('makes a reset, a refused connection and a fetch failure retryable', () => {
    const reset = new TypeError('fetch failed', {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    for (const cause of [reset, refused, new TypeError('fetch failed')]) {
      const error = toGeminiError(cause, 'Uploading');
      expect(error.code).toBe('PROVIDER');
      expect(error.retryable).toBe(true);
    }
  });

  it("makes a timeout retryable, but the caller's abort CANCELLED", () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(toGeminiError(timeout, 'x')).toMatchObject({ code: 'PROVIDER', retryable: true });
    const controller = new AbortController();
    controller.abort();
    const abort = new DOMException('This operation was aborted', 'AbortError');
    expect(toGeminiError(abort, 'x', controller.signal).code).toBe('CANCELLED');
    expect(toGeminiError(abort, 'x').code).toBe('PROVIDER');
  });

  it('passes a VBucketsError through and makes anything else a final PROVIDER error', () => {
    const own = new VBucketsError('VALIDATION', 'bad');
    expect(toGeminiError(own, 'x')).toBe(own);
    expect(toGeminiError(new Error('odd'), 'x')).toMatchObject({
      code: 'PROVIDER',
      retryable: false,
      message: 'x failed: odd',
    });
  });
});
