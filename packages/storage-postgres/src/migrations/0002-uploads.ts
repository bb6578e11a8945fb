import type { SqlMigration } from '@vbuckets/storage-sql';
import { sql } from 'kysely';

const STATUSES = sql.raw(
  `'PENDING', 'IN_PROGRESS', 'SUCCESS', 'FAILED', 'FAILED_FINAL', 'BLOCKED', 'RATE_LIMITED'`,
);

/**
 * Uploads (seed 001): the current state per (org, video, platform), one row per attempt
 * (history is never overwritten) and the append-only audit trail. The unique
 * (org_id, video_id, platform) is what makes N concurrent first claims insert one row: the
 * losers' ON CONFLICT DO NOTHING waits for the winner, then they lock its row FOR UPDATE.
 * Uploads go with their video (cascade); audit events carry no foreign key and outlive both.
 */
export const uploadsMigration: SqlMigration = {
  version: 2,
  name: 'uploads',
  async up(db) {
    await db.schema
      .createTable('uploads')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('org_id', 'text', (column) => column.notNull())
      .addColumn('video_id', 'text', (column) =>
        column.notNull().references('videos.id').onDelete('cascade'),
      )
      .addColumn('platform', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('retry_count', 'integer', (column) => column.notNull())
      .addColumn('platform_post_id', 'text')
      .addColumn('error_message', 'text')
      .addColumn('next_attempt_at', 'timestamptz')
      .addColumn('lease_owner', 'text')
      .addColumn('lease_expires_at', 'timestamptz')
      .addColumn('checkpoint', 'jsonb')
      .addColumn('created_at', 'timestamptz', (column) => column.notNull())
      .addColumn('updated_at', 'timestamptz', (column) => column.notNull())
      .addUniqueConstraint('uploads_org_video_platform', ['org_id', 'video_id', 'platform'])
      .addCheckConstraint('uploads_status', sql`status in (${STATUSES})`)
      .addCheckConstraint('uploads_retry_count', sql`retry_count >= 0`)
      .execute();
    // listDue: retries by due time, expired leases by expiry.
    await db.schema
      .createIndex('uploads_org_status_next')
      .on('uploads')
      .columns(['org_id', 'status', 'next_attempt_at'])
      .execute();
    await db.schema
      .createIndex('uploads_org_status_lease')
      .on('uploads')
      .columns(['org_id', 'status', 'lease_expires_at'])
      .execute();
    await db.schema
      .createIndex('uploads_org_updated')
      .on('uploads')
      .columns(['org_id', 'updated_at'])
      .execute();
    // The foreign key's own index, so deleting a video does not scan uploads.
    await db.schema.createIndex('uploads_video').on('uploads').column('video_id').execute();

    await db.schema
      .createTable('upload_attempts')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('org_id', 'text', (column) => column.notNull())
      .addColumn('upload_id', 'text', (column) =>
        column.notNull().references('uploads.id').onDelete('cascade'),
      )
      .addColumn('video_id', 'text', (column) => column.notNull())
      .addColumn('platform', 'text', (column) => column.notNull())
      .addColumn('attempt_number', 'integer', (column) => column.notNull())
      .addColumn('owner', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('started_at', 'timestamptz', (column) => column.notNull())
      .addColumn('finished_at', 'timestamptz')
      .addColumn('error_message', 'text')
      .addColumn('platform_post_id', 'text')
      .addUniqueConstraint('upload_attempts_upload_number', ['upload_id', 'attempt_number'])
      .addCheckConstraint('upload_attempts_status', sql`status in (${STATUSES})`)
      .addCheckConstraint('upload_attempts_number', sql`attempt_number >= 1`)
      .execute();

    await db.schema
      .createTable('audit_events')
      .addColumn('seq', 'bigint', (column) => column.generatedAlwaysAsIdentity().primaryKey())
      .addColumn('id', 'text', (column) => column.notNull().unique())
      .addColumn('at', 'timestamptz', (column) => column.notNull())
      .addColumn('org_id', 'text', (column) => column.notNull())
      .addColumn('video_id', 'text', (column) => column.notNull())
      .addColumn('platform', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('upload_id', 'text')
      .addColumn('retry_count', 'integer', (column) => column.notNull())
      .addColumn('error_message', 'text')
      .addColumn('metadata', 'jsonb', (column) => column.notNull())
      .addCheckConstraint('audit_events_status', sql`status in (${STATUSES})`)
      .execute();
    await db.schema
      .createIndex('audit_events_org_video_platform')
      .on('audit_events')
      .columns(['org_id', 'video_id', 'platform', 'at'])
      .execute();
    await db.schema
      .createIndex('audit_events_org_at')
      .on('audit_events')
      .columns(['org_id', 'at'])
      .execute();
  },
};
