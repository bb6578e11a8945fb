import type { VBucketsError } from '@vbuckets/core';
import {
  DEFAULT_FAILED_LIMIT,
  dueSchedulesError,
  failedFilterError,
  isoPlus,
  JOB_STATES,
  type JobCount,
  type JobLeaseRef,
  type JobRepository,
  type JobScheduleOccurrence,
  type JobState,
  jobClaimError,
  jobInsertError,
  jobLeaseError,
  jobLeaseLost,
  jobNotFailed,
  jobNotFound,
  jobScheduleError,
  nextOccurrence,
  STALLED_JOB_REASON,
  type StoredJob,
  type StoredJobSchedule,
  withErrorSource,
} from '@vbuckets/core/adapter-kit';
import { type Kysely, type Selectable, sql, type UpdateObject } from 'kysely';
import { errAsync } from 'neverthrow';
import type { SqlErrorContext } from './sql-dialect-adapter';
import type { SqlExecutor } from './sql-executor';
import type { JobSchedulesTable, JobsTable, SqlDatabase } from './sql-schema';
import { toNumber } from './sql-values';

type Db = Kysely<SqlDatabase>;

const codePoint = (left: string, right: string) => (left < right ? -1 : left > right ? 1 : 0);

function jobState(value: string): JobState {
  const state = JOB_STATES.find((each) => each === value);
  if (state === undefined) throw new TypeError('invalid job state');
  return state;
}

/**
 * Jobs and schedules on SQL (both dialects). Each write is one write transaction of few
 * statements: an insert is INSERT … ON CONFLICT DO NOTHING then a read; a claim is one
 * `UPDATE … WHERE seq = (SELECT … LIMIT 1)`, whose subquery PostgreSQL runs FOR UPDATE SKIP
 * LOCKED (concurrent claimers take different jobs without waiting) and SQLite runs under its one
 * writer; owner-checked calls are one conditional UPDATE; a schedule claim is a compare-and-set of
 * `next_run_at` per due schedule.
 */
export function createSqlJobRepository(executor: SqlExecutor): JobRepository {
  const { dialect } = executor;
  const time = (value: string) => dialect.encodeTimestamp(value);
  const sourced = (error: VBucketsError, operation: string) =>
    withErrorSource(error, { adapter: dialect.name, operation });
  const refused = (error: VBucketsError, operation: string) => errAsync(sourced(error, operation));
  const context = (operation: string): SqlErrorContext => ({ operation });

  function fromRow(row: Selectable<JobsTable>): StoredJob {
    const state = jobState(row.state);
    const decode = (value: Selectable<JobsTable>['finished_at']) =>
      value === null ? null : dialect.decodeTimestamp(value);
    return {
      kind: row.kind,
      id: row.id,
      payload: dialect.decodeJson(row.payload),
      state,
      attemptsMade: toNumber(row.attempts_made),
      maxAttempts: toNumber(row.max_attempts),
      backoff: {
        delayMs: toNumber(row.backoff_delay_ms),
        maxDelayMs: toNumber(row.backoff_max_delay_ms),
      },
      failedReason: row.failed_reason,
      createdAt: dialect.decodeTimestamp(row.created_at),
      runAt: state === 'delayed' ? dialect.decodeTimestamp(row.run_at) : null,
      finishedAt: decode(row.finished_at),
      leaseOwner: row.lease_owner,
      leaseExpiresAt: decode(row.lease_expires_at),
    };
  }

  function scheduleFromRow(row: Selectable<JobSchedulesTable>): StoredJobSchedule {
    return {
      name: row.name,
      kind: row.kind,
      payload: dialect.decodeJson(row.payload),
      everyMs: toNumber(row.every_ms),
      nextRunAt: dialect.decodeTimestamp(row.next_run_at),
    };
  }

  const find = (db: Db, kind: string, id: string) =>
    db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', kind)
      .where('id', '=', id)
      .executeTakeFirst();

  /** One owner-checked UPDATE; lease lost (or NOT_FOUND) when the owner does not hold the job. */
  function owned(
    operation: string,
    lease: JobLeaseRef,
    change: () => UpdateObject<SqlDatabase, 'jobs'>,
    extra: Record<string, unknown> = {},
  ) {
    const invalid = jobLeaseError({ ...lease, ...extra });
    if (invalid !== undefined) return refused(invalid, operation);
    return executor.write(context(operation), async (db) => {
      const updated = await db
        .updateTable('jobs')
        .set(change())
        .where('kind', '=', lease.kind)
        .where('id', '=', lease.id)
        .where('state', '=', 'active')
        .where('lease_owner', '=', lease.owner)
        .returningAll()
        .executeTakeFirst();
      if (updated !== undefined) return fromRow(updated);
      const current = await find(db, lease.kind, lease.id);
      if (current === undefined) throw sourced(jobNotFound(lease.kind, lease.id), operation);
      const heldBy = current.state === 'active' ? current.lease_owner : null;
      throw sourced(jobLeaseLost(lease.kind, lease.id, lease.owner, heldBy), operation);
    });
  }

  const ended = { lease_owner: null, lease_expires_at: null };

  return {
    insert: (input) => {
      const invalid = jobInsertError(input);
      if (invalid !== undefined) return refused(invalid, 'jobs.insert');
      return executor.write(context('jobs.insert'), async (db) => {
        const inserted = await db
          .insertInto('jobs')
          .values({
            kind: input.kind,
            id: input.id,
            payload: dialect.encodeJson(input.payload),
            state: input.runAt === null ? 'waiting' : 'delayed',
            attempts_made: 0,
            max_attempts: input.maxAttempts,
            backoff_delay_ms: input.backoff.delayMs,
            backoff_max_delay_ms: input.backoff.maxDelayMs,
            failed_reason: null,
            created_at: time(input.now),
            run_at: time(input.runAt ?? input.now),
            finished_at: null,
            ...ended,
          })
          .onConflict((conflict) => conflict.columns(['kind', 'id']).doNothing())
          .returningAll()
          .executeTakeFirst();
        if (inserted !== undefined) return { job: fromRow(inserted), created: true };
        const existing = await find(db, input.kind, input.id);
        if (existing === undefined) throw sourced(jobNotFound(input.kind, input.id), 'jobs.insert');
        return { job: fromRow(existing), created: false };
      });
    },

    claimNext: (input) => {
      const invalid = jobClaimError(input);
      if (invalid !== undefined) return refused(invalid, 'jobs.claimNext');
      return executor.write(context('jobs.claimNext'), async (db) => {
        const now = time(input.now);
        // Stalled jobs without attempts left end here, so the claim below never takes one.
        await db
          .updateTable('jobs')
          .set({
            ...ended,
            state: 'failed',
            failed_reason: STALLED_JOB_REASON,
            finished_at: now,
          })
          .where('state', '=', 'active')
          .where('kind', 'in', input.kinds)
          .where('lease_expires_at', '<=', now)
          .whereRef('attempts_made', '>=', 'max_attempts')
          .execute();
        const next = dialect.lockSkippingLocked(
          db
            .selectFrom('jobs')
            .select('seq')
            .where('kind', 'in', input.kinds)
            .where((where) =>
              where.or([
                where('state', '=', 'waiting'),
                where.and([where('state', '=', 'delayed'), where('run_at', '<=', now)]),
                where.and([where('state', '=', 'active'), where('lease_expires_at', '<=', now)]),
              ]),
            )
            .orderBy('run_at')
            .orderBy('seq')
            .limit(1),
        );
        const claimed = await db
          .updateTable('jobs')
          .set((update) => ({
            state: 'active',
            attempts_made: update('attempts_made', '+', 1),
            lease_owner: input.owner,
            lease_expires_at: time(isoPlus(input.now, input.leaseMs)),
          }))
          .where('seq', '=', next)
          .returningAll()
          .executeTakeFirst();
        return claimed === undefined ? null : fromRow(claimed);
      });
    },

    renewLease: (lease) =>
      owned(
        'jobs.renewLease',
        lease,
        () => ({ lease_expires_at: time(isoPlus(lease.now, lease.leaseMs)) }),
        { leaseMs: lease.leaseMs },
      ),

    complete: (lease) =>
      owned('jobs.complete', lease, () => ({
        ...ended,
        state: 'completed',
        finished_at: time(lease.now),
      })),

    fail: (lease) =>
      owned('jobs.fail', lease, () => ({
        ...ended,
        state: 'failed',
        failed_reason: lease.reason,
        finished_at: time(lease.now),
      })),

    retryLater: (lease) =>
      owned(
        'jobs.retryLater',
        lease,
        () => ({
          ...ended,
          state: 'delayed',
          run_at: time(lease.runAt),
          failed_reason: lease.reason,
          ...(lease.countsAsAttempt ? {} : { attempts_made: sql<number>`attempts_made - 1` }),
        }),
        { runAt: lease.runAt },
      ),

    release: (lease) =>
      owned('jobs.release', lease, () => ({
        ...ended,
        state: 'waiting',
        attempts_made: sql<number>`attempts_made - 1`,
      })),

    get: (kind, id) =>
      executor.read(context('jobs.get'), async (db) => {
        const row = await find(db, kind, id);
        if (row === undefined) throw sourced(jobNotFound(kind, id), 'jobs.get');
        return fromRow(row);
      }),

    counts: () =>
      executor.read(context('jobs.counts'), async (db) => {
        const rows = await db
          .selectFrom('jobs')
          .select(['kind', 'state', (count) => count.fn.countAll<number | string>().as('count')])
          .groupBy(['kind', 'state'])
          .execute();
        const counts: JobCount[] = rows.map((row) => ({
          kind: row.kind,
          state: jobState(row.state),
          count: toNumber(row.count),
        }));
        return counts.sort(
          (left, right) =>
            codePoint(left.kind, right.kind) ||
            JOB_STATES.indexOf(left.state) - JOB_STATES.indexOf(right.state),
        );
      }),

    listFailed: (filter) => {
      const invalid = failedFilterError(filter);
      if (invalid !== undefined) return refused(invalid, 'jobs.listFailed');
      return executor.read(context('jobs.listFailed'), async (db) => {
        let query = db.selectFrom('jobs').selectAll().where('state', '=', 'failed');
        if (filter?.kind !== undefined) query = query.where('kind', '=', filter.kind);
        const rows = await query
          .orderBy('finished_at', 'desc')
          .orderBy('seq', 'desc')
          .limit(filter?.limit ?? DEFAULT_FAILED_LIMIT)
          .execute();
        return rows.map(fromRow);
      });
    },

    retry: (kind, id, now) =>
      executor.write(context('jobs.retry'), async (db) => {
        const retried = await db
          .updateTable('jobs')
          .set({
            ...ended,
            state: 'waiting',
            attempts_made: 0,
            failed_reason: null,
            finished_at: null,
            run_at: time(now),
          })
          .where('kind', '=', kind)
          .where('id', '=', id)
          .where('state', '=', 'failed')
          .returningAll()
          .executeTakeFirst();
        if (retried !== undefined) return fromRow(retried);
        const current = await find(db, kind, id);
        if (current === undefined) throw sourced(jobNotFound(kind, id), 'jobs.retry');
        throw sourced(jobNotFailed(kind, id, current.state), 'jobs.retry');
      }),

    upsertSchedule: (input) => {
      const invalid = jobScheduleError(input);
      if (invalid !== undefined) return refused(invalid, 'jobs.upsertSchedule');
      return executor.write(context('jobs.upsertSchedule'), async (db) => {
        const row = await db
          .insertInto('job_schedules')
          .values({
            name: input.name,
            kind: input.kind,
            payload: dialect.encodeJson(input.payload),
            every_ms: input.everyMs,
            next_run_at: time(isoPlus(input.now, input.everyMs)),
          })
          .onConflict((conflict) =>
            conflict.column('name').doUpdateSet((update) => ({
              kind: update.ref('excluded.kind'),
              payload: update.ref('excluded.payload'),
              every_ms: update.ref('excluded.every_ms'),
              // The same period keeps its next occurrence: re-registering at every boot must not
              // push a schedule's run further out each time.
              next_run_at: sql`case when job_schedules.every_ms = excluded.every_ms then job_schedules.next_run_at else excluded.next_run_at end`,
            })),
          )
          .returningAll()
          .executeTakeFirstOrThrow();
        return scheduleFromRow(row);
      });
    },

    deleteSchedule: (name) =>
      executor.write(context('jobs.deleteSchedule'), async (db) => {
        const deleted = await db
          .deleteFrom('job_schedules')
          .where('name', '=', name)
          .executeTakeFirst();
        return Number(deleted.numDeletedRows) > 0;
      }),

    listSchedules: () =>
      executor.read(context('jobs.listSchedules'), async (db) => {
        const rows = await db
          .selectFrom('job_schedules')
          .selectAll()
          .orderBy(dialect.orderableText('name'))
          .execute();
        return rows.map(scheduleFromRow);
      }),

    claimDueSchedules: (input) => {
      const invalid = dueSchedulesError(input);
      if (invalid !== undefined) return refused(invalid, 'jobs.claimDueSchedules');
      return executor.write(context('jobs.claimDueSchedules'), async (db) => {
        const due = await db
          .selectFrom('job_schedules')
          .selectAll()
          .where('kind', 'in', input.kinds)
          .where('next_run_at', '<=', time(input.now))
          .orderBy(dialect.orderableText('name'))
          .execute();
        const occurrences: JobScheduleOccurrence[] = [];
        for (const row of due) {
          const schedule = scheduleFromRow(row);
          // Compare-and-set: a concurrent claimer that moved next_run_at first wins this one.
          const moved = await db
            .updateTable('job_schedules')
            .set({
              next_run_at: time(nextOccurrence(schedule.nextRunAt, schedule.everyMs, input.now)),
            })
            .where('name', '=', schedule.name)
            .where('next_run_at', '=', time(schedule.nextRunAt))
            .returningAll()
            .executeTakeFirst();
          if (moved !== undefined) {
            occurrences.push({ schedule: scheduleFromRow(moved), dueAt: schedule.nextRunAt });
          }
        }
        return occurrences;
      });
    },
  };
}
