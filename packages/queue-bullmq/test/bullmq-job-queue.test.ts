import { isSettingsError, vbucketsError } from '@vbuckets/core';
import type { JobQueue, JobRun } from '@vbuckets/core/adapter-kit';
import { expectErrorCode, expectOk } from '@vbuckets/testkit';
import { Redis } from 'ioredis';
import { err, ok } from 'neverthrow';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBullMqJobQueue } from '../src/index';
import { bullMqFixture, keysUnder, REDIS_URL, uniqueKind, waitForJobState } from './bullmq-fixture';

const fixture = bullMqFixture('queue');
let queue: JobQueue;

beforeAll(() => {
  queue = fixture.createQueue();
});
afterAll(() => fixture.cleanup());

function startWorker(
  processor: (run: JobRun) => ReturnType<Parameters<JobQueue['work']>[0]>,
  kind: string,
) {
  const worker = queue.work(processor, { kinds: [kind] });
  if (worker.isErr()) throw worker.error;
  return worker.value;
}

describe('enqueue', () => {
  it('makes one job of 200 concurrent enqueues of one id', async () => {
    const kind = uniqueKind('dedupe');
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        expectOk(queue.enqueue(kind, { index }, { jobId: 'video-1/youtube' })),
      ),
    );
    expect(answers.filter((answer) => answer.created)).toHaveLength(1);
    const counts = await expectOk(queue.counts());
    expect(counts.filter((each) => each.kind === kind)).toEqual([
      { kind, state: 'waiting', count: 1 },
    ]);
  });

  it('registers a kind once per queue, yet every kind still shows in counts', async () => {
    const connection = new Redis(REDIS_URL);
    const sadd = vi.spyOn(connection, 'sadd');
    const own = createBullMqJobQueue({ connection, prefix: fixture.prefix });
    try {
      const [first, second] = [uniqueKind('registered'), uniqueKind('registered')];
      await Promise.all(
        Array.from({ length: 20 }, (_, index) => expectOk(own.enqueue(first, { index }))),
      );
      await expectOk(own.enqueue(second, {}));
      await expectOk(own.enqueue(first, {}));
      expect(sadd).toHaveBeenCalledTimes(2);
      const counts = await expectOk(queue.counts());
      expect(counts.filter((each) => each.kind === first || each.kind === second)).toEqual(
        [
          { kind: first, state: 'waiting', count: 21 },
          { kind: second, state: 'waiting', count: 1 },
        ].sort((a, b) => a.kind.localeCompare(b.kind)),
      );
    } finally {
      await own.close();
      await connection.quit();
    }
  });

  it('answers created: false for the id of a failed job, and leaves it failed', async () => {
    const kind = uniqueKind('failed-dedupe');
    const worker = startWorker(async () => err(vbucketsError('VALIDATION', 'bad input')), kind);
    await expectOk(queue.enqueue(kind, { first: true }, { jobId: 'x' }));
    await waitForJobState(queue, kind, 'x', 'failed');
    await worker.close();
    expect(await expectOk(queue.enqueue(kind, { second: true }, { jobId: 'x' }))).toEqual({
      kind,
      id: 'x',
      created: false,
    });
    expect(await expectOk(queue.get(kind, 'x'))).toMatchObject({
      state: 'failed',
      payload: { first: true },
    });
  });

  it('writes nothing to Redis when asked about a kind never used', async () => {
    const kind = uniqueKind('never');
    await expectErrorCode(queue.get(kind, 'x'), 'NOT_FOUND');
    await expectErrorCode(queue.retry(kind, 'x'), 'NOT_FOUND');
    expect(await expectOk(queue.failed({ kind }))).toEqual([]);
    expect((await keysUnder(fixture.prefix)).filter((key) => key.includes(kind))).toEqual([]);
  });

  it('reports when a delayed job may run', async () => {
    const kind = uniqueKind('delayed');
    const before = Date.now();
    const job = await expectOk(queue.enqueue(kind, {}, { delayMs: 600_000 }));
    const info = await expectOk(queue.get(kind, job.id));
    expect(info.state).toBe('delayed');
    const runAt = Date.parse(info.runAt ?? '');
    expect(runAt).toBeGreaterThanOrEqual(before + 600_000);
    expect(runAt).toBeLessThanOrEqual(Date.now() + 600_000);
  });
});

describe('retries', () => {
  it('waits the jittered backoff of decideAfterFailure before the next attempt', async () => {
    const kind = uniqueKind('backoff');
    const worker = startWorker(
      async () => err(vbucketsError('PROVIDER', 'upstream down', { retryable: true })),
      kind,
    );
    const before = Date.now();
    // Equal jitter: the first wait is between half and all of 60 s (BullMQ's own would be 60 s flat).
    const backoff = { delayMs: 60_000, maxDelayMs: 600_000 };
    const job = await expectOk(queue.enqueue(kind, {}, { attempts: 3, backoff }));
    const info = await waitForJobState(queue, kind, job.id, 'delayed');
    const after = Date.now();
    await worker.close();
    expect(info).toMatchObject({ attemptsMade: 1, maxAttempts: 3, failedReason: 'upstream down' });
    const runAt = Date.parse(info.runAt ?? '');
    expect(runAt).toBeGreaterThanOrEqual(before + 30_000);
    expect(runAt).toBeLessThanOrEqual(after + 60_000);
  });

  it('waits retryAfterMs of a RATE_LIMITED error without using up an attempt', async () => {
    const kind = uniqueKind('rate-limited');
    const worker = startWorker(
      async () => err(vbucketsError('RATE_LIMITED', 'Quota reached', { retryAfterMs: 120_000 })),
      kind,
    );
    const before = Date.now();
    const job = await expectOk(queue.enqueue(kind, {}, { attempts: 2 }));
    const info = await waitForJobState(queue, kind, job.id, 'delayed');
    await worker.close();
    expect(info.attemptsMade).toBe(0);
    expect(Date.parse(info.runAt ?? '')).toBeGreaterThanOrEqual(before + 120_000);
  });

  it('retry gives a failed job fresh attempts, and failed() lists across kinds newest first', async () => {
    const first = uniqueKind('fails-first');
    const second = uniqueKind('fails-second');
    const failing = async () => err(vbucketsError('PROVIDER', 'down', { retryable: false }));
    const workers = [startWorker(failing, first), startWorker(failing, second)];
    await expectOk(queue.enqueue(first, {}, { jobId: 'a', attempts: 2 }));
    await waitForJobState(queue, first, 'a', 'failed');
    await expectOk(queue.enqueue(second, {}, { jobId: 'b', attempts: 2 }));
    await waitForJobState(queue, second, 'b', 'failed');
    await Promise.all(workers.map((worker) => worker.close()));
    const listed = (await expectOk(queue.failed())).filter((each) =>
      [first, second].includes(each.kind),
    );
    expect(listed.map((each) => each.id)).toEqual(['b', 'a']);
    const retried = await expectOk(queue.retry(first, 'a'));
    expect(retried).toMatchObject({ state: 'waiting', attemptsMade: 0, maxAttempts: 2 });
    expect(retried.failedReason).toBeNull();
    await expectErrorCode(queue.retry(first, 'a'), 'CONFLICT');
  });
});

describe('schedules', () => {
  it('moves a schedule to another kind without leaving its old scheduler behind', async () => {
    const name = `nightly:${uniqueKind('name')}`;
    const from = uniqueKind('from');
    const to = uniqueKind('to');
    await expectOk(queue.schedule({ name, kind: from, payload: { n: 1 }, everyMs: 600_000 }));
    expect(await expectOk(queue.counts())).toContainEqual({
      kind: from,
      state: 'delayed',
      count: 1,
    });
    await expectOk(queue.schedule({ name, kind: to, payload: { n: 2 }, everyMs: 300_000 }));
    const counts = await expectOk(queue.counts());
    expect(counts.filter((each) => each.kind === from)).toEqual([]);
    expect(counts).toContainEqual({ kind: to, state: 'delayed', count: 1 });
    const listed = (await expectOk(queue.schedules())).filter((each) => each.name === name);
    expect(listed).toEqual([{ name, kind: to, payload: { n: 2 }, everyMs: 300_000 }]);
    expect(await expectOk(queue.unschedule(name))).toBe(true);
  });

  it('refuses a bad schedule with VALIDATION', async () => {
    await expectErrorCode(
      queue.schedule({ name: 'x', kind: 'bad kind', payload: {}, everyMs: 1000 }),
      'VALIDATION',
    );
    await expectErrorCode(
      queue.schedule({ name: 'x', kind: 'ok.kind', payload: {}, everyMs: 0 }),
      'VALIDATION',
    );
  });
});

describe('settings and failures of Redis', () => {
  it('answers every call of a queue with invalid settings with one VALIDATION error', async () => {
    const refused = createBullMqJobQueue({ redisUrl: 'http://nope', lockDurationMs: -1 });
    const error = await expectErrorCode(refused.enqueue('a.kind', {}), 'VALIDATION');
    expect(isSettingsError(error)).toBe(true);
    expect(error.path).toBe('redisUrl');
    expect(refused.work(async () => ok(undefined), { kinds: ['a.kind'] }).isErr()).toBe(true);
    await expectErrorCode(refused.counts(), 'VALIDATION');
    await refused.close();
  });

  it('reports an unreachable Redis as a retryable STORAGE error naming the operation in its fields', async () => {
    const connection = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const unreachable = createBullMqJobQueue({ connection, prefix: fixture.prefix });
    const error = await expectErrorCode(unreachable.enqueue('a.kind', {}), 'STORAGE');
    expect(error).toMatchObject({ retryable: true, adapter: 'bullmq', operation: 'jobs.enqueue' });
    expect(error.message).not.toContain('jobs.enqueue');
    await expectErrorCode(unreachable.counts(), 'STORAGE');
    await unreachable.close();
    connection.disconnect();
  });
});
