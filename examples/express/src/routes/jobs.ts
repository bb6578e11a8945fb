import { isJobOfOrg } from '@vbuckets/core';
import { z } from 'zod';
import type { HostInfo } from '../host-info';
import { JobCountSchema, JobInfoSchema, JobScheduleSchema } from '../job-schemas';
import { orgJob } from '../job-scope';
import { defineRoute, type Route } from '../route-kit';
import { queryNumber } from '../task-query-values';

const TAG = 'jobs';
const KindSchema = z.string().trim().min(1).max(200);
const JobParams = z.strictObject({ kind: KindSchema, jobId: z.string().min(1).max(1000) });
const MAX_FAILED = 1000;

/** Background jobs, for the org's admins: counts, failures with reasons, retries, schedules. */
export function jobRoutes(_host: HostInfo): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/jobs/counts',
      tag: TAG,
      operationId: 'jobCounts',
      summary: 'Jobs per kind and state, on the whole queue (numbers only, no payloads)',
      access: 'admin',
      response: {
        description: 'One row per (kind, state) that has jobs',
        schema: z.object({ engine: z.string(), counts: z.array(JobCountSchema) }),
      },
      handle: ({ vbuckets }) =>
        vbuckets.jobs.counts().map((counts) => ({ engine: vbuckets.jobs.engine, counts })),
    }),
    defineRoute({
      method: 'get',
      path: '/jobs/failed',
      tag: TAG,
      operationId: 'failedJobs',
      summary: "The org's failed jobs with their reasons, most recently finished first",
      description:
        'Read from the newest `limit` failures of the queue (default 100), then kept to the caller’s org.',
      access: 'admin',
      query: z.strictObject({
        kind: KindSchema.optional(),
        limit: queryNumber(z.number().int().min(1).max(MAX_FAILED)).optional(),
      }),
      response: { description: 'The failed jobs', schema: z.array(JobInfoSchema) },
      handle: ({ vbuckets, scope, query }) =>
        vbuckets.jobs.failed(query).map((jobs) => jobs.filter((job) => isJobOfOrg(job, scope))),
    }),
    defineRoute({
      method: 'get',
      path: '/jobs/schedules',
      tag: TAG,
      operationId: 'jobSchedules',
      summary: "The org's repeatable jobs, by name",
      access: 'admin',
      response: { description: 'The schedules', schema: z.array(JobScheduleSchema) },
      handle: ({ vbuckets, scope }) =>
        vbuckets.jobs
          .schedules()
          .map((schedules) => schedules.filter((schedule) => isJobOfOrg(schedule, scope))),
    }),
    defineRoute({
      method: 'get',
      path: '/jobs/:kind/:jobId',
      opaqueParams: ['jobId'],
      tag: TAG,
      operationId: 'getJob',
      summary: "One of the org's jobs (URL-encode a job id's slashes as %2F)",
      access: 'admin',
      params: JobParams,
      response: { description: 'The job', schema: JobInfoSchema },
      handle: ({ vbuckets, scope, params }) =>
        orgJob(vbuckets.jobs.get(params.kind, params.jobId), scope),
    }),
    defineRoute({
      method: 'post',
      path: '/jobs/:kind/:jobId/retry',
      opaqueParams: ['jobId'],
      tag: TAG,
      operationId: 'retryJob',
      summary: 'Runs a failed job of the org again, with fresh attempts',
      description: 'A job that has not failed is 409.',
      access: 'admin',
      params: JobParams,
      response: { description: 'The job, waiting again', schema: JobInfoSchema },
      handle: ({ vbuckets, scope, params }) =>
        orgJob(vbuckets.jobs.get(params.kind, params.jobId), scope).andThen((job) =>
          vbuckets.jobs.retry(job.kind, job.id),
        ),
    }),
  ];
}
