import { isVBucketsError, type VBucketsErrorCode } from '@vbuckets/core';

/** Exit codes of the command: 0 success, 1 a failure, 2 bad input (usage, validation, conflict), 130 interrupted. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** 128 + SIGINT, what shells report for a command stopped with Ctrl-C. */
export const EXIT_INTERRUPTED = 130;

/** Codes the user can fix by changing what they typed, so scripts can tell them from outages. */
const BAD_INPUT_CODES: ReadonlySet<VBucketsErrorCode> = new Set(['VALIDATION', 'CONFLICT']);

export interface FailureReport {
  /** One line, newline-terminated, for stderr. */
  line: string;
  exitCode: number;
}

/** `error: [CODE] message` on a single line, whatever the message holds. */
export function errorLine(code: string, message: string): string {
  return `error: [${code}] ${oneLine(message)}\n`;
}

/** Turns anything an action threw into the one-line report and the exit code. */
export function reportFailure(error: unknown): FailureReport {
  if (isVBucketsError(error)) {
    return {
      line: errorLine(error.code, error.message),
      exitCode:
        error.code === 'CANCELLED'
          ? EXIT_INTERRUPTED
          : BAD_INPUT_CODES.has(error.code)
            ? EXIT_USAGE
            : EXIT_FAILURE,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { line: errorLine('INTERNAL', message), exitCode: EXIT_FAILURE };
}

/** Commander's own messages start with `error: ` and may carry a suggestion on a second line. */
export function usageLine(commanderText: string, helpHint: string): string {
  const message = commanderText.trim().replace(/^error:\s*/iu, '');
  return errorLine('USAGE', `${message} (see '${helpHint}')`);
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/gu, ' ').trim();
}

/** Unwraps a core result: the value, or the VBucketsError thrown for `runCli` to report. */
export async function unwrap<Settled extends { isErr(): boolean }>(
  result: PromiseLike<Settled>,
): Promise<OkValue<Settled>> {
  // Typed structurally (neverthrow's Ok has `value`, Err has `error`) so this package needs no neverthrow.
  const settled: unknown = await result;
  if ((settled as Settled).isErr()) throw (settled as { error: unknown }).error;
  return (settled as { value: OkValue<Settled> }).value;
}

/** The success type of a neverthrow Result union. */
export type OkValue<Settled> = Settled extends { value: infer Value } ? Value : never;
