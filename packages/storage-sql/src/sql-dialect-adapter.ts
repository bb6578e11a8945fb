import type { VBucketsError } from '@vbuckets/core';
import type { Kysely, RawBuilder, SelectQueryBuilder } from 'kysely';
import type { SqlBoolean, SqlDatabase, SqlJson, SqlTimestamp } from './sql-schema';

export type SqlDialectName = 'sqlite' | 'postgres';

/** What a driver error means, whatever the dialect said. */
export type SqlErrorKind =
  /** A unique or primary-key constraint refused the write. */
  | 'unique-violation'
  /** A foreign key refused the write (missing parent, or a parent still in use). */
  | 'foreign-key-violation'
  /** Another connection holds a lock, or the database asked for the transaction to be retried. */
  | 'busy'
  /** The connection could not be made or was lost. */
  | 'connection'
  /** The database handle was closed. */
  | 'closed'
  /** A text or JSON value the database cannot store (PostgreSQL refuses the NUL character). */
  | 'unsupported-text'
  | 'other';

/** A classified driver error: its kind and the driver's own code (`SQLITE_BUSY`, `23505`). */
export interface SqlErrorClassification {
  readonly kind: SqlErrorKind;
  readonly driverCode: string | undefined;
}

/** What the caller was doing, so a driver error becomes a message a user can act on. */
export interface SqlErrorContext {
  /** The repository method, e.g. `buckets.insert`. */
  readonly operation: string;
  /** The message for a unique violation (CONFLICT). */
  readonly conflictMessage?: string;
  /** How to report a foreign-key violation: a missing parent (NOT_FOUND) or a row still in use (CONFLICT). */
  readonly foreignKey?: { readonly code: 'NOT_FOUND' | 'CONFLICT'; readonly message: string };
}

/** The DDL type names a dialect uses for the portable column kinds. */
export interface SqlColumnTypes {
  readonly json: string;
  readonly boolean: string;
  readonly timestamp: string;
  /** A 64-bit integer (SQLite's `integer` is 64-bit; PostgreSQL's is 32). */
  readonly integer: string;
  /** A double-precision float (PostgreSQL's `real` is single precision, SQLite's double). */
  readonly float: string;
}

/**
 * Every difference between SQL dialects, in one object. Repositories are written once
 * against Kysely and this adapter; a new dialect is a new adapter plus its migrations.
 */
export interface SqlDialectAdapter {
  /** Names the dialect in error fields (`adapter: 'sqlite'`, `'postgres'`), never in messages. */
  readonly name: SqlDialectName;
  /** DDL type names for JSON, boolean, timestamp, integer and float columns. */
  readonly columnTypes: SqlColumnTypes;
  /** A JSON value as the driver must bind it (text in SQLite; text cast to jsonb in PostgreSQL). */
  encodeJson(value: unknown): SqlJson;
  /** A JSON column as read back, parsed. */
  decodeJson(raw: SqlJson): unknown;
  /** A boolean as the driver must bind it (0/1 in SQLite). */
  encodeBoolean(value: boolean): SqlBoolean;
  /** A boolean column as read back. */
  decodeBoolean(raw: SqlBoolean): boolean;
  /** An ISO-8601 timestamp as the driver must bind it (canonical ISO text, so it sorts). */
  encodeTimestamp(value: string): SqlTimestamp;
  /** A timestamp column as read back: always a canonical ISO-8601 UTC string. */
  decodeTimestamp(raw: SqlTimestamp): string;
  /** A text column (or text expression) ordered by code point, whatever the database collation. */
  orderableText(column: string | RawBuilder<string>): RawBuilder<string>;
  /** Starts a write transaction on this connection (SQLite `BEGIN IMMEDIATE`, PostgreSQL `BEGIN`). */
  beginTransaction(connection: Kysely<SqlDatabase>): Promise<void>;
  /** Adds row locking to a read inside a write transaction (`FOR UPDATE`; nothing in SQLite). */
  lockForUpdate<DB, TB extends keyof DB, O>(
    query: SelectQueryBuilder<DB, TB, O>,
  ): SelectQueryBuilder<DB, TB, O>;
  /**
   * Locks the rows a claim's subquery picks, skipping rows other transactions hold (`FOR UPDATE
   * SKIP LOCKED`; nothing in SQLite, whose one writer at a time already excludes other claims).
   */
  lockSkippingLocked<DB, TB extends keyof DB, O>(
    query: SelectQueryBuilder<DB, TB, O>,
  ): SelectQueryBuilder<DB, TB, O>;
  /** Serialises migration runs across processes, inside the migration transaction. */
  lockMigrations(connection: Kysely<SqlDatabase>): Promise<void>;
  /** Reads a driver error. */
  classifyError(error: unknown): SqlErrorClassification;
  /** Runs `operation` again, with backoff, while it fails with a `busy` error and time remains. */
  retryWhileBusy<T>(operation: () => Promise<T>): Promise<T>;
  /** Turns anything thrown by the driver into a VBucketsError (a VBucketsError passes through). */
  mapError(error: unknown, context: SqlErrorContext): VBucketsError;
}
