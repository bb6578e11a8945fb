import type { InsightArm, InsightRanking, Segment, SyncMetricsSummary } from '@vbuckets/core';
import {
  type FakeTikTokServer,
  type FakeYouTubeServer,
  startFakeTikTokServer,
  startFakeYouTubeServer,
} from '@vbuckets/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunOptions, run, tempDir, temporaryPostgresSchema } from './helpers';
import { sampleBucketsFile, samplesDir } from './samples';

interface CategorizedRow {
  videoId: string | null;
  filename: string;
  bucketName: string | null;
}

interface UploadJson {
  videoId: string;
  platform: string;
  status: string;
  platformPostId: string | null;
}

let youtube: FakeYouTubeServer | undefined;
let tiktok: FakeTikTokServer | undefined;
afterEach(async () => {
  await youtube?.close();
  await tiktok?.close();
  youtube = undefined;
  tiktok = undefined;
});

const armOf = (ranking: InsightRanking, label: string): InsightArm => {
  const arm = ranking.arms.find((each) => each.label === label);
  if (arm === undefined) throw new Error(`no arm ${label} in ${JSON.stringify(ranking.arms)}`);
  return arm;
};

/** `--json` runs on a fresh data dir (and PostgreSQL schema, when given) with the sample buckets. */
async function loopCli(globalArgs: readonly string[]) {
  const dataDir = await tempDir();
  const json = async <T = unknown>(argv: readonly string[], options: RunOptions = {}) => {
    const result = await run(['--data-dir', dataDir, ...globalArgs, ...argv, '--json'], {
      cwd: dataDir,
      ...options,
    });
    if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  };
  await json(['buckets', 'import', sampleBucketsFile]);
  return { json };
}

// Issue 14: the closed loop none of the seed systems closes, through the CLI's real commands
// and the platforms' real wire protocols (fake servers), on SQLite and on PostgreSQL.
async function closedLoop(globalArgs: readonly string[]) {
  youtube = await startFakeYouTubeServer();
  tiktok = await startFakeTikTokServer();
  const env = {
    YOUTUBE_ACCESS_TOKEN: 'fake-youtube-token',
    VBUCKETS_YOUTUBE_BASE_URL: youtube.baseUrl,
    TIKTOK_ACCESS_TOKEN: tiktok.accessToken,
    VBUCKETS_TIKTOK_BASE_URL: tiktok.baseUrl,
    // Posted at once: an inbox upload has no post (and no metrics) until the user posts it.
    VBUCKETS_TIKTOK_POST_MODE: 'direct',
  };
  const { json } = await loopCli(globalArgs);

  // Categorize the sample clips offline: each on-topic clip is registered and filed.
  const categorized = await json<{ rows: CategorizedRow[] }>([
    'categorize',
    samplesDir,
    '--provider',
    'keyword',
    '-q',
  ]);
  const videoOf = (bucket: string) => {
    const row = categorized.rows.find((each) => each.bucketName === bucket);
    if (row?.videoId == null) throw new Error(`no video filed in ${bucket}`);
    return row.videoId;
  };
  const sleep = videoOf('Sleep');
  const gut = videoOf('Gut Health');

  // Post both to YouTube and TikTok: each success records the post on the video's original segment.
  const posts = new Map<string, string>();
  for (const videoId of [sleep, gut]) {
    for (const platform of ['youtube', 'tiktok']) {
      const row = await json<UploadJson>(['upload', videoId, '--platform', platform, '-q'], {
        env,
      });
      expect(row).toMatchObject({ status: 'SUCCESS', platform });
      posts.set(`${videoId}:${platform}`, row.platformPostId ?? '');
    }
  }
  const segments = await json<Segment[]>(['segments', 'list', '--type', 'original']);
  expect(segments.map((segment) => segment.videoId).sort()).toEqual([sleep, gut].sort());
  for (const segment of segments) {
    expect(
      segment.socialUsage.map((usage) => [usage.platform, usage.postId, usage.lastSyncedAt]),
    ).toEqual([
      ['tiktok', posts.get(`${segment.videoId}:tiktok`), null],
      ['youtube', posts.get(`${segment.videoId}:youtube`), null],
    ]);
  }

  // Round 1: the Sleep clip engages far better on both platforms (YouTube reports no shares).
  const serve = (videoId: string, platform: 'youtube' | 'tiktok', views: number, likes: number) =>
    (platform === 'youtube' ? youtube : tiktok)?.setMetrics(
      posts.get(`${videoId}:${platform}`) ?? '',
      { views, likes, comments: Math.floor(likes / 10), shares: Math.floor(likes / 20) },
    );
  serve(sleep, 'youtube', 2_000, 300);
  serve(sleep, 'tiktok', 5_000, 700);
  serve(gut, 'youtube', 2_000, 20);
  serve(gut, 'tiktok', 5_000, 40);
  const first = await json<SyncMetricsSummary>(['segments', 'sync'], { env });
  expect({ synced: first.synced, failed: first.failed }).toEqual({ synced: 4, failed: 0 });
  const afterFirst = await json<InsightRanking>(['insights', 'buckets', '--seed', '7']);
  expect(afterFirst.arms[0]?.label).toBe('Sleep');
  expect(armOf(afterFirst, 'Sleep')).toMatchObject({ trials: 7_000, successes: 1_135 });
  expect(armOf(afterFirst, 'Sleep').pBest).toBeGreaterThan(armOf(afterFirst, 'Gut Health').pBest);
  expect(armOf(afterFirst, 'Sleep').mean).toBeGreaterThan(armOf(afterFirst, 'Gut Health').mean);
  // Buckets without posts still appear, at the pooled rate of all buckets rather than at 50%.
  const pooled = (1_135 + 68 + 1) / (14_000 + 2);
  expect(afterFirst.prior.mean).toBeCloseTo(pooled, 12);
  expect(armOf(afterFirst, 'Immunity')).toMatchObject({ trials: 0, successes: 0 });
  expect(armOf(afterFirst, 'Immunity').mean).toBeCloseTo((1 + 50 * pooled) / 52, 12);
  const next = await json<InsightArm[]>(['insights', 'next', '-n', '1', '--seed', '7']);
  expect(next).toHaveLength(1);

  // Round 2: the Gut Health clip takes off; a re-sync moves the ranking.
  serve(gut, 'youtube', 40_000, 9_000);
  serve(gut, 'tiktok', 90_000, 20_000);
  const second = await json<SyncMetricsSummary>(['segments', 'sync'], { env });
  expect(second.synced).toBe(4);
  const afterSecond = await json<InsightRanking>(['insights', 'buckets', '--seed', '7']);
  expect(armOf(afterSecond, 'Gut Health')).toMatchObject({ trials: 130_000, successes: 32_900 });
  expect(armOf(afterSecond, 'Gut Health').mean).toBeGreaterThan(armOf(afterSecond, 'Sleep').mean);
  expect(armOf(afterSecond, 'Gut Health').pBest).toBeGreaterThan(
    armOf(afterSecond, 'Sleep').pBest * 10,
  );
  // Of the buckets with posts, Gut Health now leads (the untried ones stay worth exploring).
  const tried = afterSecond.arms.filter((arm) => arm.trials > 0).map((arm) => arm.label);
  expect(tried).toEqual(['Gut Health', 'Sleep']);

  // A deleted post fails alone and keeps its last metrics; the others still sync.
  youtube.deletePost(posts.get(`${gut}:youtube`) ?? '');
  const third = await json<SyncMetricsSummary>(['segments', 'sync'], { env });
  expect({ synced: third.synced, failed: third.failed }).toEqual({ synced: 3, failed: 1 });
  expect(third.results.find((result) => !result.ok)).toMatchObject({
    platform: 'youtube',
    postId: posts.get(`${gut}:youtube`),
    error: { code: 'NOT_FOUND' },
  });
  const gutSegment = (await json<Segment[]>(['segments', 'list', '--video', gut]))[0];
  expect(gutSegment?.socialUsage.find((usage) => usage.platform === 'youtube')?.views).toBe(40_000);
}

describe('categorize → upload → usage → metrics sync → insights', () => {
  it('ranks buckets by the engagement the platforms report, and follows the metrics (SQLite)', async () => {
    await closedLoop([]);
  }, 240_000);

  describe('on PostgreSQL', () => {
    const postgres = temporaryPostgresSchema('loop');

    it('closes the same loop', async () => {
      await closedLoop(postgres.args);
    }, 240_000);
  });
});
