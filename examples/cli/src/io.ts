/** Where the command reads and writes; `runCli` never touches `process` itself. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Environment variables (`VBUCKETS_DATA_DIR`, `VBUCKETS_ORG`, `VBUCKETS_PRODUCT`). */
  env: Readonly<Record<string, string | undefined>>;
  /** Relative paths (data dir, import files) are resolved against this directory. */
  cwd: string;
  /** Read by `buckets import -`; absent means there is no standard input to read. */
  stdin?: AsyncIterable<string | Uint8Array>;
}

export function printLine(io: CliIo, text = ''): void {
  io.stdout.write(`${text}\n`);
}

/** JSON output is pretty-printed with a trailing newline so it pipes and diffs cleanly. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
