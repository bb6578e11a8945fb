import { vbucketsError } from '@vbuckets/core';
import type { JobQueue } from '@vbuckets/core/adapter-kit';
import { err, ok } from 'neverthrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeJobQueueFailures } from './job-queue-conformance-failures';
import {
  countOf,
  deferred,
  eventually,
  expectNoDuplicates,
  type JobQueueConformanceOptions,
  recorder,
  startWorker,
  uniqueKind,
  waitForState,
} from './job-queue-conformance-helpers';
import { expectErrorCode, expectOk } from './result-assertions';

export type { JobQueueConformanceOptions } from './job-queue-conformance-helpers';

/**
 * Declares the cases every JobQueue engine must pass (the port's contract in
 * `ports/job-queue.ts`): delivery with the payload as JSON, dedupe by job id (also across
 * queue instances on one backend), delays, retries by the shared rule, failure listing and
 * retry, counts, bounded concurrency, kinds, graceful and immediate close, and schedules.
 */
export function describeJobQueueConformance(options: JobQueueConformanceOptions): void {
  describe(`JobQueue conformance: ${options.name}`, () => {
    let queue: JobQueue;
    const opened: JobQueue[] = [];
    const open = async () => {
      const created = await options.createQueue();
      opened.push(created);
      return created;
    };

    beforeAll(async () => {
      queue = await open();
    });
    afterAll(async () => {
      for (const each of opened) await each.close();
      await options.cleanup?.();
    });

    it('delivers the payload as JSON with the attempt number, then reports the job completed', async () => {
      const kind = uniqueKind('echo');
      const seen = recorder();
      const worker = startWorker(
        queue,
        async (run) => {
          seen.record(run);
          return ok(undefined);
        },
        [kind],
      );
      const payload = { name: 'vidéo "x"', count: 3, nested: { list: [1, null, true] } };
      const enqueued = await expectOk(queue.enqueue(kind, { ...payload, dropped: undefined }));
      expect(enqueued).toMatchObject({ kind, created: true });
      await seen.waitFor(1);
      const info = await waitForState(queue, kind, enqueued.id, 'completed');
      await worker.close();
      expect(seen.runs[0]).toMatchObject({ kind, id: enqueued.id, payload, attempt: 1 });
      expect(seen.runs[0]?.signal.aborted).toBe(false);
      expect(info).toMatchObject({ kind, id: enqueued.id, payload, attemptsMade: 1 });
      expect(info.failedReason).toBeNull();
      expect(Number.isNaN(Date.parse(info.createdAt))).toBe(false);
      expect(info.finishedAt).not.toBeNull();
    });

    it('keeps one job per id: 50 concurrent enqueues from two queue instances, then one more after it completed', async () => {
      const kind = uniqueKind('dedupe');
      const other = await open();
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          expectOk(
            (index % 2 === 0 ? queue : other).enqueue(kind, { index }, { jobId: 'one:a/b' }),
          ),
        ),
      );
      expect(answers.filter((answer) => answer.created)).toHaveLength(1);
      expect(new Set(answers.map((answer) => answer.id))).toEqual(new Set(['one:a/b']));
      const seen = recorder();
      const worker = startWorker(
        queue,
        async (run) => {
          seen.record(run);
          return ok(undefined);
        },
        [kind],
      );
      await waitForState(queue, kind, 'one:a/b', 'completed');
      const again = await expectOk(queue.enqueue(kind, { late: true }, { jobId: 'one:a/b' }));
      expect(again).toEqual({ kind, id: 'one:a/b', created: false });
      await worker.close();
      expect(seen.runs).toHaveLength(1);
      expect(await countOf(queue, kind, 'completed')).toBe(1);
      expect(await countOf(queue, kind, 'waiting')).toBe(0);
    });

    it('scopes job ids by kind: one id in two kinds is two jobs', async () => {
      const first = uniqueKind('first');
      const second = uniqueKind('second');
      const a = await expectOk(queue.enqueue(first, 1, { jobId: 'shared' }));
      const b = await expectOk(queue.enqueue(second, 2, { jobId: 'shared' }));
      expect([a.created, b.created]).toEqual([true, true]);
      expect((await expectOk(queue.get(first, 'shared'))).payload).toBe(1);
      expect((await expectOk(queue.get(second, 'shared'))).payload).toBe(2);
    });

    it('refuses a bad kind, payload or option with VALIDATION and stores nothing', async () => {
      const kind = uniqueKind('refused');
      const bad: Array<[string, unknown, unknown]> = [
        ['', {}, {}],
        ['has space', {}, {}],
        [kind, { big: 10n }, {}],
        [kind, undefined, {}],
        [kind, {}, { attempts: 0 }],
        [kind, {}, { delayMs: -1 }],
        [kind, {}, { jobId: 'a\u0000b' }],
        [kind, {}, { jobId: '' }],
        [kind, {}, { unknownOption: true }],
        [kind, {}, { backoff: { delayMs: 100, maxDelayMs: 10 } }],
      ];
      for (const [badKind, payload, badOptions] of bad) {
        // The port is called from JavaScript too: the types are no guarantee.
        const error = await expectErrorCode(
          queue.enqueue(badKind, payload, badOptions as never),
          'VALIDATION',
        );
        expect(error.message.length).toBeGreaterThan(0);
      }
      const counts = await expectOk(queue.counts());
      expect(counts.filter((each) => each.kind === kind)).toEqual([]);
    });

    it('answers NOT_FOUND for an unknown job and CONFLICT when retrying a job that has not failed', async () => {
      const kind = uniqueKind('lookup');
      await expectErrorCode(queue.get(kind, 'nope'), 'NOT_FOUND');
      await expectErrorCode(queue.retry(kind, 'nope'), 'NOT_FOUND');
      const job = await expectOk(queue.enqueue(kind, {}, { jobId: 'waits' }));
      const notFailed = await expectErrorCode(queue.retry(kind, job.id), 'CONFLICT');
      // One wording on every engine: a CLI prints it as it is.
      expect(notFailed.message).toBe(
        `The ${kind} job "waits" is waiting, not failed; only a failed job is retried`,
      );
      expect((await expectOk(queue.get(kind, job.id))).state).toBe('waiting');
    });

    it('holds a delayed job until its time, then runs it', async () => {
      const kind = uniqueKind('delayed');
      const seen = recorder();
      const worker = startWorker(
        queue,
        async (run) => {
          seen.record(run);
          return ok(undefined);
        },
        [kind],
      );
      const before = Date.now();
      const job = await expectOk(queue.enqueue(kind, {}, { delayMs: 400 }));
      const info = await expectOk(queue.get(kind, job.id));
      expect(['delayed', 'waiting', 'active', 'completed']).toContain(info.state);
      await seen.waitFor(1);
      // A lower bound only: the engine may run it later on a busy machine, never sooner.
      expect(Date.now() - before).toBeGreaterThanOrEqual(390);
      await waitForState(queue, kind, job.id, 'completed');
      await worker.close();
    });

    it('runs at most `concurrency` jobs of a worker at once', async () => {
      const kind = uniqueKind('bounded');
      let running = 0;
      let most = 0;
      const release = deferred();
      const seen = recorder();
      const worker = startWorker(
        queue,
        async (run) => {
          running += 1;
          most = Math.max(most, running);
          seen.record(run);
          await release.promise;
          running -= 1;
          return ok(undefined);
        },
        [kind],
        2,
      );
      const jobs = await Promise.all(
        Array.from({ length: 6 }, (_, index) => expectOk(queue.enqueue(kind, { index }))),
      );
      await seen.waitFor(2, 'two jobs to run at once');
      expect(worker.running).toBe(2);
      release.resolve();
      await seen.waitFor(6);
      for (const job of jobs) await waitForState(queue, kind, job.id, 'completed');
      await worker.close();
      expect(most).toBe(2);
      expectNoDuplicates(seen.runs.map((run) => run.id));
    });

    it('gives a worker only its kinds', async () => {
      const mine = uniqueKind('mine');
      const theirs = uniqueKind('theirs');
      const seen = recorder();
      const worker = startWorker(
        queue,
        async (run) => {
          seen.record(run);
          return ok(undefined);
        },
        [mine],
      );
      const other = await expectOk(queue.enqueue(theirs, {}));
      const job = await expectOk(queue.enqueue(mine, {}));
      await waitForState(queue, mine, job.id, 'completed');
      await worker.close();
      expect(seen.runs.map((run) => run.kind)).toEqual([mine]);
      expect((await expectOk(queue.get(theirs, other.id))).state).toBe('waiting');
    });

    it('shares the jobs of one backend between workers of two queue instances, each job once', async () => {
      const kind = uniqueKind('shared');
      const other = await open();
      const seen = recorder();
      const processor = async (run: Parameters<Parameters<typeof startWorker>[1]>[0]) => {
        seen.record(run);
        return ok(undefined);
      };
      const workers = [
        startWorker(queue, processor, [kind], 3),
        startWorker(other, processor, [kind], 3),
      ];
      await Promise.all(
        Array.from({ length: 40 }, (_, index) => expectOk(queue.enqueue(kind, { index }))),
      );
      await seen.waitFor(40);
      await eventually(
        async () => (await countOf(queue, kind, 'completed')) === 40,
        '40 completed',
      );
      for (const worker of workers) await worker.close();
      expect(seen.runs).toHaveLength(40);
      expectNoDuplicates(seen.runs.map((run) => run.id));
    });

    it('counts jobs per kind and state', async () => {
      const kind = uniqueKind('counted');
      await expectOk(queue.enqueue(kind, {}));
      await expectOk(queue.enqueue(kind, {}));
      await expectOk(queue.enqueue(kind, {}, { delayMs: 600_000 }));
      expect(await countOf(queue, kind, 'waiting')).toBe(2);
      expect(await countOf(queue, kind, 'delayed')).toBe(1);
      expect(await countOf(queue, kind, 'failed')).toBe(0);
    });

    it('waits for running jobs on a graceful close, and finishes them', async () => {
      const kind = uniqueKind('graceful');
      const started = deferred();
      const release = deferred();
      const worker = startWorker(queue, async () => {
        started.resolve();
        await release.promise;
        return ok('done');
      }, [kind]);
      const job = await expectOk(queue.enqueue(kind, {}));
      await started.promise;
      let closed = false;
      const closing = worker.close().then(() => {
        closed = true;
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(closed).toBe(false);
      release.resolve();
      await closing;
      expect(worker.running).toBe(0);
      expect((await waitForState(queue, kind, job.id, 'completed')).state).toBe('completed');
    });

    it('aborts running jobs on an immediate close, and another worker then finishes them', async () => {
      const kind = uniqueKind('immediate');
      const started = deferred();
      let abortedSeen = false;
      const first = startWorker(
        queue,
        async (run) => {
          started.resolve();
          await new Promise<void>((resolve) => {
            if (run.signal.aborted) resolve();
            run.signal.addEventListener('abort', () => resolve(), { once: true });
          });
          abortedSeen = run.signal.aborted;
          return err(vbucketsError('CANCELLED', 'stopped by the worker closing'));
        },
        [kind],
      );
      const job = await expectOk(queue.enqueue(kind, { resumable: true }));
      await started.promise;
      await first.close({ graceful: false });
      expect(abortedSeen).toBe(true);
      const seen = recorder();
      const second = startWorker(
        queue,
        async (run) => {
          seen.record(run);
          return ok(undefined);
        },
        [kind],
      );
      await seen.waitFor(1, 'another worker to take the released job');
      await waitForState(queue, kind, job.id, 'completed');
      await second.close();
      expect(seen.runs[0]?.payload).toEqual({ resumable: true });
    });

    it('enqueues a schedule every period until it is removed, and lists and replaces it', async () => {
      const kind = uniqueKind('scheduled');
      const name = `schedule-${kind}`;
      const seen = recorder();
      const worker = startWorker(
        queue,
        async (run) => {
          seen.record(run);
          return ok(undefined);
        },
        [kind],
      );
      const first = await expectOk(
        queue.schedule({ name, kind, payload: { tick: 1 }, everyMs: 60_000 }),
      );
      expect(first).toEqual({ name, kind, payload: { tick: 1 }, everyMs: 60_000 });
      await expectOk(queue.schedule({ name, kind, payload: { tick: 2 }, everyMs: 200 }));
      const listed = (await expectOk(queue.schedules())).filter((each) => each.name === name);
      expect(listed).toEqual([{ name, kind, payload: { tick: 2 }, everyMs: 200 }]);
      await seen.waitFor(2, 'two scheduled runs');
      expect(await expectOk(queue.unschedule(name))).toBe(true);
      expect(await expectOk(queue.unschedule(name))).toBe(false);
      await worker.close();
      expect(seen.runs.every((run) => (run.payload as { tick: number }).tick === 2)).toBe(true);
      expectNoDuplicates(seen.runs.map((run) => run.id));
      expect((await expectOk(queue.schedules())).some((each) => each.name === name)).toBe(false);
    });

    it('answers STORAGE from every call once the queue is closed', async () => {
      const closing = await open();
      await closing.close();
      const kind = uniqueKind('closed');
      await expectErrorCode(closing.enqueue(kind, {}), 'STORAGE');
      await expectErrorCode(closing.counts(), 'STORAGE');
      expect(closing.work(async () => ok(undefined), { kinds: [kind] }).isErr()).toBe(true);
    });

    describeJobQueueFailures(() => queue);
  });
}
