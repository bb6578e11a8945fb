import { type RawBuilder, sql } from 'kysely';
import type {
  SqlDialectAdapter,
  SqlErrorClassification,
  SqlErrorContext,
} from './sql-dialect-adapter';
import { driverErrorCode, retryWhileBusy, toSqlVBucketsError } from './sql-errors';
import { canonicalTimestamp, storedTimestamp } from './sql-values';

export interface PostgresDialectAdapterOptions {
  /** How long to keep retrying a deadlock or serialization failure, in ms (default 5000). */
  retryTimeoutMs?: number;
}

/** Any constant: every vbuckets migrator in a cluster takes the same advisory lock. */
const MIGRATION_LOCK_KEY = 0x7662_7563;

const BUSY_CODES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
]);
const CONNECTION_CODES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Classifies a `pg` error by its SQLSTATE (or Node's system error code). */
export function classifyPostgresError(error: unknown): SqlErrorClassification {
  const driverCode = driverErrorCode(error);
  if (driverCode === '23505') return { kind: 'unique-violation', driverCode };
  if (driverCode === '23503') return { kind: 'foreign-key-violation', driverCode };
  // 22021: a NUL in text ("invalid byte sequence … 0x00"); 22P05: `\u0000` in jsonb.
  if (driverCode === '22021' || driverCode === '22P05') {
    return { kind: 'unsupported-text', driverCode };
  }
  if (driverCode !== undefined && BUSY_CODES.has(driverCode)) return { kind: 'busy', driverCode };
  if (
    driverCode !== undefined &&
    (CONNECTION_CODES.has(driverCode) || driverCode.startsWith('08'))
  ) {
    return { kind: 'connection', driverCode };
  }
  const message = error instanceof Error ? error.message : '';
  if (/after calling end on the pool|client was closed/i.test(message)) {
    return { kind: 'closed', driverCode };
  }
  // "… is not queryable": the server ended this connection between two of its queries.
  if (
    /connection terminated|timeout exceeded when trying to connect|connection error and is not queryable/i.test(
      message,
    )
  ) {
    return { kind: 'connection', driverCode };
  }
  return { kind: 'other', driverCode };
}

/** The PostgreSQL side of every dialect difference (`pg` through Kysely's PostgresDialect). */
export function createPostgresDialectAdapter(
  options: PostgresDialectAdapterOptions = {},
): SqlDialectAdapter {
  const retryTimeoutMs = options.retryTimeoutMs ?? 5_000;
  return {
    name: 'postgres',
    columnTypes: {
      json: 'jsonb',
      boolean: 'boolean',
      timestamp: 'timestamptz',
      integer: 'bigint',
      float: 'double precision',
    },
    // Bound as text and cast by the server: `pg` would turn a JS array into a PostgreSQL array.
    encodeJson: (value) => JSON.stringify(value),
    // `pg` parses jsonb itself; parsing again would corrupt a stored JSON string.
    decodeJson: (raw) => raw,
    encodeBoolean: (value) => value,
    decodeBoolean: (raw) => raw === true || raw === 1,
    encodeTimestamp: (value) => canonicalTimestamp(value),
    decodeTimestamp: (raw) => storedTimestamp(raw),
    // The database collation may ignore case and punctuation; "C" compares code points.
    orderableText: (column): RawBuilder<string> =>
      sql<string>`${typeof column === 'string' ? sql.ref(column) : column} collate "C"`,
    beginTransaction: async (connection) => {
      await sql`begin`.execute(connection);
    },
    lockForUpdate: (query) => query.forUpdate(),
    lockSkippingLocked: (query) => query.forUpdate().skipLocked(),
    lockMigrations: async (connection) => {
      await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(connection);
    },
    classifyError: classifyPostgresError,
    retryWhileBusy: (operation) =>
      retryWhileBusy(operation, {
        isBusy: (error) => classifyPostgresError(error).kind === 'busy',
        timeoutMs: retryTimeoutMs,
      }),
    mapError: (error: unknown, context: SqlErrorContext) =>
      toSqlVBucketsError('postgres', error, classifyPostgresError(error), context),
  };
}
