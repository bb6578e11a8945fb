import type { SqlMigration } from '@vbuckets/storage-sql';
import { sql } from 'kysely';

const STATUSES = sql.raw(
  `'PENDING', 'IN_PROGRESS', 'SUCCESS', 'FAILED', 'FAILED_FINAL', 'BLOCKED', 'RATE_LIMITED'`,
);

/**
 * Uploads (seed 001): the current state per (org, video, platform), one row per attempt
 * (history is never overwritten) and the append-only audit trail. The unique
 * (org_id, video_id, platform) is what makes N concurrent first claims insert one row.
 * Uploads go with their video (cascade); audit events carry no foreign key and outlive both.
 */
export const uploadsMigration: SqlMigration = {
  version: 2,
  name: 'uploads',
  async up(db) {
    await sql`
      create table uploads (
        id text primary key not null,
        org_id text not null,
        video_id text not null references videos (id) on delete cascade,
        platform text not null,
        status text not null check (status in (${STATUSES})),
        retry_count integer not null check (retry_count >= 0),
        platform_post_id text,
        error_message text,
        next_attempt_at text,
        lease_owner text,
        lease_expires_at text,
        checkpoint text,
        created_at text not null,
        updated_at text not null
      ) strict
    `.execute(db);
    await sql`
      create unique index uploads_org_video_platform on uploads (org_id, video_id, platform)
    `.execute(db);
    // listDue: retries by due time, expired leases by expiry.
    await sql`create index uploads_org_status_next on uploads (org_id, status, next_attempt_at)`.execute(
      db,
    );
    await sql`create index uploads_org_status_lease on uploads (org_id, status, lease_expires_at)`.execute(
      db,
    );
    await sql`create index uploads_org_updated on uploads (org_id, updated_at)`.execute(db);

    await sql`
      create table upload_attempts (
        id text primary key not null,
        org_id text not null,
        upload_id text not null references uploads (id) on delete cascade,
        video_id text not null,
        platform text not null,
        attempt_number integer not null check (attempt_number >= 1),
        owner text not null,
        status text not null check (status in (${STATUSES})),
        started_at text not null,
        finished_at text,
        error_message text,
        platform_post_id text,
        unique (upload_id, attempt_number)
      ) strict
    `.execute(db);

    await sql`
      create table audit_events (
        seq integer primary key,
        id text not null unique,
        at text not null,
        org_id text not null,
        video_id text not null,
        platform text not null,
        status text not null check (status in (${STATUSES})),
        upload_id text,
        retry_count integer not null,
        error_message text,
        metadata text not null
      ) strict
    `.execute(db);
    await sql`
      create index audit_events_org_video_platform on audit_events (org_id, video_id, platform, at)
    `.execute(db);
    await sql`create index audit_events_org_at on audit_events (org_id, at)`.execute(db);
  },
};
