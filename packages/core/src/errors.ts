import type { ZodError } from 'zod';

/** Every failure the SDK reports, discriminated by `code`. */
export type VBucketsErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'DUPLICATE_UPLOAD'
  | 'RATE_LIMITED'
  | 'PROVIDER'
  | 'STORAGE'
  | 'MEDIA'
  | 'CANCELLED';

const BRAND = Symbol.for('vbuckets.error');

/** Codes that are worth retrying unless the caller says otherwise. */
const RETRYABLE_BY_DEFAULT: ReadonlySet<VBucketsErrorCode> = new Set(['RATE_LIMITED']);

export interface VBucketsErrorOptions {
  /** Whether repeating the same call may succeed. Defaults by code (only RATE_LIMITED is). */
  retryable?: boolean;
  /** The underlying error, kept for debugging. */
  cause?: unknown;
  /** For VALIDATION: the path of the offending field, e.g. `painPoints.2`. */
  path?: string;
  /** For RATE_LIMITED: how long the caller should wait, in milliseconds. */
  retryAfterMs?: number;
  /** Extra machine-readable facts (ids, platform, …). */
  details?: Record<string, unknown>;
  /** The adapter that failed (`sqlite`, `postgres`, `memory`, `fs`, `gemini`, …), for logs; never in the message. */
  adapter?: string;
  /** The adapter operation that failed (`videos.get`, `buckets.insert`, …), for logs; never in the message. */
  operation?: string;
}

/**
 * The one error family of the SDK. Public functions return it inside a Result; it is only
 * thrown inside adapters and turned into a value at their boundary.
 */
export class VBucketsError extends Error {
  readonly [BRAND] = true;
  readonly code: VBucketsErrorCode;
  readonly retryable: boolean;
  readonly path: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly adapter: string | undefined;
  readonly operation: string | undefined;

  constructor(code: VBucketsErrorCode, message: string, options: VBucketsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VBucketsError';
    this.code = code;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
    this.path = options.path;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
    this.adapter = options.adapter;
    this.operation = options.operation;
  }

  /** A plain object for logs and JSON output (no stack, no cause chain). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.path === undefined ? {} : { path: this.path }),
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
      ...(this.adapter === undefined ? {} : { adapter: this.adapter }),
      ...(this.operation === undefined ? {} : { operation: this.operation }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/** True for a VBucketsError from any copy of this package (checks a `Symbol.for` brand). */
export function isVBucketsError(value: unknown): value is VBucketsError {
  return (
    typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true
  );
}

export function vbucketsError(
  code: VBucketsErrorCode,
  message: string,
  options?: VBucketsErrorOptions,
): VBucketsError {
  return new VBucketsError(code, message, options);
}

export const validationError = (message: string, options?: VBucketsErrorOptions) =>
  new VBucketsError('VALIDATION', message, options);
export const notFoundError = (message: string, options?: VBucketsErrorOptions) =>
  new VBucketsError('NOT_FOUND', message, options);
export const conflictError = (message: string, options?: VBucketsErrorOptions) =>
  new VBucketsError('CONFLICT', message, options);
export const storageError = (message: string, options?: VBucketsErrorOptions) =>
  new VBucketsError('STORAGE', message, options);
export const cancelledError = (
  message = 'The operation was cancelled',
  options?: VBucketsErrorOptions,
) => new VBucketsError('CANCELLED', message, options);

/** Turns a zod failure into a VALIDATION error whose message and `path` name the first bad field. */
export function fromZodError(error: ZodError, subject: string): VBucketsError {
  const issue = error.issues[0];
  const path = issue ? issue.path.map(String).join('.') : '';
  const where = path === '' ? subject : `${subject}.${path}`;
  return new VBucketsError('VALIDATION', `Invalid ${where}: ${issue?.message ?? 'invalid input'}`, {
    cause: error,
    path,
    details: {
      issues: error.issues.map((each) => ({
        path: each.path.map(String).join('.'),
        message: each.message,
      })),
    },
  });
}

/** Which adapter and operation an error came from (see {@link withErrorSource}). */
export interface ErrorSource {
  adapter: string;
  operation: string;
}

/**
 * The error with `adapter` and `operation` filled in where it has none, so logs can say what
 * failed while the message stays a sentence for people. Fields already set are kept: the
 * innermost adapter knows best (a blob store error read by an uploader still names the blob
 * store). Returns `error` itself when nothing is missing; otherwise a copy with the same stack.
 */
export function withErrorSource(error: VBucketsError, source: ErrorSource): VBucketsError {
  if (error.adapter !== undefined && error.operation !== undefined) return error;
  const copy = new VBucketsError(error.code, error.message, {
    retryable: error.retryable,
    cause: error.cause,
    ...(error.path === undefined ? {} : { path: error.path }),
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    ...(error.details === undefined ? {} : { details: error.details }),
    adapter: error.adapter ?? source.adapter,
    operation: error.operation ?? source.operation,
  });
  if (error.stack !== undefined) copy.stack = error.stack;
  return copy;
}

/**
 * Marks a VALIDATION error as the refusal of a factory's settings (`details.settings: true`).
 * Factories never throw: an object built from invalid settings answers every call with this
 * error, so a host can tell "fix the configuration" from "fix this input" (`isSettingsError`).
 */
export function settingsError(error: VBucketsError): VBucketsError {
  const marked = new VBucketsError(error.code, error.message, {
    retryable: error.retryable,
    cause: error.cause,
    ...(error.path === undefined ? {} : { path: error.path }),
    details: { ...error.details, settings: true },
    ...(error.adapter === undefined ? {} : { adapter: error.adapter }),
    ...(error.operation === undefined ? {} : { operation: error.operation }),
  });
  if (error.stack !== undefined) marked.stack = error.stack;
  return marked;
}

/** True for the error an object built from invalid settings answers (see {@link settingsError}). */
export function isSettingsError(value: unknown): value is VBucketsError {
  return isVBucketsError(value) && value.details?.settings === true;
}

/**
 * Wraps anything caught at a boundary: a VBucketsError passes through, anything else becomes
 * the given code with the original as `cause`.
 */
export function toVBucketsError(
  error: unknown,
  code: VBucketsErrorCode,
  message: string,
  options: Omit<VBucketsErrorOptions, 'cause'> = {},
): VBucketsError {
  if (isVBucketsError(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new VBucketsError(code, `${message}: ${detail}`, { ...options, cause: error });
}
