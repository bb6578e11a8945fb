import type { ResultAsync } from 'neverthrow';
import type { VBucketsError } from '../errors';
import type { JobBackoff, JobCount, JobState } from './job-queue';

type StoreResult<T> = ResultAsync<T, VBucketsError>;

/** A job as the store keeps it: what `JobInfo` shows, plus its backoff and lease. */
export interface StoredJob {
  /** The job's kind; (kind, id) is unique. */
  kind: string;
  /** The job's id within its kind. */
  id: string;
  /** The payload as enqueued (JSON). */
  payload: unknown;
  /** Where the job is. */
  state: JobState;
  /** Attempts started so far, the running one included. */
  attemptsMade: number;
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** The wait between attempts. */
  backoff: Required<JobBackoff>;
  /** The last failure's message, or null. */
  failedReason: string | null;
  /** ISO-8601 time of the insert. */
  createdAt: string;
  /** When a delayed job may run (ISO-8601); null in every other state. */
  runAt: string | null;
  /** When it completed or failed for good (ISO-8601), or null. */
  finishedAt: string | null;
  /** The worker whose lease the active job is under, or null. */
  leaseOwner: string | null;
  /** When that lease may be taken over (ISO-8601), or null. */
  leaseExpiresAt: string | null;
}

/** A new job: `waiting` when `runAt` is null, else `delayed` until then. */
export interface JobInsert {
  /** The job's kind. */
  kind: string;
  /** The job's id, unique per kind. */
  id: string;
  /** A JSON payload. */
  payload: unknown;
  /** Attempts in all, at least 1. */
  maxAttempts: number;
  /** The wait between attempts. */
  backoff: Required<JobBackoff>;
  /** ISO-8601 time of the insert. */
  now: string;
  /** When a delayed job may run (ISO-8601), or null to run at once. */
  runAt: string | null;
}

/** A worker asking for the next due job of its kinds. */
export interface JobClaimInput {
  /** The kinds the worker takes (at least one). */
  kinds: readonly string[];
  /** Names the worker; only it may renew, end or release the job. */
  owner: string;
  /** ISO-8601 time of the claim. */
  now: string;
  /** How long the lease holds before another worker may take the job over. */
  leaseMs: number;
}

/** Identifies a job under a worker's lease, as every owner-checked call does. */
export interface JobLeaseRef {
  /** The job's kind. */
  kind: string;
  /** The job's id. */
  id: string;
  /** The lease owner making the call. */
  owner: string;
  /** ISO-8601 time of the call. */
  now: string;
}

/** A schedule as the store keeps it, with its next occurrence. */
export interface StoredJobSchedule {
  /** Unique name. */
  name: string;
  /** The kind of the jobs it enqueues. */
  kind: string;
  /** The payload of the jobs it enqueues (JSON). */
  payload: unknown;
  /** The period, in milliseconds. */
  everyMs: number;
  /** When the next occurrence is due (ISO-8601). */
  nextRunAt: string;
}

/** One occurrence of a schedule, claimed by exactly one caller. */
export interface JobScheduleOccurrence {
  /** The schedule as it was claimed. */
  schedule: StoredJobSchedule;
  /** The occurrence's due time (ISO-8601): the `nextRunAt` the claim moved past. */
  dueAt: string;
}

/**
 * Durable jobs and schedules for the embedded job queue. Every write is one atomic statement
 * (or one write transaction), so any number of workers in any number of processes share it:
 * a job is claimed by one worker at a time, a schedule occurrence by one caller. Owner-checked
 * calls answer `CONFLICT` ("lease lost") when the caller does not hold the job's lease.
 */
export interface JobRepository {
  /** Inserts the job unless its (kind, id) exists, atomically; answers the stored job either way. */
  insert(job: JobInsert): StoreResult<{ job: StoredJob; created: boolean }>;
  /**
   * Takes one due job of the kinds atomically (waiting; delayed with runAt ≤ now; or active with
   * an expired lease, whose worker stopped) under `owner`'s lease, counting an attempt; null when
   * none is due. A stalled job with no attempts left is failed instead, saying its worker stopped.
   */
  claimNext(input: JobClaimInput): StoreResult<StoredJob | null>;
  /** Extends the owner's lease to `now + leaseMs` (an expired lease nobody took still counts). */
  renewLease(lease: JobLeaseRef & { leaseMs: number }): StoreResult<StoredJob>;
  /** Marks the owner's job completed and ends its lease. */
  complete(lease: JobLeaseRef): StoreResult<StoredJob>;
  /** Marks the owner's job failed for good with this reason and ends its lease. */
  fail(lease: JobLeaseRef & { reason: string }): StoreResult<StoredJob>;
  /** Delays the owner's job until `runAt` with this reason; `countsAsAttempt` false gives the attempt back. */
  retryLater(
    lease: JobLeaseRef & { runAt: string; reason: string; countsAsAttempt: boolean },
  ): StoreResult<StoredJob>;
  /** Puts the owner's job back to waiting, giving its attempt back (a worker that stops without finishing it). */
  release(lease: JobLeaseRef): StoreResult<StoredJob>;
  /** One job; `NOT_FOUND` when the kind has no job with that id. */
  get(kind: string, id: string): StoreResult<StoredJob>;
  /** Jobs per kind and state (none-states left out), by kind then state in `JOB_STATES` order. */
  counts(): StoreResult<JobCount[]>;
  /** Failed jobs, most recently finished first (at most `limit`, default 100), optionally of one kind. */
  listFailed(filter?: { kind?: string; limit?: number }): StoreResult<StoredJob[]>;
  /** Puts a failed job back to waiting with fresh attempts; `CONFLICT` when not failed, `NOT_FOUND` when absent. */
  retry(kind: string, id: string, now: string): StoreResult<StoredJob>;
  /**
   * Creates or replaces a schedule by name. A new one (or one whose period changes) is next due
   * at `now + everyMs`; a replacement with the same period keeps its next occurrence.
   */
  upsertSchedule(
    schedule: Omit<StoredJobSchedule, 'nextRunAt'> & { now: string },
  ): StoreResult<StoredJobSchedule>;
  /** Deletes a schedule; false when there was none. */
  deleteSchedule(name: string): StoreResult<boolean>;
  /** Every schedule, by name (code-point order). */
  listSchedules(): StoreResult<StoredJobSchedule[]>;
  /**
   * Claims the due occurrences (`nextRunAt` ≤ now) of schedules of these kinds by compare-and-set
   * of `nextRunAt` to its first occurrence after `now` (missed ones are skipped): of any number of
   * concurrent callers exactly one gets each occurrence.
   */
  claimDueSchedules(input: {
    kinds: readonly string[];
    now: string;
  }): StoreResult<JobScheduleOccurrence[]>;
}
