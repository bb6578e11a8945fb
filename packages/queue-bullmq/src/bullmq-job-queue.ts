import { randomUUID } from 'node:crypto';
import { fromZodError, notFoundError, storageError, type VBucketsError } from '@vbuckets/core';
import {
  checkEnqueue,
  JOB_STATES,
  type JobCount,
  type JobInfo,
  JobKindSchema,
  type JobQueue,
  type JobState,
  jobNotFailed,
  settingsError,
  withErrorSource,
} from '@vbuckets/core/adapter-kit';
import type { Job } from 'bullmq';
import { err, errAsync, okAsync } from 'neverthrow';
import { z } from 'zod';
import { type BullMqContext, createBullMqContext } from './bullmq-context';
import { ADAPTER, BACKOFF_TYPE, fromRedis } from './bullmq-error';
import type { BullJobData } from './bullmq-job-data';
import { readJobData } from './bullmq-job-data';
import { bullJobIdCandidates, toBullJobId } from './bullmq-job-ids';
import { toJobInfo, toJobState } from './bullmq-job-info';
import { listSchedules, removeSchedule, upsertSchedule } from './bullmq-schedules';
import {
  type BullMqJobQueueSettings,
  BullMqJobQueueSettingsSchema,
  resolveSettings,
} from './bullmq-settings';
import { startBullMqWorker } from './bullmq-worker';

/** The BullMQ states each port state gathers, for `getJobCounts`. */
const COUNTED_STATES = [
  'waiting',
  'prioritized',
  'waiting-children',
  'delayed',
  'active',
  'completed',
  'failed',
] as const;

const FailedOptionsSchema = z.strictObject({
  kind: JobKindSchema.optional(),
  limit: z.number().int().min(1).max(1000).optional(),
});

function checkKind(kind: unknown): VBucketsError | null {
  const parsed = JobKindSchema.safeParse(kind);
  return parsed.success ? null : fromZodError(parsed.error, 'job kind');
}

/** The job of a kind under a port id, or undefined. */
async function findJob(context: BullMqContext, kind: string, id: string): Promise<Job | undefined> {
  if (typeof id !== 'string' || id === '') return undefined;
  // A kind never used has no jobs; asking BullMQ would leave a queue's meta key behind.
  if ((await context.client.sismember(context.kindsKey, kind)) === 0) return undefined;
  const queue = context.queueOf(kind);
  for (const bullId of bullJobIdCandidates(id)) {
    const job = await queue.getJob(bullId);
    if (job !== undefined) return job;
  }
  return undefined;
}

async function knownKinds(context: BullMqContext): Promise<string[]> {
  return (await context.client.smembers(context.kindsKey)).sort();
}

/**
 * A `JobQueue` on BullMQ and Redis: one BullMQ queue per job kind under `prefix`, the SDK's retry
 * rule (`decideAfterFailure`) deciding every retry, and stalled jobs taken over by other workers.
 * Invalid settings give a queue that answers every call with the same `VALIDATION` error.
 */
export function createBullMqJobQueue(settings: BullMqJobQueueSettings = {}): JobQueue {
  const parsed = BullMqJobQueueSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    return refusingQueue(settingsError(fromZodError(parsed.error, 'BullMQ job queue settings')));
  }
  const context = createBullMqContext(resolveSettings(parsed.data));
  const workers = new Set<{ close(options?: { graceful?: boolean }): Promise<void> }>();
  let closed = false;
  const closedError = () =>
    storageError('The job queue is closed', { adapter: ADAPTER, operation: 'queue.closed' });

  const missing = (kind: string, id: string, operation: string) =>
    notFoundError(`No ${kind} job has the id "${id}"`, {
      adapter: ADAPTER,
      operation,
      details: { kind, id },
    });
  const getJob = (kind: string, id: string, operation: string) =>
    fromRedis(operation, () => findJob(context, kind, id)).andThen((job) =>
      job === undefined ? errAsync(missing(kind, id, operation)) : okAsync(job),
    );

  return {
    specificationVersion: 'v1',
    engine: 'bullmq',

    enqueue(kind, payload, options) {
      if (closed) return errAsync(closedError());
      const checked = checkEnqueue(kind, payload, options);
      if (checked.isErr()) return errAsync(checked.error);
      const job = checked.value;
      const id = job.jobId ?? randomUUID();
      const bullId = toBullJobId(id);
      // A fresh random id is a new job by definition; a given one may name an existing job, so
      // its data carries a token that says which enqueue created it.
      const enqueueToken = job.jobId === null ? undefined : randomUUID();
      const data: BullJobData = {
        payload: job.payload,
        backoff: job.backoff,
        ...(enqueueToken === undefined ? {} : { enqueueToken }),
      };
      return fromRedis('jobs.enqueue', async () => {
        const registering = context.registerKind(job.kind);
        if (registering !== undefined) await registering;
        const queue = context.queueOf(job.kind);
        await queue.add(job.kind, data, {
          jobId: bullId,
          attempts: job.attempts,
          backoff: { type: BACKOFF_TYPE },
          ...(job.delayMs > 0 ? { delay: job.delayMs } : {}),
        });
        if (job.jobId === null) return { kind: job.kind, id, created: true };
        // BullMQ answers an existing id like a new job: the stored token says whose it is.
        const stored = await queue.getJob(bullId);
        const created = readJobData(stored?.data).enqueueToken === enqueueToken;
        return { kind: job.kind, id, created };
      });
    },

    schedule(schedule) {
      return closed ? errAsync(closedError()) : upsertSchedule(context, schedule);
    },
    unschedule(name) {
      return closed ? errAsync(closedError()) : removeSchedule(context, name);
    },
    schedules() {
      return closed ? errAsync(closedError()) : listSchedules(context);
    },

    work(processor, options) {
      if (closed) return err(closedError());
      const started = startBullMqWorker(context, processor, options);
      if (started.isOk()) workers.add(started.value);
      return started;
    },

    get(kind, id) {
      if (closed) return errAsync(closedError());
      const refused = checkKind(kind);
      if (refused !== null) return errAsync(refused);
      return getJob(kind, id, 'jobs.get').andThen((job) =>
        fromRedis('jobs.get', () => toJobInfo(context, kind, job)).andThen((info) =>
          info === null ? errAsync(missing(kind, id, 'jobs.get')) : okAsync(info),
        ),
      );
    },

    counts() {
      if (closed) return errAsync(closedError());
      return fromRedis('jobs.counts', async () => {
        const counts: JobCount[] = [];
        for (const kind of await knownKinds(context)) {
          const raw = await context.queueOf(kind).getJobCounts(...COUNTED_STATES);
          const byState = new Map<JobState, number>();
          for (const [bullState, count] of Object.entries(raw)) {
            const state = toJobState(bullState);
            if (state !== null) byState.set(state, (byState.get(state) ?? 0) + count);
          }
          for (const state of JOB_STATES) {
            const count = byState.get(state) ?? 0;
            if (count > 0) counts.push({ kind, state, count });
          }
        }
        return counts;
      });
    },

    failed(options) {
      if (closed) return errAsync(closedError());
      const parsedOptions = FailedOptionsSchema.safeParse(options ?? {});
      if (!parsedOptions.success) {
        return errAsync(fromZodError(parsedOptions.error, 'failed options'));
      }
      const { kind, limit = 100 } = parsedOptions.data;
      return fromRedis('jobs.failed', async () => {
        const known = await knownKinds(context);
        const kinds = kind === undefined ? known : known.filter((each) => each === kind);
        const listed: JobInfo[] = [];
        for (const each of kinds) {
          // BullMQ lists the failed set most recently finished first.
          const jobs = await context.queueOf(each).getFailed(0, limit - 1);
          for (const job of jobs) {
            const info = await toJobInfo(context, each, job, 'failed');
            if (info !== null) listed.push(info);
          }
        }
        return listed
          .sort((a, b) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? ''))
          .slice(0, limit);
      });
    },

    retry(kind, id) {
      if (closed) return errAsync(closedError());
      const refused = checkKind(kind);
      if (refused !== null) return errAsync(refused);
      return getJob(kind, id, 'jobs.retry').andThen((job) =>
        fromRedis('jobs.retry', () => job.getState()).andThen((state) => {
          if (state !== 'failed') {
            return errAsync(
              withErrorSource(jobNotFailed(kind, id, toJobState(state) ?? state), {
                adapter: ADAPTER,
                operation: 'jobs.retry',
              }),
            );
          }
          return fromRedis('jobs.retry', async () => {
            // Fresh attempts: BullMQ resets made and started ones; the stalled counter (its
            // field `stc`) is ours to reset, since our attempt numbers count stalls.
            await context.client.hdel(context.queueOf(kind).toKey(job.id ?? ''), 'stc');
            await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
            const fresh = await findJob(context, kind, id);
            const info = fresh === undefined ? null : await toJobInfo(context, kind, fresh);
            if (info === null) throw new Error(`The ${kind} job "${id}" vanished while retried`);
            return info;
          });
        }),
      );
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...workers].map((worker) => worker.close()));
      workers.clear();
      await context.close();
    },
  };
}

/** A queue built from invalid settings: every call answers `error`, nothing connects. */
function refusingQueue(error: VBucketsError): JobQueue {
  return {
    specificationVersion: 'v1',
    engine: 'bullmq',
    enqueue: () => errAsync(error),
    schedule: () => errAsync(error),
    unschedule: () => errAsync(error),
    schedules: () => errAsync(error),
    work: () => err(error),
    get: () => errAsync(error),
    counts: () => errAsync(error),
    failed: () => errAsync(error),
    retry: () => errAsync(error),
    close: async () => {},
  };
}
