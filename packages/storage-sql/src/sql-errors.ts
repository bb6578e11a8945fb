import { isVBucketsError, VBucketsError } from '@vbuckets/core';
import type {
  SqlDialectName,
  SqlErrorClassification,
  SqlErrorContext,
} from './sql-dialect-adapter';

/**
 * Builds the VBucketsError for a classified driver error. The driver's message is kept only
 * in `cause`: it may quote SQL, which a caller must never see.
 */
export function toSqlVBucketsError(
  dialect: SqlDialectName,
  error: unknown,
  classification: SqlErrorClassification,
  context: SqlErrorContext,
): VBucketsError {
  if (isVBucketsError(error)) return error;
  const { kind, driverCode } = classification;
  const prefix = `[${dialect}] ${context.operation}`;
  const details = {
    operation: context.operation,
    ...(driverCode === undefined ? {} : { driverCode }),
  };
  switch (kind) {
    case 'unique-violation':
      return new VBucketsError(
        'CONFLICT',
        `${prefix}: ${context.conflictMessage ?? 'a row with the same key already exists'}`,
        { cause: error, details },
      );
    case 'foreign-key-violation': {
      const foreignKey = context.foreignKey ?? {
        code: 'NOT_FOUND' as const,
        message: 'a row it refers to does not exist',
      };
      return new VBucketsError(foreignKey.code, `${prefix}: ${foreignKey.message}`, {
        cause: error,
        details,
      });
    }
    case 'unsupported-text':
      return new VBucketsError(
        'VALIDATION',
        `${prefix}: a text or JSON value holds a character the database cannot store (NUL, \\u0000)`,
        { cause: error, details },
      );
    case 'busy':
      return new VBucketsError(
        'STORAGE',
        `${prefix}: the database stayed locked by another connection; try again`,
        { cause: error, retryable: true, details },
      );
    case 'connection':
      return new VBucketsError(
        'STORAGE',
        `${prefix}: the database connection failed${driverCode === undefined ? '' : ` (${driverCode})`}`,
        { cause: error, retryable: true, details },
      );
    case 'closed':
      return new VBucketsError('STORAGE', `${prefix}: the database is closed`, {
        cause: error,
        details,
      });
    default:
      return new VBucketsError(
        'STORAGE',
        `${prefix} failed${driverCode === undefined ? '' : ` (${driverCode})`}`,
        { cause: error, details },
      );
  }
}

export interface RetryWhileBusyOptions {
  /** True for errors worth another attempt. */
  readonly isBusy: (error: unknown) => boolean;
  /** Total time to keep trying, in milliseconds; 0 tries once. */
  readonly timeoutMs: number;
}

const FIRST_DELAY_MS = 1;
const MAX_DELAY_MS = 50;

/**
 * Retries with jittered exponential backoff. Waiting here, on a timer, rather than inside the
 * driver keeps the event loop free, so a lock held by another connection of the same process
 * can be released while we wait.
 */
export async function retryWhileBusy<T>(
  operation: () => Promise<T>,
  options: RetryWhileBusyOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let delay = FIRST_DELAY_MS;
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      if (!options.isBusy(error) || Date.now() >= deadline) throw error;
      const wait = Math.min(delay * (0.5 + Math.random()), Math.max(0, deadline - Date.now()));
      await new Promise((resolve) => setTimeout(resolve, wait));
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
  }
}

/** The driver's error code, when it has a string one. */
export function driverErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
