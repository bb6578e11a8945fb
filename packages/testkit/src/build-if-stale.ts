import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Newest modification time under a folder (0 when absent), to tell whether dist is older than its sources. */
export function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(
    stats.mtimeMs,
    ...readdirSync(path).map((entry) => newestMtime(join(path, entry))),
  );
}

/**
 * Builds `@vbuckets/<target>` and the workspace packages it depends on when any of `packages`
 * (folder names under `packages/`) has a `dist/index.js` older than its sources: what child
 * processes that import the built packages need. Throws with the build's output tail on failure.
 */
export function buildPackagesIfStale(options: {
  repositoryRoot: string;
  target: string;
  packages: readonly string[];
}): void {
  const { repositoryRoot, target } = options;
  const stale = options.packages.some((name) => {
    const entry = join(repositoryRoot, 'packages', name, 'dist', 'index.js');
    return (
      !existsSync(entry) ||
      statSync(entry).mtimeMs < newestMtime(join(repositoryRoot, 'packages', name, 'src'))
    );
  });
  if (!stale) return;
  try {
    execSync(`pnpm --filter "@vbuckets/${target}..." run build`, {
      cwd: repositoryRoot,
      stdio: 'pipe',
      encoding: 'utf8',
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`Building ${target} failed:\n${`${stdout ?? ''}${stderr ?? ''}`.slice(-4000)}`);
  }
}
