import { type CreateTableBuilder, sql } from 'kysely';
import type { SqlDialectAdapter } from './sql-dialect-adapter';
import type { SqlMigration } from './sql-migrations';

const STATES = sql.raw(`'waiting', 'delayed', 'active', 'completed', 'failed'`);

/**
 * Migration 10 of both dialects: the embedded job queue's jobs and schedules.
 *
 * - `jobs`: `seq` is the key the database assigns (SQLite's rowid alias; an identity column in
 *   PostgreSQL): what a claim's `UPDATE … WHERE seq = (SELECT …)` names and the FIFO tie-break.
 *   (kind, id) is unique, the target of the insert's ON CONFLICT DO NOTHING.
 * - `job_schedules`: one row per name; `next_run_at` is the compare-and-set of a claim.
 *
 * Indexes: `jobs_due` (state, run_at, seq) is the claim's: waiting jobs and due delayed ones in
 * order, and the few active ones whose lease it checks; `jobs_kind_state_finished` serves the
 * counts (kind, state) and a kind's failed jobs newest first; `jobs_state_finished` all failed
 * jobs newest first; `job_schedules_due` the due schedules.
 */
export function jobsMigration(dialect: SqlDialectAdapter): SqlMigration {
  const types = dialect.columnTypes;
  const type = (name: string) => sql.raw(name);
  const strict = <T extends string, C extends string>(table: CreateTableBuilder<T, C>) =>
    dialect.name === 'sqlite' ? table.modifyEnd(sql`strict`) : table;

  return {
    version: 10,
    name: 'jobs',
    async up(db) {
      await strict(
        db.schema
          .createTable('jobs')
          .addColumn('seq', type(types.integer), (column) =>
            dialect.name === 'sqlite'
              ? column.primaryKey()
              : column.primaryKey().generatedAlwaysAsIdentity(),
          )
          .addColumn('kind', 'text', (column) => column.notNull())
          .addColumn('id', 'text', (column) => column.notNull())
          .addColumn('payload', type(types.json), (column) => column.notNull())
          .addColumn('state', 'text', (column) => column.notNull())
          .addColumn('attempts_made', type(types.integer), (column) => column.notNull())
          .addColumn('max_attempts', type(types.integer), (column) => column.notNull())
          .addColumn('backoff_delay_ms', type(types.integer), (column) => column.notNull())
          .addColumn('backoff_max_delay_ms', type(types.integer), (column) => column.notNull())
          .addColumn('failed_reason', 'text')
          .addColumn('created_at', type(types.timestamp), (column) => column.notNull())
          .addColumn('run_at', type(types.timestamp), (column) => column.notNull())
          .addColumn('finished_at', type(types.timestamp))
          .addColumn('lease_owner', 'text')
          .addColumn('lease_expires_at', type(types.timestamp))
          .addUniqueConstraint('jobs_kind_id', ['kind', 'id'])
          .addCheckConstraint('jobs_state', sql`state in (${STATES})`)
          .addCheckConstraint(
            'jobs_attempts',
            sql`attempts_made >= 0 and max_attempts >= 1 and backoff_delay_ms >= 0 and backoff_max_delay_ms >= 0`,
          ),
      ).execute();
      await db.schema
        .createIndex('jobs_due')
        .on('jobs')
        .columns(['state', 'run_at', 'seq'])
        .execute();
      await db.schema
        .createIndex('jobs_kind_state_finished')
        .on('jobs')
        .columns(['kind', 'state', 'finished_at'])
        .execute();
      await db.schema
        .createIndex('jobs_state_finished')
        .on('jobs')
        .columns(['state', 'finished_at'])
        .execute();

      await strict(
        db.schema
          .createTable('job_schedules')
          .addColumn('name', 'text', (column) => column.primaryKey())
          .addColumn('kind', 'text', (column) => column.notNull())
          .addColumn('payload', type(types.json), (column) => column.notNull())
          .addColumn('every_ms', type(types.integer), (column) => column.notNull())
          .addColumn('next_run_at', type(types.timestamp), (column) => column.notNull())
          .addCheckConstraint('job_schedules_every', sql`every_ms >= 1`),
      ).execute();
      await db.schema
        .createIndex('job_schedules_due')
        .on('job_schedules')
        .columns(['next_run_at'])
        .execute();
    },
  };
}
