import { z } from 'zod';
import { conflictError, fromZodError, notFoundError, type VBucketsError } from '../../errors';
import { IdSchema, TimestampSchema } from '../../schemas/common';
import { JobKindSchema } from './job-rules';

const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/** A schedule's name: an id short enough that the job ids derived from it stay ids. */
export const JobScheduleNameSchema = IdSchema.max(150, 'must be at most 150 characters');

const CountSchema = z.number().int('must be a whole number');
const BackoffShape = z.strictObject({
  delayMs: CountSchema.min(0).max(ONE_YEAR_MS),
  maxDelayMs: CountSchema.min(0).max(ONE_YEAR_MS),
});

const InsertShape = z.object({
  kind: JobKindSchema,
  id: IdSchema,
  payload: z.unknown(),
  maxAttempts: CountSchema.min(1).max(100),
  backoff: BackoffShape,
  now: TimestampSchema,
  runAt: TimestampSchema.nullable(),
});

const ClaimShape = z.object({
  kinds: z.array(JobKindSchema).min(1, 'must name at least one kind'),
  owner: IdSchema,
  now: TimestampSchema,
  leaseMs: CountSchema.min(1).max(ONE_YEAR_MS),
});

const LeaseShape = z.object({
  kind: JobKindSchema,
  id: IdSchema,
  owner: IdSchema,
  now: TimestampSchema,
  leaseMs: CountSchema.min(1).max(ONE_YEAR_MS).optional(),
  runAt: TimestampSchema.optional(),
});

const ScheduleShape = z.object({
  name: JobScheduleNameSchema,
  kind: JobKindSchema,
  payload: z.unknown(),
  everyMs: CountSchema.min(1).max(ONE_YEAR_MS),
  now: TimestampSchema,
});

const DueSchedulesShape = z.object({
  kinds: z.array(JobKindSchema).min(1, 'must name at least one kind'),
  now: TimestampSchema,
});

const FailedFilterShape = z
  .object({
    kind: JobKindSchema.optional(),
    limit: CountSchema.min(1).max(10_000).optional(),
  })
  .optional();

function check(schema: z.ZodType, value: unknown, subject: string): VBucketsError | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : fromZodError(parsed.error, subject);
}

/** The problem with a job to insert, or undefined. */
export const jobInsertError = (value: unknown) => check(InsertShape, value, 'job');
/** The problem with a claim request, or undefined. */
export const jobClaimError = (value: unknown) => check(ClaimShape, value, 'claim');
/** The problem with an owner-checked call (renew, complete, fail, retry later, release), or undefined. */
export const jobLeaseError = (value: unknown) => check(LeaseShape, value, 'lease');
/** The problem with a schedule to write, or undefined. */
export const jobScheduleError = (value: unknown) => check(ScheduleShape, value, 'schedule');
/** The problem with a due-schedules claim, or undefined. */
export const dueSchedulesError = (value: unknown) => check(DueSchedulesShape, value, 'claim');
/** The problem with a failed-jobs filter, or undefined. */
export const failedFilterError = (value: unknown) => check(FailedFilterShape, value, 'filter');

/** How many failed jobs a listing shows when it does not say. */
export const DEFAULT_FAILED_LIMIT = 100;

/** The reason a stalled job with no attempts left fails with. */
export const STALLED_JOB_REASON =
  'Its worker stopped while running it (the lease expired) and no attempts remain';

/** `NOT_FOUND` for a (kind, id) without a job. */
export function jobNotFound(kind: string, id: string): VBucketsError {
  return notFoundError(`No ${kind} job "${id}"`, { details: { entity: 'job', kind, id } });
}

/** The refusal of an owner-checked call by a worker that does not hold the job's lease. */
export function jobLeaseLost(
  kind: string,
  id: string,
  owner: string,
  heldBy: string | null,
): VBucketsError {
  return conflictError(
    `The ${kind} job "${id}": lease lost (${owner} does not hold it; held by ${heldBy ?? 'nobody'})`,
    { details: { kind, id, owner, leaseOwner: heldBy } },
  );
}

/** The refusal of `retry` for a job that is not failed. */
export function jobNotFailed(kind: string, id: string, state: string): VBucketsError {
  return conflictError(
    `The ${kind} job "${id}" is ${state}, not failed; only a failed job is retried`,
    {
      details: { kind, id, state },
    },
  );
}

/** The first occurrence of a period strictly after `now` (ISO-8601), counting from `dueAt`. */
export function nextOccurrence(dueAt: string, everyMs: number, now: string): string {
  const due = Date.parse(dueAt);
  const periods = Math.floor((Date.parse(now) - due) / everyMs) + 1;
  return new Date(due + Math.max(1, periods) * everyMs).toISOString();
}

/** The id of the job a schedule enqueues for one occurrence: the same in every process, so the unique key dedupes. */
export function scheduledJobId(name: string, dueAt: string): string {
  return `${name}@${new Date(Date.parse(dueAt)).toISOString()}`;
}

/** An ISO-8601 time `milliseconds` after `iso`. */
export function isoPlus(iso: string, milliseconds: number): string {
  return new Date(Date.parse(iso) + milliseconds).toISOString();
}
