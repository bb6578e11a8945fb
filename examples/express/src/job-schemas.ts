import type { EnqueuedJob } from '@vbuckets/core';
import type { Response } from 'express';
import { z } from 'zod';
import type { RouteAlternative } from './route-kit';

/** What an enqueue answers: the job's kind and id, and whether this call created it. */
export const EnqueuedJobSchema = z.object({
  kind: z.string(),
  id: z.string(),
  created: z.boolean(),
});

const JobStateSchema = z.enum(['waiting', 'delayed', 'active', 'completed', 'failed']);

/** A job as the jobs routes show it. */
export const JobInfoSchema = z.object({
  kind: z.string(),
  id: z.string(),
  payload: z.unknown(),
  state: JobStateSchema,
  attemptsMade: z.number().int(),
  maxAttempts: z.number().int(),
  failedReason: z.string().nullable(),
  createdAt: z.string(),
  runAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

export const JobCountSchema = z.object({
  kind: z.string(),
  state: JobStateSchema,
  count: z.number().int(),
});

export const JobScheduleSchema = z.object({
  name: z.string(),
  kind: z.string(),
  payload: z.unknown(),
  everyMs: z.number(),
});

/** `queue: true` in a body: answer 202 with the job instead of doing the work in the request. */
export const QueueFlagSchema = z
  .boolean('must be true or false')
  .default(false)
  .describe('Queue the work for a worker and answer 202 with the job, instead of working inline');

/** The documented 202 of a route that queues its work with `queue: true`. */
export const QUEUED_JOB: RouteAlternative = {
  status: 202,
  description: 'Queued (`queue: true`): the job a worker runs',
  schema: EnqueuedJobSchema,
};

/** Answers a queued job with 202 Accepted: `.map(acceptedJob(response))`. */
export function acceptedJob(response: Response): (job: EnqueuedJob) => EnqueuedJob {
  return (job) => {
    response.status(202);
    return job;
  };
}
