import { storageError, type VBucketsError } from '@vbuckets/core';
import { type Kysely, sql } from 'kysely';
import { ResultAsync } from 'neverthrow';
import type { SqlDialectAdapter } from './sql-dialect-adapter';
import type { SqlDatabase } from './sql-schema';
import { inWriteTransaction } from './sql-transaction';
import { toNumber } from './sql-values';

/** One schema change, applied once, in version order, inside the migration transaction. */
export interface SqlMigration {
  /** 1, 2, 3 … without gaps; recorded in `vbuckets_migrations` once applied. */
  readonly version: number;
  /** A short kebab-case name, e.g. `initial`. */
  readonly name: string;
  /** Applies the change on the migration's connection (one statement per `execute`). */
  up(db: Kysely<SqlDatabase>): Promise<void>;
}

export interface SqlMigrationReport {
  /** The versions this call applied, in order (empty when the schema was up to date). */
  readonly applied: readonly number[];
  /** The schema version after the call. */
  readonly version: number;
}

function checkOrder(dialect: SqlDialectAdapter, migrations: readonly SqlMigration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw storageError(
        `Migration "${migration.name}" has version ${migration.version}, expected ${index + 1}`,
        { adapter: dialect.name, operation: 'migrate' },
      );
    }
  });
}

async function migrate(
  connection: Kysely<SqlDatabase>,
  dialect: SqlDialectAdapter,
  migrations: readonly SqlMigration[],
  now: () => Date,
): Promise<SqlMigrationReport> {
  await dialect.lockMigrations(connection);
  await connection.schema
    .createTable('vbuckets_migrations')
    .ifNotExists()
    .addColumn('version', 'integer', (column) => column.primaryKey())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('applied_at', sql.raw(dialect.columnTypes.timestamp), (column) => column.notNull())
    .execute();
  const rows = await connection.selectFrom('vbuckets_migrations').select('version').execute();
  const done = new Set(rows.map((row) => toNumber(row.version)));
  const latest = migrations.length;
  const newest = Math.max(0, ...done);
  if (newest > latest) {
    throw storageError(
      `The database is at schema version ${newest}, newer than the ${latest} this package knows; upgrade the vbuckets packages`,
      {
        adapter: dialect.name,
        operation: 'migrate',
        details: { databaseVersion: newest, packageVersion: latest },
      },
    );
  }
  const applied: number[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    await migration.up(connection);
    await connection
      .insertInto('vbuckets_migrations')
      .values({
        version: migration.version,
        name: migration.name,
        applied_at: dialect.encodeTimestamp(now().toISOString()),
      })
      .execute();
    applied.push(migration.version);
  }
  return { applied, version: Math.max(newest, ...applied) };
}

/**
 * Brings the schema up to date: every pending migration in one write transaction, so two
 * processes opening the same database at once apply each migration exactly once.
 */
export function applySqlMigrations(
  db: Kysely<SqlDatabase>,
  dialect: SqlDialectAdapter,
  migrations: readonly SqlMigration[],
  options: { now?: () => Date } = {},
): ResultAsync<SqlMigrationReport, VBucketsError> {
  const now = options.now ?? (() => new Date());
  const run = async () => {
    checkOrder(dialect, migrations);
    return dialect.retryWhileBusy(() =>
      db
        .connection()
        .execute((connection) =>
          inWriteTransaction(dialect, connection, (locked) =>
            migrate(locked, dialect, migrations, now),
          ),
        ),
    );
  };
  return ResultAsync.fromPromise(run(), (error) =>
    dialect.mapError(error, { operation: 'migrate' }),
  );
}
