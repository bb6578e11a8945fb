import { vbucketsError } from '@vbuckets/core';
import type { JobQueue } from '@vbuckets/core/adapter-kit';
import { err, ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { recorder, startWorker, uniqueKind, waitForState } from './job-queue-conformance-helpers';
import { expectOk } from './result-assertions';

const quickBackoff = { delayMs: 20, maxDelayMs: 50 };

/** Retries by the shared rule (`decideAfterFailure`), failed jobs, their listing and retry. */
export function describeJobQueueFailures(queueOf: () => JobQueue): void {
  describe('failures', () => {
    it('retries a retryable failure after the backoff and completes on a later attempt', async () => {
      const queue = queueOf();
      const kind = uniqueKind('flaky');
      const seen = recorder();
      const worker = startWorker(
        queue,
        async (run) => {
          seen.record(run);
          return run.attempt < 3
            ? err(vbucketsError('PROVIDER', `try ${run.attempt} failed`, { retryable: true }))
            : ok(undefined);
        },
        [kind],
      );
      const job = await expectOk(queue.enqueue(kind, {}, { attempts: 4, backoff: quickBackoff }));
      const info = await waitForState(queue, kind, job.id, 'completed');
      await worker.close();
      expect(seen.runs.map((run) => run.attempt)).toEqual([1, 2, 3]);
      expect(info.attemptsMade).toBe(3);
      expect(info.maxAttempts).toBe(4);
    });

    it('fails a job at once on an error that is not retryable, lists it, and retry runs it again', async () => {
      const queue = queueOf();
      const kind = uniqueKind('final');
      const seen = recorder();
      const worker = startWorker(
        queue,
        async (run) => {
          seen.record(run);
          return seen.runs.length === 1
            ? err(vbucketsError('VALIDATION', 'No video "x"'))
            : ok(undefined);
        },
        [kind],
      );
      const job = await expectOk(queue.enqueue(kind, { videoId: 'x' }, { attempts: 5 }));
      const failed = await waitForState(queue, kind, job.id, 'failed');
      expect(failed).toMatchObject({ attemptsMade: 1, failedReason: 'No video "x"' });
      expect(failed.finishedAt).not.toBeNull();
      const listed = await expectOk(queue.failed({ kind }));
      expect(listed.map((each) => each.id)).toEqual([job.id]);
      const retried = await expectOk(queue.retry(kind, job.id));
      expect(['waiting', 'active', 'completed']).toContain(retried.state);
      await waitForState(queue, kind, job.id, 'completed');
      await worker.close();
      expect(seen.runs).toHaveLength(2);
      expect(await expectOk(queue.failed({ kind }))).toEqual([]);
    });

    it('fails a job whose attempts are spent, with the last reason; a throw counts as a failure', async () => {
      const queue = queueOf();
      const kind = uniqueKind('spent');
      const seen = recorder();
      const worker = startWorker(
        queue,
        async (run) => {
          seen.record(run);
          if (run.attempt === 1) throw new Error('boom');
          return err(vbucketsError('PROVIDER', `still down (${run.attempt})`, { retryable: true }));
        },
        [kind],
      );
      const job = await expectOk(queue.enqueue(kind, {}, { attempts: 3, backoff: quickBackoff }));
      const failed = await waitForState(queue, kind, job.id, 'failed');
      await worker.close();
      expect(seen.runs.map((run) => run.attempt)).toEqual([1, 2, 3]);
      expect(failed).toMatchObject({ attemptsMade: 3, failedReason: 'still down (3)' });
    });

    it('waits out RATE_LIMITED without using an attempt', async () => {
      const queue = queueOf();
      const kind = uniqueKind('limited');
      const seen = recorder();
      const worker = startWorker(
        queue,
        async (run) => {
          seen.record(run);
          return seen.runs.length <= 2
            ? err(vbucketsError('RATE_LIMITED', 'Quota reached', { retryAfterMs: 30 }))
            : ok(undefined);
        },
        [kind],
      );
      const job = await expectOk(queue.enqueue(kind, {}, { attempts: 1 }));
      await waitForState(queue, kind, job.id, 'completed');
      await worker.close();
      expect(seen.runs).toHaveLength(3);
      expect(seen.runs.every((run) => run.attempt === 1)).toBe(true);
    });

    it('lists failed jobs most recently finished first, by kind and up to a limit', async () => {
      const queue = queueOf();
      const kind = uniqueKind('listed');
      const seen = recorder();
      const worker = startWorker(
        queue,
        async (run) => {
          seen.record(run);
          return err(vbucketsError('VALIDATION', `bad ${(run.payload as { n: number }).n}`));
        },
        [kind],
      );
      for (const n of [1, 2, 3]) {
        const job = await expectOk(queue.enqueue(kind, { n }, { jobId: `job-${n}` }));
        await waitForState(queue, kind, job.id, 'failed');
      }
      await worker.close();
      const listed = await expectOk(queue.failed({ kind }));
      expect(listed.map((each) => each.id)).toEqual(['job-3', 'job-2', 'job-1']);
      expect(listed.map((each) => each.failedReason)).toEqual(['bad 3', 'bad 2', 'bad 1']);
      const limited = await expectOk(queue.failed({ kind, limit: 2 }));
      expect(limited.map((each) => each.id)).toEqual(['job-3', 'job-2']);
    });
  });
}
