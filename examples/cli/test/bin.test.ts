import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bin, ensureBuiltCli, packageDir, repositoryRoot } from './built-cli';
import { tempDir } from './helpers';

function node(args: readonly string[], cwd: string): string {
  return execFileSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
}

describe('the built vbuckets binary', () => {
  beforeAll(() => {
    ensureBuiltCli();
  }, 300_000);

  it('prints help', async () => {
    const help = node(['--help'], await tempDir());
    expect(help).toContain('Usage: vbuckets');
    expect(help).toContain('buckets');
    expect(help).toContain('demo');
  });

  // The demo's "Next:" hints said `vbuckets …`, which nothing put on the PATH: the README and
  // the hints now say `pnpm -s vbuckets …`, and its output must be the command's alone.
  it('runs as `pnpm -s vbuckets` from the repository root, without pnpm banner lines', () => {
    const viaPnpm = execFileSync('pnpm', ['-s', 'vbuckets', '--version'], {
      cwd: repositoryRoot,
      encoding: 'utf8',
    });
    expect(viaPnpm).toBe(node(['--version'], repositoryRoot));
    expect(viaPnpm).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('runs the demo on SQLite and exits non-zero with one error line on bad input', async () => {
    const cwd = await tempDir();
    const demo = JSON.parse(node(['demo', '--json', '--quiet'], cwd)) as {
      buckets: unknown[];
      dataDir: string;
      videosDir: string;
      rows: Array<{ status: string }>;
      zips: Array<{ path: string }>;
    };
    expect(demo.buckets).toHaveLength(4);
    expect(demo.dataDir).toBe(join(cwd, '.vbuckets'));
    expect(existsSync(join(cwd, '.vbuckets', 'vbuckets.db'))).toBe(true);
    // The bundle in dist/ finds the samples beside the package, whatever the working directory.
    expect(demo.videosDir).toBe(join(packageDir, 'samples', 'videos'));
    expect(demo.rows.map((row) => row.status).sort()).toEqual([
      'analyzed',
      'categorized',
      'categorized',
      'categorized',
      'categorized',
      'categorized',
    ]);
    expect(demo.zips).toHaveLength(4);
    for (const zip of demo.zips) expect(existsSync(zip.path), zip.path).toBe(true);

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
