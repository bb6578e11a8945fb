import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createVBuckets, type Upload, type UploadStatus, type VBuckets } from '@vbuckets/core';
import { createMemoryBlobStore } from '@vbuckets/core/testing';
import { createSqliteStore } from '@vbuckets/storage-sqlite';
import {
  type FakeYouTubeChaos,
  type FakeYouTubeChaosKind,
  startFakeYouTubeServer,
} from '@vbuckets/testkit';
import { createYouTubeUploader } from '@vbuckets/uploaders';
import { seededRandom, smallVideoBytes } from './bench-files';
import { type Benchmark, type BenchmarkResult, integerFromEnvironment, round } from './harness';

const SCOPE = { orgId: 'bench-org' };
const OWNER_ID = 'bench-owner';
const PLATFORM = 'youtube';
const KiB = 1024;
/** Retry settings: short backoffs for a benchmark, and enough automatic retries that 5 % transient failures do not exhaust them. */
const UPLOAD_SETTINGS = { baseDelayMs: 50, maxDelayMs: 500, maxAutomaticRetries: 10 };
/** A safety stop for the runDue loop; a healthy run needs far fewer. */
const MAX_ROUNDS = 500;

/** Every upload row of the platform: `status` answers one page (100 rows by default) at a time. */
async function allUploads(vb: VBuckets) {
  const rows: Upload[] = [];
  for (;;) {
    const after = rows.at(-1)?.id;
    const page = await vb.uploads.status(SCOPE, {
      platform: PLATFORM,
      limit: 1000,
      ...(after === undefined ? {} : { after }),
    });
    if (page.isErr()) throw page.error;
    rows.push(...page.value);
    if (page.value.length < 1000) return rows;
  }
}

interface ScenarioFigures {
  wallSeconds: number;
  uploadAllSeconds: number;
  rounds: number;
  completed: number;
  lost: number;
  duplicated: number;
  failedFinal: number;
  /** SUCCESS rows whose video is not on the server (or under another id). */
  successWithoutServerVideo: number;
  /** Finished server videos whose bytes differ from the registered ones. */
  corrupted: number;
  stillWaiting: number;
  /** `retryCount: errorMessage` of each FAILED_FINAL row. */
  failedFinalErrors: string[];
  rowsByStatus: Partial<Record<UploadStatus | 'NONE', number>>;
  requests: number;
  injected: Record<FakeYouTubeChaosKind, number>;
  uploadAllFailed: number;
  warnings: number;
}

async function runScenario(input: {
  videos: number;
  videoBytes: number;
  concurrency: number;
  chaos?: FakeYouTubeChaos;
}): Promise<ScenarioFigures> {
  const directory = mkdtempSync(join(tmpdir(), 'vbuckets-bench-uploads-'));
  const server = await startFakeYouTubeServer(
    input.chaos === undefined ? {} : { chaos: input.chaos },
  );
  const opened = await createSqliteStore({ path: join(directory, 'store.db') });
  if (opened.isErr()) throw opened.error;
  let warnings = 0;
  const created = createVBuckets({
    store: opened.value,
    blobs: createMemoryBlobStore(),
    uploaders: [
      createYouTubeUploader({
        accessToken: () => 'fake-youtube-token',
        baseURL: server.baseUrl,
        requestTimeoutMs: 10_000,
      }),
    ],
    uploads: UPLOAD_SETTINGS,
    onWarning: () => {
      warnings += 1;
    },
  });
  if (created.isErr()) throw created.error;
  const vb = created.value;
  try {
    // Registration is set-up, not measured.
    const titleToVideo = new Map<string, { id: string; sha256: string }>();
    for (let index = 0; index < input.videos; index++) {
      const bytes = smallVideoBytes(index, input.videoBytes);
      const filename = `clip-${String(index + 1).padStart(4, '0')}.mp4`;
      const registered = await vb.videos.register(SCOPE, {
        filename,
        mimeType: 'video/mp4',
        body: () => bytes,
        ownerId: OWNER_ID,
      });
      if (registered.isErr()) throw registered.error;
      titleToVideo.set(registered.value.video.title, {
        id: registered.value.video.id,
        sha256: registered.value.video.sha256,
      });
    }
    const requestsBefore = server.requests.length;

    const started = performance.now();
    const summary = await vb.uploads.uploadAllPending(SCOPE, {
      platforms: [PLATFORM],
      concurrency: input.concurrency,
    });
    if (summary.isErr()) throw summary.error;
    const uploadAllSeconds = (performance.now() - started) / 1000;
    let rounds = 0;
    for (; rounds < MAX_ROUNDS; rounds++) {
      const rows = await allUploads(vb);
      const waiting = rows.filter(
        (row) => row.status === 'FAILED' || row.status === 'RATE_LIMITED',
      );
      if (waiting.length === 0) break;
      const nextAt = Math.min(
        ...waiting.map((row) => (row.nextAttemptAt === null ? 0 : Date.parse(row.nextAttemptAt))),
      );
      const wait = nextAt - Date.now();
      if (wait > 0) await sleep(wait);
      const due = await vb.uploads.runDue(SCOPE);
      if (due.isErr()) throw due.error;
    }
    const wallSeconds = (performance.now() - started) / 1000;

    const rowByVideo = new Map((await allUploads(vb)).map((row) => [row.videoId, row]));
    const serverVideosByTitle = new Map<string, { id: string; sha256: string }[]>();
    for (const video of server.videos.values()) {
      const title = (video.metadata as { snippet?: { title?: string } }).snippet?.title ?? '';
      const list = serverVideosByTitle.get(title) ?? [];
      list.push({ id: video.id, sha256: createHash('sha256').update(video.bytes).digest('hex') });
      serverVideosByTitle.set(title, list);
    }

    const figures = {
      completed: 0,
      lost: 0,
      duplicated: 0,
      failedFinal: 0,
      successWithoutServerVideo: 0,
      corrupted: 0,
      stillWaiting: 0,
    };
    const rowsByStatus: ScenarioFigures['rowsByStatus'] = {};
    const failedFinalErrors: string[] = [];
    for (const [title, video] of titleToVideo) {
      const row = rowByVideo.get(video.id);
      const status = row?.status ?? 'NONE';
      rowsByStatus[status] = (rowsByStatus[status] ?? 0) + 1;
      const onServer = serverVideosByTitle.get(title) ?? [];
      if (onServer.length > 1) figures.duplicated += 1;
      if (onServer.some((each) => each.sha256 !== video.sha256)) figures.corrupted += 1;
      if (status === 'FAILED_FINAL') {
        figures.failedFinal += 1;
        failedFinalErrors.push(`${row?.retryCount}: ${row?.errorMessage}`);
      }
      if (status === 'SUCCESS') {
        const only = onServer.length === 1 ? onServer[0] : undefined;
        if (only !== undefined && only.id === row?.platformPostId) figures.completed += 1;
        if (!onServer.some((each) => each.id === row?.platformPostId)) {
          figures.successWithoutServerVideo += 1;
        }
      } else if (status === 'FAILED' || status === 'RATE_LIMITED') figures.stillWaiting += 1;
      else figures.lost += 1;
    }
    const injected: Record<FakeYouTubeChaosKind, number> = {
      'rate-limit': 0,
      'server-error': 0,
      reset: 0,
      'lost-response': 0,
    };
    for (const request of server.requests) {
      if (request.injected !== undefined) injected[request.injected] += 1;
    }
    return {
      wallSeconds,
      uploadAllSeconds,
      rounds,
      ...figures,
      rowsByStatus,
      failedFinalErrors,
      requests: server.requests.length - requestsBefore,
      injected,
      uploadAllFailed: summary.value.failed.length,
      warnings,
    };
  } finally {
    await vb.close();
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

async function runBenchmark(): Promise<BenchmarkResult> {
  const videos = integerFromEnvironment('BENCH_UPLOAD_VIDEOS', 500);
  const videoKB = integerFromEnvironment('BENCH_UPLOAD_VIDEO_KB', 64);
  const concurrency = integerFromEnvironment('BENCH_UPLOAD_CONCURRENCY', 8);
  const failurePercent = integerFromEnvironment('BENCH_UPLOAD_FAILURE_PERCENT', 5);
  const rateLimitPercent = integerFromEnvironment('BENCH_UPLOAD_RATE_LIMIT_PERCENT', 2);
  const retryAfterSeconds = integerFromEnvironment('BENCH_UPLOAD_RETRY_AFTER_S', 1);
  const seed = integerFromEnvironment('BENCH_UPLOAD_SEED', 2026);
  const shared = { videos, videoBytes: videoKB * KiB, concurrency };

  const clean = await runScenario(shared);
  const chaos = await runScenario({
    ...shared,
    chaos: {
      failureRate: failurePercent / 100,
      rateLimitRate: rateLimitPercent / 100,
      retryAfterSeconds,
      random: seededRandom(seed),
    },
  });

  const transientInjected =
    chaos.injected['server-error'] + chaos.injected.reset + chaos.injected['lost-response'];
  return {
    metrics: {
      completed: chaos.completed,
      lost: chaos.lost,
      duplicated: chaos.duplicated,
      failedFinal: chaos.failedFinal,
      stillWaitingAtEnd: chaos.stillWaiting,
      successWithoutServerVideo: chaos.successWithoutServerVideo,
      corruptedOnServer: chaos.corrupted,
      transientFailuresInjected: transientInjected,
      serverErrorsInjected: chaos.injected['server-error'],
      connectionResetsInjected: chaos.injected.reset,
      lostResponsesInjected: chaos.injected['lost-response'],
      rateLimitsInjected: chaos.injected['rate-limit'],
      requests: chaos.requests,
      runDueRounds: chaos.rounds,
      uploadAllPendingFailed: chaos.uploadAllFailed,
      uploadAllPendingSeconds: round(chaos.uploadAllSeconds),
      wallSeconds: round(chaos.wallSeconds),
      warnings: chaos.warnings,
    },
    baseline: {
      description:
        'the same uploads (fresh SQLite store, fresh fake server) with no injected failures',
      metrics: {
        completed: clean.completed,
        lost: clean.lost,
        duplicated: clean.duplicated,
        failedFinal: clean.failedFinal,
        requests: clean.requests,
        runDueRounds: clean.rounds,
        wallSeconds: round(clean.wallSeconds),
      },
    },
    ratios: {
      wallChaosVsClean: round(chaos.wallSeconds / clean.wallSeconds),
      requestsChaosVsClean: round(chaos.requests / clean.requests),
    },
    targets: {
      completed: { target: `= ${videos}`, met: chaos.completed === videos },
      lost: { target: '= 0', met: chaos.lost === 0 },
      duplicated: { target: '= 0', met: chaos.duplicated === 0 },
    },
    parameters: {
      videos,
      videoKB,
      concurrency,
      failurePercent,
      rateLimitPercent,
      retryAfterSeconds,
      seed,
      baseDelayMs: UPLOAD_SETTINGS.baseDelayMs,
      maxDelayMs: UPLOAD_SETTINGS.maxDelayMs,
      maxAutomaticRetries: UPLOAD_SETTINGS.maxAutomaticRetries,
      rowsByStatus: JSON.stringify(chaos.rowsByStatus),
      failedFinalErrors: JSON.stringify(chaos.failedFinalErrors),
      failureKinds:
        'transient failures are split evenly between 503 backendError, a connection reset before the request is read, and a lost response (the work is done, the connection drops instead of the answer); rate limits are 429 rateLimitExceeded with Retry-After',
      timing:
        'wall time from uploadAllPending to the end of the runDue loop (sleeping until the earliest nextAttemptAt between rounds); registration is not timed',
      definitions:
        'completed: SUCCESS row and exactly one finished server video (same id as platformPostId); lost: neither SUCCESS nor FAILED/RATE_LIMITED at the end (FAILED_FINAL counts, and is also reported alone); duplicated: more than one finished server video',
    },
  };
}

export const uploadReliability: Benchmark = {
  name: 'upload-reliability',
  description:
    '500 small videos uploaded to the fake YouTube server with the real YouTube uploader (uploadAllPending, concurrency 8, then runDue until nothing waits) under 5 % transient failures and 2 % 429s: completed / lost / duplicated, against the same uploads with no failures',
  run: runBenchmark,
};
