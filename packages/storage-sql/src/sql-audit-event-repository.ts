import { type AuditEvent, validationError } from '@vbuckets/core';
import type { AuditEventRepository } from '@vbuckets/core/adapter-kit';
import type { SqlDialectAdapter } from './sql-dialect-adapter';
import type { SqlExecutor } from './sql-executor';
import type { AuditEventsTable } from './sql-schema';
import { toJsonObject, toNumber } from './sql-values';

type AuditEventRow = Omit<AuditEventsTable, 'seq'>;

function toRow(event: AuditEvent, dialect: SqlDialectAdapter): AuditEventRow {
  return {
    id: event.id,
    at: dialect.encodeTimestamp(event.at),
    org_id: event.orgId,
    video_id: event.videoId,
    platform: event.platform,
    status: event.status,
    upload_id: event.uploadId,
    retry_count: event.retryCount,
    error_message: event.errorMessage,
    metadata: dialect.encodeJson(event.metadata),
  };
}

function fromRow(row: AuditEventRow, dialect: SqlDialectAdapter): AuditEvent {
  return {
    id: row.id,
    at: dialect.decodeTimestamp(row.at),
    orgId: row.org_id,
    videoId: row.video_id,
    platform: row.platform,
    status: row.status as AuditEvent['status'],
    uploadId: row.upload_id,
    retryCount: toNumber(row.retry_count),
    errorMessage: row.error_message,
    metadata: (toJsonObject(dialect.decodeJson(row.metadata)) ?? {}) as AuditEvent['metadata'],
  };
}

/** The audit trail on SQL: insert-only; `seq` keeps insertion order for events at one instant. */
export function createSqlAuditEventRepository(executor: SqlExecutor): AuditEventRepository {
  const { dialect } = executor;
  return {
    append: (event) =>
      executor.write(
        {
          operation: 'auditEvents.append',
          conflictMessage: `An audit event with id "${event.id}" already exists`,
        },
        async (db) => {
          const row = await db
            .insertInto('audit_events')
            .values(toRow(event, dialect))
            .returning([
              'id',
              'at',
              'org_id',
              'video_id',
              'platform',
              'status',
              'upload_id',
              'retry_count',
              'error_message',
              'metadata',
            ])
            .executeTakeFirstOrThrow();
          return fromRow(row, dialect);
        },
      ),

    list: (scope, filter = {}) =>
      executor.read({ operation: 'auditEvents.list' }, async (db) => {
        const { limit } = filter;
        if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
          throw validationError('limit must be a non-negative integer', {
            path: 'limit',
            adapter: dialect.name,
            operation: 'auditEvents.list',
          });
        }
        let query = db
          .selectFrom('audit_events')
          .selectAll()
          .where('org_id', '=', scope.orgId)
          .orderBy('at')
          .orderBy('seq');
        if (filter.videoId !== undefined) query = query.where('video_id', '=', filter.videoId);
        if (filter.platform !== undefined) query = query.where('platform', '=', filter.platform);
        if (limit !== undefined) query = query.limit(limit);
        const rows = await query.execute();
        return rows.map((row) => fromRow(row, dialect));
      }),
  };
}
