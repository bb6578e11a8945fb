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
  /** One line, newline-terminated, for stderr (two with `debug`: see {@link reportFailure}). */
  line: string;
  exitCode: number;
}

/** `VBUCKETS_DEBUG=1` (or `true`, `yes`): errors get a second line for bug reports and logs. */
export function debugEnabled(env: Readonly<Record<string, string | undefined>>): boolean {
  return /^(1|true|yes)$/iu.test(env.VBUCKETS_DEBUG?.trim() ?? '');
}

/** `error: [CODE] message` on a single line, whatever the message holds. */
export function errorLine(code: string, message: string): string {
  return `error: [${code}] ${oneLine(message)}\n`;
}

/**
 * Turns anything an action threw into the one-line report and the exit code. With `debug`, a
 * second line says what failed where, for logs and bug reports, while the first stays the
 * sentence for people: `debug: code=STORAGE adapter=fs operation=blobs.put retryable=false`.
 */
export function reportFailure(error: unknown, options: { debug?: boolean } = {}): FailureReport {
  const debug = options.debug === true ? debugLine(error) : '';
  if (isVBucketsError(error)) {
    return {
      line: errorLine(error.code, error.message) + debug,
      exitCode:
        error.code === 'CANCELLED'
          ? EXIT_INTERRUPTED
          : BAD_INPUT_CODES.has(error.code)
            ? EXIT_USAGE
            : EXIT_FAILURE,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { line: errorLine('INTERNAL', message) + debug, exitCode: EXIT_FAILURE };
}

/** `debug: code=… adapter=… operation=… path=… retryable=…`, the fields an error has. */
function debugLine(error: unknown): string {
  if (!isVBucketsError(error)) {
    const name = error instanceof Error ? error.name : typeof error;
    return `debug: code=INTERNAL name=${oneLine(name)}\n`;
  }
  const fields: Array<[string, string | undefined]> = [
    ['code', error.code],
    ['adapter', error.adapter],
    ['operation', error.operation],
    ['path', error.path === '' ? undefined : error.path],
    ['retryable', String(error.retryable)],
  ];
  const shown = fields
    .filter((field): field is [string, string] => field[1] !== undefined)
    .map(([name, value]) => `${name}=${/\s/u.test(value) ? JSON.stringify(value) : value}`);
  return `debug: ${oneLine(shown.join(' '))}\n`;
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
