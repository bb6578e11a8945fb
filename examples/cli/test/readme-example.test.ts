import { execFile, spawnSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type FakeTikTokServer,
  type FakeYouTubeServer,
  startFakeTikTokServer,
  startFakeYouTubeServer,
} from '@vbuckets/testkit';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { bin, ensureBuiltCli } from './built-cli';
import { tempDir } from './helpers';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const generated = fileURLToPath(new URL('./.generated/', import.meta.url));

/** The README's "SDK in 20 lines" block, with its file paths moved into `directory`. */
async function readmeExample(directory: string): Promise<string> {
  const readme = await readFile(join(repositoryRoot, 'README.md'), 'utf8');
  const section = readme.split('## The SDK in 20 lines')[1] ?? '';
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (code === undefined)
    throw new Error('README.md has no ```ts block under "The SDK in 20 lines"');
  return code
    .replace("'./vbuckets.db'", JSON.stringify(join(directory, 'vbuckets.db')))
    .replace("'./blobs'", JSON.stringify(join(directory, 'blobs')));
}

afterAll(async () => {
  await rm(generated, { recursive: true, force: true });
});

describe('the README example', () => {
  it('runs as written: creates a bucket, lists it, and reports a CONFLICT the second time', async () => {
    const directory = await tempDir();
    const code = await readmeExample(directory);
    expect(code.split('\n').filter((line) => line.trim() !== '').length).toBeLessThanOrEqual(22);
    await mkdir(generated, { recursive: true });
    const table = vi.spyOn(console, 'table').mockImplementation(() => undefined);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      for (const run of [1, 2]) {
        const file = join(generated, `readme-example-${process.pid}-${run}.ts`);
        await writeFile(file, code);
        await import(file);
      }
      expect(table).toHaveBeenNthCalledWith(1, ['Digestion & Gut Health']);
      expect(table).toHaveBeenNthCalledWith(2, ['Digestion & Gut Health']);
      expect(errors).toHaveBeenCalledTimes(1);
      expect(errors.mock.calls[0]?.[0]).toBe('CONFLICT');
    } finally {
      table.mockRestore();
      errors.mockRestore();
    }
  });
});

/** The README's "Market" shell block, each `pnpm -s vbuckets` made the built command itself. */
async function marketWalkThrough(): Promise<string> {
  const readme = await readFile(join(repositoryRoot, 'README.md'), 'utf8');
  const section = readme.split('## Market: which creatives to make next')[1] ?? '';
  const script = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (script === undefined) throw new Error('README.md has no ```sh block under "Market"');
  return script.replaceAll(
    'pnpm -s vbuckets ',
    `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} `,
  );
}

describe('the README market walk-through', () => {
  it('runs as written from the repository root, offline, and again', async () => {
    ensureBuiltCli();
    const script = await marketWalkThrough();
    expect(script.match(/market /g)?.length).toBeGreaterThanOrEqual(7);
    const dataDir = await tempDir();
    for (const run of [1, 2]) {
      const result = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
        cwd: repositoryRoot,
        encoding: 'utf8',
        // No stdin: bash takes a socket there for a remote shell and would read bashrc.
        stdio: ['ignore', 'pipe', 'pipe'],
        // Offline: no key of this machine reaches it.
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          VBUCKETS_DATA_DIR: dataDir,
        },
      });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr).toBe('');
      const out = result.stdout;
      if (run === 1) {
        expect(out).toContain('Ingested benchmark "Gut reset, day 3"');
        expect(out).toContain('Ingested benchmark "3 pm crash"');
        expect(out).toContain('Analysis queued, not run: ANTHROPIC_API_KEY is not set');
      } else {
        expect(out).toContain('Already ingested: https://www.facebook.com/ads/library/?id=1001');
      }
      expect(out).toContain(
        'Recorded 400 clicks, 14 conversions for "Bloated after lunch" (key week-1)',
      );
      // The second run adds a second "Bloated after lunch": `add` is not idempotent, `ingest` is.
      expect(out).toContain(`Category supplements: ${run + 2} creatives by P(best)`);
      expect(out).toMatch(/^problem_agitation +\d+\.\d% +[·├─●┤]{24} /m);
      expect(out).toMatch(/^Produce next in supplements \(2 creatives/m);
    }
  }, 120_000);
});

describe('the README generation-task walk-through', () => {
  it('runs as written from the repository root, offline, with real ffmpeg', async () => {
    ensureBuiltCli();
    const readme = await readFile(join(repositoryRoot, 'README.md'), 'utf8');
    const section = readme.split('## Generation tasks: from a prompt to YouTube')[1] ?? '';
    const script = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
    if (script === undefined)
      throw new Error('README.md has no ```sh block under "Generation tasks"');
    const result = spawnSync(
      'bash',
      [
        '-euo',
        'pipefail',
        '-c',
        script.replaceAll(
          'pnpm -s vbuckets ',
          `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} `,
        ),
      ],
      {
        cwd: repositoryRoot,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          VBUCKETS_DATA_DIR: await tempDir(),
        },
      },
    );
    expect(result.status, result.stderr).toBe(0);
    const out = result.stdout;
    expect(out).toContain('Created task task_abc123 (pending)');
    expect(out).toContain('Task task_abc123 is completed');
    expect(out).toMatch(/^Registered video \S+; linked to task task_abc123$/mu);
    expect(out).toMatch(/^\s*AT\s+ID\s+QUALITY\s+CLICK\s+SIZE\s+JPEG$/mu);
    expect(out).toContain('runway_standard, 60 s: $7.20 and 72 credits');
  }, 120_000);
});

describe('the README segments walk-through', () => {
  let youtube: FakeYouTubeServer | undefined;
  let tiktok: FakeTikTokServer | undefined;
  afterAll(async () => {
    await youtube?.close();
    await tiktok?.close();
  });

  it('runs as written after the demo, against the fake YouTube and TikTok servers', async () => {
    ensureBuiltCli();
    youtube = await startFakeYouTubeServer();
    tiktok = await startFakeTikTokServer();
    const readme = await readFile(join(repositoryRoot, 'README.md'), 'utf8');
    const section = readme.split('## Segments and metrics: from posts back to buckets')[1] ?? '';
    const script = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
    if (script === undefined) throw new Error('README.md has no ```sh block under "Segments"');
    const cli = `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} `;
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      VBUCKETS_DATA_DIR: await tempDir(),
      YOUTUBE_ACCESS_TOKEN: 'fake-youtube-token',
      VBUCKETS_YOUTUBE_BASE_URL: youtube.baseUrl,
      TIKTOK_ACCESS_TOKEN: tiktok.accessToken,
      VBUCKETS_TIKTOK_BASE_URL: tiktok.baseUrl,
    };
    // Not spawnSync: the fake servers answer from this process, which must keep running.
    const bash = (text: string) =>
      new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          'bash',
          ['-euo', 'pipefail', '-c', text],
          { cwd: repositoryRoot, env, maxBuffer: 16 * 1024 * 1024 },
          (error, stdout, stderr) =>
            resolve({ status: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }),
        );
      });
    const demo = await bash(`${cli}demo`);
    expect(demo.status, demo.stderr).toBe(0);
    const result = await bash(script.replaceAll('pnpm -s vbuckets ', cli));
    expect(result.status, result.stderr).toBe(0);
    const out = result.stdout;
    // The six sample clips went to both platforms, and every post was synced.
    expect(out).toContain('12 uploaded, 0 skipped, 0 failed');
    expect(out).toContain('Synced 12 posts; 0 failed');
    expect(out).toMatch(/^BUCKET +SEGMENTS +VIEWS/mu);
    expect(out).toMatch(/^Product default: 4 buckets by P\(best\) of the engagement rate/mu);
    expect(out).toMatch(/^Produce next \(2, one Thompson draw each/mu);
    expect(out).toMatch(/^Total: 6 segments/mu);
  }, 240_000);
});
