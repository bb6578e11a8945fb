// The background-jobs proofs, with `vbuckets worker` processes on BullMQ and real Redis (the
// first one on the embedded queue too): many enqueues of one upload post it once; a worker
// killed mid-upload is taken over from the resumable session's checkpoint; a worker killed
// mid-session leaves every video categorized exactly once.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Categorization, UploadHistoryEntry } from '@vbuckets/core';
import type { JobQueue } from '@vbuckets/core/adapter-kit';
import { createBullMqJobQueue } from '@vbuckets/queue-bullmq';
import { expectOk, startFakeYouTubeServer } from '@vbuckets/testkit';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CliProcess, ensureBuiltCli, startBuiltCli } from './built-cli';
import { completedJobs, countsByKind, stopWorker } from './fixtures/jobs';
import { REDIS_URL, redisEnv, redisTestPrefix, removeRedisKeys } from './fixtures/redis';
import {
  openSharedWorld,
  readCalls,
  type SharedWorld,
  type StoreKind,
  videoBytes,
  waitFor,
} from './fixtures/upload-processes';
import { run } from './helpers';
import { eightClips, expectFiledOnce, sampleBucketsFile } from './samples';

beforeAll(ensureBuiltCli, 300_000);

/** The CLI's org, which `videos show` and `results` read. */
const scope = { orgId: 'local' };
/** Short leases, so that a killed worker's job and upload are taken over in seconds. */
const LEASE_MS = 1_500;
/** The CLI's YouTube uploader sends 8 MiB per PUT. */
const CHUNK_BYTES = 8 * 1024 * 1024;
const PATIENCE_MS = 120_000;

type Engine = 'bullmq' | 'embedded';

interface Setup {
  world: SharedWorld;
  /** The environment of every worker: the Redis queue (BullMQ), short leases, `extra`. */
  env: Record<string, string>;
  worker(name: string, extra?: Record<string, string>): CliProcess;
  /** Runs a CLI command in this process on the world (with the same queue). */
  cli(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }>;
}

const opened: Array<{ world: SharedWorld; prefix?: string; workers: CliProcess[] }> = [];

afterEach(async () => {
  for (const { world, prefix, workers } of opened.splice(0)) {
    for (const worker of workers) worker.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited));
    await world.dispose();
    if (prefix !== undefined) await removeRedisKeys(prefix);
  }
});

/** A shared store and blob folder, the queue of `engine`, and workers of the built CLI on them. */
async function setUp(kind: StoreKind, engine: Engine, env: Record<string, string> = {}) {
  const prefix = engine === 'bullmq' ? redisTestPrefix(`proofs-${kind}`) : undefined;
  const queue: JobQueue | undefined =
    prefix === undefined ? undefined : createBullMqJobQueue({ redisUrl: REDIS_URL, prefix });
  const world = await openSharedWorld(kind, queue === undefined ? {} : { queue });
  const workers: CliProcess[] = [];
  opened.push({ world, ...(prefix === undefined ? {} : { prefix }), workers });
  const workerEnv = {
    ...(prefix === undefined ? {} : redisEnv(prefix)),
    VBUCKETS_JOB_LEASE_MS: String(LEASE_MS),
    VBUCKETS_JOB_POLL_MS: '100',
    VBUCKETS_UPLOAD_LEASE_MS: String(LEASE_MS),
    ...env,
  };
  const setup: Setup = {
    world,
    env: workerEnv,
    worker: (name, extra = {}) => {
      const started = startBuiltCli([...world.cliArgs, 'worker', '--grace', '5'], {
        cwd: world.dataDir,
        env: { ...workerEnv, ...extra },
      });
      workers.push(started);
      void started.exited.then(() => {
        if (started.child.signalCode === null && started.child.exitCode !== 0) {
          console.error(
            `worker ${name} ended with ${started.child.exitCode}:\n${started.output()}`,
          );
        }
      });
      return started;
    },
    cli: (argv) => run([...world.cliArgs, ...argv], { cwd: world.dataDir, env: workerEnv }),
  };
  return setup;
}

/** A fake YouTube that the workers post to. */
async function youtubeFor() {
  const youtube = await startFakeYouTubeServer();
  const env = {
    YOUTUBE_ACCESS_TOKEN: 'fake-youtube-token',
    VBUCKETS_YOUTUBE_BASE_URL: youtube.baseUrl,
  };
  return { youtube, env };
}

async function registerVideo(world: SharedWorld, filename: string, size: number) {
  const bytes = videoBytes(size);
  const { video } = await expectOk(
    world.vb.videos.register(scope, {
      filename,
      body: () => bytes,
      ownerId: 'owner-jobs',
      mimeType: 'video/mp4',
    }),
  );
  return { video, bytes };
}

describe.each<[StoreKind, Engine]>([
  ['sqlite', 'bullmq'],
  ['postgres', 'bullmq'],
  ['sqlite', 'embedded'],
])('on %s with the %s queue', (kind, engine) => {
  it('3 worker processes and 200 enqueues of one upload: one post', async () => {
    const { youtube, env } = await youtubeFor();
    try {
      const setup = await setUp(kind, engine, env);
      const { world } = setup;
      const { video, bytes } = await registerVideo(world, 'one-post.mp4', 1024 * 1024 + 17);
      const workers = ['a', 'b', 'c'].map((name) => setup.worker(name));
      await Promise.all(workers.map((worker) => worker.waitForLine(/^Worker started/, 'start')));

      // Half as `upload --queue` does (the kind's id: one job), half each under an id of its
      // own, as if other systems queued the same upload: 101 jobs racing over 3 processes.
      const payload = { orgId: scope.orgId, videoId: video.id, platform: 'youtube' };
      const enqueued = await Promise.all(
        Array.from({ length: 200 }, (_, index) =>
          expectOk(
            index % 2 === 0
              ? world.vb.jobs.enqueue('uploads.upload', payload)
              : world.vb.jobs.enqueue('uploads.upload', payload, { jobId: `same-upload-${index}` }),
          ),
        ),
      );
      expect(enqueued.filter((job) => job.created)).toHaveLength(101);
      expect(new Set(enqueued.map((job) => job.id)).size).toBe(101);

      await waitFor(
        'the 101 jobs to complete',
        async () => {
          const counts = countsByKind(await expectOk(world.vb.jobs.counts()));
          return counts['uploads.upload']?.completed === 101 ? counts : undefined;
        },
        PATIENCE_MS,
      );
      expect(countsByKind(await expectOk(world.vb.jobs.counts()))).toEqual({
        'uploads.upload': { completed: 101 },
      });

      // One session, one post, the file's bytes once.
      expect(youtube.requests.filter((request) => request.route === 'start')).toHaveLength(1);
      expect(youtube.videos.size).toBe(1);
      const [posted] = [...youtube.videos.values()];
      expect(Buffer.from(posted?.bytes ?? []).equals(Buffer.from(bytes))).toBe(true);
      expect(youtube.acceptedBytes()).toBe(bytes.byteLength);
      const row = await expectOk(world.store.uploads.get(scope, video.id, 'youtube'));
      expect(row).toMatchObject({ status: 'SUCCESS', platformPostId: posted?.id });
      const attempts = await expectOk(world.store.uploads.listAttempts(scope, row?.id ?? ''));
      expect(attempts.map((attempt) => attempt.status)).toEqual(['SUCCESS']);

      const ran = workers.map((worker) => completedJobs(worker).length);
      expect(ran.reduce((sum, count) => sum + count, 0)).toBe(101);
      console.info(
        `[proof i: ${kind}/${engine}] posts 1; jobs completed per worker ${ran.join('/')}`,
      );
      await Promise.all(workers.map(stopWorker));
    } finally {
      await youtube.close();
    }
  }, 240_000);
});

describe.each<StoreKind>(['sqlite', 'postgres'])(
  'a worker killed with SIGKILL on BullMQ over %s',
  (kind) => {
    it('mid-upload: another worker resumes the resumable session from its checkpoint and posts once', async () => {
      const { youtube, env } = await youtubeFor();
      try {
        const setup = await setUp(kind, 'bullmq', env);
        const { world } = setup;
        const size = 2 * CHUNK_BYTES + 12_345;
        const { video, bytes } = await registerVideo(world, 'long-take.mp4', size);
        // The second chunk never gets an answer: the first worker hangs in the middle of its PUT.
        youtube.script({ route: 'chunk', fromOffset: CHUNK_BYTES, failure: { kind: 'hold' } });
        const job = await expectOk(
          world.vb.jobs.enqueue('uploads.upload', {
            orgId: scope.orgId,
            videoId: video.id,
            platform: 'youtube',
          }),
        );

        const first = setup.worker('first');
        await waitFor(
          'the held PUT of the second chunk',
          () => {
            if (first.child.exitCode !== null) throw new Error(first.output());
            return youtube.requests.some(
              (request) =>
                request.route === 'chunk' &&
                request.headers['content-range']?.startsWith(`bytes ${CHUNK_BYTES}-`),
            )
              ? true
              : undefined;
          },
          PATIENCE_MS,
        );
        const checkpointed = await waitFor(
          'the checkpoint after the first chunk',
          async () => {
            const row = await expectOk(world.store.uploads.get(scope, video.id, 'youtube'));
            return row?.checkpoint?.offset === CHUNK_BYTES ? row : undefined;
          },
          PATIENCE_MS,
        );
        expect(checkpointed.status).toBe('IN_PROGRESS');
        first.kill('SIGKILL');
        expect((await first.exited).signal).toBe('SIGKILL');
        const requestsBeforeKill = youtube.requests.length;

        const second = setup.worker('second');
        await second.waitForLine(
          (line) => line.startsWith(`✓ uploads.upload ${job.id} `),
          'the upload job to complete on the second worker',
          PATIENCE_MS,
        );
        await stopWorker(second);

        // The platform: one session, never restarted; the second worker asked where it stood and
        // sent from the checkpoint on; one video with exactly the file's bytes.
        expect(youtube.requests.filter((request) => request.route === 'start')).toHaveLength(1);
        expect(youtube.sessions.size).toBe(1);
        const resumed = youtube.requests.slice(requestsBeforeKill);
        expect(resumed[0]?.route).toBe('status');
        const resumedChunks = resumed.filter((request) => request.route === 'chunk');
        expect(resumedChunks[0]?.headers['content-range']).toBe(
          `bytes ${CHUNK_BYTES}-${2 * CHUNK_BYTES - 1}/${size}`,
        );
        const resent = resumedChunks.reduce((sum, request) => sum + request.bodyBytes, 0);
        expect(resent).toBe(size - CHUNK_BYTES);
        expect(youtube.acceptedBytes()).toBe(size);
        expect(youtube.videos.size).toBe(1);
        const [posted] = [...youtube.videos.values()];
        expect(Buffer.from(posted?.bytes ?? []).equals(Buffer.from(bytes))).toBe(true);

        // The attempt history as `vbuckets videos show` gives it: the dead attempt abandoned when
        // its lease ran out, then the one that posted.
        const shown = await setup.cli(['videos', 'show', video.id, '--json']);
        expect(shown.code, shown.stderr).toBe(0);
        const { uploads } = JSON.parse(shown.stdout) as { uploads: UploadHistoryEntry[] };
        expect(uploads).toHaveLength(1);
        expect(uploads[0]).toMatchObject({ status: 'SUCCESS', platformPostId: posted?.id });
        const attempts = uploads[0]?.attempts ?? [];
        expect(attempts.map((attempt) => [attempt.attemptNumber, attempt.status])).toEqual([
          [1, 'FAILED'],
          [2, 'SUCCESS'],
        ]);
        expect(attempts[0]?.errorMessage).toMatch(/^lease expired; reclaimed by /);
        expect(attempts[1]?.platformPostId).toBe(posted?.id);
        const finished = await expectOk(world.vb.jobs.get('uploads.upload', job.id));
        expect(finished.state).toBe('completed');
        console.info(
          `[proof ii: ${kind}/bullmq] posts ${youtube.videos.size}; sessions started 1; bytes sent before the kill ${CHUNK_BYTES} (+ a held chunk), after it ${resent} of ${size} (re-sent 0); attempts ${attempts.map((attempt) => attempt.status).join(', ')}; job attempts ${finished.attemptsMade}`,
        );
      } finally {
        await youtube.close();
      }
    }, 240_000);

    it('mid-session: another worker finishes it and every video is categorized exactly once', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'vbuckets-jobs-kill-'));
      try {
        const logPath = join(dir, 'calls.log');
        // Each analysis takes 3 s: the kill at the fifth call lands with that call and others in
        // flight, unless this process were stalled for two whole rounds.
        const setup = await setUp(kind, 'bullmq', {
          VBUCKETS_CLI_TEST_DELAY_MS: '3000',
          VBUCKETS_CLI_TEST_CALL_LOG: logPath,
        });
        const clips = join(dir, 'clips');
        const expected = await eightClips(clips);
        expect((await setup.cli(['buckets', 'import', sampleBucketsFile])).code).toBe(0);
        const queued = await setup.cli(['categorize', clips, '--queue', '--provider', 'keyword']);
        expect(queued.code, queued.stderr).toBe(0);
        const sessionId = /^Queued session (\S+): 8 videos/m.exec(queued.stdout)?.[1] ?? '';
        const results = async () => {
          const shown = await setup.cli(['results', sessionId, '--json']);
          if (shown.code !== 0) throw new Error(shown.stderr);
          return (JSON.parse(shown.stdout) as { rows: Categorization[] }).rows;
        };

        // Four videos at a time: a fifth call means one is finished and more are in flight.
        const first = setup.worker('first');
        await waitFor(
          'the fifth analyzer call',
          () => {
            if (first.child.exitCode !== null) throw new Error(first.output());
            return readCalls(logPath).length >= 5 ? true : undefined;
          },
          PATIENCE_MS,
        );
        first.kill('SIGKILL');
        expect((await first.exited).signal).toBe('SIGKILL');
        const atKill = await results();
        const finishedBefore = atKill.filter((row) => row.status !== 'pending');
        const pendingAtKill = atKill.filter((row) => row.status === 'pending');
        expect(finishedBefore.length).toBeGreaterThan(0);
        expect(pendingAtKill.length).toBeGreaterThan(0);

        const second = setup.worker('second', { VBUCKETS_CLI_TEST_DELAY_MS: '10' });
        await second.waitForLine(
          (line) => line.startsWith('✓ categorize.session ') && line.includes(sessionId),
          'the session job to complete on the second worker',
          PATIENCE_MS,
        );
        await stopWorker(second);

        // The analyzer: the second worker called each video left pending once, and none of the
        // finished ones; every video's one completed call is its row's result.
        const calls = readCalls(logPath);
        const byFirst = calls
          .filter((call) => call.pid === first.child.pid)
          .map((call) => call.filename);
        const bySecond = calls
          .filter((call) => call.pid === second.child.pid)
          .map((call) => call.filename);
        expect(calls).toHaveLength(byFirst.length + bySecond.length);
        expect([...bySecond].sort()).toEqual(pendingAtKill.map((row) => row.filename).sort());
        expect(new Set(byFirst).size).toBe(byFirst.length);
        for (const row of finishedBefore) {
          expect(byFirst).toContain(row.filename);
          expect(bySecond).not.toContain(row.filename);
        }
        const final = await results();
        expectFiledOnce(final, expected, finishedBefore);
        const inFlight = byFirst.filter((filename) => bySecond.includes(filename));
        console.info(
          `[proof iii: ${kind}/bullmq] 8 videos: ${finishedBefore.length} finished by the killed worker, ${inFlight.length} in flight at the kill (called again once), ${pendingAtKill.length - inFlight.length} never started; analyzer calls ${calls.length} (first ${byFirst.length}, second ${bySecond.length})`,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 240_000);
  },
);
