// A blobs folder the CLI may not write to, as an ops mistake leaves it (a volume mounted
// read-only, a folder owned by another user): the error says so instead of NOT_FOUND.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bin, ensureBuiltCli } from './built-cli';
import { tempDir } from './helpers';
import { samplesDir } from './samples';

beforeAll(ensureBuiltCli, 300_000);

/** As root, permissions bind nobody: the command runs as the unprivileged user `nobody` then. */
const asUnprivileged = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

describe('a blobs folder the CLI may not write to', () => {
  // It was reported as NOT_FOUND, then as a bare "EACCES"; it now says what to fix.
  it('fails videos add with STORAGE naming the unwritable folder, and registers nothing', async () => {
    const root = await tempDir();
    const dataDir = join(root, 'data');
    mkdirSync(join(dataDir, 'blobs'), { recursive: true });
    const video = join(root, 'clip.mp4');
    copyFileSync(join(samplesDir, 'bloated-after-lunch.mp4'), video);
    chmodSync(root, 0o755);
    chmodSync(video, 0o644);
    // The data dir (and its SQLite file) stays writable; only the blobs folder is not.
    chmodSync(dataDir, 0o777);
    chmodSync(join(dataDir, 'blobs'), 0o555);
    const added = spawnSync(
      process.execPath,
      [bin, '--data-dir', dataDir, 'videos', 'add', video],
      { cwd: root, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', ...asUnprivileged },
    );
    expect(added.status, added.stderr).toBe(1);
    expect(added.stderr).toMatch(
      /^error: \[STORAGE\] Writing "videos\/[^"]+" failed \((EACCES|EPERM|EROFS): [^)]+\): the blob folder is not writable by this process/,
    );
    expect(readdirSync(join(dataDir, 'blobs'))).toEqual([]);
    const listed = spawnSync(
      process.execPath,
      [bin, '--data-dir', dataDir, 'videos', 'list', '--json'],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? '' },
        encoding: 'utf8',
        ...asUnprivileged,
      },
    );
    expect(listed.status, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([]);
  });
});
