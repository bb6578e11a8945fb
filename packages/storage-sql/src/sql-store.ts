import { AsyncLocalStorage } from 'node:async_hooks';
import { isVBucketsError, storageError, type VBucketsError } from '@vbuckets/core';
import type { Store, StoreRepositories } from '@vbuckets/core/adapter-kit';
import { type Kysely, sql } from 'kysely';
import { err, errAsync, type Result, ResultAsync } from 'neverthrow';
import { createSqlAuditEventRepository } from './sql-audit-event-repository';
import { createSqlBucketRepository } from './sql-bucket-repository';
import { createSqlCategorizationRepository } from './sql-categorization-repository';
import { createSqlCategorizationSessionRepository } from './sql-categorization-session-repository';
import { createSqlCreativeRepository } from './sql-creative-repository';
import type { SqlDialectAdapter, SqlErrorContext } from './sql-dialect-adapter';
import type { SqlExecutor } from './sql-executor';
import { createSqlJobRepository } from './sql-job-repository';
import { createSqlPatternRepository } from './sql-pattern-repository';
import type { SqlDatabase } from './sql-schema';
import { createSqlSegmentRepository } from './sql-segment-repository';
import { createSqlGenerationTaskRepository } from './sql-task-repository';
import { createSqlThumbnailRepository } from './sql-thumbnail-repository';
import { inWriteTransaction, rollbackQuietly } from './sql-transaction';
import { createSqlUploadRepository } from './sql-upload-repository';
import { createSqlVideoRepository } from './sql-video-repository';

export interface CreateSqlStoreOptions {
  /** A Kysely instance over the migrated database. */
  db: Kysely<SqlDatabase>;
  /** The dialect's differences (`createSqliteDialectAdapter()`, `createPostgresDialectAdapter()`). */
  dialect: SqlDialectAdapter;
  /** Releases the connections when the store closes; defaults to `db.destroy()`. */
  close?: () => Promise<void>;
}

interface TransactionState {
  active: boolean;
}

/** Builds the repositories on top of an executor; the same code serves both sides of a transaction. */
export function createSqlRepositories(executor: SqlExecutor): StoreRepositories {
  return {
    buckets: createSqlBucketRepository(executor),
    videos: createSqlVideoRepository(executor),
    categorizationSessions: createSqlCategorizationSessionRepository(executor),
    categorizations: createSqlCategorizationRepository(executor),
    uploads: createSqlUploadRepository(executor),
    auditEvents: createSqlAuditEventRepository(executor),
    creatives: createSqlCreativeRepository(executor),
    patterns: createSqlPatternRepository(executor),
    tasks: createSqlGenerationTaskRepository(executor),
    thumbnails: createSqlThumbnailRepository(executor),
    segments: createSqlSegmentRepository(executor),
    jobs: createSqlJobRepository(executor),
  };
}

/**
 * A Store over any Kysely database whose differences `dialect` describes. The database must
 * already be migrated (see `applySqlMigrations`).
 */
export function createSqlStore(options: CreateSqlStoreOptions): Store {
  const { db, dialect } = options;
  const transactionScope = new AsyncLocalStorage<TransactionState>();
  const inFlight = new Set<Promise<unknown>>();
  let closing: Promise<void> | undefined;

  function refusal(operation: string): VBucketsError | undefined {
    if (closing !== undefined) {
      return storageError('The store is closed', { adapter: dialect.name, operation });
    }
    // On SQLite the outer store would wait for the connection the transaction holds: forever.
    if (transactionScope.getStore()?.active === true) {
      return storageError(
        'Called on the store inside its own transaction; use the repositories passed to the transaction callback',
        { adapter: dialect.name, operation },
      );
    }
    return undefined;
  }

  function track<T>(promise: Promise<T>): Promise<T> {
    inFlight.add(promise);
    const forget = () => {
      inFlight.delete(promise);
    };
    promise.then(forget, forget);
    return promise;
  }

  function run<T>(context: SqlErrorContext, body: () => Promise<T>): ResultAsync<T, VBucketsError> {
    const refused = refusal(context.operation);
    if (refused !== undefined) return errAsync(refused);
    return ResultAsync.fromPromise(track(body()), (error) => dialect.mapError(error, context));
  }

  const executor: SqlExecutor = {
    dialect,
    lockRows: (query) => query,
    read: (context, work) => run(context, () => dialect.retryWhileBusy(() => work(db))),
    write: (context, work) =>
      run(context, () =>
        dialect.retryWhileBusy(() =>
          db.connection().execute((connection) => inWriteTransaction(dialect, connection, work)),
        ),
      ),
  };

  function transactionExecutor(
    connection: Kysely<SqlDatabase>,
    state: TransactionState,
    queue: { tail: Promise<unknown> },
  ): SqlExecutor {
    // One connection runs one statement at a time: calls made concurrently inside the
    // callback run one after the other, so their savepoints nest properly.
    function serial<T>(
      context: SqlErrorContext,
      body: () => Promise<T>,
    ): ResultAsync<T, VBucketsError> {
      if (!state.active) {
        return errAsync(
          storageError('The transaction has already finished', {
            adapter: dialect.name,
            operation: context.operation,
          }),
        );
      }
      const result = queue.tail.then(body);
      queue.tail = result.catch(() => undefined);
      return ResultAsync.fromPromise(result, (error) => dialect.mapError(error, context));
    }
    return {
      dialect,
      lockRows: (query) => dialect.lockForUpdate(query),
      read: (context, work) => serial(context, () => work(connection)),
      // A savepoint keeps a failed call from poisoning the transaction (PostgreSQL aborts the
      // whole transaction on any error) and undoes its partial writes.
      write: (context, work) =>
        serial(context, async () => {
          await sql`savepoint vbuckets_call`.execute(connection);
          try {
            const value = await work(connection);
            await sql`release savepoint vbuckets_call`.execute(connection);
            return value;
          } catch (error) {
            await sql`rollback to savepoint vbuckets_call`.execute(connection);
            await sql`release savepoint vbuckets_call`.execute(connection);
            throw error;
          }
        }),
    };
  }

  function callbackFailure(error: unknown): VBucketsError {
    if (isVBucketsError(error)) return error;
    const detail = error instanceof Error ? error.message : String(error);
    return storageError(`The transaction callback threw: ${detail}`, {
      cause: error,
      adapter: dialect.name,
      operation: 'transaction',
    });
  }

  const repositories = createSqlRepositories(executor);

  return {
    specificationVersion: 'v1',
    ...repositories,
    transaction<T>(
      work: (tx: StoreRepositories) => ResultAsync<T, VBucketsError>,
    ): ResultAsync<T, VBucketsError> {
      const context = { operation: 'transaction' };
      return run(context, () =>
        db.connection().execute(async (connection): Promise<Result<T, VBucketsError>> => {
          await dialect.retryWhileBusy(() => dialect.beginTransaction(connection));
          const state: TransactionState = { active: true };
          const queue = { tail: Promise.resolve() as Promise<unknown> };
          const tx = createSqlRepositories(transactionExecutor(connection, state, queue));
          let outcome: Result<T, VBucketsError>;
          try {
            outcome = await transactionScope.run(state, () => work(tx));
            await queue.tail;
          } catch (error) {
            state.active = false;
            await rollbackQuietly(connection);
            return err(callbackFailure(error));
          }
          state.active = false;
          if (outcome.isErr()) {
            await rollbackQuietly(connection);
            return outcome;
          }
          try {
            await sql`commit`.execute(connection);
          } catch (error) {
            await rollbackQuietly(connection);
            throw error;
          }
          return outcome;
        }),
      ).andThen((outcome) => outcome);
    },
    close(): Promise<void> {
      if (closing === undefined && transactionScope.getStore()?.active === true) {
        return Promise.reject(
          storageError('close was called inside a transaction of this store', {
            adapter: dialect.name,
            operation: 'close',
          }),
        );
      }
      closing ??= (async () => {
        await Promise.allSettled([...inFlight]);
        await (options.close ?? (() => db.destroy()))();
      })();
      return closing;
    },
  };
}
