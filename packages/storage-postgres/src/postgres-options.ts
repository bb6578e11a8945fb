import type pg from 'pg';
import { z } from 'zod';

/** A `pg` Pool (`new pg.Pool(config)`). */
export type PgPool = pg.Pool;

/** A pg Pool, recognised by shape so that a second copy of the driver still counts. */
function isPgPool(value: unknown): value is PgPool {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.connect === 'function' &&
    typeof candidate.query === 'function' &&
    typeof candidate.end === 'function' &&
    typeof candidate.totalCount === 'number'
  );
}

/**
 * Lower case, so that the name needs no quoting to mean the same thing everywhere (psql, a
 * connection's search_path); `pg_` is reserved by PostgreSQL; 63 bytes is its identifier limit.
 */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The options after defaults are applied. */
export interface ParsedPostgresStoreOptions {
  connectionString?: string | undefined;
  pool?: PgPool | undefined;
  schema: string;
  connectTimeoutMs?: number | undefined;
  maxConnections?: number | undefined;
  applicationName?: string | undefined;
}

const OWN_POOL_ONLY = ['connectTimeoutMs', 'maxConnections', 'applicationName'] as const;

/** The runtime check of the options; the TypeScript type is {@link PostgresStoreOptions}. */
export const PostgresStoreOptionsSchema: z.ZodType<ParsedPostgresStoreOptions, unknown> = z
  .strictObject({
    /** `postgres://user:password@host:5432/database`; the store creates and owns a pool. */
    connectionString: z.string().min(1, 'must not be empty').optional(),
    /** A pg Pool the caller owns; the store borrows connections and never ends it. */
    pool: z.custom<PgPool>(isPgPool, 'must be a pg Pool').optional(),
    /** The schema holding the tables; created if missing. */
    schema: z
      .string()
      .regex(
        SCHEMA_NAME,
        'must be a lower-case identifier: a-z, 0-9 and _, not starting with a digit, at most 63 characters',
      )
      .refine((name) => !name.startsWith('pg_'), 'must not start with pg_ (reserved)')
      .default('public'),
    /** How long opening a connection may take, in ms. */
    connectTimeoutMs: z
      .number()
      .int('must be an integer')
      .min(100, 'must be at least 100')
      .max(600_000, 'must be at most 600000')
      .optional(),
    /** The most connections the store's pool opens. */
    maxConnections: z
      .number()
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .max(1_000, 'must be at most 1000')
      .optional(),
    /** `application_name` of the store's connections, as pg_stat_activity shows them. */
    applicationName: z
      .string()
      .min(1, 'must not be empty')
      .max(63, 'must be at most 63 characters')
      .regex(/^[\x20-\x7e]+$/, 'must be printable ASCII')
      .optional(),
  })
  .check((context) => {
    const { connectionString, pool } = context.value;
    if ((connectionString === undefined) === (pool === undefined)) {
      context.issues.push({
        code: 'custom',
        input: context.value,
        path: connectionString === undefined ? ['connectionString'] : ['pool'],
        message: 'give exactly one of `connectionString` and `pool`',
      });
      return;
    }
    if (pool === undefined) return;
    for (const field of OWN_POOL_ONLY) {
      if (context.value[field] !== undefined) {
        context.issues.push({
          code: 'custom',
          input: context.value[field],
          path: [field],
          message:
            'applies only with `connectionString`; configure your own pool instead (connectionTimeoutMillis, max, application_name)',
        });
      }
    }
  });

interface PostgresStoreCommonOptions {
  /**
   * The schema that holds the store's tables, created if missing (default `public`). Several
   * stores, or tenants of one database, can each have their own.
   */
  schema?: string;
}

/** Connect with a connection string: the store creates, owns and ends its pool. */
export interface PostgresStoreConnectionStringOptions extends PostgresStoreCommonOptions {
  connectionString: string;
  pool?: never;
  /**
   * How long opening one connection may take before the call fails with a retryable STORAGE
   * error, in ms (default 5000). Also bounds the wait for a free connection of the pool.
   */
  connectTimeoutMs?: number;
  /** The most connections the pool opens (default 10). */
  maxConnections?: number;
  /** `application_name` of the connections, as `pg_stat_activity` shows them (default `vbuckets`). */
  applicationName?: string;
}

/** Borrow connections from a pg Pool you own; `close()` leaves the pool open. */
export interface PostgresStorePoolOptions extends PostgresStoreCommonOptions {
  pool: PgPool;
  connectionString?: never;
}

export type PostgresStoreOptions = PostgresStoreConnectionStringOptions | PostgresStorePoolOptions;
