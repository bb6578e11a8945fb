import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, inject } from 'vitest';
import { runCli } from '../src/index';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  stdin?: string;
  /** Aborts the command as Ctrl-C does. */
  signal?: AbortSignal;
  /** Pretend stdout is a terminal this wide. */
  stdoutColumns?: number;
  /** Pretend stderr is a terminal this wide. */
  stderrColumns?: number;
  /** Sees stderr as it is written (to react to progress, say). */
  onStderr?: (text: string) => void;
}

const created: string[] = [];

afterEach(async () => {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh, empty temp directory removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vbuckets-cli-'));
  created.push(dir);
  return dir;
}

/** Runs the CLI in-process with captured output. */
export async function run(argv: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: {
      write: (text: string) => (stdout += text),
      ...(options.stdoutColumns === undefined
        ? {}
        : { isTTY: true, columns: options.stdoutColumns }),
    },
    stderr: {
      write: (text: string) => {
        stderr += text;
        options.onStderr?.(text);
      },
      ...(options.stderrColumns === undefined
        ? {}
        : { isTTY: true, columns: options.stderrColumns }),
    },
    env: options.env ?? {},
    cwd: options.cwd ?? tmpdir(),
    ...(options.stdin === undefined ? {} : { stdin: toAsyncIterable(options.stdin) }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return { code, stdout, stderr };
}

/** A runner bound to a fresh data dir (passed as `--data-dir`). */
export async function cliWithDataDir() {
  const dataDir = await tempDir();
  const cli = (argv: readonly string[], options: RunOptions = {}) =>
    run(['--data-dir', dataDir, ...argv], { cwd: dataDir, ...options });
  /** Runs with `--json` and parses stdout; fails the test on a non-zero exit. */
  const json = async <T = unknown>(
    argv: readonly string[],
    options: RunOptions = {},
  ): Promise<T> => {
    const result = await cli([...argv, '--json'], options);
    if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  };
  return { dataDir, cli, json };
}

/** Exactly one line on stderr. */
export function stderrLines(result: CliRun): string[] {
  return result.stderr.split('\n').filter((line) => line.length > 0);
}

async function* toAsyncIterable(text: string): AsyncGenerator<string> {
  yield text;
}

/** `text` as a literal inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A PostgreSQL schema of its own for the tests of one `describe` (or file), dropped after them;
 * `args` are the global flags that put the CLI on it. Call it where `afterAll` may be called.
 */
export function temporaryPostgresSchema(label: string) {
  const url = inject('postgresUrl');
  const schema = `${inject('postgresSchemaPrefix')}_cli_${label}_${randomBytes(3).toString('hex')}`;
  afterAll(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`drop schema if exists ${schema} cascade`);
    } finally {
      await client.end();
    }
  });
  return { url, schema, args: ['--database-url', url, '--database-schema', schema] };
}
