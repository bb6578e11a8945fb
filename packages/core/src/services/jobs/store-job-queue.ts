import { err, errAsync, ok, type Result, type ResultAsync } from 'neverthrow';
import { z } from 'zod';
import { checkEnqueue, JobKindSchema } from '../../domain/jobs/job-rules';
import { isoPlus, JobScheduleNameSchema } from '../../domain/jobs/job-store-input';
import {
  fromZodError,
  settingsError,
  storageError,
  type VBucketsError,
  validationError,
  withErrorSource,
} from '../../errors';
import { type Clock, systemClock } from '../../ports/clock';
import type { JobInfo, JobQueue, JobSchedule, JobWorker } from '../../ports/job-queue';
import type { StoredJob, StoredJobSchedule } from '../../ports/job-store';
import type { Store } from '../../ports/store';
import { isoNow } from '../iso-now';
import { startStoreJobWorker } from './store-job-worker';

const ONE_DAY_MS = 24 * 60 * 60 * 1000;
const ENGINE = 'embedded';

const isFunction = (value: unknown) => typeof value === 'function';

const OptionsSchema = z.strictObject({
  clock: z
    .custom<Clock>(
      (value) => typeof value === 'object' && value !== null && isFunction((value as Clock).now),
      'must be a Clock (an object with now())',
    )
    .optional(),
  pollIntervalMs: z.number().int().min(1).max(ONE_DAY_MS).optional(),
  leaseMs: z.number().int().min(3).max(ONE_DAY_MS).optional(),
  owner: z.string().min(1).max(120).optional(),
  random: z.custom<() => number>(isFunction, 'must be a function').optional(),
  onError: z.custom<(error: VBucketsError) => void>(isFunction, 'must be a function').optional(),
});

/** Options of `createStoreJobQueue`; every field optional. */
export interface StoreJobQueueOptions {
  /** The time jobs are stamped and due by (default the system clock). */
  clock?: Clock;
  /** How often an idle worker looks for due jobs and schedules, in ms (default 500). */
  pollIntervalMs?: number;
  /** How long a running job's lease holds, in ms (default 30 000); renewed every third of it. */
  leaseMs?: number;
  /** Names this process's workers in leases (default a random name). */
  owner?: string;
  /** Numbers in [0, 1) for the backoff's jitter (default Math.random). */
  random?: () => number;
  /** Engine failures no job reports, for workers started without their own `onError`. */
  onError?: (error: VBucketsError) => void;
}

const WorkerOptionsSchema = z.strictObject({
  kinds: z.array(JobKindSchema).min(1, 'must name at least one kind'),
  concurrency: z.number().int().min(1).max(1000).optional(),
  onError: z.custom<(error: VBucketsError) => void>(isFunction, 'must be a function').optional(),
});

const ScheduleSchema = z.strictObject({
  name: JobScheduleNameSchema,
  kind: JobKindSchema,
  payload: z.unknown(),
  everyMs: z
    .number()
    .int()
    .min(1)
    .max(365 * ONE_DAY_MS),
});

// Every queue over one store object in this process shares the wake-ups: an enqueue through any
// of them starts the local workers at once instead of at their next poll.
const wakeUps = new WeakMap<Store, Set<() => void>>();

function listenersOf(store: Store): Set<() => void> {
  let listeners = wakeUps.get(store);
  if (listeners === undefined) {
    listeners = new Set();
    wakeUps.set(store, listeners);
  }
  return listeners;
}

function toInfo(job: StoredJob): JobInfo {
  return {
    kind: job.kind,
    id: job.id,
    payload: job.payload,
    state: job.state,
    attemptsMade: job.attemptsMade,
    maxAttempts: job.maxAttempts,
    failedReason: job.failedReason,
    createdAt: job.createdAt,
    runAt: job.runAt,
    finishedAt: job.finishedAt,
  };
}

const toSchedule = (stored: StoredJobSchedule): JobSchedule => ({
  name: stored.name,
  kind: stored.kind,
  payload: stored.payload,
  everyMs: stored.everyMs,
});

/**
 * The embedded job queue: durable jobs in the SDK's own store (`store.jobs`), so SQLite on one
 * machine or PostgreSQL across many needs no other server. Workers poll the store (and wake at
 * once on an enqueue in this process), take jobs by atomic claims under a renewed lease, and a
 * job whose worker died is taken over when its lease expires. Schedules are enqueued by the
 * workers of their kind, each occurrence once across processes. Never throws: invalid options
 * make every call answer a settings error.
 */
export function createStoreJobQueue(store: Store, options: StoreJobQueueOptions = {}): JobQueue {
  const parsed = OptionsSchema.safeParse(options);
  const invalid = parsed.success
    ? undefined
    : settingsError(
        withErrorSource(fromZodError(parsed.error, 'job queue options'), {
          adapter: ENGINE,
          operation: 'createStoreJobQueue',
        }),
      );
  const settings = parsed.success ? parsed.data : {};
  const clock = settings.clock ?? systemClock;
  const owner = settings.owner ?? `embedded-${globalThis.crypto.randomUUID()}`;
  const onError = settings.onError ?? (() => {});
  const listeners = listenersOf(store);
  const workers = new Set<JobWorker>();
  let workerCount = 0;
  let closed = false;

  const source = (operation: string) => ({ adapter: ENGINE, operation });
  /** The refusal every call answers first: invalid settings, or a closed queue. */
  const refusal = (operation: string): VBucketsError | undefined =>
    invalid ?? (closed ? storageError('The job queue is closed', source(operation)) : undefined);
  const refused = <T>(error: VBucketsError, operation: string): ResultAsync<T, VBucketsError> =>
    errAsync(withErrorSource(error, source(operation)));
  const guarded = <T>(
    operation: string,
    call: () => ResultAsync<T, VBucketsError>,
  ): ResultAsync<T, VBucketsError> => {
    const refusedBy = refusal(operation);
    return refusedBy === undefined ? call() : errAsync(refusedBy);
  };
  const wakeAll = () => {
    for (const wake of [...listeners]) wake();
  };

  return {
    specificationVersion: 'v1',
    engine: ENGINE,

    enqueue: (kind, payload, enqueueOptions) =>
      guarded('enqueue', () => {
        const checked = checkEnqueue(kind, payload, enqueueOptions);
        if (checked.isErr()) return refused(checked.error, 'enqueue');
        const job = checked.value;
        const now = isoNow(clock);
        return store.jobs
          .insert({
            kind: job.kind,
            id: job.jobId ?? globalThis.crypto.randomUUID(),
            payload: job.payload,
            maxAttempts: job.attempts,
            backoff: job.backoff,
            now,
            runAt: job.delayMs > 0 ? isoPlus(now, job.delayMs) : null,
          })
          .map(({ job: stored, created }) => {
            if (created && stored.state === 'waiting') wakeAll();
            return { kind: stored.kind, id: stored.id, created };
          });
      }),

    schedule: (schedule) =>
      guarded('schedule', () => {
        const checked = ScheduleSchema.safeParse(schedule);
        if (!checked.success) return refused(fromZodError(checked.error, 'schedule'), 'schedule');
        const payload = checkEnqueue(checked.data.kind, checked.data.payload, {});
        if (payload.isErr()) return refused(payload.error, 'schedule');
        return store.jobs
          .upsertSchedule({ ...checked.data, payload: payload.value.payload, now: isoNow(clock) })
          .map(toSchedule);
      }),

    unschedule: (name) => guarded('unschedule', () => store.jobs.deleteSchedule(name)),

    schedules: () =>
      guarded('schedules', () => store.jobs.listSchedules().map((all) => all.map(toSchedule))),

    work(processor, workerOptions): Result<JobWorker, VBucketsError> {
      const refusedBy = refusal('work');
      if (refusedBy !== undefined) return err(refusedBy);
      const checked = WorkerOptionsSchema.safeParse(workerOptions);
      if (!checked.success) {
        return err(withErrorSource(fromZodError(checked.error, 'worker options'), source('work')));
      }
      if (typeof processor !== 'function') {
        const error = validationError('Invalid processor: must be a function', {
          path: 'processor',
        });
        return err(withErrorSource(error, source('work')));
      }
      workerCount += 1;
      const worker = startStoreJobWorker(
        {
          store,
          clock,
          random: settings.random ?? Math.random,
          pollIntervalMs: settings.pollIntervalMs ?? 500,
          leaseMs: settings.leaseMs ?? 30_000,
          owner: `${owner}/${workerCount}`,
          kinds: [...new Set(checked.data.kinds)],
          concurrency: checked.data.concurrency ?? 1,
          onError: checked.data.onError ?? onError,
          wakeAll,
          listen: (wake) => {
            listeners.add(wake);
            return () => listeners.delete(wake);
          },
        },
        processor,
      );
      workers.add(worker);
      return ok({
        get running() {
          return worker.running;
        },
        close: async (closeOptions) => {
          await worker.close(closeOptions);
          workers.delete(worker);
        },
      });
    },

    get: (kind, id) => guarded('get', () => store.jobs.get(kind, id).map(toInfo)),

    counts: () => guarded('counts', () => store.jobs.counts()),

    failed: (filter) =>
      guarded('failed', () => store.jobs.listFailed(filter).map((jobs) => jobs.map(toInfo))),

    retry: (kind, id) =>
      guarded('retry', () =>
        store.jobs.retry(kind, id, isoNow(clock)).map((job) => {
          wakeAll();
          return toInfo(job);
        }),
      ),

    async close() {
      closed = true;
      await Promise.all([...workers].map((worker) => worker.close()));
      workers.clear();
    },
  };
}
