import { type RawBuilder, sql } from 'kysely';
import type {
  SqlDialectAdapter,
  SqlErrorClassification,
  SqlErrorContext,
} from './sql-dialect-adapter';
import { driverErrorCode, retryWhileBusy, toSqlVBucketsError } from './sql-errors';
import { canonicalTimestamp, storedTimestamp } from './sql-values';

export interface SqliteDialectAdapterOptions {
  /** How long a write waits for another connection's lock before failing, in ms (default 5000). */
  busyTimeoutMs?: number;
}

/** Classifies a better-sqlite3 error by its extended result code. */
export function classifySqliteError(error: unknown): SqlErrorClassification {
  const driverCode = driverErrorCode(error);
  if (driverCode?.startsWith('SQLITE_')) {
    if (
      driverCode === 'SQLITE_CONSTRAINT_UNIQUE' ||
      driverCode === 'SQLITE_CONSTRAINT_PRIMARYKEY'
    ) {
      return { kind: 'unique-violation', driverCode };
    }
    if (driverCode === 'SQLITE_CONSTRAINT_FOREIGNKEY')
      return { kind: 'foreign-key-violation', driverCode };
    if (driverCode.startsWith('SQLITE_BUSY') || driverCode.startsWith('SQLITE_LOCKED')) {
      return { kind: 'busy', driverCode };
    }
    return { kind: 'other', driverCode };
  }
  // better-sqlite3 throws a plain TypeError for a call on a closed handle.
  if (error instanceof TypeError && /database connection is not open/i.test(error.message)) {
    return { kind: 'closed', driverCode };
  }
  return { kind: 'other', driverCode };
}

/** The SQLite side of every dialect difference (better-sqlite3 through Kysely's SqliteDialect). */
export function createSqliteDialectAdapter(
  options: SqliteDialectAdapterOptions = {},
): SqlDialectAdapter {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5_000;
  return {
    name: 'sqlite',
    columnTypes: {
      json: 'text',
      boolean: 'integer',
      timestamp: 'text',
      integer: 'integer',
      float: 'real',
    },
    encodeJson: (value) => JSON.stringify(value),
    decodeJson: (raw) => (typeof raw === 'string' ? JSON.parse(raw) : raw),
    encodeBoolean: (value) => (value ? 1 : 0),
    decodeBoolean: (raw) => raw === 1 || raw === true,
    encodeTimestamp: (value) => canonicalTimestamp(value),
    decodeTimestamp: (raw) => storedTimestamp(raw),
    // BINARY, SQLite's default collation, already compares code points.
    orderableText: (column): RawBuilder<string> =>
      typeof column === 'string' ? sql<string>`${sql.ref(column)}` : column,
    // IMMEDIATE takes the write lock up front: a deferred transaction that reads and then
    // writes can fail with SQLITE_BUSY_SNAPSHOT when two processes write at once.
    beginTransaction: async (connection) => {
      await sql`begin immediate`.execute(connection);
    },
    lockForUpdate: (query) => query,
    lockSkippingLocked: (query) => query,
    // BEGIN IMMEDIATE already excludes every other writer.
    lockMigrations: async () => {},
    classifyError: classifySqliteError,
    retryWhileBusy: (operation) =>
      retryWhileBusy(operation, {
        isBusy: (error) => classifySqliteError(error).kind === 'busy',
        timeoutMs: busyTimeoutMs,
      }),
    mapError: (error: unknown, context: SqlErrorContext) =>
      toSqlVBucketsError('sqlite', error, classifySqliteError(error), context),
  };
}
