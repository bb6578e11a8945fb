import { type ChildProcess, execSync, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildPackagesIfStale, newestMtime } from '@vbuckets/testkit';

export const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));
const exampleRoot = fileURLToPath(new URL('..', import.meta.url));
export const serverEntry = fileURLToPath(new URL('../dist/server.js', import.meta.url));

/** A built file is stale when it is missing or older than the newest file of its sources. */
function stale(builtFile: string, sources: string): boolean {
  return !existsSync(builtFile) || statSync(builtFile).mtimeMs < newestMtime(sources);
}

/**
 * Builds the server and what it imports (the packages, and the CLI's host entry it composes
 * with) and the web dashboard it serves when a dist is older than its sources, in one build of
 * the example and its dependencies.
 */
export function buildServerIfStale(): void {
  buildPackagesIfStale({
    repositoryRoot,
    target: 'example-express',
    packages: [
      'core',
      'fs',
      'storage-sql',
      'storage-sqlite',
      'storage-postgres',
      'queue-bullmq',
      'media',
      'uploaders',
      'gemini',
      'anthropic',
      'r2',
    ],
  });
  const cli = `${repositoryRoot}examples/cli/`;
  const web = `${repositoryRoot}examples/web/`;
  if (
    stale(serverEntry, `${exampleRoot}src`) ||
    stale(`${cli}dist/host.js`, `${cli}src`) ||
    stale(`${web}dist/index.html`, `${web}src`)
  ) {
    execSync('pnpm --filter "@vbuckets/example-express..." run build', {
      cwd: repositoryRoot,
      stdio: 'pipe',
    });
  }
}

/** A spawned `node dist/server.js`: its output so far, and waits on lines and on its exit. */
export interface ServerProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout (now or later); rejects if the process exits first. */
  line(pattern: RegExp): Promise<RegExpMatchArray>;
  /** The exit code (or the signal's name). */
  exited: Promise<number | string>;
}

/** Starts the server in `cwd` with exactly `env` (plus PATH), never the test's own environment. */
export function spawnServer(cwd: string, env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, [serverEntry], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiting = new Set<() => void>();
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    out += text;
    for (const check of waiting) check();
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    err += text;
  });
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    line(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = out.match(pattern);
          if (match === null) return;
          waiting.delete(check);
          resolve(match);
        };
        waiting.add(check);
        check();
        void exited.then((code) => {
          if (!waiting.has(check)) return;
          waiting.delete(check);
          reject(new Error(`the server exited (${code}) before printing ${pattern}: ${out}${err}`));
        });
      });
    },
  };
}

/** The URL and dev token a server started without JWT settings prints. */
export async function startedServer(
  server: ServerProcess,
): Promise<{ url: string; token: string }> {
  const [, url] = await server.line(/listening on (http:\/\/\S+)/);
  const [, token] = await server.line(/admin token for org "local": (\S+)/);
  return { url: url as string, token: token as string };
}
