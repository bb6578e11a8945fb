import type { JobInfo, JobState } from '@vbuckets/core/adapter-kit';
import type { Job } from 'bullmq';
import type { BullMqContext } from './bullmq-context';
import { readJobData } from './bullmq-job-data';
import { fromBullJobId } from './bullmq-job-ids';

/** BullMQ's states as the port's: jobs waiting on priority, children or a pause still wait. */
export function toJobState(state: string): JobState | null {
  switch (state) {
    case 'waiting':
    case 'prioritized':
    case 'waiting-children':
    case 'paused':
      return 'waiting';
    case 'delayed':
    case 'active':
    case 'completed':
    case 'failed':
      return state;
    default:
      return null;
  }
}

/** Attempts in all the job may make (BullMQ's `attempts`, 1 when unset). */
export function maxAttemptsOf(job: Job): number {
  return Math.max(1, job.opts.attempts ?? 1);
}

/**
 * Attempts used up before the current one: failed and completed ones (BullMQ's `attemptsMade`;
 * an attempt given back by a rate limit is not among them) plus those a dead worker left
 * (BullMQ's stalled counter).
 */
export function spentAttempts(job: Job): number {
  return job.attemptsMade + job.stalledCounter;
}

/** This attempt's number, 1-based; never above the job's attempts (see the README). */
export function attemptNumber(job: Job): number {
  return Math.min(spentAttempts(job) + 1, maxAttemptsOf(job));
}

/** When a delayed job may run: the delayed set's score holds the time, times 4096 plus a counter. */
async function delayedUntil(
  context: BullMqContext,
  kind: string,
  job: Job,
): Promise<string | null> {
  const score = await context.client.zscore(context.queueOf(kind).toKey('delayed'), job.id ?? '');
  if (score === null) return null;
  return new Date(Math.floor(Number(score) / 0x1000)).toISOString();
}

function isoOrNull(millis: number | undefined | null): string | null {
  return typeof millis === 'number' && millis > 0 ? new Date(millis).toISOString() : null;
}

/** What changes in a job's hash when it moves: equal before and after a read means no move between. */
function versionOf(job: Job): string {
  return [
    job.attemptsStarted,
    job.attemptsMade,
    job.stalledCounter,
    job.processedOn,
    job.finishedOn,
    job.failedReason,
  ].join('|');
}

/**
 * A job's state and hash from one moment: the state is read between two reads of the hash, and
 * read again while the hash moved meanwhile (BullMQ keeps them in separate keys).
 */
async function readConsistently(
  context: BullMqContext,
  kind: string,
  read: Job,
): Promise<{ job: Job; state: JobState | null }> {
  let job = read;
  let state = toJobState(await job.getState());
  for (let tries = 0; tries < 5; tries += 1) {
    const again = await context.queueOf(kind).getJob(job.id ?? '');
    if (again === undefined) return { job, state: null };
    if (versionOf(again) === versionOf(job)) return { job: again, state };
    job = again;
    state = toJobState(await job.getState());
  }
  return { job, state };
}

/** A BullMQ job as the port lists it; `knownState` (from a listing by state) spares the reads. */
export async function toJobInfo(
  context: BullMqContext,
  kind: string,
  read: Job,
  knownState?: JobState,
): Promise<JobInfo | null> {
  const { job, state } =
    knownState === undefined
      ? await readConsistently(context, kind, read)
      : { job: read, state: knownState };
  if (state === null) return null;
  const max = maxAttemptsOf(job);
  return {
    kind,
    id: fromBullJobId(job.id ?? ''),
    payload: readJobData(job.data).payload,
    state,
    attemptsMade: Math.min(spentAttempts(job) + (state === 'active' ? 1 : 0), max),
    maxAttempts: max,
    failedReason: job.failedReason ? job.failedReason : null,
    createdAt: new Date(job.timestamp).toISOString(),
    runAt: state === 'delayed' ? await delayedUntil(context, kind, job) : null,
    finishedAt: state === 'completed' || state === 'failed' ? isoOrNull(job.finishedOn) : null,
  };
}
