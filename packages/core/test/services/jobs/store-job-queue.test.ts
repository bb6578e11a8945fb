import { err, ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { type VBucketsError, vbucketsError } from '../../../src/errors';
import type { JobRun } from '../../../src/ports/job-queue';
import { createStoreJobQueue } from '../../../src/services/jobs/store-job-queue';
import { createManualClock } from '../../../src/testing/manual-clock';
import { createMemoryStore } from '../../../src/testing/memory-store';

/** Resolves when `condition` holds, checking every 10 ms; fails after a generous minute. */
async function eventually(condition: () => boolean | Promise<boolean>, what: string) {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > 60_000) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const unwrap = <T>(result: { isErr(): boolean; value?: T; error?: unknown }): T => {
  if (result.isErr()) throw result.error;
  return result.value as T;
};

describe('createStoreJobQueue', () => {
  it('answers a settings error from every call when its options are invalid', async () => {
    const queue = createStoreJobQueue(createMemoryStore(), { pollIntervalMs: 0 });
    const enqueued = await queue.enqueue('a', {});
    expect(enqueued.isErr() && enqueued.error.details?.settings).toBe(true);
    expect(enqueued.isErr() && enqueued.error.path).toBe('pollIntervalMs');
    expect(queue.work(async () => ok(1), { kinds: ['a'] }).isErr()).toBe(true);
  });

  it('runs a job enqueued in the same process at once, without waiting for the poll', async () => {
    const queue = createStoreJobQueue(createMemoryStore(), { pollIntervalMs: 3_600_000 });
    const runs: JobRun[] = [];
    const worker = unwrap(
      queue.work(
        async (run) => {
          runs.push(run);
          return ok(undefined);
        },
        { kinds: ['wake'] },
      ),
    );
    // The first job runs off the worker's first claim; the second is enqueued once the worker
    // went idle, under a poll of an hour: only the enqueue's wake-up can start it.
    for (const n of [1, 2]) {
      const job = unwrap(await queue.enqueue('wake', { n }));
      await eventually(
        async () => unwrap(await queue.get('wake', job.id)).state === 'completed',
        `job ${n} to complete`,
      );
    }
    expect(runs.map((run) => run.payload)).toEqual([{ n: 1 }, { n: 2 }]);
    await worker.close();
    await queue.close();
  });

  it('aborts the signal of a job whose lease another worker took over, and records nothing', async () => {
    const clock = createManualClock('2026-01-15T10:00:00.000Z');
    const store = createMemoryStore();
    const errors: VBucketsError[] = [];
    const queue = createStoreJobQueue(store, { clock, leaseMs: 30, pollIntervalMs: 5 });
    let signal: AbortSignal | undefined;
    const worker = unwrap(
      queue.work(
        async (run) => {
          signal = run.signal;
          await new Promise((resolve) => run.signal.addEventListener('abort', resolve));
          return ok('too late');
        },
        { kinds: ['lost'], onError: (error) => errors.push(error) },
      ),
    );
    unwrap(await queue.enqueue('lost', {}, { jobId: 'one' }));
    await eventually(() => signal !== undefined, 'the job to start');
    // Time passes beyond the lease and another worker (another process) takes the job over.
    clock.advance(60_000);
    const taken = unwrap(
      await store.jobs.claimNext({
        kinds: ['lost'],
        owner: 'thief',
        now: clock.isoNow(),
        leaseMs: 600_000,
      }),
    );
    expect(taken?.attemptsMade).toBe(2);
    await eventually(() => signal?.aborted === true, 'the lost lease to abort the job');
    expect(
      errors.some((error) => error.code === 'CONFLICT' && /lease lost/.test(error.message)),
    ).toBe(true);
    await worker.close();
    expect(unwrap(await store.jobs.get('lost', 'one'))).toMatchObject({
      state: 'active',
      leaseOwner: 'thief',
    });
    await queue.close();
  });

  it('gives the attempt back when an immediate close releases a running job', async () => {
    const store = createMemoryStore();
    const queue = createStoreJobQueue(store, { pollIntervalMs: 5 });
    let started = false;
    const worker = unwrap(
      queue.work(
        async () => {
          started = true;
          await new Promise(() => {});
          return ok(undefined);
        },
        { kinds: ['stuck'] },
      ),
    );
    unwrap(await queue.enqueue('stuck', {}, { jobId: 'one' }));
    await eventually(() => started, 'the job to start');
    await worker.close({ graceful: false });
    expect(worker.running).toBe(0);
    expect(unwrap(await queue.get('stuck', 'one'))).toMatchObject({
      state: 'waiting',
      attemptsMade: 0,
    });
    await queue.close();
    const closed = await queue.enqueue('stuck', {});
    expect(closed.isErr() && closed.error.code).toBe('STORAGE');
  });

  it('delays a retry by the jittered backoff of the shared rule', async () => {
    const clock = createManualClock('2026-01-15T10:00:00.000Z');
    const queue = createStoreJobQueue(createMemoryStore(), {
      clock,
      random: () => 0,
      pollIntervalMs: 5,
    });
    let runs = 0;
    const worker = unwrap(
      queue.work(
        async () => {
          runs += 1;
          return err(vbucketsError('PROVIDER', 'down', { retryable: true }));
        },
        { kinds: ['backoff'] },
      ),
    );
    unwrap(await queue.enqueue('backoff', {}, { jobId: 'one', backoff: { delayMs: 10_000 } }));
    await eventually(
      async () => unwrap(await queue.get('backoff', 'one')).state === 'delayed',
      'the retry to be delayed',
    );
    // Equal jitter with random 0: half of 10 s.
    expect(unwrap(await queue.get('backoff', 'one'))).toMatchObject({
      runAt: '2026-01-15T10:00:05.000Z',
      attemptsMade: 1,
      failedReason: 'down',
    });
    expect(runs).toBe(1);
    await worker.close();
    await queue.close();
  });
});
