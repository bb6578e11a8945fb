import { type Kysely, sql } from 'kysely';
import type { SqlDialectAdapter } from './sql-dialect-adapter';
import type { SqlDatabase } from './sql-schema';

/** Rolls back, ignoring a failure: the error that made us roll back is the one to report. */
export async function rollbackQuietly(connection: Kysely<SqlDatabase>): Promise<void> {
  try {
    await sql`rollback`.execute(connection);
  } catch {
    // A failed rollback ends the transaction anyway.
  }
}

/** Runs `work` in a write transaction of its own on `connection`: committed, or rolled back on a throw. */
export async function inWriteTransaction<T>(
  dialect: SqlDialectAdapter,
  connection: Kysely<SqlDatabase>,
  work: (db: Kysely<SqlDatabase>) => Promise<T>,
): Promise<T> {
  await dialect.beginTransaction(connection);
  try {
    const value = await work(connection);
    await sql`commit`.execute(connection);
    return value;
  } catch (error) {
    await rollbackQuietly(connection);
    throw error;
  }
}
