import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Segment, SegmentAnalytics, SegmentUsageTotals } from '@vbuckets/core';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuiltCli, runBuiltCli } from './built-cli';
import { tempDir, temporaryPostgresSchema } from './helpers';

const run = promisify(execFile);

beforeAll(ensureBuiltCli, 300_000);

/** A 6 s clip with a keyframe every second, so cuts every 2 s land exactly. */
async function makeClip(dir: string): Promise<string> {
  const path = join(dir, 'hook.mp4');
  await run('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=s=160x120:d=6:r=10',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-g',
    '10',
    '-pix_fmt',
    'yuv420p',
    path,
  ]);
  return path;
}

async function segmentsCli(globalArgs: string[] = []) {
  const dataDir = await tempDir();
  const cli = (argv: readonly string[]) =>
    runBuiltCli(['--data-dir', dataDir, ...globalArgs, ...argv], { cwd: dataDir });
  const json = async <T>(argv: readonly string[]) => {
    const result = await cli([...argv, '--json']);
    if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  };
  return { dataDir, cli, json };
}

type Context = Awaited<ReturnType<typeof segmentsCli>>;

/** split → list with filters and sorts → update usage → analytics → rm, on whichever store. */
async function mainFlow({ dataDir, cli, json }: Context) {
  const clip = await makeClip(dataDir);
  const [video] = await json<Array<{ id: string }>>(['videos', 'add', clip]);
  const videoId = video?.id ?? '';

  const pieces = await json<Segment[]>(['segments', 'split', videoId, '--every', '2']);
  expect(pieces.map((piece) => [piece.segmentType, piece.segmentNumber])).toEqual([
    ['processed', 1],
    ['processed', 2],
    ['processed', 3],
  ]);
  const total = pieces.reduce((sum, piece) => sum + piece.durationSec, 0);
  expect(total).toBeCloseTo(6, 1);
  for (const piece of pieces) expect(piece.sizeBytes).toBeGreaterThan(0);
  const [first, second, third] = pieces.map((piece) => piece.id);

  // Tags, usage on two platforms, then the filters and sorts of seed 004, applied by the store.
  await json([
    'segments',
    'update',
    first ?? '',
    '--tag',
    'hook',
    '--tag',
    'ugc',
    '--title',
    'Open',
  ]);
  await json(['segments', 'update', second ?? '', '--tag', 'hook']);
  await json([
    'segments',
    'update',
    first ?? '',
    '--platform',
    'tiktok',
    '--post-id',
    '7300000000000000001',
    '--views',
    '1000',
    '--likes',
    '50',
  ]);
  await json([
    'segments',
    'update',
    first ?? '',
    '--platform',
    'youtube',
    '--views',
    '400',
    '--likes',
    '90',
  ]);
  await json([
    'segments',
    'update',
    third ?? '',
    '--platform',
    'youtube',
    '--views',
    '5000',
    '--likes',
    '10',
  ]);

  // The CLI has no TikTok token here: the sync says which variable to set, and keeps the row.
  const sync = await cli(['segments', 'sync']);
  expect(sync.code).toBe(0);
  expect(sync.stdout).toContain('Synced 0 posts; 1 failed (kept as they were).');
  expect(sync.stdout).toContain(
    `${first} tiktok 7300000000000000001: set TIKTOK_ACCESS_TOKEN to read tiktok metrics`,
  );

  const ids = async (argv: string[]) =>
    (await json<Segment[]>(['segments', 'list', ...argv])).map((segment) => segment.id);
  expect(await ids(['--tag', 'hook', '--tag', 'ugc'])).toEqual([first]);
  expect((await ids(['--tag', 'hook'])).sort()).toEqual([first, second].sort());
  expect((await ids(['--social'])).sort()).toEqual([first, third].sort());
  expect(await ids(['--no-social'])).toEqual([second]);
  expect((await ids(['--platform', 'youtube'])).sort()).toEqual([first, third].sort());
  expect(await ids(['--platform', 'tiktok'])).toEqual([first]);
  expect(await ids(['--sort', 'views', '--order', 'desc'])).toEqual([third, first, second]);
  expect(await ids(['--sort', 'engagement', '--order', 'desc'])).toEqual([first, third, second]);
  expect(await ids(['--sort', 'engagement', '--order', 'asc'])).toEqual([second, third, first]);
  const page1 = await ids(['--sort', 'views', '--limit', '2']);
  const page2 = await ids(['--sort', 'views', '--limit', '2', '--after', page1.at(-1) ?? '']);
  expect([...page1, ...page2]).toEqual([third, first, second]);

  // The top platform is the one with the most engagement (youtube: 90 likes), not the most views.
  const analytics = await json<SegmentAnalytics>(['segments', 'analytics', first ?? '']);
  expect(analytics).toMatchObject({
    totals: { views: 1400, likes: 140 },
    topPlatform: 'youtube',
    platformCount: 2,
  });
  const byPlatform = await json<SegmentUsageTotals[]>([
    'segments',
    'analytics',
    '--by',
    'platform',
  ]);
  expect(byPlatform.map((group) => [group.key, group.segments, group.views])).toEqual([
    ['tiktok', 1, 1000],
    ['youtube', 2, 5400],
  ]);
  const text = await cli(['segments', 'list', '--sort', 'views']);
  expect(text.stdout).toContain('Total: 3 segments');
  expect(text.stdout).toContain('6,400 views');

  // The bytes are a file in the data dir; rm deletes the row and the file.
  const where = await cli(['segments', 'url', first ?? '']);
  const path = where.stdout.trim();
  expect((await stat(path)).size).toBe(pieces[0]?.sizeBytes);
  expect((await readFile(path)).subarray(4, 8).toString('latin1')).toBe('ftyp');
  await json(['segments', 'rm', first ?? '']);
  await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  const gone = await cli(['segments', 'show', first ?? '']);
  expect(gone.code).not.toBe(0);
  expect(gone.stderr).toContain('NOT_FOUND');
  return { videoId, pieces };
}

describe('vbuckets segments on SQLite', () => {
  it('splits, filters, sorts, pages, records usage, analyses and deletes', async () => {
    await mainFlow(await segmentsCli());
  }, 180_000);

  it('says what is wrong in flag terms and loses nothing', async () => {
    const { cli, json, dataDir } = await segmentsCli();
    const clip = await makeClip(dataDir);
    const [video] = await json<Array<{ id: string }>>(['videos', 'add', clip]);
    const both = await cli(['segments', 'split', video?.id ?? '', '--every', '2', '--at', '1,2']);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain('exactly one of --every and --at');
    const negative = await cli(['segments', 'split', video?.id ?? '', '--every', '-1']);
    expect(negative.code).not.toBe(0);
    expect(negative.stderr).toContain('--every');
    const noVideo = await cli(['segments', 'split', 'missing', '--every', '2']);
    expect(noVideo.stderr).toContain('NOT_FOUND');
    const badPlatform = await cli(['segments', 'list', '--platform', 'myspace']);
    expect(badPlatform.code).not.toBe(0);
    expect(badPlatform.stderr).toContain('Expected one of youtube');
    const orphanNumbers = await cli(['segments', 'update', 'x', '--views', '3']);
    expect(orphanNumbers.stderr).toContain('--platform');
    expect(await json<Segment[]>(['segments', 'list'])).toEqual([]);
  }, 180_000);
});

describe('vbuckets segments on PostgreSQL', () => {
  const { url: postgresUrl, schema } = temporaryPostgresSchema('segments');

  it('runs the main flow', async () => {
    const context = await segmentsCli(['--database-url', postgresUrl, '--database-schema', schema]);
    const { videoId } = await mainFlow(context);
    const rows = new pg.Client({ connectionString: postgresUrl });
    await rows.connect();
    try {
      const stored = await rows.query(
        `select count(*)::int as count from ${schema}.segments where video_id = $1`,
        [videoId],
      );
      expect(stored.rows).toEqual([{ count: 2 }]);
    } finally {
      await rows.end();
    }
  }, 180_000);
});
