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
  /** The fake and method, e.g. `fake-video-analyzer.analyze`: named in messages, split into `adapter` and `operation`. */
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
  // `fake-media-probe.probe` names the fake (the adapter) and the method (the operation).
  const dot = settings.label.lastIndexOf('.');
  const source =
    dot === -1
      ? { adapter: settings.label }
      : { adapter: settings.label.slice(0, dot), operation: settings.label.slice(dot + 1) };

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
        toVBucketsError(
          error,
          settings.errorCode,
          `The scripted answer of ${settings.label} threw`,
          source,
        ),
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
        return errAsync(
          cancelledError(`${settings.label} was called with an already aborted signal`, source),
        );
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
            `Call ${callCount} of ${settings.label} found no scripted answer: queue one or set a fallback`,
            { details: { reason: 'no-scripted-answer', call: callCount }, ...source },
          ),
        );
      }
      return new ResultAsync(resolve(answer, call));
    },
  };
}
