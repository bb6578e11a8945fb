import type { ResultAsync } from 'neverthrow';
import { z } from 'zod';
import type { VBucketsError } from '../../errors';
import type { EnqueuedJob, EnqueueOptions, JobRun } from '../../ports/job-queue';
import { IdSchema } from '../../schemas/common';
import { SocialPlatformSchema } from '../../schemas/segment';

/**
 * A kind of job: how its payload is checked (at enqueue and again when a worker takes it),
 * the id that dedupes it, and how it runs. Delivery is at least once, so `run` must be
 * idempotent: the store's claims and checkpoints decide what is already done.
 */
export interface JobKindDefinition<Payload = unknown> {
  /** Checks the payload; a failure at enqueue is `VALIDATION`, at run a failed job. */
  schema: z.ZodType<Payload>;
  /** The job id a payload gets when the enqueue names none: equal work, equal id. */
  jobId?: (payload: Payload) => string;
  /** The kind's own attempts and backoff, under what an enqueue says. */
  defaults?: Pick<EnqueueOptions, 'attempts' | 'backoff'>;
  /** Runs the job; an Err is retried by the shared rule (`decideAfterFailure`). */
  run(payload: Payload, job: JobRun): ResultAsync<unknown, VBucketsError>;
}

const OrgPayload = { orgId: IdSchema };
const ProviderNameSchema = z.string().min(1).max(100);
const MetadataSchema = z.record(z.string(), z.unknown());

/** Payloads of the SDK's own kinds. */
export const BUILTIN_JOB_SCHEMAS = {
  /** Finishes a session's pending rows (`categorize.resume`): what `categorize.start` queues. */
  'categorize.session': z.strictObject({
    ...OrgPayload,
    sessionId: IdSchema,
    provider: ProviderNameSchema,
  }),
  /** Posts a video to a platform once (`uploads.upload`), waiting out the ledger's backoff. */
  'uploads.upload': z.strictObject({
    ...OrgPayload,
    videoId: IdSchema,
    platform: IdSchema,
    metadata: MetadataSchema.optional(),
  }),
  /** Retries the org's due uploads (`uploads.runDue`). */
  'uploads.runDue': z.strictObject({
    ...OrgPayload,
    limit: z.number().int().min(1).max(1000).optional(),
  }),
  /** Runs a queued creative's vision analysis (`market.analyze`). */
  'market.analyze': z.strictObject({ ...OrgPayload, creativeId: IdSchema }),
  /** Cuts a video into segments once (`segments.split`): skipped when it already has them. */
  'segments.split': z.strictObject({
    ...OrgPayload,
    videoId: IdSchema,
    segmentSeconds: z.number().positive().optional(),
    cutPointsSec: z.array(z.number().positive()).min(1).optional(),
  }),
  /** Reads posted segments' metrics (`segments.syncMetrics`). */
  'segments.syncMetrics': z.strictObject({
    ...OrgPayload,
    segmentIds: z.array(IdSchema).min(1).max(1000).optional(),
    platforms: z.array(SocialPlatformSchema).min(1).optional(),
  }),
  /** Cuts a task's thumbnail candidates once (`thumbnails.generateCandidates`). */
  'thumbnails.generate': z.strictObject({
    ...OrgPayload,
    taskId: IdSchema,
    count: z.number().int().min(1).max(20).optional(),
  }),
} as const;

/** The SDK's own job kinds. */
export type BuiltinJobKind = keyof typeof BUILTIN_JOB_SCHEMAS;

/** The payload each of the SDK's own kinds takes. */
export type BuiltinJobPayloads = {
  [Kind in BuiltinJobKind]: z.input<(typeof BUILTIN_JOB_SCHEMAS)[Kind]>;
};

/** Every built-in kind, in the order `vbuckets jobs` lists them. */
export const BUILTIN_JOB_KINDS = Object.keys(BUILTIN_JOB_SCHEMAS) as BuiltinJobKind[];

/** Joins id parts so that no two different lists give one id (each part URI-encoded). */
export const jobIdOf = (...parts: readonly string[]) => parts.map(encodeURIComponent).join('/');

/**
 * How services queue the SDK's own kinds (the jobs service's `enqueue`, typed): the payload is
 * checked by its kind's schema and the kind's job id dedupes equal work.
 */
export type BuiltinJobEnqueue = <Kind extends BuiltinJobKind>(
  kind: Kind,
  payload: BuiltinJobPayloads[Kind],
  options?: EnqueueOptions,
) => ResultAsync<EnqueuedJob, VBucketsError>;
