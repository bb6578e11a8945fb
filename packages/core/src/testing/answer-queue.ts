import { err, errAsync, ok, type Result, ResultAsync } from 'neverthrow';
import {
  cancelledError,
  isVBucketsError,
  toVBucketsError,
  type VBucketsError,
  type VBucketsErrorCode,
  vbucketsError,
} from '../errors';

/**
 * One scripted answer of a fake: the value to return, a VBucketsError to fail with, or a
 * function of the call that gives either (to look at the input, call its callbacks, wait).
 */
export type ScriptedAnswer<TCall, T> =
  | T
  | VBucketsError
  | ((call: TCall) => T | VBucketsError | Promise<T | VBucketsError>);

/** Answers a fake's calls to one method from a first-in, first-out queue. */
export interface AnswerQueue<TCall, T> {
  /** Adds answers at the end of the queue. */
  push(...answers: ScriptedAnswer<TCall, T>[]): void;
  /** How many queued answers are left. */
  readonly remaining: number;
  /**
   * Takes the next answer, else uses the fallback, else fails with an error that names the
   * method. An already-aborted signal is `CANCELLED` and consumes nothing.
   */
  answer(call: TCall, signal?: AbortSignal): ResultAsync<T, VBucketsError>;
}

export interface AnswerQueueSettings<TCall, T> {
  /** Names the fake and method in messages, e.g. `fake-video-analyzer.analyze`. */
  label: string;
  /** The code of errors the fake makes itself (empty queue, a throwing script). */
  errorCode: VBucketsErrorCode;
  /** Used when the queue is empty (boxed, since `undefined` is a real answer for void methods). */
  fallback?: { answer: ScriptedAnswer<TCall, T> };
}

export function createAnswerQueue<TCall, T>(
  settings: AnswerQueueSettings<TCall, T>,
): AnswerQueue<TCall, T> {
  const queue: ScriptedAnswer<TCall, T>[] = [];
  let callCount = 0;

  async function resolve(
    answer: ScriptedAnswer<TCall, T>,
    call: TCall,
  ): Promise<Result<T, VBucketsError>> {
    try {
      const value =
        typeof answer === 'function'
          ? await (answer as (call: TCall) => T | VBucketsError | Promise<T | VBucketsError>)(call)
          : answer;
      return isVBucketsError(value) ? err(value) : ok(value as T);
    } catch (error) {
      return err(
        toVBucketsError(error, settings.errorCode, `[${settings.label}] The scripted answer threw`),
      );
    }
  }

  return {
    push(...answers) {
      queue.push(...answers);
    },
    get remaining() {
      return queue.length;
    },
    answer(call, signal) {
      callCount += 1;
      if (signal?.aborted) {
        return errAsync(cancelledError(`[${settings.label}] Called with an aborted signal`));
      }
      // Checked by length, not by value: `undefined` is a real answer for a method returning void.
      let answer: ScriptedAnswer<TCall, T>;
      if (queue.length > 0) {
        answer = queue.shift() as ScriptedAnswer<TCall, T>;
      } else if (settings.fallback !== undefined) {
        answer = settings.fallback.answer;
      } else {
        return errAsync(
          vbucketsError(
            settings.errorCode,
            `[${settings.label}] Call ${callCount} found no scripted answer: queue one or set a fallback`,
            { details: { reason: 'no-scripted-answer', call: callCount } },
          ),
        );
      }
      return new ResultAsync(resolve(answer, call));
    },
  };
}
