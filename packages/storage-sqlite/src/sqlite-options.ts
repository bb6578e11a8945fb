import type BetterSqlite3 from 'better-sqlite3';
import { z } from 'zod';

/** An open better-sqlite3 connection (`new Database(path)`). */
export type BetterSqliteDatabase = BetterSqlite3.Database;

/** A better-sqlite3 Database, recognised by shape so that a second copy of the driver still counts. */
function isBetterSqliteDatabase(value: unknown): value is BetterSqliteDatabase {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.prepare === 'function' &&
    typeof candidate.pragma === 'function' &&
    typeof candidate.close === 'function' &&
    typeof candidate.open === 'boolean'
  );
}

/** The options after defaults are applied. */
export interface ParsedSqliteStoreOptions {
  path?: string | undefined;
  database?: BetterSqliteDatabase | undefined;
  busyTimeoutMs: number;
}

/** The runtime check of the options; the TypeScript type is {@link SqliteStoreOptions}. */
export const SqliteStoreOptionsSchema: z.ZodType<ParsedSqliteStoreOptions, unknown> = z
  .strictObject({
    /** A database file (created if missing) or `:memory:`. */
    path: z.string().min(1, 'must not be empty').optional(),
    /** An open better-sqlite3 Database; the store configures and migrates it but never closes it. */
    database: z
      .custom<BetterSqliteDatabase>(isBetterSqliteDatabase, 'must be a better-sqlite3 Database')
      .optional(),
    /** How long a write waits for another connection's lock, in ms. */
    busyTimeoutMs: z
      .number()
      .int('must be an integer')
      .min(0, 'must be at least 0')
      .max(600_000, 'must be at most 600000')
      .default(5_000),
  })
  .check((context) => {
    const { path, database } = context.value;
    if ((path === undefined) === (database === undefined)) {
      context.issues.push({
        code: 'custom',
        input: context.value,
        path: path === undefined ? ['path'] : ['database'],
        message: 'give exactly one of `path` and `database`',
      });
    }
  });

interface SqliteStoreCommonOptions {
  /**
   * How long a write waits for another connection (or process) to release the database's
   * write lock before failing with a retryable STORAGE error, in ms. Default 5000.
   */
  busyTimeoutMs?: number;
}

/** Open (or create) a database file, or `:memory:` for a private in-memory database. */
export interface SqliteStorePathOptions extends SqliteStoreCommonOptions {
  path: string;
  database?: never;
}

/** Use an already open better-sqlite3 Database; `close()` leaves it open for its owner. */
export interface SqliteStoreDatabaseOptions extends SqliteStoreCommonOptions {
  database: BetterSqliteDatabase;
  path?: never;
}

export type SqliteStoreOptions = SqliteStorePathOptions | SqliteStoreDatabaseOptions;
