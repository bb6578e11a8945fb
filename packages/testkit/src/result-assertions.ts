import { isVBucketsError, type VBucketsError, type VBucketsErrorCode } from '@vbuckets/core';
import { expect } from 'vitest';

/**
 * What a neverthrow `Result` looks like from outside. Spelled out so testkit needs no
 * neverthrow of its own: an Ok carries `value`, an Err carries `error`.
 */
export interface ResultLike<T> {
  isErr(): boolean;
  readonly value?: T;
  readonly error?: VBucketsError;
}

/**
 * A neverthrow `ResultAsync` or a promise of a Result. Not `PromiseLike`: ResultAsync's
 * `then` takes no `null` callbacks, so it is not one to the type checker.
 */
export interface ResultThenable<T> {
  then<A, B = never>(
    onFulfilled?: (result: ResultLike<T>) => A | PromiseLike<A>,
    onRejected?: (reason: unknown) => B | PromiseLike<B>,
  ): PromiseLike<A | B>;
}

function describeValue(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 300) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Awaits a result and returns its value; fails the test, naming the error, when it is an Err. */
export async function expectOk<T>(result: ResultThenable<T>): Promise<T> {
  const settled = await result;
  if (settled.isErr()) {
    const error = settled.error;
    throw new Error(
      `Expected Ok but got Err ${isVBucketsError(error) ? `${error.code}: ${error.message}` : describeValue(error)}`,
    );
  }
  return settled.value as T;
}

/** Awaits a result, checks it is an Err holding a VBucketsError with this `code`, and returns the error. */
export async function expectErrorCode<T>(
  result: ResultThenable<T>,
  code: VBucketsErrorCode,
): Promise<VBucketsError> {
  const settled = await result;
  if (!settled.isErr()) {
    throw new Error(`Expected Err ${code} but got Ok ${describeValue(settled.value)}`);
  }
  const error = settled.error;
  expect(isVBucketsError(error), `expected a VBucketsError, got ${describeValue(error)}`).toBe(
    true,
  );
  expect(error?.code).toBe(code);
  return error as VBucketsError;
}
