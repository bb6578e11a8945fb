import type { JobBackoff } from '@vbuckets/core/adapter-kit';
import { DEFAULT_JOB_BACKOFF } from '@vbuckets/core/adapter-kit';
import { z } from 'zod';

/**
 * What a BullMQ job's `data` holds: the payload, the backoff of the retry rule, and the
 * token of the enqueue that created it (BullMQ answers an existing id and a new job alike, so
 * enqueue reads the token back to tell them apart).
 */
export interface BullJobData {
  payload: unknown;
  backoff: Required<JobBackoff>;
  enqueueToken?: string;
}

const StoredDataSchema = z.object({
  payload: z.unknown(),
  backoff: z.object({ delayMs: z.number().min(0), maxDelayMs: z.number().min(0) }).optional(),
  enqueueToken: z.string().optional(),
});

/** The job data as stored, read leniently: a job written by hand still runs with the default backoff. */
export function readJobData(data: unknown): BullJobData {
  const parsed = StoredDataSchema.safeParse(data);
  if (!parsed.success) return { payload: data ?? null, backoff: { ...DEFAULT_JOB_BACKOFF } };
  return {
    payload: parsed.data.payload ?? null,
    backoff: parsed.data.backoff ?? { ...DEFAULT_JOB_BACKOFF },
    ...(parsed.data.enqueueToken === undefined ? {} : { enqueueToken: parsed.data.enqueueToken }),
  };
}
