/** A stream the command writes to; terminals also say so and how wide they are. */
export interface CliOutput {
  write(text: string): unknown;
  /** True on a terminal: progress redraws one line instead of printing one per step. */
  isTTY?: boolean;
  /** Terminal width, for tables and the progress line (80 when unknown). */
  columns?: number;
}

/** Where the command reads and writes; `runCli` never touches `process` itself. */
export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  /** Environment variables (`VBUCKETS_DATA_DIR`, `VBUCKETS_ORG`, `VBUCKETS_PRODUCT`, `GEMINI_API_KEY`). */
  env: Readonly<Record<string, string | undefined>>;
  /** Relative paths (data dir, import files) are resolved against this directory. */
  cwd: string;
  /** Read by `buckets import -`; absent means there is no standard input to read. */
  stdin?: AsyncIterable<string | Uint8Array>;
  /**
   * Aborts when the user interrupts (Ctrl-C): long commands (categorize, resume, retry, export,
   * demo) stop cleanly and exit 130. Read lazily, so a host may install its handler on first use.
   */
  readonly signal?: AbortSignal;
}

/** The width to fit output into: the terminal's, else 80. */
export function widthOf(output: CliOutput): number {
  const columns = output.columns;
  return output.isTTY === true && columns !== undefined && columns >= 40 ? columns : 80;
}

export function printLine(io: CliIo, text = ''): void {
  io.stdout.write(`${text}\n`);
}

/** JSON output is pretty-printed with a trailing newline so it pipes and diffs cleanly. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * How a user of this repository runs the command (the root package's `vbuckets` script; `-s`
 * keeps pnpm's banner out of redirected output such as `--csv > results.csv`). Hints print it,
 * since nothing puts `vbuckets` itself on the PATH.
 */
export const CLI_COMMAND = 'pnpm -s vbuckets';
