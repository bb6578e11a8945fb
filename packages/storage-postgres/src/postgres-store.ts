import { fromZodError, storageError, type VBucketsError } from '@vbuckets/core';
import type { Store } from '@vbuckets/core/adapter-kit';
import {
  applySqlMigrations,
  createPostgresDialectAdapter,
  createSqlStore,
  type SqlDatabase,
  type SqlDialectAdapter,
} from '@vbuckets/storage-sql';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { postgresMigrations } from './migrations/index';
import { type PostgresStoreOptions, PostgresStoreOptionsSchema } from './postgres-options';
import { openConnections, type PostgresConnections } from './postgres-pool';

/** The PostgreSQL Store: the Store port plus what was found on open. */
export interface PostgresStore extends Store {
  /** The schema version (the number of migrations applied, ever). */
  readonly schemaVersion: number;
}

/**
 * The first query of the store: it proves the server is reachable and creates the schema if
 * missing. Creating it under the migration lock keeps two processes from racing on
 * `CREATE SCHEMA` (IF NOT EXISTS does not make that atomic), and looking first spares a user
 * without the CREATE privilege on the database when the schema already exists.
 */
async function ensureSchema(
  root: Kysely<SqlDatabase>,
  dialect: SqlDialectAdapter,
  schema: string,
): Promise<void> {
  const found = await sql`select 1 from pg_namespace where nspname = ${schema}`.execute(root);
  if (found.rows.length > 0) return;
  await root.transaction().execute(async (transaction) => {
    await dialect.lockMigrations(transaction);
    await sql`create schema if not exists ${sql.id(schema)}`.execute(transaction);
  });
}

/** An error of the first contact with the server: it names the server and says why. */
function cannotOpen(
  dialect: SqlDialectAdapter,
  connections: PostgresConnections,
  schema: string,
  error: unknown,
): VBucketsError {
  const mapped = dialect.mapError(error, { operation: 'open' });
  if (mapped.code !== 'STORAGE') return mapped;
  // Our own fixed SQL ran here, so the driver's message quotes nothing of the caller's.
  const reason = error instanceof Error && error.message !== '' ? error.message : mapped.message;
  const { kind, driverCode = '' } = dialect.classifyError(error);
  // Class 28: the server refused the credentials; 3D000: no such database.
  const refused = driverCode.startsWith('28') || driverCode === '3D000';
  const what =
    kind === 'connection' || kind === 'closed' || refused
      ? `Cannot connect to ${connections.label}`
      : `Cannot prepare schema "${schema}" on ${connections.label}`;
  return storageError(`${what}: ${reason}`, {
    cause: error,
    adapter: 'postgres',
    operation: 'open',
    retryable: mapped.retryable,
    details: { ...mapped.details, schema },
  });
}

/**
 * Opens the PostgreSQL store: creates the schema if missing, applies pending migrations in one
 * transaction under an advisory lock (so several processes opening at once migrate once), and
 * returns a Store whose every query names the schema. A `pool` given by the caller is left
 * open by `close()`; a pool made from `connectionString` is ended and drained.
 */
export function createPostgresStore(
  options: PostgresStoreOptions,
): ResultAsync<PostgresStore, VBucketsError> {
  const parsed = PostgresStoreOptionsSchema.safeParse(options);
  if (!parsed.success) return errAsync(fromZodError(parsed.error, 'PostgresStoreOptions'));
  const settings = parsed.data;
  if (settings.pool?.ended === true || settings.pool?.ending === true) {
    return errAsync(
      storageError('The given PostgreSQL pool has been ended', {
        adapter: 'postgres',
        operation: 'open',
      }),
    );
  }
  const dialect = createPostgresDialectAdapter();
  const connections = openConnections(settings);
  const root = new Kysely<SqlDatabase>({
    dialect: new PostgresDialect({ pool: connections.pool }),
  });
  // Every table the repositories and migrations name is qualified with the schema: nothing
  // depends on a connection's search_path, and a borrowed pool's sessions are left untouched.
  const db = root.withSchema(settings.schema);
  const release = async () => {
    await root.destroy();
    await connections.end();
  };

  return ResultAsync.fromPromise(ensureSchema(root, dialect, settings.schema), (error) =>
    cannotOpen(dialect, connections, settings.schema, error),
  )
    .andThen(() => applySqlMigrations(db, dialect, postgresMigrations))
    .andThen((report) => {
      const store = createSqlStore({ db, dialect, close: release });
      return okAsync<PostgresStore, VBucketsError>({ ...store, schemaVersion: report.version });
    })
    .orElse((error) =>
      ResultAsync.fromSafePromise(release()).andThen(() =>
        errAsync<PostgresStore, VBucketsError>(error),
      ),
    );
}
