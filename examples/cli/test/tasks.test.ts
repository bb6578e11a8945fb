import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { GenerationTask, GenerationTaskStats, Thumbnail } from '@vbuckets/core';
import { type FakeYouTubeServer, startFakeYouTubeServer } from '@vbuckets/testkit';
import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuiltCli, runBuiltCli } from './built-cli';
import { tempDir, temporaryPostgresSchema } from './helpers';

const run = promisify(execFile);

beforeAll(ensureBuiltCli, 300_000);

let server: FakeYouTubeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A 6 s 320x180 clip whose colour changes every 2 s, so the candidates differ. */
async function makeClip(dir: string): Promise<string> {
  const path = join(dir, 'electric-dreams.mp4');
  const part = (colour: string) => ['-f', 'lavfi', '-i', `testsrc2=s=320x180:d=2,hue=h=${colour}`];
  await run('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    ...part('0'),
    ...part('120'),
    ...part('240'),
    '-filter_complex',
    '[0:v][1:v][2:v]concat=n=3:v=1[v]',
    '-map',
    '[v]',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    path,
  ]);
  return path;
}

async function tasksCli(globalArgs: string[] = []) {
  const dataDir = await tempDir();
  const cli = (argv: readonly string[], env: Record<string, string> = {}) =>
    runBuiltCli(['--data-dir', dataDir, ...globalArgs, ...argv], { cwd: dataDir, env });
  const json = async <T>(argv: readonly string[], env: Record<string, string> = {}) => {
    const result = await cli([...argv, '--json'], env);
    if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  };
  return { dataDir, cli, json };
}

const ADD = [
  'tasks',
  'add',
  '--id',
  'task_abc123',
  '--user',
  'user_1',
  '--project',
  'Summer Vibes 2025',
  '--engine',
  'runway_standard',
  '--prompt',
  'Cinematic neon city at night',
  '--bpm',
  '128',
  '--title',
  'Electric Dreams (Official Video)',
  '--description',
  'Neon city at night',
  '--tag',
  'synthwave',
  '--tag',
  'neon',
];

interface CandidateJson {
  thumbnail: Thumbnail;
  timestampSec: number;
  path: string;
}

/** The task → processing → completed → attach → thumbnails flow, on whichever store. */
async function mainFlow(context: Awaited<ReturnType<typeof tasksCli>>) {
  const { cli, json, dataDir } = context;
  const created = await json<GenerationTask>(ADD);
  expect(created).toMatchObject({
    id: 'task_abc123',
    status: 'pending',
    youtubeTags: ['synthwave', 'neon'],
  });
  expect(
    (await json<GenerationTask>(['tasks', 'status', 'task_abc123', 'processing'])).status,
  ).toBe('processing');
  const illegal = await cli(['tasks', 'status', 'task_abc123', 'pending']);
  expect(illegal.code).toBe(2);
  expect(illegal.stderr).toContain('is processing');
  const done = await json<GenerationTask>([
    'tasks',
    'status',
    'task_abc123',
    'completed',
    '--video-url',
    'https://cdn.example/v.mp4',
  ]);
  expect(done).toMatchObject({ status: 'completed', videoUrl: 'https://cdn.example/v.mp4' });
  expect(done.completedAt).not.toBeNull();
  const updated = await json<GenerationTask>([
    'tasks',
    'update',
    'task_abc123',
    '--cost',
    '7.2',
    '--credits',
    '72',
    '--duration',
    '60',
  ]);
  expect(updated).toMatchObject({ cost: 7.2, creditsUsed: 72, durationSec: 60 });

  const clip = await makeClip(dataDir);
  const attached = await json<{ video: { id: string }; created: boolean }>([
    'tasks',
    'attach',
    'task_abc123',
    clip,
  ]);
  expect(attached.created).toBe(true);

  const generated = await json<CandidateJson[]>([
    'thumbnails',
    'generate',
    'task_abc123',
    '-n',
    '3',
    '--out',
    'thumbs',
  ]);
  expect(generated.length).toBeGreaterThanOrEqual(1);
  expect(generated.length).toBeLessThanOrEqual(3);
  for (const candidate of generated) {
    expect(candidate.thumbnail).toMatchObject({ source: 'frame', clickPrediction: null });
    expect(candidate.thumbnail.qualityScore).toBeGreaterThan(0);
    expect(candidate.path).toBe(join(dataDir, 'thumbs', `${candidate.thumbnail.variant}.jpg`));
    const bytes = await readFile(candidate.path);
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xd8]);
  }
  const first = generated[0]?.thumbnail.id ?? '';
  await json(['thumbnails', 'select', 'task_abc123', first]);
  const listed = await cli(['thumbnails', 'list', 'task_abc123']);
  expect(listed.stdout).toMatch(new RegExp(`^\\*\\s+${first}\\s+frame_`, 'mu'));
  const stats = await json<GenerationTaskStats>(['tasks', 'stats']);
  expect(stats).toMatchObject({
    totalTasks: 1,
    totalCost: 7.2,
    totalCreditsUsed: 72,
    totalThumbnails: generated.length,
  });
  return { attached, generated };
}

describe('vbuckets tasks and thumbnails (SQLite)', () => {
  it('runs a task to completion, attaches its video, cuts scored thumbnails from it with ffmpeg', async () => {
    const context = await tasksCli();
    const { generated } = await mainFlow(context);
    const text = await context.cli(['thumbnails', 'generate', 'task_abc123', '-n', '2']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toContain('the image-quality heuristic');
    expect(text.stdout).toMatch(/^\s*AT\s+ID\s+QUALITY\s+CLICK\s+SIZE\s+JPEG/mu);
    // Without --out the JPEG column names the stored file itself.
    const path = /(\S+blobs\/thumbnails\/\S+\.jpg)$/mu.exec(text.stdout)?.[1] ?? '';
    expect((await stat(path)).size).toBeGreaterThan(0);
    const shown = await context.cli(['tasks', 'show', 'task_abc123']);
    expect(shown.stdout).toContain('Summer Vibes 2025 (completed)');
    expect(shown.stdout).toMatch(/thumbnails:\s+\d+/u);
    const removed = await context.json<{ thumbnail: Thumbnail }>([
      'thumbnails',
      'rm',
      generated[0]?.thumbnail.id ?? '',
    ]);
    expect(removed.thumbnail.id).toBe(generated[0]?.thumbnail.id);
    const deleted = await context.json<{ thumbnailsDeleted: number; imagesLeft: string[] }>([
      'tasks',
      'rm',
      'task_abc123',
    ]);
    expect(deleted.imagesLeft).toEqual([]);
    expect(await context.json(['tasks', 'list'])).toEqual([]);
  });

  it('lists, filters and prices tasks; adds given thumbnails; refuses what the SDK refuses', async () => {
    const { cli, json } = await tasksCli();
    await json<GenerationTask>(ADD);
    await json(['tasks', 'add', '--project', 'B', '--engine', 'runway_standard', '--prompt', 'p']);
    expect(await json<GenerationTask[]>(['tasks', 'list', '--user', 'user_1'])).toHaveLength(1);
    expect(await json<GenerationTask[]>(['tasks', 'list', '--status', 'pending'])).toHaveLength(2);
    const table = await cli(['tasks', 'list']);
    expect(table.stdout).toMatch(/^ID\s+STATUS\s+PROJECT\s+ENGINE/u);
    const cost = await cli(['tasks', 'cost', '--engine', 'runway_standard', '--duration', '60']);
    expect(cost.stdout).toContain('$7.20 and 72 credits');
    expect((await cli(['tasks', 'cost', '--engine', 'nope', '--duration', '6'])).code).toBe(2);
    const given = await json<Thumbnail>([
      'thumbnails',
      'add',
      'task_abc123',
      '--variant',
      'bold_text',
      '--url',
      'https://cdn.example/t.jpg',
      '--click',
      '0.12',
      '--select',
    ]);
    expect(given).toMatchObject({ source: 'given', clickPrediction: 0.12, isSelected: true });
    const noVideo = await cli(['thumbnails', 'generate', 'task_abc123']);
    expect(noVideo.code).toBe(2);
    expect(noVideo.stderr).toContain('has no video');
    expect((await cli(['tasks', 'update', 'task_abc123', '--bpm', '-3'])).code).toBe(2);
  });

  it('uploads the attached video to YouTube with the task’s title, description and tags', async () => {
    server = await startFakeYouTubeServer();
    const env = {
      YOUTUBE_ACCESS_TOKEN: 'fake-youtube-token',
      VBUCKETS_YOUTUBE_BASE_URL: server.baseUrl,
    };
    const { json, dataDir } = await tasksCli();
    await json(ADD);
    const clip = await makeClip(dataDir);
    const attached = await json<{ video: { id: string } }>([
      'tasks',
      'attach',
      'task_abc123',
      clip,
    ]);
    const row = await json<{ status: string; platformPostId: string }>(
      ['upload', attached.video.id, '--platform', 'youtube'],
      env,
    );
    expect(row.status).toBe('SUCCESS');
    const posted = server.videos.get(row.platformPostId);
    expect(Buffer.from(posted?.bytes ?? new Uint8Array())).toEqual(await readFile(clip));
    expect(posted?.metadata).toMatchObject({
      snippet: {
        title: 'Electric Dreams (Official Video)',
        description: 'Neon city at night',
        tags: ['synthwave', 'neon'],
      },
    });
  });
});

describe('vbuckets tasks and thumbnails on PostgreSQL', () => {
  const { url: postgresUrl, schema } = temporaryPostgresSchema('tasks');

  it('runs the main flow', async () => {
    const context = await tasksCli(['--database-url', postgresUrl, '--database-schema', schema]);
    const { generated } = await mainFlow(context);
    const rows = new pg.Client({ connectionString: postgresUrl });
    await rows.connect();
    try {
      const stored = await rows.query(`select count(*)::int as count from ${schema}.thumbnails`);
      expect(stored.rows).toEqual([{ count: generated.length }]);
    } finally {
      await rows.end();
    }
  });
});
