import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** Newest modification time under a folder, to tell whether dist is older than its sources. */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(
    stats.mtimeMs,
    ...readdirSync(path).map((entry) => newestMtime(join(path, entry))),
  );
}

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
export function runBuiltCli(
  argv: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<BuiltCliRun> {
  return new Promise((resolve, reject) => {
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
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
