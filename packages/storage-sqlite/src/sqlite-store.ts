import { fromZodError, storageError, type VBucketsError } from '@vbuckets/core';
import type { Store } from '@vbuckets/core/adapter-kit';
import {
  applySqlMigrations,
  createSqliteDialectAdapter,
  createSqlStore,
  type SqlDatabase,
  type SqlDialectAdapter,
} from '@vbuckets/storage-sql';
import Database from 'better-sqlite3';
import { Kysely, type SqliteDatabase, SqliteDialect } from 'kysely';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { sqliteMigrations } from './migrations/index';
import { type SqliteStoreOptions, SqliteStoreOptionsSchema } from './sqlite-options';

/** The SQLite Store: the Store port plus what was found on open. */
export interface SqliteStore extends Store {
  /** The schema version (the number of migrations applied, ever). */
  readonly schemaVersion: number;
}

interface OpenedDatabase {
  readonly database: Database.Database;
  /** Whether the store opened it, and so closes it. */
  readonly owned: boolean;
  readonly label: string;
}

function open(options: SqliteStoreOptions): OpenedDatabase {
  if (options.database !== undefined) {
    if (!options.database.open) {
      throw storageError('The given SQLite database is closed', {
        adapter: 'sqlite',
        operation: 'open',
      });
    }
    return { database: options.database, owned: false, label: options.database.name };
  }
  const path = options.path;
  try {
    return { database: new Database(path), owned: true, label: path };
  } catch (error) {
    throw cannotOpen(path, error);
  }
}

function cannotOpen(label: string, error: unknown): VBucketsError {
  const reason = error instanceof Error ? error.message : String(error);
  return storageError(`Cannot open the SQLite database "${label}": ${reason}`, {
    cause: error,
    adapter: 'sqlite',
    operation: 'open',
    details: { path: label },
  });
}

/**
 * Pragmas every connection needs. SQLite's own busy handler is turned off (busy_timeout 0):
 * it would block the event loop, and when the lock is held by another connection of the same
 * process, block it until the timeout. Waiting is done by `retryWhileBusy` on a timer instead.
 */
async function configure(opened: OpenedDatabase, dialect: SqlDialectAdapter): Promise<void> {
  const { database } = opened;
  try {
    database.pragma('busy_timeout = 0');
    database.pragma('foreign_keys = ON');
    if (!database.memory) {
      // Switching to WAL needs a moment of exclusive access: another process may be opening too.
      await dialect.retryWhileBusy(async () => database.pragma('journal_mode = WAL'));
    }
    database.pragma('synchronous = NORMAL');
  } catch (error) {
    throw cannotOpen(opened.label, error);
  }
}

/** A better-sqlite3 handle whose close() does nothing: the caller owns it. */
function borrowed(database: Database.Database): SqliteDatabase {
  return {
    prepare: (statement) => database.prepare(statement),
    close: () => {},
  };
}

/**
 * Opens the embedded SQLite store: configures the connection (WAL, foreign keys, synchronous
 * NORMAL), applies pending migrations in one `BEGIN IMMEDIATE` transaction, and returns a
 * Store. A database given as `database` is left open by `close()`.
 */
export function createSqliteStore(
  options: SqliteStoreOptions,
): ResultAsync<SqliteStore, VBucketsError> {
  const parsed = SqliteStoreOptionsSchema.safeParse(options);
  if (!parsed.success) return errAsync(fromZodError(parsed.error, 'SqliteStoreOptions'));
  const settings = parsed.data as SqliteStoreOptions & { busyTimeoutMs: number };
  const dialect = createSqliteDialectAdapter({ busyTimeoutMs: settings.busyTimeoutMs });

  let opened: OpenedDatabase;
  try {
    opened = open(settings);
  } catch (error) {
    return errAsync(error as VBucketsError);
  }
  const db = new Kysely<SqlDatabase>({
    dialect: new SqliteDialect({
      database: opened.owned ? opened.database : borrowed(opened.database),
    }),
  });
  const release = async () => {
    await db.destroy();
    // Kysely closes the handle only if a query ever ran through it.
    if (opened.owned && opened.database.open) opened.database.close();
  };

  return ResultAsync.fromPromise(configure(opened, dialect), (error) => error as VBucketsError)
    .andThen(() => applySqlMigrations(db, dialect, sqliteMigrations))
    .andThen((report) => {
      const store = createSqlStore({ db, dialect, close: release });
      return okAsync<SqliteStore, VBucketsError>({ ...store, schemaVersion: report.version });
    })
    .orElse((error) =>
      ResultAsync.fromSafePromise(release()).andThen(() =>
        errAsync<SqliteStore, VBucketsError>(error),
      ),
    );
}
