import { cancelledError, fromZodError, type VBucketsError, vbucketsError } from '@vbuckets/core';
import {
  decideAfterFailure,
  JobKindSchema,
  type JobProcessor,
  type JobRun,
  type JobWorker,
  type JobWorkerOptions,
  jobErrorFromThrow,
} from '@vbuckets/core/adapter-kit';
import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import type { BullMqContext } from './bullmq-context';
import {
  ADAPTER,
  backoffStrategy,
  RetryLaterError,
  safeReporter,
  toStorageError,
} from './bullmq-error';
import { readJobData } from './bullmq-job-data';
import { fromBullJobId } from './bullmq-job-ids';
import { attemptNumber, maxAttemptsOf } from './bullmq-job-info';
import { ErrorListenerSchema } from './bullmq-settings';

const WorkerOptionsSchema = z.strictObject({
  kinds: z.array(JobKindSchema).min(1, 'must name at least one kind').max(100),
  concurrency: z.number().int().min(1).max(1000).optional(),
  onError: ErrorListenerSchema.optional(),
});

/** A job this worker runs now, with what an immediate close needs to hand it back. */
interface RunningJob {
  kind: string;
  job: Job;
  token: string | undefined;
  controller: AbortController;
  /** Set by an immediate close: the job went back to `waiting`, its result no longer counts. */
  released: boolean;
}

interface KindWorker {
  worker: Worker;
  connection: Redis;
}

/** Starts one BullMQ worker per kind, each running at most `concurrency` jobs. */
export function startBullMqWorker(
  context: BullMqContext,
  processor: JobProcessor,
  options: JobWorkerOptions,
): Result<JobWorker, VBucketsError> {
  const parsed = WorkerOptionsSchema.safeParse(options);
  if (!parsed.success) return err(fromZodError(parsed.error, 'worker options'));
  const { kinds, concurrency = 1 } = parsed.data;
  const report = parsed.data.onError ? safeReporter(parsed.data.onError) : context.report;
  const running = new Map<string, RunningJob>();
  const keyOf = (kind: string, bullId: string) => `${kind}\u0000${bullId}`;

  const runOne = async (kind: string, job: Job, token: string | undefined) => {
    const bullId = job.id ?? '';
    const entry: RunningJob = {
      kind,
      job,
      token,
      controller: new AbortController(),
      released: false,
    };
    running.set(keyOf(kind, bullId), entry);
    const data = readJobData(job.data);
    const run: JobRun = {
      kind,
      id: fromBullJobId(bullId),
      payload: data.payload,
      attempt: attemptNumber(job),
      maxAttempts: maxAttemptsOf(job),
      signal: entry.controller.signal,
    };
    let outcome: Result<unknown, VBucketsError>;
    try {
      outcome = await processor(run);
    } catch (thrown) {
      outcome = err(jobErrorFromThrow(thrown, kind));
    } finally {
      running.delete(keyOf(kind, bullId));
    }
    // Handed back by an immediate close: BullMQ must not touch the job any more.
    if (entry.released) throw new DelayedError('released by an immediate close');
    if (outcome.isOk()) return null;
    const decision = decideAfterFailure(outcome.error, {
      number: run.attempt,
      maxAttempts: run.maxAttempts,
      backoff: data.backoff,
    });
    if (decision.action === 'fail') throw new UnrecoverableError(decision.reason);
    if (!decision.countsAsAttempt) {
      // A rate limit: back to the delayed set without using up the attempt.
      await job.moveToDelayed(Date.now() + decision.delayMs, token);
      throw new DelayedError(decision.reason);
    }
    throw new RetryLaterError(decision.reason, decision.delayMs);
  };

  const workers: KindWorker[] = kinds.map((kind) => {
    // Blocking reads need `maxRetriesPerRequest: null`; a duplicate keeps the producer's client as it is.
    const connection = context.client.duplicate({ maxRetriesPerRequest: null });
    connection.on('error', () => {
      // Reported through the worker's own 'error' event.
    });
    // Two parameters on purpose: BullMQ makes an AbortController per job for a processor that
    // takes a third (its signal), which only its `cancelJob` aborts and this adapter never calls;
    // the job's own controller (above) is what a lost lease or an immediate close aborts.
    const worker = new Worker(kind, (job: Job, token?: string) => runOne(kind, job, token), {
      connection,
      prefix: context.settings.prefix,
      concurrency,
      lockDuration: context.settings.lockDurationMs,
      stalledInterval: context.settings.stalledIntervalMs,
      maxStalledCount: context.settings.maxStalledCount,
      settings: { backoffStrategy },
    });
    worker.on('error', (error: unknown) => report(toStorageError(error, 'worker')));
    worker.on('lockRenewalFailed', (bullIds: string[]) => {
      for (const bullId of bullIds) {
        const entry = running.get(keyOf(kind, bullId));
        if (entry === undefined) continue;
        entry.controller.abort(cancelledError('The worker lost the lease of this job'));
        report(
          vbucketsError('STORAGE', `The worker lost the lease of job ${fromBullJobId(bullId)}`, {
            retryable: true,
            adapter: ADAPTER,
            operation: 'worker.lease',
            details: { kind, id: fromBullJobId(bullId) },
          }),
        );
      }
    });
    return { worker, connection };
  });

  let closing: Promise<void> | undefined;
  const close = async (graceful: boolean) => {
    if (!graceful) await releaseRunning(context, [...running.values()], report, workers);
    else await Promise.allSettled(workers.map(({ worker }) => worker.close()));
    await Promise.allSettled(workers.map(({ connection }) => connection.quit()));
    for (const { connection } of workers) connection.disconnect();
  };

  return ok({
    get running() {
      return running.size;
    },
    close(closeOptions) {
      closing ??= close(closeOptions?.graceful ?? true);
      return closing;
    },
  });
}

/**
 * An immediate close: abort the running jobs' signals, stop the workers without waiting, and
 * put the jobs back at the head of `waiting` (through the producer's client, which stays open)
 * so another worker takes them at once instead of after the lease expires.
 */
async function releaseRunning(
  context: BullMqContext,
  entries: RunningJob[],
  report: (error: VBucketsError) => void,
  workers: KindWorker[],
): Promise<void> {
  for (const entry of entries) {
    entry.released = true;
    entry.controller.abort(cancelledError('The worker closed without waiting'));
  }
  const stopping = Promise.allSettled(workers.map(({ worker }) => worker.close(true)));
  await Promise.all(
    entries.map(async (entry) => {
      try {
        const job = await context.queueOf(entry.kind).getJob(entry.job.id ?? '');
        await job?.moveToWait(entry.token);
      } catch (thrown) {
        // The job may have finished meanwhile; if not, the stalled checker hands it on later.
        report(toStorageError(thrown, 'worker.release'));
      }
    }),
  );
  await stopping;
}
