import type { VBucketsError } from '@vbuckets/core';
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { ResultAsync } from 'neverthrow';
import type { SqlDialectAdapter, SqlErrorContext } from './sql-dialect-adapter';
import type { SqlDatabase } from './sql-schema';

/** Runs a repository's queries: on the pool outside a transaction, on its connection inside one. */
export interface SqlExecutor {
  readonly dialect: SqlDialectAdapter;
  /**
   * Locks the rows a read returns until the transaction ends, so that a read-modify-write in
   * `store.transaction` cannot lose a concurrent update (`FOR UPDATE` in PostgreSQL, whose
   * transactions are READ COMMITTED). Outside a transaction: the query unchanged.
   */
  lockRows<DB, TB extends keyof DB, O>(
    query: SelectQueryBuilder<DB, TB, O>,
  ): SelectQueryBuilder<DB, TB, O>;
  /** Runs queries that only read. */
  read<T>(
    context: SqlErrorContext,
    work: (db: Kysely<SqlDatabase>) => Promise<T>,
  ): ResultAsync<T, VBucketsError>;
  /** Runs queries atomically: all of them or none (a write transaction, or a savepoint inside one). */
  write<T>(
    context: SqlErrorContext,
    work: (db: Kysely<SqlDatabase>) => Promise<T>,
  ): ResultAsync<T, VBucketsError>;
}
