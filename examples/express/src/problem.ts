import {
  isVBucketsError,
  type VBucketsError,
  type VBucketsErrorCode,
  vbucketsError,
} from '@vbuckets/core';
import type { Response } from 'express';

/** The media type of every error response (RFC 9457). */
export const PROBLEM_TYPE = 'application/problem+json';

/** Where the problem types are described: the README's error table. */
const TYPE_BASE = 'https://github.com/vbuckets/vbuckets/blob/main/examples/express/README.md#';

/** An RFC 9457 problem document as this host writes it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  /** What went wrong, for people: the SDK's message. */
  detail: string;
  /** The SDK's error code (`VALIDATION`, `NOT_FOUND`, …). */
  code: VBucketsErrorCode;
  /** For validation: the offending field, e.g. `body.painPoints.2` or `query.limit`. */
  path?: string;
  /** Whether the same request may succeed later. */
  retryable: boolean;
  /** For RATE_LIMITED: seconds to wait (also in `Retry-After`). */
  retryAfterSec?: number;
}

const STATUS: Record<VBucketsErrorCode, { status: number; title: string }> = {
  VALIDATION: { status: 400, title: 'Invalid request' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  FORBIDDEN: { status: 403, title: 'Forbidden' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  CONFLICT: { status: 409, title: 'Conflict' },
  DUPLICATE_UPLOAD: { status: 409, title: 'Already uploaded' },
  MEDIA: { status: 422, title: 'Unusable media' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  PROVIDER: { status: 502, title: 'Provider failure' },
  STORAGE: { status: 503, title: 'Storage unavailable' },
  CANCELLED: { status: 503, title: 'Cancelled' },
};

/** The HTTP status of an SDK error code. */
export function statusOf(code: VBucketsErrorCode): number {
  return STATUS[code].status;
}

/**
 * The problem document of an error: the code, the message written for people and, for
 * validation, the field path. Adapter, operation, details, cause and stack stay in the logs.
 */
export function toProblem(error: VBucketsError, overrides: { status?: number } = {}): Problem {
  const { status, title } = STATUS[error.code];
  return {
    type: `${TYPE_BASE}${error.code.toLowerCase().replaceAll('_', '-')}`,
    title,
    status: overrides.status ?? status,
    detail: error.message,
    code: error.code,
    ...(error.path === undefined ? {} : { path: error.path }),
    retryable: error.retryable,
    ...(error.retryAfterMs === undefined
      ? {}
      : { retryAfterSec: Math.max(1, Math.ceil(error.retryAfterMs / 1000)) }),
  };
}

/** Anything thrown, as an SDK error: an unknown throw is an internal fault, described vaguely. */
export function asVBucketsError(thrown: unknown): VBucketsError {
  if (isVBucketsError(thrown)) return thrown;
  return vbucketsError('STORAGE', 'The server failed to answer this request', {
    cause: thrown,
    retryable: true,
  });
}

/** Writes the problem document of `error`, with `Retry-After` and `WWW-Authenticate` where due. */
export function sendProblem(
  response: Response,
  error: VBucketsError,
  overrides: { status?: number } = {},
): void {
  const problem = toProblem(error, overrides);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  if (problem.retryAfterSec !== undefined) {
    response.setHeader('Retry-After', String(problem.retryAfterSec));
  }
  if (problem.status === 401) {
    response.setHeader(
      'WWW-Authenticate',
      `Bearer realm="vbuckets", error="invalid_token", error_description="${problem.detail.replaceAll('"', "'")}"`,
    );
  }
  response.status(problem.status).type(PROBLEM_TYPE).send(JSON.stringify(problem));
}
