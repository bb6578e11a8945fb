import { err, type Result, ResultAsync } from 'neverthrow';
import {
  DEFAULT_JOB_ATTEMPTS,
  DEFAULT_JOB_BACKOFF,
  decideAfterFailure,
  jobErrorFromThrow,
} from '../../domain/jobs/job-rules';
import { isoPlus, scheduledJobId } from '../../domain/jobs/job-store-input';
import { cancelledError, isVBucketsError, type VBucketsError, vbucketsError } from '../../errors';
import type { Clock } from '../../ports/clock';
import type { JobProcessor, JobWorker } from '../../ports/job-queue';
import type { JobLeaseRef, StoredJob } from '../../ports/job-store';
import type { Store } from '../../ports/store';
import { isoNow } from '../iso-now';

/** What a worker needs from its queue. */
export interface StoreJobWorkerContext {
  store: Store;
  clock: Clock;
  random: () => number;
  pollIntervalMs: number;
  leaseMs: number;
  /** The worker's lease owner name. */
  owner: string;
  kinds: readonly string[];
  concurrency: number;
  onError: (error: VBucketsError) => void;
  /** Wakes every worker of this store in this process (after a schedule enqueued jobs). */
  wakeAll: () => void;
  /** Registers the worker's own wake-up; returns the unregistering function. */
  listen: (wake: () => void) => () => void;
}

interface RunningJob {
  job: StoredJob;
  controller: AbortController;
  /** Set when a non-graceful close released the job: its outcome is no longer ours to record. */
  released: boolean;
  renewal: ReturnType<typeof setInterval>;
}

const slot = (job: Pick<StoredJob, 'kind' | 'id'>) => JSON.stringify([job.kind, job.id]);

function isResult(value: unknown): value is Result<unknown, VBucketsError> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { isErr?: unknown }).isErr === 'function'
  );
}

/**
 * Runs one worker loop: claims due jobs of its kinds up to its concurrency, runs them under a
 * renewed lease, records each outcome by the shared retry rule, and enqueues due schedule
 * occurrences on every poll. Waits between polls unless woken (an enqueue in this process, a
 * finished job).
 */
export function startStoreJobWorker(
  context: StoreJobWorkerContext,
  processor: JobProcessor,
): JobWorker {
  const { store, clock } = context;
  const running = new Map<string, RunningJob>();
  let stopped = false;
  let woken = false;
  let resume: (() => void) | undefined;
  const idleWaiters: Array<() => void> = [];
  const notifyIdle = () => {
    if (running.size > 0) return;
    for (const resolve of idleWaiters.splice(0)) resolve();
  };
  const untilIdle = () =>
    running.size === 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => idleWaiters.push(resolve));

  const wake = () => {
    woken = true;
    const next = resume;
    resume = undefined;
    next?.();
  };
  const unlisten = context.listen(wake);

  /** Waits for a poll interval or a wake-up; true when the interval passed. */
  function pause(): Promise<boolean> {
    if (woken || stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        resume = undefined;
        resolve(true);
      }, context.pollIntervalMs);
      resume = () => {
        clearTimeout(timer);
        resolve(false);
      };
    });
  }

  const leaseOf = (job: StoredJob): JobLeaseRef => ({
    kind: job.kind,
    id: job.id,
    owner: context.owner,
    now: isoNow(clock),
  });

  const report = (result: Result<unknown, VBucketsError>) => {
    if (result.isErr()) context.onError(result.error);
  };

  function enqueueDueSchedules(): ResultAsync<number, VBucketsError> {
    const now = isoNow(clock);
    return store
      .transaction((tx) =>
        tx.jobs.claimDueSchedules({ kinds: context.kinds, now }).andThen((occurrences) =>
          ResultAsync.combine(
            occurrences.map(({ schedule, dueAt }) =>
              tx.jobs.insert({
                kind: schedule.kind,
                id: scheduledJobId(schedule.name, dueAt),
                payload: schedule.payload,
                maxAttempts: DEFAULT_JOB_ATTEMPTS,
                backoff: DEFAULT_JOB_BACKOFF,
                now,
                runAt: null,
              }),
            ),
          ),
        ),
      )
      .map((inserted) => inserted.filter((each) => each.created).length);
  }

  async function record(job: StoredJob, outcome: Result<unknown, VBucketsError>): Promise<void> {
    const lease = leaseOf(job);
    if (outcome.isOk()) {
      report(await store.jobs.complete(lease));
      return;
    }
    const decision = decideAfterFailure(
      outcome.error,
      { number: job.attemptsMade, maxAttempts: job.maxAttempts, backoff: job.backoff },
      context.random,
    );
    report(
      await (decision.action === 'retry'
        ? store.jobs.retryLater({
            ...lease,
            runAt: isoPlus(lease.now, decision.delayMs),
            reason: decision.reason,
            countsAsAttempt: decision.countsAsAttempt,
          })
        : store.jobs.fail({ ...lease, reason: decision.reason })),
    );
  }

  async function execute(entry: RunningJob): Promise<void> {
    const { job, controller } = entry;
    let outcome: Result<unknown, VBucketsError>;
    try {
      const answered: unknown = await processor({
        kind: job.kind,
        id: job.id,
        payload: job.payload,
        attempt: job.attemptsMade,
        maxAttempts: job.maxAttempts,
        signal: controller.signal,
      });
      outcome = isResult(answered)
        ? answered
        : err(jobErrorFromThrow(new TypeError('the processor did not answer a Result'), job.kind));
    } catch (thrown) {
      outcome = err(isVBucketsError(thrown) ? thrown : jobErrorFromThrow(thrown, job.kind));
    }
    // Released by a non-graceful close, or taken over after a lost lease: not ours to record.
    if (entry.released || controller.signal.aborted) return;
    await record(job, outcome);
  }

  function renew(entry: RunningJob): void {
    const lease = leaseOf(entry.job);
    void store.jobs.renewLease({ ...lease, leaseMs: context.leaseMs }).then((renewed) => {
      if (renewed.isOk() || entry.released) return;
      if (renewed.error.code === 'CONFLICT') {
        clearInterval(entry.renewal);
        entry.controller.abort(renewed.error);
      }
      context.onError(renewed.error);
    });
  }

  function start(job: StoredJob): void {
    const entry: RunningJob = {
      job,
      controller: new AbortController(),
      released: false,
      renewal: setInterval(() => renew(entry), Math.max(1, Math.floor(context.leaseMs / 3))),
    };
    running.set(slot(job), entry);
    void execute(entry)
      .catch((thrown: unknown) => {
        context.onError(
          vbucketsError('STORAGE', 'Recording a job outcome failed', { cause: thrown }),
        );
      })
      .finally(() => {
        clearInterval(entry.renewal);
        if (running.get(slot(job)) === entry) running.delete(slot(job));
        notifyIdle();
        wake();
      });
  }

  async function loop(): Promise<void> {
    let checkSchedules = true;
    while (!stopped) {
      woken = false;
      if (checkSchedules) {
        const enqueued = await enqueueDueSchedules();
        report(enqueued);
        if (enqueued.isOk() && enqueued.value > 0) context.wakeAll();
      }
      while (!stopped && running.size < context.concurrency) {
        const claimed = await store.jobs.claimNext({
          kinds: context.kinds,
          owner: context.owner,
          now: isoNow(clock),
          leaseMs: context.leaseMs,
        });
        if (claimed.isErr()) {
          context.onError(claimed.error);
          break;
        }
        if (claimed.value === null) break;
        // Closed while the claim ran: hand the job straight back.
        if (stopped) {
          report(await store.jobs.release(leaseOf(claimed.value)));
          break;
        }
        start(claimed.value);
      }
      checkSchedules = await pause();
    }
  }

  const looping = loop().catch((thrown: unknown) => {
    context.onError(vbucketsError('STORAGE', 'The job worker stopped', { cause: thrown }));
  });

  async function releaseAll(): Promise<void> {
    const entries = [...running.values()];
    running.clear();
    notifyIdle();
    await Promise.all(
      entries.map(async (entry) => {
        entry.released = true;
        clearInterval(entry.renewal);
        entry.controller.abort(cancelledError('The job worker was closed'));
        report(await store.jobs.release(leaseOf(entry.job)));
      }),
    );
  }

  return {
    get running() {
      return running.size;
    },
    async close(options) {
      stopped = true;
      unlisten();
      wake();
      await looping;
      // A non-graceful close also cuts short a graceful one already waiting.
      if (options?.graceful === false) await releaseAll();
      await untilIdle();
    },
  };
}
