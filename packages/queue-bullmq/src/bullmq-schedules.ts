import { fromZodError, type VBucketsError } from '@vbuckets/core';
import {
  checkEnqueue,
  DEFAULT_JOB_ATTEMPTS,
  DEFAULT_JOB_BACKOFF,
  type JobSchedule,
} from '@vbuckets/core/adapter-kit';
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import { z } from 'zod';
import type { BullMqContext } from './bullmq-context';
import { BACKOFF_TYPE, fromRedis } from './bullmq-error';
import type { BullJobData } from './bullmq-job-data';
import { readJobData } from './bullmq-job-data';
import { toBullJobId } from './bullmq-job-ids';

const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

const ScheduleSchema = z.strictObject({
  name: z
    .string()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    .regex(/^[^\u0000-\u001f\u007f]+$/u, 'must not contain control characters'),
  kind: z.string(),
  payload: z.unknown(),
  everyMs: z.number().int().min(10).max(ONE_YEAR_MS),
});

/**
 * Creates or replaces a schedule: a BullMQ job scheduler in the queue of its kind, named by the
 * schedule (escaped like job ids), and an entry name → kind so a schedule that moves to another
 * kind leaves no scheduler behind and `schedules()` finds every queue with one.
 */
export function upsertSchedule(
  context: BullMqContext,
  schedule: JobSchedule,
): ResultAsync<JobSchedule, VBucketsError> {
  const parsed = ScheduleSchema.safeParse(schedule);
  if (!parsed.success) return errAsync(fromZodError(parsed.error, 'schedule'));
  const checked = checkEnqueue(parsed.data.kind, parsed.data.payload, {});
  if (checked.isErr()) return errAsync(checked.error);
  const { name, everyMs } = parsed.data;
  const { kind, payload } = checked.value;
  const schedulerId = toBullJobId(name);
  const data: BullJobData = { payload, backoff: { ...DEFAULT_JOB_BACKOFF } };
  return fromRedis('schedules.upsert', async () => {
    const previousKind = await context.client.hget(context.schedulesKey, name);
    if (previousKind !== null && previousKind !== kind) {
      await context.queueOf(previousKind).removeJobScheduler(schedulerId);
    }
    await context.client
      .multi()
      .sadd(context.kindsKey, kind)
      .hset(context.schedulesKey, name, kind)
      .exec();
    await context.queueOf(kind).upsertJobScheduler(
      schedulerId,
      // BullMQ runs a new `every` scheduler at once; the port wants its first job a period away.
      // (A replacement with the same period keeps the pending job's time; BullMQ ignores the
      // start date then.)
      { every: everyMs, startDate: Date.now() + everyMs },
      {
        name: kind,
        data,
        opts: { attempts: DEFAULT_JOB_ATTEMPTS, backoff: { type: BACKOFF_TYPE } },
      },
    );
    return { name, kind, payload, everyMs };
  });
}

/** Removes a schedule's scheduler and entry; false when there was none. */
export function removeSchedule(
  context: BullMqContext,
  name: string,
): ResultAsync<boolean, VBucketsError> {
  if (typeof name !== 'string' || name === '') return okAsync(false);
  return fromRedis('schedules.remove', async () => {
    const kind = await context.client.hget(context.schedulesKey, name);
    if (kind === null) return false;
    const removed = await context.queueOf(kind).removeJobScheduler(toBullJobId(name));
    const forgotten = await context.client.hdel(context.schedulesKey, name);
    return removed || forgotten > 0;
  });
}

/** Every schedule, by name, as its scheduler stores it. */
export function listSchedules(context: BullMqContext): ResultAsync<JobSchedule[], VBucketsError> {
  return fromRedis('schedules.list', async () => {
    const entries = Object.entries(await context.client.hgetall(context.schedulesKey));
    const schedules = await Promise.all(
      entries.map(async ([name, kind]): Promise<JobSchedule | null> => {
        const scheduler = await context.queueOf(kind).getJobScheduler(toBullJobId(name));
        if (scheduler?.every === undefined) return null;
        return {
          name,
          kind,
          payload: readJobData(scheduler.template?.data).payload,
          everyMs: scheduler.every,
        };
      }),
    );
    return schedules
      .filter((each): each is JobSchedule => each !== null)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  });
}
