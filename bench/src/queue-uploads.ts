// The upload half of queue-throughput: `uploads.upload` jobs in BullMQ, run by worker processes
// (queue-uploads-child.mjs) that share one SQLite file and blob folder and post to the fake
// YouTube server, which answers every request `latencyMs` late.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createVBuckets, type VBuckets } from '@vbuckets/core';
import { createLocalBlobStore } from '@vbuckets/fs';
import { createBullMqJobQueue } from '@vbuckets/queue-bullmq';
import { createSqliteStore } from '@vbuckets/storage-sqlite';
import { type FakeYouTubeServer, startFakeYouTubeServer } from '@vbuckets/testkit';
import { createYouTubeUploader } from '@vbuckets/uploaders';
import { smallVideoBytes } from './bench-files';
import { deleteRedisKeys, runPrefix } from './queue-noop';

const childScript = fileURLToPath(new URL('./queue-uploads-child.mjs', import.meta.url));
const SCOPE = { orgId: 'bench-org' };
const KIND = 'uploads.upload';
/** A run that has not finished by then is stuck, not slow. */
const RUN_TIMEOUT_MS = 600_000;

export interface UploadScenario {
  processes: number;
  concurrencyPerProcess: number;
  uploads: number;
  videoBytes: number;
  latencyMs: number;
  pollMs: number;
  redisUrl: string;
}

export interface UploadFigures {
  /** "go" to the poll that saw every job completed (or failed). */
  wallSeconds: number;
  /** Spawn to the last child's "ready" (node start, imports, store and Redis connections). */
  startUpSeconds: number;
  uploadsPerSecond: number;
  completedJobs: number;
  failedJobs: number;
  /** SUCCESS rows with exactly one finished server video, under the row's post id. */
  completed: number;
  /** Videos with more than one finished video on the server. */
  duplicated: number;
  requests: number;
  /** Jobs each process completed (the jobs service's events). */
  completedPerProcess: number[];
  /** Failed attempts the workers saw (a retried attempt counts too). */
  failedAttempts: number;
  engineErrors: number;
  warnings: number;
  firstErrors: string[];
}

interface ChildReport {
  completed: number;
  failed: number;
  engineErrors: number;
  warnings: number;
  firstErrors: string[];
}

interface WorkerProcess {
  ready: Promise<void>;
  report: Promise<ChildReport>;
  go(): void;
  /** Asks for a graceful stop; the report follows. */
  stop(): void;
  /** Ends a process that did not report (after a failure elsewhere). */
  kill(): void;
}

/** Node flags for the worker processes, e.g. `--cpu-prof --cpu-prof-dir=/tmp/profiles`. */
function childNodeArguments(): string[] {
  return (process.env.BENCH_QUEUE_CHILD_NODE_ARGS ?? '').split(/\s+/u).filter(Boolean);
}

/** A promise with its settle functions, and no unhandled rejection if nobody awaits it. */
function deferred<T>() {
  let resolve = (_value: T) => {};
  let reject = (_error: Error) => {};
  const promise = new Promise<T>((settle, fail) => {
    resolve = settle;
    reject = fail;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}

function startWorkerProcess(settings: Record<string, string | number>): WorkerProcess {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [...childNodeArguments(), childScript, JSON.stringify(settings)],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  // Writing to a process that already ended fails with EPIPE: its exit says what went wrong.
  child.stdin.on('error', () => {});
  const ready = deferred<void>();
  const report = deferred<ChildReport>();
  let reported = false;
  const fail = (error: Error) => {
    ready.reject(error);
    report.reject(error);
  };
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.trim() === 'ready') ready.resolve();
    else if (line.startsWith('{')) {
      reported = true;
      report.resolve(JSON.parse(line) as ChildReport);
    }
  });
  child.on('error', fail);
  child.on('exit', (code) => {
    if (code !== 0 || !reported) {
      fail(new Error(`worker process exited with ${code}: ${stderr.trim()}`));
    }
  });
  let stopped = false;
  return {
    ready: ready.promise,
    report: report.promise,
    go: () => child.stdin.write('go\n'),
    stop: () => {
      if (!stopped) child.stdin.write('stop\n');
      stopped = true;
    },
    kill: () => {
      if (!reported && child.exitCode === null) child.kill();
    },
  };
}

async function settledJobs(vb: VBuckets): Promise<{ completed: number; failed: number }> {
  const counts = await vb.jobs.counts();
  if (counts.isErr()) throw counts.error;
  const of = (state: string) =>
    counts.value.find((each) => each.kind === KIND && each.state === state)?.count ?? 0;
  return { completed: of('completed'), failed: of('failed') };
}

/** Per video: SUCCESS with exactly one finished server video of its title, and duplicates. */
async function checkPosts(
  vb: VBuckets,
  server: FakeYouTubeServer,
  titleToVideo: Map<string, string>,
): Promise<{ completed: number; duplicated: number }> {
  const rowByVideo = new Map<string, { status: string; platformPostId: string | null }>();
  // status() answers one page (100 rows unless told): read every page.
  for (let after: string | undefined; ; ) {
    const page = await vb.uploads.status(SCOPE, {
      platform: 'youtube',
      limit: 1000,
      ...(after === undefined ? {} : { after }),
    });
    if (page.isErr()) throw page.error;
    for (const row of page.value) rowByVideo.set(row.videoId, row);
    if (page.value.length < 1000) break;
    after = page.value.at(-1)?.id;
  }
  const idsByTitle = new Map<string, string[]>();
  for (const video of server.videos.values()) {
    const title = (video.metadata as { snippet?: { title?: string } }).snippet?.title ?? '';
    idsByTitle.set(title, [...(idsByTitle.get(title) ?? []), video.id]);
  }
  let completed = 0;
  let duplicated = 0;
  for (const [title, videoId] of titleToVideo) {
    const posted = idsByTitle.get(title) ?? [];
    const row = rowByVideo.get(videoId);
    if (posted.length > 1) duplicated += 1;
    if (row?.status === 'SUCCESS' && posted.length === 1 && posted[0] === row.platformPostId) {
      completed += 1;
    }
  }
  return { completed, duplicated };
}

/** Registers and enqueues every upload, then times `processes` workers until all are done. */
export async function runUploadScenario(input: UploadScenario): Promise<UploadFigures> {
  const directory = mkdtempSync(join(tmpdir(), 'vbuckets-bench-queue-uploads-'));
  const storePath = join(directory, 'store.db');
  const blobRoot = join(directory, 'blobs');
  const prefix = runPrefix(`uploads-${input.processes}p`);
  const server = await startFakeYouTubeServer({ latencyMs: input.latencyMs });
  const opened = await createSqliteStore({ path: storePath, busyTimeoutMs: 30_000 });
  if (opened.isErr()) throw opened.error;
  const created = createVBuckets({
    store: opened.value,
    blobs: createLocalBlobStore({ root: blobRoot, fsync: false }),
    queue: createBullMqJobQueue({ redisUrl: input.redisUrl, prefix }),
    uploaders: [
      createYouTubeUploader({ accessToken: () => 'fake-youtube-token', baseURL: server.baseUrl }),
    ],
  });
  if (created.isErr()) throw created.error;
  const vb = created.value;
  const workers: WorkerProcess[] = [];
  try {
    // Set-up, not timed: register the videos and queue one upload job each.
    const titleToVideo = new Map<string, string>();
    for (let index = 0; index < input.uploads; index++) {
      const bytes = smallVideoBytes(index, input.videoBytes);
      const registered = await vb.videos.register(SCOPE, {
        filename: `clip-${String(index + 1).padStart(4, '0')}.mp4`,
        mimeType: 'video/mp4',
        body: () => bytes,
        ownerId: 'bench-owner',
      });
      if (registered.isErr()) throw registered.error;
      const { video } = registered.value;
      titleToVideo.set(video.title, video.id);
      const queued = await vb.jobs.enqueue(KIND, {
        ...SCOPE,
        videoId: video.id,
        platform: 'youtube',
      });
      if (queued.isErr()) throw queued.error;
    }

    const spawned = performance.now();
    for (let index = 0; index < input.processes; index++) {
      workers.push(
        startWorkerProcess({
          storePath,
          blobRoot,
          redisUrl: input.redisUrl,
          prefix,
          baseUrl: server.baseUrl,
          concurrency: input.concurrencyPerProcess,
        }),
      );
    }
    await Promise.all(workers.map((worker) => worker.ready));
    const startUpSeconds = (performance.now() - spawned) / 1000;

    const started = performance.now();
    for (const worker of workers) worker.go();
    let stopping = false;
    const crashed = Promise.race(workers.map((worker) => worker.report)).then(() => {
      if (!stopping) throw new Error('a worker process reported before it was told to stop');
    });
    crashed.catch(() => {});
    let settled = { completed: 0, failed: 0 };
    while (settled.completed + settled.failed < input.uploads) {
      if (performance.now() - started > RUN_TIMEOUT_MS) {
        throw new Error(`uploads still running after ${RUN_TIMEOUT_MS} ms`);
      }
      await Promise.race([sleep(input.pollMs), crashed]);
      settled = await settledJobs(vb);
    }
    const wallSeconds = (performance.now() - started) / 1000;
    stopping = true;
    for (const worker of workers) worker.stop();
    const reports = await Promise.all(workers.map((worker) => worker.report));
    const posts = await checkPosts(vb, server, titleToVideo);
    const sum = (pick: (report: ChildReport) => number) =>
      reports.reduce((total, report) => total + pick(report), 0);
    return {
      wallSeconds,
      startUpSeconds,
      uploadsPerSecond: settled.completed / wallSeconds,
      completedJobs: settled.completed,
      failedJobs: settled.failed,
      ...posts,
      requests: server.requests.length,
      completedPerProcess: reports.map((report) => report.completed),
      failedAttempts: sum((report) => report.failed),
      engineErrors: sum((report) => report.engineErrors),
      warnings: sum((report) => report.warnings),
      firstErrors: reports.flatMap((report) => report.firstErrors).slice(0, 5),
    };
  } finally {
    // After a failure, the workers that did not report are ended (each by its own handle).
    for (const worker of workers) worker.kill();
    await vb.close();
    await server.close();
    await deleteRedisKeys(input.redisUrl, prefix);
    rmSync(directory, { recursive: true, force: true });
  }
}
