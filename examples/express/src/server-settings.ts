import { resolve } from 'node:path';
import { validationError } from '@vbuckets/core';
import { parseStorage, type StorageSettings } from '@vbuckets/example-cli/host';

/** What the `server` entry reads from the environment. */
export interface ServerSettings {
  port: number;
  /** The interface to listen on; 127.0.0.1 by default, 0.0.0.0 in a container. */
  host: string;
  /** Holds the SQLite file, the blobs and the dev JWT secret. */
  dataDir: string;
  /** PostgreSQL instead of the data dir's SQLite file. */
  databaseUrl: string | undefined;
  databaseSchema: string;
  /** BullMQ on Redis instead of the store's embedded queue. */
  redisUrl: string | undefined;
  redisPrefix: string;
  /** Verifies tokens with a shared HS256 secret… */
  jwtSecret: string | undefined;
  /** …or with the keys of a JWKS URL. With neither, a dev secret is made in the data dir. */
  jwksUrl: string | undefined;
  jwtIssuer: string;
  jwtAudience: string;
  /** Where video bytes live: the data dir's `blobs/`, or an S3/R2/MinIO bucket (`VBUCKETS_STORAGE=s3://bucket/prefix`). */
  storage: StorageSettings;
  /** The environment the platforms, providers and analyzers are configured from (as the CLI's worker). */
  env: Env;
  /** Work queued jobs (categorize sessions, uploads, analyses) in this process too. */
  worker: boolean;
  workerConcurrency: number;
  categorize: 'queued' | 'inline';
  /** Milliseconds in-flight requests get to finish after SIGTERM. */
  shutdownGraceMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

const given = (value: string | undefined) =>
  value === undefined || value.trim() === '' ? undefined : value.trim();

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const text = given(env[name]);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw validationError(`${name} must be a whole number from ${min} to ${max}, not "${text}"`, {
      path: name,
    });
  }
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const text = given(env[name])?.toLowerCase();
  if (text === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off'].includes(text)) return false;
  throw validationError(`${name} must be 1 or 0 (true or false), not "${text}"`, { path: name });
}

function urlOf(env: Env, names: string[], protocols: string[], example: string) {
  for (const name of names) {
    const text = given(env[name]);
    if (text === undefined) continue;
    // Never echo the URL: it may carry a password.
    const protocol = URL.canParse(text) ? new URL(text).protocol : null;
    if (protocol === null || !protocols.includes(protocol)) {
      throw validationError(`${name} must be a URL such as ${example}`, { path: name });
    }
    return text;
  }
  return undefined;
}

/** `VBUCKETS_STORAGE` as the CLI reads it, its errors naming the variable. */
function storageFrom(env: Env): StorageSettings {
  try {
    return parseStorage(given(env.VBUCKETS_STORAGE), env);
  } catch (thrown) {
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    throw validationError(`VBUCKETS_STORAGE: ${message}`, { path: 'VBUCKETS_STORAGE' });
  }
}

/** The settings of `server`, from the environment; VALIDATION naming the variable when one is wrong. */
export function serverSettingsFrom(env: Env, cwd: string): ServerSettings {
  const categorize = given(env.VBUCKETS_CATEGORIZE) ?? 'queued';
  if (categorize !== 'queued' && categorize !== 'inline') {
    throw validationError(`VBUCKETS_CATEGORIZE must be "queued" or "inline", not "${categorize}"`, {
      path: 'VBUCKETS_CATEGORIZE',
    });
  }
  return {
    port: integer(env, 'PORT', 3000, 0, 65_535),
    host: given(env.HOST) ?? '127.0.0.1',
    dataDir: resolve(cwd, given(env.VBUCKETS_DATA_DIR) ?? '.vbuckets'),
    databaseUrl: urlOf(
      env,
      ['DATABASE_URL', 'VBUCKETS_DATABASE_URL'],
      ['postgres:', 'postgresql:'],
      '"postgres://user:password@host:5432/database"',
    ),
    databaseSchema: given(env.VBUCKETS_DATABASE_SCHEMA) ?? 'public',
    redisUrl: urlOf(
      env,
      ['REDIS_URL', 'VBUCKETS_REDIS_URL'],
      ['redis:', 'rediss:'],
      '"redis://127.0.0.1:6379"',
    ),
    redisPrefix: given(env.VBUCKETS_REDIS_PREFIX) ?? 'vbuckets',
    jwtSecret: given(env.VBUCKETS_JWT_SECRET),
    jwksUrl: urlOf(
      env,
      ['VBUCKETS_JWKS_URL'],
      ['https:', 'http:'],
      '"https://issuer/.well-known/jwks.json"',
    ),
    jwtIssuer: given(env.VBUCKETS_JWT_ISSUER) ?? 'vbuckets',
    jwtAudience: given(env.VBUCKETS_JWT_AUDIENCE) ?? 'vbuckets-api',
    storage: storageFrom(env),
    env,
    worker: flag(env, 'VBUCKETS_WORKER', true),
    workerConcurrency: integer(env, 'VBUCKETS_WORKER_CONCURRENCY', 2, 1, 100),
    categorize,
    shutdownGraceMs: integer(env, 'VBUCKETS_SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
  };
}
