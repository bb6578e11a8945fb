import { isVBucketsError, VBucketsError } from '@vbuckets/core';
import { timerSleep } from '@vbuckets/core/adapter-kit';
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
  // The message is for people; which adapter and operation failed go in fields for logs.
  const where = { adapter: dialect, operation: context.operation };
  const details = {
    operation: context.operation,
    ...(driverCode === undefined ? {} : { driverCode }),
  };
  switch (kind) {
    case 'unique-violation':
      return new VBucketsError(
        'CONFLICT',
        sentence(context.conflictMessage ?? 'A row with the same key already exists'),
        { cause: error, details, ...where },
      );
    case 'foreign-key-violation': {
      const foreignKey = context.foreignKey ?? {
        code: 'NOT_FOUND' as const,
        message: 'A row it refers to does not exist',
      };
      return new VBucketsError(foreignKey.code, sentence(foreignKey.message), {
        cause: error,
        details,
        ...where,
      });
    }
    case 'unsupported-text':
      return new VBucketsError(
        'VALIDATION',
        'A text or JSON value holds a character the database cannot store (NUL, \\u0000)',
        { cause: error, details, ...where },
      );
    case 'busy':
      return new VBucketsError(
        'STORAGE',
        'The database stayed locked by another connection; try again',
        { cause: error, retryable: true, details, ...where },
      );
    case 'connection':
      return new VBucketsError(
        'STORAGE',
        `The database connection failed${driverCode === undefined ? '' : ` (${driverCode})`}`,
        { cause: error, retryable: true, details, ...where },
      );
    case 'closed':
      return new VBucketsError('STORAGE', 'The database is closed', {
        cause: error,
        details,
        ...where,
      });
    default:
      return new VBucketsError(
        'STORAGE',
        `The database refused the request${driverCode === undefined ? '' : ` (${driverCode})`}`,
        { cause: error, details, ...where },
      );
  }
}

/** Starts a message with a capital letter, so context strings read as sentences. */
function sentence(message: string): string {
  return message.length === 0 ? message : message[0]!.toUpperCase() + message.slice(1);
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
      await timerSleep(wait);
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
