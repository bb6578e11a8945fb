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

/** Prepared statements kept per connection; SQL texts beyond this are prepared again. */
const CACHED_STATEMENTS = 500;

type SqliteStatement = ReturnType<SqliteDatabase['prepare']>;

/**
 * A statement whose rows better-sqlite3 hands over as arrays, made into objects here: building
 * a row object in native code costs about half again what the arrays and this loop cost (a
 * 20-bucket list: 73 µs against 50 µs). A later column wins over an earlier one of the same
 * name, as in better-sqlite3's own objects. The names are read again if the column count
 * changes (a table altered under a cached `select *`).
 */
export function objectRows(statement: Database.Statement): SqliteStatement {
  if (!statement.reader) return statement as unknown as SqliteStatement;
  statement.raw(true);
  let names = statement.columns().map((column) => column.name);
  const toObject = (values: unknown[]): Record<string, unknown> => {
    if (values.length !== names.length) names = statement.columns().map((column) => column.name);
    const row: Record<string, unknown> = {};
    for (let index = 0; index < names.length; index++) {
      row[names[index] as string] = values[index];
    }
    return row;
  };
  return {
    reader: true,
    all: (parameters) => (statement.all(parameters) as unknown[][]).map(toObject),
    run: (parameters) => statement.run(parameters),
    iterate: function* (parameters) {
      for (const values of statement.iterate(parameters) as IterableIterator<unknown[]>) {
        yield toObject(values);
      }
    },
  };
}

/**
 * A better-sqlite3 handle for Kysely that prepares each SQL text once: Kysely prepares the
 * statement of every query again, which cost a 20-bucket list a tenth of its time. A statement
 * is reusable once `all`/`run` returned (better-sqlite3 is synchronous; the store never
 * streams), and SQLite re-prepares it by itself after a schema change. The least recently
 * used text is dropped past `CACHED_STATEMENTS`. `close()` closes the handle only if it is ours.
 */
function cachingStatements(database: Database.Database, owned: boolean): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    prepare: (text) => {
      let statement = statements.get(text);
      if (statement === undefined) {
        statement = objectRows(database.prepare(text));
        if (statements.size >= CACHED_STATEMENTS) {
          const oldest = statements.keys().next().value;
          if (oldest !== undefined) statements.delete(oldest);
        }
      } else {
        statements.delete(text);
      }
      statements.set(text, statement);
      return statement;
    },
    close: () => {
      statements.clear();
      if (owned) database.close();
    },
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
      database: cachingStatements(opened.database, opened.owned),
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
