import type { VBucketsError } from '@vbuckets/core';
import type { Redis } from 'ioredis';
import { z } from 'zod';

/** Where jobs live when no `redisUrl` or `connection` is given. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
/** The key prefix of every queue, unless `prefix` says otherwise. */
export const DEFAULT_PREFIX = 'vbuckets';

/** Settings of `createBullMqJobQueue`; every field optional. */
export interface BullMqJobQueueSettings {
  /**
   * An ioredis client to use (and leave open on `close`). Workers run on duplicates of it.
   * It must not use ioredis' `keyPrefix` (use `prefix`).
   */
  connection?: Redis;
  /** Used when there is no `connection`: default `REDIS_URL`, else `redis://127.0.0.1:6379`. */
  redisUrl?: string;
  /** Prefix of every Redis key (default `vbuckets`). Queues of one prefix share their jobs. */
  prefix?: string;
  /** How long a worker's lease on a job lasts without renewal (default 30 000 ms). */
  lockDurationMs?: number;
  /** How often workers look for jobs whose worker died (default 30 000 ms). */
  stalledIntervalMs?: number;
  /** How often a job may lose its worker before it fails for good (default 1). */
  maxStalledCount?: number;
  /** Failures of the engine that no call answers (a lost connection), for logs. */
  onError?: (error: VBucketsError) => void;
}

function looksLikeRedisClient(value: unknown): value is Redis {
  // Duck-typed: `instanceof` fails when the app has its own copy of ioredis.
  const client = value as { duplicate?: unknown; options?: unknown; quit?: unknown } | null;
  return (
    typeof client === 'object' &&
    client !== null &&
    typeof client.duplicate === 'function' &&
    typeof client.quit === 'function' &&
    typeof client.options === 'object'
  );
}

const redisUrl = z
  .string()
  .refine((value) => /^rediss?:\/\/./u.test(value), 'must be a redis:// or rediss:// URL');

/** A function given to receive engine errors. */
export const ErrorListenerSchema = z.custom<(error: VBucketsError) => void>(
  (value) => typeof value === 'function',
  { message: 'must be a function' },
);

export const BullMqJobQueueSettingsSchema = z.strictObject({
  connection: z.custom<Redis>(looksLikeRedisClient, 'must be an ioredis client').optional(),
  redisUrl: redisUrl.optional(),
  prefix: z
    .string()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters')
    .regex(/^[^\s{}]+$/u, 'must not contain spaces or braces')
    .optional(),
  lockDurationMs: z.number().int().min(100).max(3_600_000).optional(),
  stalledIntervalMs: z.number().int().min(100).max(3_600_000).optional(),
  maxStalledCount: z.number().int().min(0).max(100).optional(),
  onError: ErrorListenerSchema.optional(),
});

/** The settings after their checks, with defaults filled in. */
export interface ResolvedBullMqSettings {
  connection: Redis | undefined;
  redisUrl: string;
  prefix: string;
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
  onError: (error: VBucketsError) => void;
}

/** Fills in the defaults of checked settings (the environment's `REDIS_URL` among them). */
export function resolveSettings(
  parsed: z.infer<typeof BullMqJobQueueSettingsSchema>,
): ResolvedBullMqSettings {
  return {
    connection: parsed.connection,
    redisUrl: parsed.redisUrl ?? process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
    prefix: parsed.prefix ?? DEFAULT_PREFIX,
    lockDurationMs: parsed.lockDurationMs ?? 30_000,
    stalledIntervalMs: parsed.stalledIntervalMs ?? 30_000,
    maxStalledCount: parsed.maxStalledCount ?? 1,
    onError: parsed.onError ?? (() => {}),
  };
}
