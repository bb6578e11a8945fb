// The no-op half of queue-throughput: the same jobs through vbuckets' BullMQ JobQueue, through
// raw BullMQ, and through the embedded engine. Each run enqueues every job first, then starts
// one worker; its wall time runs from the first enqueue to the moment Redis (or the store)
// counts the last job completed.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createStoreJobQueue, type JobQueue } from '@vbuckets/core';
import { createBullMqJobQueue } from '@vbuckets/queue-bullmq';
import { createSqliteStore } from '@vbuckets/storage-sqlite';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { ok } from 'neverthrow';

export const NOOP_KIND = 'bench.noop';
/** A run that has not finished by then is stuck, not slow. */
const RUN_TIMEOUT_MS = 300_000;

/** One run of `jobs` no-op jobs. */
export interface NoopFigures {
  /** First enqueue to the last enqueue's answer. */
  enqueueSeconds: number;
  /** Worker start to the last job counted completed. */
  workSeconds: number;
  /** First enqueue to the last job counted completed. */
  wallSeconds: number;
  jobsPerSecond: number;
}

export interface NoopRun {
  jobs: number;
  concurrency: number;
  redisUrl: string;
}

/** Deletes every key under `prefix:` (the run's own namespace). */
export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<number> {
  const client = new Redis(redisUrl);
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await client.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    await client.quit();
  }
  return deleted;
}

export const runPrefix = (label: string) => `vbbench-queue-${randomUUID().slice(0, 8)}-${label}`;

/** A counter that resolves once `target` processor calls returned. */
function countdown(target: number): { tick(): void; done: Promise<void> } {
  let count = 0;
  let resolve = () => {};
  const done = new Promise<void>((settle) => {
    resolve = settle;
  });
  return {
    tick() {
      count += 1;
      if (count === target) resolve();
    },
    done,
  };
}

/** Waits for `done`, then polls `completed` tightly (the last job is marked just after its processor returns). */
async function untilCompleted(
  done: Promise<void>,
  jobs: number,
  completed: () => Promise<number>,
): Promise<void> {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  // Cancelled once the jobs ran, so that the timer keeps neither the process alive nor fires.
  const cancel = new AbortController();
  const timeout = sleep(RUN_TIMEOUT_MS, undefined, { signal: cancel.signal }).then(() => {
    throw new Error(`no-op jobs still running after ${RUN_TIMEOUT_MS} ms`);
  });
  timeout.catch(() => {});
  try {
    await Promise.race([done, timeout]);
  } finally {
    cancel.abort();
  }
  while ((await completed()) < jobs) {
    if (Date.now() > deadline) throw new Error('jobs ran but were not all counted completed');
    await sleep(1);
  }
}

const seconds = (fromMs: number, toMs: number) => (toMs - fromMs) / 1000;

function figures(started: number, enqueued: number, finished: number, jobs: number): NoopFigures {
  const wallSeconds = seconds(started, finished);
  return {
    enqueueSeconds: seconds(started, enqueued),
    workSeconds: seconds(enqueued, finished),
    wallSeconds,
    jobsPerSecond: jobs / wallSeconds,
  };
}

async function completedOf(queue: JobQueue): Promise<number> {
  const counts = await queue.counts();
  if (counts.isErr()) throw counts.error;
  return (
    counts.value.find((each) => each.kind === NOOP_KIND && each.state === 'completed')?.count ?? 0
  );
}

/** Our JobQueue port (one `enqueue` per job, all in flight at once) on either engine. */
async function runPort(queue: JobQueue, input: NoopRun): Promise<NoopFigures> {
  const indexes = Array.from({ length: input.jobs }, (_, index) => index);
  const started = performance.now();
  const enqueued = await Promise.all(indexes.map((index) => queue.enqueue(NOOP_KIND, { index })));
  const refused = enqueued.find((result) => result.isErr());
  if (refused?.isErr()) throw refused.error;
  const enqueuedAt = performance.now();
  const ran = countdown(input.jobs);
  const worker = queue.work(
    async () => {
      ran.tick();
      return ok(null);
    },
    { kinds: [NOOP_KIND], concurrency: input.concurrency },
  );
  if (worker.isErr()) throw worker.error;
  try {
    await untilCompleted(ran.done, input.jobs, () => completedOf(queue));
    return figures(started, enqueuedAt, performance.now(), input.jobs);
  } finally {
    await worker.value.close();
  }
}

/** `createBullMqJobQueue` under a fresh prefix. */
export async function runOursBullMq(input: NoopRun): Promise<NoopFigures> {
  const prefix = runPrefix('ours');
  const queue = createBullMqJobQueue({ redisUrl: input.redisUrl, prefix });
  try {
    return await runPort(queue, input);
  } finally {
    await queue.close();
    await deleteRedisKeys(input.redisUrl, prefix);
  }
}

/**
 * Raw BullMQ under a fresh prefix: `Queue.add` per job, all in flight at once (the port's
 * enqueue is one job per call), or `addBulk` of every job in one call; a `Worker` on a
 * duplicated connection with `maxRetriesPerRequest: null`, as ours does, and BullMQ's
 * defaults for everything else (ours keeps them too: 30 s locks and stalled checks).
 */
export async function runRawBullMq(
  input: NoopRun & { enqueue: 'add' | 'addBulk' },
): Promise<NoopFigures> {
  const prefix = runPrefix(`raw-${input.enqueue}`);
  const connection = new Redis(input.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(NOOP_KIND, { connection, prefix });
  // BullMQ leaves a connection it was given open: the worker's is closed below too.
  const workerConnection = connection.duplicate({ maxRetriesPerRequest: null });
  let worker: Worker | undefined;
  try {
    await queue.waitUntilReady();
    const indexes = Array.from({ length: input.jobs }, (_, index) => index);
    const started = performance.now();
    if (input.enqueue === 'add') {
      await Promise.all(indexes.map((index) => queue.add(NOOP_KIND, { index })));
    } else {
      await queue.addBulk(indexes.map((index) => ({ name: NOOP_KIND, data: { index } })));
    }
    const enqueuedAt = performance.now();
    const ran = countdown(input.jobs);
    worker = new Worker(
      NOOP_KIND,
      async () => {
        ran.tick();
        return null;
      },
      {
        connection: workerConnection,
        prefix,
        concurrency: input.concurrency,
      },
    );
    worker.on('error', () => {
      // A lost connection shows as a stuck run (the timeout), not as a crash.
    });
    await untilCompleted(ran.done, input.jobs, () => queue.getCompletedCount());
    return figures(started, enqueuedAt, performance.now(), input.jobs);
  } finally {
    await worker?.close();
    await queue.close();
    await workerConnection.quit();
    await connection.quit();
    await deleteRedisKeys(input.redisUrl, prefix);
  }
}

/** The embedded engine (`createStoreJobQueue`) over a fresh SQLite file. */
export async function runEmbedded(input: Omit<NoopRun, 'redisUrl'>): Promise<NoopFigures> {
  const directory = mkdtempSync(join(tmpdir(), 'vbuckets-bench-queue-'));
  const opened = await createSqliteStore({ path: join(directory, 'jobs.db') });
  if (opened.isErr()) throw opened.error;
  const queue = createStoreJobQueue(opened.value);
  try {
    return await runPort(queue, { ...input, redisUrl: '' });
  } finally {
    await queue.close();
    await opened.value.close();
    rmSync(directory, { recursive: true, force: true });
  }
}
