import type { SqlMigration } from '@vbuckets/storage-sql';
import { sql } from 'kysely';

/**
 * Buckets, videos, categorization sessions and their rows. STRICT tables make SQLite refuse a
 * value of the wrong type instead of storing it; JSON is TEXT, booleans 0/1, timestamps ISO TEXT.
 */
export const initialMigration: SqlMigration = {
  version: 1,
  name: 'initial',
  async up(db) {
    await sql`
      create table buckets (
        id text primary key not null,
        org_id text not null,
        product_id text not null,
        name text not null,
        name_key text not null,
        best_for text not null,
        angle text not null,
        avatar text not null,
        pain_points text not null,
        solution_mechanism text not null,
        key_copy_hooks text not null,
        display_order integer not null,
        created_at text not null,
        updated_at text not null
      ) strict
    `.execute(db);
    // Names are unique per product ignoring case and spacing: name_key is bucketNameKey(name).
    await sql`
      create unique index buckets_org_product_name_key
        on buckets (org_id, product_id, name_key)
    `.execute(db);

    await sql`
      create table videos (
        id text primary key not null,
        org_id text not null,
        owner_id text not null,
        title text not null,
        filename text not null,
        blob_key text not null,
        sha256 text not null,
        size_bytes integer not null,
        mime_type text not null,
        duration_sec real,
        duplicate_allowed integer not null check (duplicate_allowed in (0, 1)),
        created_at text not null
      ) strict
    `.execute(db);
    await sql`create index videos_org_sha256 on videos (org_id, sha256, created_at)`.execute(db);
    await sql`create index videos_org_created on videos (org_id, created_at)`.execute(db);

    await sql`
      create table categorization_sessions (
        id text primary key not null,
        org_id text not null,
        product_id text not null,
        created_at text not null
      ) strict
    `.execute(db);
    await sql`
      create index categorization_sessions_org_product_created
        on categorization_sessions (org_id, product_id, created_at)
    `.execute(db);

    // seq (the rowid) records insertion order, the last tie-break of a session's rows.
    // video_id and bucket_id carry no foreign key: a row outlives its bucket (it keeps the
    // bucket's name) and may exist before, or without, a registered video.
    await sql`
      create table categorizations (
        seq integer primary key,
        id text not null unique,
        org_id text not null,
        product_id text not null,
        session_id text not null references categorization_sessions (id),
        video_id text,
        filename text not null,
        bucket_id text,
        bucket_name text,
        confidence real,
        reasoning text,
        summary text,
        transcript text,
        analysis text,
        status text not null check (status in ('pending', 'analyzed', 'categorized', 'error')),
        error_message text,
        is_uploaded integer not null check (is_uploaded in (0, 1)),
        created_at text not null,
        updated_at text not null
      ) strict
    `.execute(db);
    await sql`create index categorizations_session on categorizations (session_id)`.execute(db);
    await sql`
      create index categorizations_org_product_uploaded
        on categorizations (org_id, product_id, is_uploaded)
    `.execute(db);
  },
};
