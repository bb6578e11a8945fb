import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bin, ensureBuiltCli } from './built-cli';
import { tempDir } from './helpers';
import { samplesDir } from './samples';

const SAMPLE = join(samplesDir, 'bloated-after-lunch.mp4');

interface Exit {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built binary, as a user does, with only the variables given (plus PATH). */
function vbuckets(
  dataDir: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Exit {
  const result = spawnSync(process.execPath, [bin, '--data-dir', dataDir, ...args], {
    cwd: dataDir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

describe('VBUCKETS_DEBUG: what failed where, on a second line', () => {
  beforeAll(() => {
    ensureBuiltCli();
  }, 300_000);

  it('adds code, adapter and operation under the sentence, which stays free of [tags]', async () => {
    const dataDir = await tempDir();
    const added = vbuckets(dataDir, ['videos', 'add', SAMPLE, '--json']);
    expect(added.status, added.stderr).toBe(0);
    const [video] = JSON.parse(added.stdout) as Array<{ id: string }>;

    const plain = vbuckets(dataDir, ['videos', 'url', video?.id ?? '']);
    expect(plain.status).toBe(1);
    expect(lines(plain.stderr)).toEqual([
      expect.stringMatching(/^error: \[STORAGE\] The blob store cannot presign URLs/u),
    ]);

    const debug = vbuckets(dataDir, ['videos', 'url', video?.id ?? ''], { VBUCKETS_DEBUG: '1' });
    expect(debug.status).toBe(1);
    expect(lines(debug.stderr)).toEqual([
      lines(plain.stderr)[0],
      'debug: code=STORAGE adapter=access operation=getVideoAccess retryable=false',
    ]);
  });

  it('names the file system adapter and the blob call when the local store cannot write', async () => {
    const dataDir = await tempDir();
    // A file where the store keeps its temporary folder: every put fails on the file system.
    mkdirSync(join(dataDir, 'blobs'), { recursive: true });
    writeFileSync(join(dataDir, 'blobs', '.vbuckets'), 'in the way');
    const failed = vbuckets(dataDir, ['videos', 'add', SAMPLE], { VBUCKETS_DEBUG: 'true' });
    expect(failed.status).toBe(1);
    const [error, debug, ...rest] = lines(failed.stderr);
    expect(rest).toEqual([]);
    expect(error).toMatch(/^error: \[STORAGE\] Writing "videos\/[^"]+" failed \(E[A-Z]+: /u);
    expect(debug).toMatch(/^debug: code=STORAGE adapter=fs operation=blobs\.put retryable=false$/u);
  });

  it('shows the platform and call of a misconfigured uploader, refused before anything is claimed', async () => {
    const dataDir = await tempDir();
    const added = vbuckets(dataDir, ['videos', 'add', SAMPLE, '--json']);
    const [video] = JSON.parse(added.stdout) as Array<{ id: string }>;
    const refused = vbuckets(dataDir, ['upload', video?.id ?? '', '--platform', 'webhook'], {
      VBUCKETS_WEBHOOK_URL: 'http://127.0.0.1:1/hook',
      VBUCKETS_WEBHOOK_SECRET: 'short',
      VBUCKETS_DEBUG: '1',
    });
    expect(refused.status).toBe(2);
    expect(lines(refused.stderr)).toEqual([
      expect.stringMatching(
        /^error: \[VALIDATION\] Platform webhook is misconfigured \(check VBUCKETS_WEBHOOK_URL, VBUCKETS_WEBHOOK_SECRET\): Invalid webhook settings\.secret: /u,
      ),
      'debug: code=VALIDATION adapter=webhook operation=validateMetadata path=platform retryable=false',
    ]);
    expect(JSON.parse(vbuckets(dataDir, ['uploads', '--json']).stdout)).toEqual([]);
  });

  it('documents the variable in --help', async () => {
    const help = vbuckets(await tempDir(), ['--help']);
    expect(help.stdout).toContain(
      'VBUCKETS_DEBUG=1    errors get a second line with their code, adapter and operation',
    );
  });
});
