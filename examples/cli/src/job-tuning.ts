import {
  createStoreJobQueue,
  type JobQueue,
  type VBucketsError,
  validationError,
} from '@vbuckets/core';
import type { Store } from '@vbuckets/core/adapter-kit';
import { createBullMqJobQueue } from '@vbuckets/queue-bullmq';
import type { CliIo } from './io';

/**
 * Timings of the job engines and the upload ledger, from the environment. Meant for tests
 * and for operators who want a dead worker's work taken over sooner than the defaults allow
 * (30 s for a job, 10 minutes for an upload): every field is absent unless its variable is set.
 */
export interface JobTuning {
  /** VBUCKETS_JOB_LEASE_MS: how long a job's lease (BullMQ: lock) holds without renewal. */
  jobLeaseMs?: number;
  /** VBUCKETS_JOB_POLL_MS: how often an idle embedded worker looks for due jobs. */
  jobPollMs?: number;
  /** VBUCKETS_UPLOAD_LEASE_MS: how long an upload's claim holds without renewal. */
  uploadLeaseMs?: number;
}

/** The variables, their bounds in milliseconds, and the field each sets. */
const VARIABLES = [
  // BullMQ takes locks of 100 ms to an hour; one range keeps a value valid on both engines.
  { name: 'VBUCKETS_JOB_LEASE_MS', field: 'jobLeaseMs', min: 100, max: 3_600_000 },
  { name: 'VBUCKETS_JOB_POLL_MS', field: 'jobPollMs', min: 10, max: 3_600_000 },
  { name: 'VBUCKETS_UPLOAD_LEASE_MS', field: 'uploadLeaseMs', min: 100, max: 86_400_000 },
] as const;

/** Reads the tuning variables; VALIDATION naming the variable when one is not a whole number in range. */
export function jobTuningFrom(env: CliIo['env']): JobTuning {
  const tuning: JobTuning = {};
  for (const { name, field, min, max } of VARIABLES) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!/^\d+$/u.test(raw) || value < min || value > max) {
      throw validationError(
        `${name} must be a whole number of milliseconds from ${min} to ${max}, not "${raw}"`,
        { path: name },
      );
    }
    tuning[field] = value;
  }
  return tuning;
}

/**
 * The job engine: BullMQ when a Redis URL is given, else the embedded queue in the store.
 * With BullMQ, the stalled-job check runs every half lease, so a dead worker's job is taken
 * over between one lease and one and a half after its last renewal.
 */
export function jobQueueFor(
  store: Store,
  where: { redisUrl: string | undefined; redisPrefix: string; tuning: JobTuning },
  onError: ((error: VBucketsError) => void) | undefined,
): JobQueue {
  const { jobLeaseMs, jobPollMs } = where.tuning;
  if (where.redisUrl === undefined) {
    return createStoreJobQueue(store, {
      ...(jobLeaseMs === undefined ? {} : { leaseMs: jobLeaseMs }),
      ...(jobPollMs === undefined ? {} : { pollIntervalMs: jobPollMs }),
      ...(onError === undefined ? {} : { onError }),
    });
  }
  return createBullMqJobQueue({
    redisUrl: where.redisUrl,
    prefix: where.redisPrefix,
    ...(jobLeaseMs === undefined
      ? {}
      : {
          lockDurationMs: jobLeaseMs,
          stalledIntervalMs: Math.max(100, Math.round(jobLeaseMs / 2)),
        }),
    ...(onError === undefined ? {} : { onError }),
  });
}
