import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestMtime } from '@vbuckets/testkit';

export const packageDir = fileURLToPath(new URL('..', import.meta.url));
export const repositoryRoot = join(packageDir, '..', '..');
/** The bundled command, as `pnpm demo` and users run it. */
export const bin = join(packageDir, 'dist', 'bin.js');

/** The workspace packages the bundle imports (from their dist). */
const DEPENDENCIES = [
  'anthropic',
  'core',
  'fs',
  'gemini',
  'media',
  'queue-bullmq',
  'r2',
  'storage-sql',
  'storage-sqlite',
  'storage-postgres',
  'uploaders',
];
const LOCK = join(tmpdir(), 'vbuckets-example-cli-build.lock');
const LOCK_STALE_MS = 5 * 60_000;

function isStale(): boolean {
  if (!existsSync(bin)) return true;
  const built = statSync(bin).mtimeMs;
  const sources = Math.max(
    newestMtime(join(packageDir, 'src')),
    newestMtime(join(packageDir, 'samples')),
  );
  if (built < sources) return true;
  return DEPENDENCIES.some((name) => {
    const packageRoot = join(repositoryRoot, 'packages', name);
    const entry = join(packageRoot, 'dist', 'index.js');
    return !existsSync(entry) || statSync(entry).mtimeMs < newestMtime(join(packageRoot, 'src'));
  });
}

function sleep(milliseconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}

/**
 * Builds the CLI and the packages it imports when dist is missing or older than the sources
 * (turbo, so unchanged packages come from its cache). Test files run in parallel, so one
 * build at a time: the others wait on a lock directory and then find dist fresh.
 */
export function ensureBuiltCli(): void {
  if (!isStale()) return;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      const age = Date.now() - (existsSync(LOCK) ? statSync(LOCK).mtimeMs : Date.now());
      if (age > LOCK_STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      else sleep(250);
    }
  }
  try {
    if (!isStale()) return;
    try {
      execFileSync(
        'pnpm',
        [
          'turbo',
          'run',
          'build',
          '--filter',
          '@vbuckets/example-cli...',
          '--output-logs=errors-only',
        ],
        { cwd: repositoryRoot, stdio: 'pipe', encoding: 'utf8' },
      );
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`Building the CLI failed:\n${`${stdout ?? ''}${stderr ?? ''}`.slice(-4000)}`);
    }
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

export interface BuiltCliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built command in a child process, as a user does. The child gets only `PATH` and
 * `HOME` from this process (so no API key of the machine leaks in) plus `env`.
 */
export async function runBuiltCli(
  argv: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<BuiltCliRun> {
  const { code, stdout, stderr } = await startBuiltCli(argv, options).exited;
  return { code: code ?? -1, stdout, stderr };
}

/** How a child process of the built command ended, and what it printed. */
export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** Everything on stderr, as written. */
  stderr: string;
  stderrLines: string[];
}

/** A running child process of the built command (a `worker`, a batch to kill mid-way). */
export interface CliProcess {
  readonly child: ChildProcess;
  /** Its stderr lines so far. */
  readonly stderrLines: readonly string[];
  /**
   * The first stderr line (printed so far or later) that matches; rejects naming `what` with
   * the output when the process ends first, or after `timeoutMs` (a hang, not a slow machine).
   */
  waitForLine(
    match: RegExp | ((line: string) => boolean),
    what: string,
    timeoutMs?: number,
  ): Promise<string>;
  /** Sends a signal unless the process has ended. */
  kill(signal: NodeJS.Signals): void;
  /** Settles when the process has ended, however it ended. */
  readonly exited: Promise<ChildRun>;
  /** Everything it printed, for failure messages. */
  output(): string;
}

/**
 * Starts the built command in a child process, as a user or a service manager does. The child
 * gets only `PATH` and `HOME` from this process plus `env`; `onLine` sees each stderr line as
 * it arrives (and may send a signal: SIGKILL for a crash, SIGINT for Ctrl-C).
 */
export function startBuiltCli(
  argv: readonly string[],
  options: {
    cwd: string;
    env?: Record<string, string>;
    onLine?: (line: string, kill: (signal: NodeJS.Signals) => void) => void;
  },
): CliProcess {
  const child = spawn(process.execPath, [bin, ...argv], {
    cwd: options.cwd,
    env: {
      ...(process.env.PATH === undefined ? {} : { PATH: process.env.PATH }),
      ...(process.env.HOME === undefined ? {} : { HOME: process.env.HOME }),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let pending = '';
  const stderrLines: string[] = [];
  const watchers = new Set<(line: string) => void>();
  const kill = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const take = (line: string) => {
    stderrLines.push(line);
    for (const watcher of watchers) watcher(line);
    options.onLine?.(line, kill);
  };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) take(line);
  });
  const exited = new Promise<ChildRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (pending !== '') take(pending);
      pending = '';
      resolve({ code, signal, stdout, stderr, stderrLines });
    });
  });
  const output = () => `stdout:\n${stdout}\nstderr:\n${stderr}`;
  const waitForLine: CliProcess['waitForLine'] = (match, what, timeoutMs = 90_000) => {
    const matches = typeof match === 'function' ? match : (line: string) => match.test(line);
    const seen = stderrLines.find(matches);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<string>((resolve, reject) => {
      const stop = () => {
        watchers.delete(watcher);
        clearTimeout(timer);
      };
      const watcher = (line: string) => {
        if (!matches(line)) return;
        stop();
        resolve(line);
      };
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`Timed out waiting for ${what}:\n${output()}`));
      }, timeoutMs);
      watchers.add(watcher);
      void exited.then(() => {
        if (!watchers.has(watcher)) return;
        stop();
        reject(new Error(`The command ended before ${what}:\n${output()}`));
      });
    });
  };
  return { child, stderrLines, waitForLine, kill, exited, output };
}

/** Runs the built command in a child process to its end (see {@link startBuiltCli}). */
export function spawnCli(
  argv: readonly string[],
  options: Parameters<typeof startBuiltCli>[1],
): Promise<ChildRun> {
  return startBuiltCli(argv, options).exited;
}
