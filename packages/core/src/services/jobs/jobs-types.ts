import type { Result, ResultAsync } from 'neverthrow';
import type { VBucketsError } from '../../errors';
import type {
  EnqueuedJob,
  EnqueueOptions,
  JobCount,
  JobInfo,
  JobSchedule,
  JobWorker,
} from '../../ports/job-queue';
import type { Scope } from '../../schemas/common';
import type { BuiltinJobKind, BuiltinJobPayloads, JobKindDefinition } from './job-kinds';

/** Tuning of the jobs service; all optional. */
export interface JobsSettings {
  /** Jobs a worker runs at once when `work` does not say (default 4). */
  concurrency?: number;
  /** How long a job waits before looking again at work another worker holds (default 2000 ms). */
  heldWorkWaitMs?: number;
  /**
   * When set, a successful upload to a social platform queues a `segments.syncMetrics` of
   * that platform this many milliseconds later (the post's first numbers). Default: none.
   */
  metricsSyncAfterUploadMs?: number;
}

/** What a worker tells about each job it runs. */
export type JobEvent =
  | { type: 'job-started'; kind: string; id: string; attempt: number }
  | { type: 'job-completed'; kind: string; id: string; attempt: number; result: unknown }
  | { type: 'job-failed'; kind: string; id: string; attempt: number; error: VBucketsError };

/** Options of `jobs.work`. */
export interface JobsWorkOptions {
  /** The kinds to take (default every kind of the service). */
  kinds?: readonly string[];
  /** Jobs at once (default the service's `concurrency`, 4). */
  concurrency?: number;
  /** Each job's start and end (a failed attempt may still be retried). */
  onEvent?: (event: JobEvent) => void;
  /** Failures of the engine itself. */
  onError?: (error: VBucketsError) => void;
}

/** A worker of the jobs service. */
export interface JobsWorker extends JobWorker {
  /**
   * Stops taking jobs. Graceful (default) waits for the running ones; with `graceMs`, those
   * still running after it are told to stop (their signal aborts) and are retried later, from
   * their checkpoints, by whichever worker takes them. Not graceful: they stop at once.
   */
  close(options?: { graceful?: boolean; graceMs?: number }): Promise<void>;
}

/** What `recover` queued again. */
export interface RecoverySummary {
  /** Sessions with pending rows, queued (or their failed job retried). */
  sessions: string[];
  /** Whether uploads were due, and a `uploads.runDue` was queued for them. */
  uploadsDue: boolean;
  /** Creatives whose analysis was queued but not run, queued as `market.analyze`. */
  analyses: string[];
}

/**
 * Background work: the SDK's job kinds (and yours, `define`) on a JobQueue engine — the
 * embedded one in the store by default, BullMQ with `createVBuckets({ queue })`. Enqueues are
 * checked and deduplicated; workers run them with bounded concurrency.
 */
export interface JobsService {
  /** The engine's name (`embedded`, `bullmq`). */
  readonly engine: string;
  /** Every kind this service runs: the SDK's, then yours. */
  kinds(): string[];
  /** Adds a kind of your own; `VALIDATION` for a malformed or taken name. */
  define<Payload>(
    kind: string,
    definition: JobKindDefinition<Payload>,
  ): Result<void, VBucketsError>;
  /** Queues a job after its kind's checks; the kind's job id (or `options.jobId`) dedupes it. */
  enqueue<Kind extends BuiltinJobKind>(
    kind: Kind,
    payload: BuiltinJobPayloads[Kind],
    options?: EnqueueOptions,
  ): ResultAsync<EnqueuedJob, VBucketsError>;
  enqueue(
    kind: string,
    payload: unknown,
    options?: EnqueueOptions,
  ): ResultAsync<EnqueuedJob, VBucketsError>;
  /** Starts a worker for `kinds` (default every kind) in this process. */
  work(options?: JobsWorkOptions): Result<JobsWorker, VBucketsError>;
  /** Queues `kind` with `payload` every `everyMs` (checked like an enqueue); replaces a schedule of that name. */
  schedule(schedule: JobSchedule): ResultAsync<JobSchedule, VBucketsError>;
  /** Removes a schedule; false when there was none. */
  unschedule(name: string): ResultAsync<boolean, VBucketsError>;
  /** Every schedule, by name. */
  schedules(): ResultAsync<JobSchedule[], VBucketsError>;
  /** One job; `NOT_FOUND` otherwise. */
  get(kind: string, id: string): ResultAsync<JobInfo, VBucketsError>;
  /** Jobs per kind and state. */
  counts(): ResultAsync<JobCount[], VBucketsError>;
  /** Failed jobs, most recently finished first. */
  failed(options?: { kind?: string; limit?: number }): ResultAsync<JobInfo[], VBucketsError>;
  /** Runs a failed job again; `CONFLICT` when it has not failed. */
  retry(kind: string, id: string): ResultAsync<JobInfo, VBucketsError>;
  /**
   * The safety net after a crash or a lost enqueue: queues again the org's unfinished work the
   * store knows of — sessions with pending rows (the newest 100 per product), due uploads,
   * and creatives whose analysis is queued. Idempotent: the kinds' job ids dedupe.
   */
  recover(
    scope: Scope,
    options?: { provider?: string },
  ): ResultAsync<RecoverySummary, VBucketsError>;
}
