import { err, ok, type Result } from 'neverthrow';
import { JOB_STATES } from '../domain/jobs/job-rules';
import {
  DEFAULT_FAILED_LIMIT,
  dueSchedulesError,
  failedFilterError,
  isoPlus,
  jobClaimError,
  jobInsertError,
  jobLeaseError,
  jobLeaseLost,
  jobNotFailed,
  jobNotFound,
  jobScheduleError,
  nextOccurrence,
  STALLED_JOB_REASON,
} from '../domain/jobs/job-store-input';
import { type VBucketsError, withErrorSource } from '../errors';
import type { JobCount } from '../ports/job-queue';
import type {
  JobLeaseRef,
  JobRepository,
  JobScheduleOccurrence,
  StoredJob,
  StoredJobSchedule,
} from '../ports/job-store';
import type { MemoryStoreAccess } from './memory-store-access';
import { compareText, compareTimestamps, type MemoryStoreState } from './memory-store-state';

const jobSlot = (kind: string, id: string) => JSON.stringify([kind, id]);
const copyJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

function copyJob(job: StoredJob): StoredJob {
  return { ...job, payload: copyJson(job.payload), backoff: { ...job.backoff } };
}

function copySchedule(schedule: StoredJobSchedule): StoredJobSchedule {
  return { ...schedule, payload: copyJson(schedule.payload) };
}

const isDue = (job: StoredJob, now: string) =>
  job.state === 'waiting' ||
  (job.state === 'delayed' && job.runAt !== null && compareTimestamps(job.runAt, now) <= 0) ||
  isStalled(job, now);

const isStalled = (job: StoredJob, now: string) =>
  job.state === 'active' &&
  job.leaseExpiresAt !== null &&
  compareTimestamps(job.leaseExpiresAt, now) <= 0;

/** A job with its due order: run-at (`dueAt`), then insertion (`seq`), as the SQL stores claim. */
interface Slot {
  seq: number;
  dueAt: string;
  job: StoredJob;
}

/**
 * Jobs and schedules in memory, with the SQL stores' semantics: every write runs alone on the
 * state, so a claim, an insert or a schedule occurrence is atomic like the single statements
 * of the SQL repository.
 */
export function createMemoryJobRepository(access: MemoryStoreAccess): JobRepository {
  const where = (operation: string) => ({ adapter: 'memory', operation });
  const fail = <T>(error: VBucketsError, operation: string): Result<T, VBucketsError> =>
    err(withErrorSource(error, where(operation)));
  const put = (state: MemoryStoreState, slot: Slot) => {
    state.jobs.set(jobSlot(slot.job.kind, slot.job.id), slot);
  };

  /** Applies an owner-checked change to the owner's active job. */
  function owned(
    operation: string,
    lease: JobLeaseRef,
    change: (slot: Slot) => Slot,
  ): ReturnType<JobRepository['complete']> {
    return access.write((state) => {
      const invalid = jobLeaseError(lease);
      if (invalid !== undefined) return fail(invalid, operation);
      const slot = state.jobs.get(jobSlot(lease.kind, lease.id));
      if (slot === undefined) return fail(jobNotFound(lease.kind, lease.id), operation);
      const { job } = slot;
      if (job.state !== 'active' || job.leaseOwner !== lease.owner) {
        const heldBy = job.state === 'active' ? job.leaseOwner : null;
        return fail(jobLeaseLost(lease.kind, lease.id, lease.owner, heldBy), operation);
      }
      const next = change(slot);
      put(state, next);
      return ok(copyJob(next.job));
    });
  }

  const ended = { leaseOwner: null, leaseExpiresAt: null };

  return {
    insert: (input) =>
      access.write((state) => {
        const invalid = jobInsertError(input);
        if (invalid !== undefined) return fail(invalid, 'jobs.insert');
        const existing = state.jobs.get(jobSlot(input.kind, input.id));
        if (existing !== undefined) return ok({ job: copyJob(existing.job), created: false });
        const job: StoredJob = {
          kind: input.kind,
          id: input.id,
          payload: copyJson(input.payload),
          state: input.runAt === null ? 'waiting' : 'delayed',
          attemptsMade: 0,
          maxAttempts: input.maxAttempts,
          backoff: { ...input.backoff },
          failedReason: null,
          createdAt: new Date(input.now).toISOString(),
          runAt: input.runAt === null ? null : new Date(input.runAt).toISOString(),
          finishedAt: null,
          leaseOwner: null,
          leaseExpiresAt: null,
        };
        put(state, { seq: state.jobSeq, dueAt: job.runAt ?? job.createdAt, job });
        state.jobSeq += 1;
        return ok({ job: copyJob(job), created: true });
      }),

    claimNext: (input) =>
      access.write((state) => {
        const invalid = jobClaimError(input);
        if (invalid !== undefined) return fail(invalid, 'jobs.claimNext');
        const now = new Date(input.now).toISOString();
        const kinds = new Set(input.kinds);
        const due: Slot[] = [];
        for (const slot of state.jobs.values()) {
          const { job } = slot;
          if (!kinds.has(job.kind) || !isDue(job, now)) continue;
          if (isStalled(job, now) && job.attemptsMade >= job.maxAttempts) {
            const failedJob: StoredJob = {
              ...job,
              ...ended,
              state: 'failed',
              failedReason: STALLED_JOB_REASON,
              finishedAt: now,
            };
            put(state, { ...slot, job: failedJob });
            continue;
          }
          due.push(slot);
        }
        due.sort(
          (left, right) => compareTimestamps(left.dueAt, right.dueAt) || left.seq - right.seq,
        );
        const first = due[0];
        if (first === undefined) return ok(null);
        const claimed: StoredJob = {
          ...first.job,
          state: 'active',
          attemptsMade: first.job.attemptsMade + 1,
          runAt: null,
          leaseOwner: input.owner,
          leaseExpiresAt: isoPlus(now, input.leaseMs),
        };
        put(state, { ...first, job: claimed });
        return ok(copyJob(claimed));
      }),

    renewLease: (lease) =>
      owned('jobs.renewLease', lease, (slot) => ({
        ...slot,
        job: { ...slot.job, leaseExpiresAt: isoPlus(lease.now, lease.leaseMs) },
      })),

    complete: (lease) =>
      owned('jobs.complete', lease, (slot) => ({
        ...slot,
        job: {
          ...slot.job,
          ...ended,
          state: 'completed',
          finishedAt: new Date(lease.now).toISOString(),
        },
      })),

    fail: (lease) =>
      owned('jobs.fail', lease, (slot) => ({
        ...slot,
        job: {
          ...slot.job,
          ...ended,
          state: 'failed',
          failedReason: lease.reason,
          finishedAt: new Date(lease.now).toISOString(),
        },
      })),

    retryLater: (lease) =>
      owned('jobs.retryLater', lease, (slot) => {
        const runAt = new Date(lease.runAt).toISOString();
        const { job } = slot;
        return {
          ...slot,
          dueAt: runAt,
          job: {
            ...job,
            ...ended,
            state: 'delayed',
            runAt,
            failedReason: lease.reason,
            attemptsMade: lease.countsAsAttempt ? job.attemptsMade : job.attemptsMade - 1,
          },
        };
      }),

    release: (lease) =>
      owned('jobs.release', lease, (slot) => ({
        ...slot,
        job: { ...slot.job, ...ended, state: 'waiting', attemptsMade: slot.job.attemptsMade - 1 },
      })),

    get: (kind, id) =>
      access.read((state) => {
        const slot = state.jobs.get(jobSlot(kind, id));
        return slot === undefined ? fail(jobNotFound(kind, id), 'jobs.get') : ok(copyJob(slot.job));
      }),

    counts: () =>
      access.read((state) => {
        const tally = new Map<string, number>();
        for (const { job } of state.jobs.values()) {
          const key = jobSlot(job.kind, job.state);
          tally.set(key, (tally.get(key) ?? 0) + 1);
        }
        const counts: JobCount[] = [...tally].map(([key, count]) => {
          const [kind, jobState] = JSON.parse(key) as [string, JobCount['state']];
          return { kind, state: jobState, count };
        });
        return ok(
          counts.sort(
            (left, right) =>
              compareText(left.kind, right.kind) ||
              JOB_STATES.indexOf(left.state) - JOB_STATES.indexOf(right.state),
          ),
        );
      }),

    listFailed: (filter) =>
      access.read((state) => {
        const invalid = failedFilterError(filter);
        if (invalid !== undefined) return fail(invalid, 'jobs.listFailed');
        const failed = [...state.jobs.values()].filter(
          ({ job }) =>
            job.state === 'failed' && (filter?.kind === undefined || job.kind === filter.kind),
        );
        failed.sort(
          (left, right) =>
            compareTimestamps(right.job.finishedAt ?? '', left.job.finishedAt ?? '') ||
            right.seq - left.seq,
        );
        return ok(
          failed.slice(0, filter?.limit ?? DEFAULT_FAILED_LIMIT).map(({ job }) => copyJob(job)),
        );
      }),

    retry: (kind, id, now) =>
      access.write((state) => {
        const slot = state.jobs.get(jobSlot(kind, id));
        if (slot === undefined) return fail(jobNotFound(kind, id), 'jobs.retry');
        if (slot.job.state !== 'failed') {
          return fail(jobNotFailed(kind, id, slot.job.state), 'jobs.retry');
        }
        const next: StoredJob = {
          ...slot.job,
          state: 'waiting',
          attemptsMade: 0,
          failedReason: null,
          finishedAt: null,
          runAt: null,
        };
        put(state, { ...slot, dueAt: new Date(now).toISOString(), job: next });
        return ok(copyJob(next));
      }),

    upsertSchedule: (input) =>
      access.write((state) => {
        const invalid = jobScheduleError(input);
        if (invalid !== undefined) return fail(invalid, 'jobs.upsertSchedule');
        const existing = state.jobSchedules.get(input.name);
        const schedule: StoredJobSchedule = {
          name: input.name,
          kind: input.kind,
          payload: copyJson(input.payload),
          everyMs: input.everyMs,
          nextRunAt:
            existing !== undefined && existing.everyMs === input.everyMs
              ? existing.nextRunAt
              : isoPlus(input.now, input.everyMs),
        };
        state.jobSchedules.set(schedule.name, schedule);
        return ok(copySchedule(schedule));
      }),

    deleteSchedule: (name) => access.write((state) => ok(state.jobSchedules.delete(name))),

    listSchedules: () =>
      access.read((state) =>
        ok(
          [...state.jobSchedules.values()]
            .sort((left, right) => compareText(left.name, right.name))
            .map(copySchedule),
        ),
      ),

    claimDueSchedules: (input) =>
      access.write((state) => {
        const invalid = dueSchedulesError(input);
        if (invalid !== undefined) return fail(invalid, 'jobs.claimDueSchedules');
        const now = new Date(input.now).toISOString();
        const kinds = new Set(input.kinds);
        const occurrences: JobScheduleOccurrence[] = [];
        for (const schedule of [...state.jobSchedules.values()].sort((left, right) =>
          compareText(left.name, right.name),
        )) {
          if (!kinds.has(schedule.kind) || compareTimestamps(schedule.nextRunAt, now) > 0) continue;
          const next = {
            ...schedule,
            nextRunAt: nextOccurrence(schedule.nextRunAt, schedule.everyMs, now),
          };
          state.jobSchedules.set(schedule.name, next);
          occurrences.push({ schedule: copySchedule(next), dueAt: schedule.nextRunAt });
        }
        return ok(occurrences);
      }),
  };
}
