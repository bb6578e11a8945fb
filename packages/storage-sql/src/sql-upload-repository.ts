import {
  conflictError,
  notFoundError,
  type Scope,
  type Upload,
  type UploadAttempt,
  type UploadCheckpoint,
  type VBucketsError,
  validationError,
} from '@vbuckets/core';
import {
  abandonedAttempt,
  planLeaseRenewal,
  planUploadClaim,
  planUploadCompletion,
  type UploadClaimResult,
  type UploadRepository,
} from '@vbuckets/core/adapter-kit';
import { type Kysely, sql } from 'kysely';
import type { Result } from 'neverthrow';
import type { SqlDialectAdapter } from './sql-dialect-adapter';
import type { SqlExecutor } from './sql-executor';
import { keysetPage, orderKey } from './sql-page';
import type { SqlDatabase, UploadAttemptsTable, UploadsTable } from './sql-schema';
import { toNumber } from './sql-values';

const nullableTimestamp = (dialect: SqlDialectAdapter, value: string | null) =>
  value === null ? null : dialect.encodeTimestamp(value);
const readNullableTimestamp = (
  dialect: SqlDialectAdapter,
  value: UploadsTable['next_attempt_at'],
) => (value === null ? null : dialect.decodeTimestamp(value));

function toRow(upload: Upload, dialect: SqlDialectAdapter): UploadsTable {
  return {
    id: upload.id,
    org_id: upload.orgId,
    video_id: upload.videoId,
    platform: upload.platform,
    status: upload.status,
    retry_count: upload.retryCount,
    platform_post_id: upload.platformPostId,
    error_message: upload.errorMessage,
    next_attempt_at: nullableTimestamp(dialect, upload.nextAttemptAt),
    lease_owner: upload.leaseOwner,
    lease_expires_at: nullableTimestamp(dialect, upload.leaseExpiresAt),
    checkpoint: upload.checkpoint === null ? null : dialect.encodeJson(upload.checkpoint),
    created_at: dialect.encodeTimestamp(upload.createdAt),
    updated_at: dialect.encodeTimestamp(upload.updatedAt),
  };
}

function fromRow(row: UploadsTable, dialect: SqlDialectAdapter): Upload {
  return {
    id: row.id,
    orgId: row.org_id,
    videoId: row.video_id,
    platform: row.platform,
    status: row.status as Upload['status'],
    retryCount: toNumber(row.retry_count),
    platformPostId: row.platform_post_id,
    errorMessage: row.error_message,
    nextAttemptAt: readNullableTimestamp(dialect, row.next_attempt_at),
    leaseOwner: row.lease_owner,
    leaseExpiresAt: readNullableTimestamp(dialect, row.lease_expires_at),
    checkpoint:
      row.checkpoint === null ? null : (dialect.decodeJson(row.checkpoint) as UploadCheckpoint),
    createdAt: dialect.decodeTimestamp(row.created_at),
    updatedAt: dialect.decodeTimestamp(row.updated_at),
  };
}

function attemptToRow(attempt: UploadAttempt, dialect: SqlDialectAdapter): UploadAttemptsTable {
  return {
    id: attempt.id,
    org_id: attempt.orgId,
    upload_id: attempt.uploadId,
    video_id: attempt.videoId,
    platform: attempt.platform,
    attempt_number: attempt.attemptNumber,
    owner: attempt.owner,
    status: attempt.status,
    started_at: dialect.encodeTimestamp(attempt.startedAt),
    finished_at: nullableTimestamp(dialect, attempt.finishedAt),
    error_message: attempt.errorMessage,
    platform_post_id: attempt.platformPostId,
  };
}

function attemptFromRow(row: UploadAttemptsTable, dialect: SqlDialectAdapter): UploadAttempt {
  return {
    id: row.id,
    orgId: row.org_id,
    uploadId: row.upload_id,
    videoId: row.video_id,
    platform: row.platform,
    attemptNumber: toNumber(row.attempt_number),
    owner: row.owner,
    status: row.status as UploadAttempt['status'],
    startedAt: dialect.decodeTimestamp(row.started_at),
    finishedAt: readNullableTimestamp(dialect, row.finished_at),
    errorMessage: row.error_message,
    platformPostId: row.platform_post_id,
  };
}

/** The value of a domain Result, or its error thrown for the executor to pass through. */
function unwrap<T>(result: Result<T, VBucketsError>): T {
  if (result.isErr()) throw result.error;
  return result.value;
}

function checkLimit(dialect: SqlDialectAdapter, operation: string, limit: number | undefined) {
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
    throw validationError('limit must be a non-negative integer', {
      path: 'limit',
      adapter: dialect.name,
      operation,
    });
  }
}

/**
 * Uploads on SQL. Every write runs in a write transaction (or a savepoint of the caller's)
 * and reads the current row with `FOR UPDATE` (SQLite's BEGIN IMMEDIATE already excludes
 * other writers), so a claim decided on that row cannot race another process. The first
 * claim of a pair inserts a PENDING row with ON CONFLICT DO NOTHING on the unique
 * (org_id, video_id, platform), then locks whichever row won: N concurrent first claims
 * see one row, and the lock makes them decide one after the other.
 */
export function createSqlUploadRepository(executor: SqlExecutor): UploadRepository {
  const { dialect } = executor;
  const missing = (operation: string, id: string) =>
    notFoundError(`No upload "${id}"`, {
      adapter: dialect.name,
      operation,
      details: { entity: 'upload', id },
    });

  const lockedById = async (
    db: Kysely<SqlDatabase>,
    scope: Scope,
    id: string,
    operation: string,
  ) => {
    const row = await dialect
      .lockForUpdate(
        db.selectFrom('uploads').selectAll().where('org_id', '=', scope.orgId).where('id', '=', id),
      )
      .executeTakeFirst();
    if (row === undefined) throw missing(operation, id);
    return fromRow(row, dialect);
  };

  const saveUpload = async (db: Kysely<SqlDatabase>, upload: Upload) => {
    const { id: _id, org_id: _org, created_at: _created, ...changes } = toRow(upload, dialect);
    await db
      .updateTable('uploads')
      .set(changes)
      .where('id', '=', upload.id)
      .where('org_id', '=', upload.orgId)
      .execute();
  };

  const saveAttemptEnd = async (db: Kysely<SqlDatabase>, attempt: UploadAttempt) => {
    await db
      .updateTable('upload_attempts')
      .set({
        status: attempt.status,
        finished_at: nullableTimestamp(dialect, attempt.finishedAt),
        error_message: attempt.errorMessage,
        platform_post_id: attempt.platformPostId,
      })
      .where('id', '=', attempt.id)
      .execute();
  };

  const renew = (
    operation: string,
    scope: Scope,
    input: { uploadId: string; owner: string; now: string; leaseMs: number },
    checkpoint?: UploadCheckpoint,
  ) =>
    executor.write({ operation }, async (db) => {
      const current = await lockedById(db, scope, input.uploadId, operation);
      const next = unwrap(planLeaseRenewal(current, input, checkpoint));
      await saveUpload(db, next);
      return next;
    });

  return {
    claim: (scope, input) =>
      executor.write(
        {
          operation: 'uploads.claim',
          conflictMessage: `An upload "${input.uploadId}" or attempt "${input.attemptId}" already exists`,
          foreignKey: { code: 'NOT_FOUND', message: `No video "${input.videoId}"` },
        },
        async (db): Promise<UploadClaimResult> => {
          // Validates the input before anything is written.
          unwrap(planUploadClaim(scope.orgId, null, 0, input));
          const video = await db
            .selectFrom('videos')
            .select('id')
            .where('org_id', '=', scope.orgId)
            .where('id', '=', input.videoId)
            .executeTakeFirst();
          if (video === undefined) {
            throw notFoundError(`No video "${input.videoId}"`, {
              adapter: dialect.name,
              operation: 'uploads.claim',
              details: { entity: 'video', id: input.videoId },
            });
          }
          const now = dialect.encodeTimestamp(input.now);
          await db
            .insertInto('uploads')
            .values({
              id: input.uploadId,
              org_id: scope.orgId,
              video_id: input.videoId,
              platform: input.platform,
              status: 'PENDING',
              retry_count: 0,
              platform_post_id: null,
              error_message: null,
              next_attempt_at: null,
              lease_owner: null,
              lease_expires_at: null,
              checkpoint: null,
              created_at: now,
              updated_at: now,
            })
            .onConflict((conflict) =>
              conflict.columns(['org_id', 'video_id', 'platform']).doNothing(),
            )
            .execute();
          const row = await dialect
            .lockForUpdate(
              db
                .selectFrom('uploads')
                .selectAll()
                .where('org_id', '=', scope.orgId)
                .where('video_id', '=', input.videoId)
                .where('platform', '=', input.platform),
            )
            .executeTakeFirstOrThrow();
          const current = fromRow(row, dialect);
          const lastRow = await db
            .selectFrom('upload_attempts')
            .selectAll()
            .where('upload_id', '=', current.id)
            .orderBy('attempt_number', 'desc')
            .limit(1)
            .executeTakeFirst();
          const last = lastRow === undefined ? undefined : attemptFromRow(lastRow, dialect);
          const plan = unwrap(
            planUploadClaim(scope.orgId, current, last?.attemptNumber ?? 0, input),
          );
          if (!plan.claimed) {
            if (plan.blocked !== null) await saveUpload(db, plan.blocked);
            return {
              claimed: false,
              upload: plan.blocked ?? current,
              refusal: plan.refusal,
              reason: plan.reason,
            };
          }
          if (plan.reclaimedOwner !== null && last !== undefined && last.status === 'IN_PROGRESS') {
            await saveAttemptEnd(db, abandonedAttempt(last, input.now, input.owner));
          }
          await saveUpload(db, plan.upload);
          await db
            .insertInto('upload_attempts')
            .values(attemptToRow(plan.attempt, dialect))
            .execute();
          return { claimed: true, upload: plan.upload, attempt: plan.attempt };
        },
      ),

    complete: (scope, input) =>
      executor.write({ operation: 'uploads.complete' }, async (db) => {
        const current = await lockedById(db, scope, input.uploadId, 'uploads.complete');
        const attemptRow = await db
          .selectFrom('upload_attempts')
          .selectAll()
          .where('id', '=', input.attemptId)
          .where('upload_id', '=', current.id)
          .executeTakeFirst();
        if (attemptRow === undefined) {
          throw conflictError(
            `Lease lost: attempt "${input.attemptId}" is not the running attempt of upload "${current.id}"`,
            { adapter: dialect.name, operation: 'uploads.complete' },
          );
        }
        const next = unwrap(
          planUploadCompletion(current, attemptFromRow(attemptRow, dialect), input),
        );
        await saveUpload(db, next.upload);
        await saveAttemptEnd(db, next.attempt);
        return next;
      }),

    saveCheckpoint: (scope, input) =>
      renew('uploads.saveCheckpoint', scope, input, input.checkpoint),

    renewLease: (scope, input) => renew('uploads.renewLease', scope, input),

    get: (scope, videoId, platform) =>
      executor.read({ operation: 'uploads.get' }, async (db) => {
        const row = await db
          .selectFrom('uploads')
          .selectAll()
          .where('org_id', '=', scope.orgId)
          .where('video_id', '=', videoId)
          .where('platform', '=', platform)
          .executeTakeFirst();
        return row === undefined ? null : fromRow(row, dialect);
      }),

    getById: (scope, uploadId) =>
      executor.read({ operation: 'uploads.getById' }, async (db) => {
        const row = await db
          .selectFrom('uploads')
          .selectAll()
          .where('org_id', '=', scope.orgId)
          .where('id', '=', uploadId)
          .executeTakeFirst();
        if (row === undefined) throw missing('uploads.getById', uploadId);
        return fromRow(row, dialect);
      }),

    listByVideo: (scope, videoId) =>
      executor.read({ operation: 'uploads.listByVideo' }, async (db) => {
        const rows = await db
          .selectFrom('uploads')
          .selectAll()
          .where('org_id', '=', scope.orgId)
          .where('video_id', '=', videoId)
          .orderBy(dialect.orderableText('platform'))
          .orderBy(dialect.orderableText('id'))
          .execute();
        return rows.map((row) => fromRow(row, dialect));
      }),

    list: (scope, filter = {}) =>
      executor.read({ operation: 'uploads.list' }, async (db) => {
        let list = db.selectFrom('uploads').selectAll().where('org_id', '=', scope.orgId);
        if (filter.status !== undefined) list = list.where('status', '=', filter.status);
        if (filter.platform !== undefined) list = list.where('platform', '=', filter.platform);
        const rows = await (
          await keysetPage(list, {
            dialect,
            operation: 'uploads.list',
            keys: [orderKey('updated_at', true), { expression: dialect.orderableText('id') }],
            page: filter,
          })
        ).execute();
        return rows.map((row) => fromRow(row, dialect));
      }),

    listDue: (scope, options) =>
      executor.read({ operation: 'uploads.listDue' }, async (db) => {
        checkLimit(dialect, 'uploads.listDue', options.limit);
        if (Number.isNaN(Date.parse(options.now))) {
          throw validationError('now is not an ISO-8601 time', {
            path: 'now',
            adapter: dialect.name,
            operation: 'uploads.listDue',
          });
        }
        const now = dialect.encodeTimestamp(options.now);
        let query = db
          .selectFrom('uploads')
          .selectAll()
          .where('org_id', '=', scope.orgId)
          .where((where) =>
            where.or([
              where.and([
                where('status', 'in', ['FAILED', 'RATE_LIMITED']),
                where.or([
                  where('next_attempt_at', 'is', null),
                  where('next_attempt_at', '<=', now),
                ]),
              ]),
              where.and([
                where('status', '=', 'IN_PROGRESS'),
                where.or([
                  where('lease_expires_at', 'is', null),
                  where('lease_expires_at', '<=', now),
                ]),
              ]),
            ]),
          )
          .orderBy(sql`coalesce(next_attempt_at, lease_expires_at, created_at)`)
          .orderBy(dialect.orderableText('id'));
        if (options.limit !== undefined) query = query.limit(options.limit);
        const rows = await query.execute();
        return rows.map((row) => fromRow(row, dialect));
      }),

    listAttempts: (scope, uploadId) =>
      executor.read({ operation: 'uploads.listAttempts' }, async (db) => {
        const upload = await db
          .selectFrom('uploads')
          .select('id')
          .where('org_id', '=', scope.orgId)
          .where('id', '=', uploadId)
          .executeTakeFirst();
        if (upload === undefined) throw missing('uploads.listAttempts', uploadId);
        const rows = await db
          .selectFrom('upload_attempts')
          .selectAll()
          .where('upload_id', '=', uploadId)
          .orderBy('attempt_number')
          .execute();
        return rows.map((row) => attemptFromRow(row, dialect));
      }),
  };
}
