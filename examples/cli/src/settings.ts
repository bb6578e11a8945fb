import { resolve } from 'node:path';
import { type Scope, validationError } from '@vbuckets/core';
import type { Command } from 'commander';
import type { CliIo } from './io';
import { type JobTuning, jobTuningFrom } from './job-tuning';
import { parseStorage, type StorageSettings } from './storage';

export const DEFAULT_DATA_DIR = '.vbuckets';
export const DEFAULT_ORG = 'local';
export const DEFAULT_PRODUCT = 'default';
export const DEFAULT_DATABASE_SCHEMA = 'public';

/** What every command needs to know, from flags, then environment variables, then defaults. */
export interface Settings {
  /** Absolute path of the data dir. */
  dataDir: string;
  /** A PostgreSQL URL: records go there instead of the data dir's SQLite file. */
  databaseUrl: string | undefined;
  /** The PostgreSQL schema of the tables. */
  databaseSchema: string;
  /** Where video bytes live: the data dir's `blobs/` or an S3 bucket (`--storage`). */
  storage: StorageSettings;
  scope: Scope;
  productId: string;
  json: boolean;
  /** A Redis URL: jobs go to BullMQ there instead of the store's embedded queue. */
  redisUrl: string | undefined;
  /** The key prefix of the BullMQ queues (env VBUCKETS_REDIS_PREFIX, default `vbuckets`). */
  redisPrefix: string;
  /** Lease and poll timings of the job engines and uploads (VBUCKETS_JOB_LEASE_MS, …). */
  tuning: JobTuning;
}

/** The defaults shown in `--help`, taken from the environment when it sets them. */
export function defaultsFrom(env: CliIo['env']) {
  return {
    dataDir: nonEmpty(env.VBUCKETS_DATA_DIR) ?? DEFAULT_DATA_DIR,
    databaseUrl: nonEmpty(env.VBUCKETS_DATABASE_URL),
    databaseSchema: nonEmpty(env.VBUCKETS_DATABASE_SCHEMA) ?? DEFAULT_DATABASE_SCHEMA,
    storage: nonEmpty(env.VBUCKETS_STORAGE),
    org: nonEmpty(env.VBUCKETS_ORG) ?? DEFAULT_ORG,
    product: nonEmpty(env.VBUCKETS_PRODUCT) ?? DEFAULT_PRODUCT,
    redisUrl: nonEmpty(env.VBUCKETS_REDIS_URL),
    redisPrefix: nonEmpty(env.VBUCKETS_REDIS_PREFIX) ?? 'vbuckets',
  };
}

/**
 * Reads the global options (`--data-dir`, `--storage`, `--org`, `--json`) and the command's
 * `--product`; VALIDATION when `--storage` or its S3 variables are wrong.
 */
export function settingsOf(command: Command, io: CliIo): Settings {
  const options = command.optsWithGlobals<{
    dataDir: string;
    databaseUrl?: string;
    databaseSchema: string;
    storage?: string;
    org: string;
    product?: string;
    json?: boolean;
    redisUrl?: string;
  }>();
  const defaults = defaultsFrom(io.env);
  return {
    dataDir: resolve(io.cwd, options.dataDir),
    databaseUrl: checkedDatabaseUrl(nonEmpty(options.databaseUrl)),
    databaseSchema: options.databaseSchema,
    storage: parseStorage(options.storage, io.env),
    scope: { orgId: options.org },
    productId: options.product ?? defaults.product,
    json: options.json === true,
    redisUrl: checkedRedisUrl(nonEmpty(options.redisUrl)),
    redisPrefix: defaults.redisPrefix,
    tuning: jobTuningFrom(io.env),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * The PostgreSQL URL, checked before anything connects: "notaurl" used to end as `ENOTFOUND
 * base` and a `mysql://` URL was tried as PostgreSQL. The URL is never echoed (it may carry a
 * password), only its scheme.
 */
function checkedDatabaseUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const example = '"postgres://user:password@host:5432/database"';
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw validationError(`--database-url is not a URL: give a PostgreSQL URL such as ${example}`, {
      path: 'databaseUrl',
    });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw validationError(
      `--database-url is a "${parsed.protocol}" URL, but only PostgreSQL is supported: give a URL such as ${example}`,
      { path: 'databaseUrl' },
    );
  }
  return url;
}

/** The Redis URL, checked before anything connects (never echoed: it may carry a password). */
function checkedRedisUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw validationError('--redis-url is not a URL: give one such as "redis://127.0.0.1:6379"', {
      path: 'redisUrl',
    });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw validationError(
      `--redis-url is a "${parsed.protocol}" URL: give a redis:// or rediss:// URL such as "redis://127.0.0.1:6379"`,
      { path: 'redisUrl' },
    );
  }
  return url.trim();
}
