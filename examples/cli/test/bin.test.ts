import { execFileSync, execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repositoryRoot = join(packageDir, '..', '..');
const bin = join(packageDir, 'dist', 'bin.js');

/** Newest modification time under a folder, to tell whether dist is older than its sources. */
function newestMtime(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(
    stats.mtimeMs,
    ...readdirSync(path).map((entry) => newestMtime(join(path, entry))),
  );
}

function node(args: readonly string[], cwd: string): string {
  return execFileSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
}

describe('the built vbuckets binary', () => {
  beforeAll(() => {
    const sources = Math.max(
      newestMtime(join(packageDir, 'src')),
      newestMtime(join(packageDir, 'samples')),
    );
    const dependencyEntries = ['core', 'fs', 'storage-sqlite'].map((name) =>
      join(repositoryRoot, 'packages', name, 'dist', 'index.js'),
    );
    const stale =
      !existsSync(bin) ||
      statSync(bin).mtimeMs < sources ||
      dependencyEntries.some((entry) => !existsSync(entry));
    if (stale) {
      // The bin imports the other packages' dist, so those are built first (pnpm runs them in
      // dependency order).
      try {
        execSync('pnpm --filter "@vbuckets/example-cli..." run build', {
          cwd: repositoryRoot,
          stdio: 'pipe',
          encoding: 'utf8',
        });
      } catch (error) {
        const { stdout, stderr } = error as { stdout?: string; stderr?: string };
        throw new Error(
          `Building the CLI failed:\n${`${stdout ?? ''}${stderr ?? ''}`.slice(-4000)}`,
        );
      }
    }
  }, 180_000);

  it('prints help', async () => {
    const help = node(['--help'], await tempDir());
    expect(help).toContain('Usage: vbuckets');
    expect(help).toContain('buckets');
    expect(help).toContain('demo');
  });

  it('runs the demo on SQLite and exits non-zero with one error line on bad input', async () => {
    const cwd = await tempDir();
    const demo = JSON.parse(node(['demo', '--json'], cwd)) as {
      buckets: unknown[];
      dataDir: string;
    };
    expect(demo.buckets).toHaveLength(4);
    expect(demo.dataDir).toBe(join(cwd, '.vbuckets'));
    expect(existsSync(join(cwd, '.vbuckets', 'vbuckets.db'))).toBe(true);

    let failure: { status: number; stderr: string } | undefined;
    try {
      node(['buckets', 'add', '--name', 'sleep'], cwd);
    } catch (error) {
      failure = error as { status: number; stderr: string };
    }
    expect(failure?.status).toBe(2);
    expect(String(failure?.stderr)).toMatch(/^error: \[CONFLICT\] [^\n]+\n$/);
  });
});
