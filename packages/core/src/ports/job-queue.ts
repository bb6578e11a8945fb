import type { Result, ResultAsync } from 'neverthrow';
import type { VBucketsError } from '../errors';

/**
 * Where a job is: `waiting` to run, `delayed` until its run-at (a delay, a backoff or a
 * rate limit), `active` under a worker's lease, `completed`, or `failed` for good (its
 * attempts are spent, or its error was not retryable).
 */
export type JobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed';

/**
 * The wait before the attempt after failure n (1-based), as the upload retry policy computes
 * it: `delayMs × 2^(n−1)`, capped at `maxDelayMs`, with equal jitter (half fixed, half random).
 */
export interface JobBackoff {
  delayMs: number;
  maxDelayMs?: number;
}

/** Options of one enqueue; every field optional. */
export interface EnqueueOptions {
  /**
   * Names the job, unique per kind: enqueuing an id that already exists (in any state)
   * adds nothing and answers the existing job (`created: false`). Default a random id.
   */
  jobId?: string;
  /** Runs no sooner than this many milliseconds from now. */
  delayMs?: number;
  /** Attempts in all, the first included (default 3). */
  attempts?: number;
  /** Wait between attempts (default exponential from 1 s, capped at 5 min). */
  backoff?: JobBackoff;
}

/** What enqueue answers: the job's id, and whether this call created it. */
export interface EnqueuedJob {
  kind: string;
  id: string;
  created: boolean;
}

/** A job as listings show it. */
export interface JobInfo {
  kind: string;
  id: string;
  /** The payload as enqueued (JSON). */
  payload: unknown;
  state: JobState;
  /** Attempts started so far (an attempt a dead worker left counts). */
  attemptsMade: number;
  maxAttempts: number;
  /** The last failure's message, or null. */
  failedReason: string | null;
  /** ISO-8601 times. */
  createdAt: string;
  /** When a delayed job may run next, or null. */
  runAt: string | null;
  finishedAt: string | null;
}

/** A job handed to a processor. */
export interface JobRun {
  kind: string;
  id: string;
  payload: unknown;
  /** This attempt's number, 1-based. */
  attempt: number;
  maxAttempts: number;
  /**
   * Aborted when the worker closes without waiting (`close({ graceful: false })`) or loses
   * the job's lease: stop, and let the next attempt resume from the store's checkpoints.
   */
  signal: AbortSignal;
}

/**
 * Runs one job. `ok` completes it. `err` with a retryable error runs it again after the
 * backoff (a `RATE_LIMITED` error with `retryAfterMs` waits that long instead, and does not
 * use up an attempt); a non-retryable error, or the last attempt's, fails it for good. A
 * throw counts as a retryable failure.
 */
export type JobProcessor = (job: JobRun) => Promise<Result<unknown, VBucketsError>>;

/** Options of `work`. */
export interface JobWorkerOptions {
  /** The kinds this worker takes; jobs of other kinds stay queued for other workers. */
  kinds: readonly string[];
  /** At most this many jobs of this worker run at once (default 1). */
  concurrency?: number;
  /** Failures of the engine itself (a lost connection, a lost lease) that no job reports. */
  onError?: (error: VBucketsError) => void;
}

/** A running worker. */
export interface JobWorker {
  /** Jobs running now. */
  readonly running: number;
  /**
   * Stops taking jobs. Graceful (the default) waits for the running ones to finish; otherwise
   * their signals are aborted and their leases released, so another worker takes them at once.
   */
  close(options?: { graceful?: boolean }): Promise<void>;
}

/** A repeatable job: `kind` with `payload`, enqueued every `everyMs` while the schedule exists. */
export interface JobSchedule {
  /** Unique; scheduling a name again replaces its kind, payload and period. */
  name: string;
  kind: string;
  payload: unknown;
  everyMs: number;
}

/** How many jobs of a kind are in a state (states with none are left out). */
export interface JobCount {
  kind: string;
  state: JobState;
  count: number;
}

/**
 * A durable job queue: at-least-once delivery of JSON payloads to workers, by kind. The SDK's
 * job kinds check payloads and make handlers idempotent, so an engine only stores, leases and
 * retries. Engines: the embedded one over the SDK's own store (`createStoreJobQueue`) and
 * BullMQ on Redis (`@vbuckets/queue-bullmq`); both pass `describeJobQueueConformance`.
 */
export interface JobQueue {
  readonly specificationVersion: 'v1';
  /** The engine's name, for logs and `jobs` listings (`embedded`, `bullmq`). */
  readonly engine: string;
  /** Adds a job; with an existing `jobId` of the kind, answers that job and adds nothing. */
  enqueue(
    kind: string,
    payload: unknown,
    options?: EnqueueOptions,
  ): ResultAsync<EnqueuedJob, VBucketsError>;
  /** Creates or replaces a repeatable schedule; its first job is due `everyMs` from now. */
  schedule(schedule: JobSchedule): ResultAsync<JobSchedule, VBucketsError>;
  /** Removes a schedule (jobs it already enqueued stay); false when there was none. */
  unschedule(name: string): ResultAsync<boolean, VBucketsError>;
  /** Every schedule, by name. */
  schedules(): ResultAsync<JobSchedule[], VBucketsError>;
  /** Starts a worker that runs jobs of `options.kinds` with `processor`. */
  work(processor: JobProcessor, options: JobWorkerOptions): Result<JobWorker, VBucketsError>;
  /** One job; `NOT_FOUND` when the kind has no job with that id. */
  get(kind: string, id: string): ResultAsync<JobInfo, VBucketsError>;
  /** Jobs per kind and state, for every kind that has any. */
  counts(): ResultAsync<JobCount[], VBucketsError>;
  /** Failed jobs, most recently finished first (at most `limit`, default 100). */
  failed(options?: { kind?: string; limit?: number }): ResultAsync<JobInfo[], VBucketsError>;
  /** Puts a failed job back to `waiting` with fresh attempts; `CONFLICT` when it is not failed. */
  retry(kind: string, id: string): ResultAsync<JobInfo, VBucketsError>;
  /** Stops this queue's workers (gracefully) and releases its connections. */
  close(): Promise<void>;
}
