import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { vbucketsError } from '@vbuckets/core';
import type { JobQueue, JobRun } from '@vbuckets/core/adapter-kit';
import { expectOk } from '@vbuckets/testkit';
import { err, ok } from 'neverthrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bullMqFixture,
  deferred,
  PATIENCE_MS,
  REDIS_URL,
  uniqueKind,
  waitForJobState,
} from './bullmq-fixture';

// Short leases so a dead worker's job is taken over within seconds, not the default 30 s.
const fixture = bullMqFixture('worker', { lockDurationMs: 1000, stalledIntervalMs: 500 });
let queue: JobQueue;

beforeAll(() => {
  queue = fixture.createQueue();
});
afterAll(() => fixture.cleanup());

function startWorker(processor: Parameters<JobQueue['work']>[0], kind: string, concurrency = 1) {
  const worker = queue.work(processor, { kinds: [kind], concurrency });
  if (worker.isErr()) throw worker.error;
  return worker.value;
}

describe('closing a worker', () => {
  it('hands a job back on an immediate close even when its processor ignores the signal', async () => {
    const kind = uniqueKind('stubborn');
    const started = deferred();
    const release = deferred();
    let firstSignal: AbortSignal | undefined;
    const first = startWorker(async (run) => {
      firstSignal = run.signal;
      started.resolve();
      await release.promise;
      return ok(undefined);
    }, kind);
    const job = await expectOk(queue.enqueue(kind, { n: 1 }));
    await started.promise;
    await first.close({ graceful: false });
    expect(firstSignal?.aborted).toBe(true);

    const runs: JobRun[] = [];
    const second = startWorker(async (run) => {
      runs.push(run);
      return ok(undefined);
    }, kind);
    const done = await waitForJobState(queue, kind, job.id, 'completed');
    // The first processor finishing late changes nothing: the job is no longer its own.
    release.resolve();
    await second.close();
    // The released attempt was not used up.
    expect(runs.map((run) => run.attempt)).toEqual([1]);
    expect(done.attemptsMade).toBe(1);
    expect((await expectOk(queue.get(kind, job.id))).state).toBe('completed');
  });

  it('waits on a graceful close for every running job of every kind', async () => {
    const kinds = [uniqueKind('one'), uniqueKind('two')];
    const release = deferred();
    let started = 0;
    const allStarted = deferred();
    const worker = queue.work(
      async () => {
        started += 1;
        if (started === 4) allStarted.resolve();
        await release.promise;
        return ok(undefined);
      },
      { kinds, concurrency: 2 },
    );
    if (worker.isErr()) throw worker.error;
    const jobs = await Promise.all(
      kinds.flatMap((kind) => [1, 2].map(() => expectOk(queue.enqueue(kind, {})))),
    );
    await allStarted.promise;
    expect(worker.value.running).toBe(4);
    const closing = worker.value.close();
    release.resolve();
    await closing;
    expect(worker.value.running).toBe(0);
    for (const job of jobs) {
      expect((await expectOk(queue.get(job.kind, job.id))).state).toBe('completed');
    }
  });
});

describe('a worker that dies', () => {
  const script = fileURLToPath(new URL('./fixtures/stalled-worker.mjs', import.meta.url));
  const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  let child: ChildProcess | undefined;

  afterAll(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
  });

  /** Resolves with the child's first stdout line that has `key`. */
  function lineWith(process: ChildProcess, key: string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      let buffered = '';
      const timer = setTimeout(
        () => reject(new Error(`The child worker never said "${key}"`)),
        PATIENCE_MS,
      );
      process.stdout?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        for (const line of buffered.split('\n')) {
          if (!line.trim().startsWith('{')) continue;
          const parsed = JSON.parse(line) as Record<string, unknown>;
          if (key in parsed) {
            clearTimeout(timer);
            resolve(parsed);
          }
        }
      });
      process.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`The child worker exited (${code}) before saying "${key}"`));
      });
    });
  }

  it('leaves its job to another process, which finishes it as the next attempt', async () => {
    expect(existsSync(dist), 'build the package first (pnpm build)').toBe(true);
    const kind = uniqueKind('crash');
    child = spawn(process.execPath, [script, REDIS_URL, fixture.prefix, kind], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await lineWith(child, 'ready');
    const taken = lineWith(child, 'started');
    const job = await expectOk(queue.enqueue(kind, { video: 'v1' }, { jobId: 'crash:1' }));
    expect(await taken).toEqual({ started: 'crash:1', attempt: 1 });
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const runs: JobRun[] = [];
    const survivor = startWorker(async (run) => {
      runs.push(run);
      return run.attempt >= 2
        ? ok(undefined)
        : err(vbucketsError('PROVIDER', 'expected the second attempt', { retryable: false }));
    }, kind);
    const done = await waitForJobState(queue, kind, job.id, 'completed');
    await survivor.close();
    expect(runs.map((run) => [run.id, run.attempt, run.payload])).toEqual([
      ['crash:1', 2, { video: 'v1' }],
    ]);
    // The dead worker's attempt counts.
    expect(done.attemptsMade).toBe(2);
  });
});
