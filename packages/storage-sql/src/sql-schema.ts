import type { Generated } from 'kysely';

/**
 * Column value types that differ between dialects. Writes always pass what the adapter's
 * `encode*` functions return; reads accept any of the forms a driver may hand back.
 */
/** JSON: TEXT in SQLite (a string), jsonb in PostgreSQL (already parsed by `pg`). */
export type SqlJson = unknown;
/** Booleans: 0/1 in SQLite, boolean in PostgreSQL. */
export type SqlBoolean = number | boolean;
/** Timestamps: ISO-8601 TEXT in SQLite, timestamptz in PostgreSQL (a Date from `pg`). */
export type SqlTimestamp = string | Date;
/** Integers: numbers, except that `pg` returns bigint and count() results as strings. */
export type SqlInteger = number | string | bigint;
/** Floating point (REAL, double precision): a number from both drivers. */
export type SqlFloat = number;

export interface BucketsTable {
  id: string;
  org_id: string;
  product_id: string;
  name: string;
  /** `bucketNameKey(name)`, computed in JS; unique per (org_id, product_id). */
  name_key: string;
  best_for: string;
  angle: string;
  avatar: string;
  pain_points: SqlJson;
  solution_mechanism: SqlJson;
  key_copy_hooks: SqlJson;
  display_order: SqlInteger;
  created_at: SqlTimestamp;
  updated_at: SqlTimestamp;
}

export interface VideosTable {
  id: string;
  org_id: string;
  owner_id: string;
  title: string;
  filename: string;
  blob_key: string;
  sha256: string;
  size_bytes: SqlInteger;
  mime_type: string;
  duration_sec: number | string | null;
  duplicate_allowed: SqlBoolean;
  /** A CHECK constraint keeps any other text out; rows from before migration 3 are private. */
  visibility: 'public' | 'private';
  product_category: string | null;
  /**
   * The SHA-256 of the org's one canonical video with this content, unique per org (migration 4);
   * null only for the extra copies a database registered before that migration.
   */
  content_sha256: string | null;
  created_at: SqlTimestamp;
}

export interface CategorizationSessionsTable {
  id: string;
  org_id: string;
  product_id: string;
  created_at: SqlTimestamp;
}

export interface CategorizationsTable {
  /** Insertion order, set by the database: breaks ties so a session's rows list as inserted. */
  seq: Generated<SqlInteger>;
  id: string;
  org_id: string;
  product_id: string;
  session_id: string;
  video_id: string | null;
  filename: string;
  bucket_id: string | null;
  bucket_name: string | null;
  confidence: number | string | null;
  reasoning: string | null;
  summary: string | null;
  transcript: string | null;
  analysis: SqlJson | null;
  status: string;
  error_message: string | null;
  is_uploaded: SqlBoolean;
  created_at: SqlTimestamp;
  updated_at: SqlTimestamp;
  /** The worker holding the row's claim (migration 5), or null. */
  lease_owner: string | null;
  /** When that claim may be taken over, or null. */
  lease_expires_at: SqlTimestamp | null;
}

export interface UploadsTable {
  id: string;
  org_id: string;
  video_id: string;
  platform: string;
  status: string;
  retry_count: SqlInteger;
  platform_post_id: string | null;
  error_message: string | null;
  next_attempt_at: SqlTimestamp | null;
  lease_owner: string | null;
  lease_expires_at: SqlTimestamp | null;
  checkpoint: SqlJson | null;
  created_at: SqlTimestamp;
  updated_at: SqlTimestamp;
}

export interface UploadAttemptsTable {
  id: string;
  org_id: string;
  upload_id: string;
  video_id: string;
  platform: string;
  attempt_number: SqlInteger;
  owner: string;
  status: string;
  started_at: SqlTimestamp;
  finished_at: SqlTimestamp | null;
  error_message: string | null;
  platform_post_id: string | null;
}

export interface AuditEventsTable {
  /** Insertion order, set by the database: the tie-break of events at the same instant. */
  seq: Generated<SqlInteger>;
  id: string;
  at: SqlTimestamp;
  org_id: string;
  video_id: string;
  platform: string;
  status: string;
  upload_id: string | null;
  retry_count: SqlInteger;
  error_message: string | null;
  metadata: SqlJson;
}

/** Ad creatives (seed 003), migration 7. */
export interface CreativesTable {
  id: string;
  org_id: string;
  owner_id: string | null;
  name: string;
  product_category: string;
  source: 'benchmark' | 'client';
  is_public: SqlBoolean;
  video_id: string | null;
  source_platform: string | null;
  /** Unique per org (null never collides): one creative per ad library URL. */
  source_url: string | null;
  market_cvr: SqlFloat | null;
  market_longevity_days: SqlFloat | null;
  avg_daily_clicks: SqlFloat | null;
  hook_type: string | null;
  emotion: string | null;
  pacing: string | null;
  target_audience_pain: string | null;
  extra_tags: SqlJson;
  impressions: SqlInteger;
  clicks: SqlInteger;
  conversions: SqlInteger;
  analysis_status: string;
  analysis: SqlJson | null;
  analysis_error: string | null;
  analyzed_at: SqlTimestamp | null;
  created_at: SqlTimestamp;
  updated_at: SqlTimestamp;
}

/** The idempotency keys `recordPerformance` applied: one row per (org, creative, key). */
export interface CreativePerformanceKeysTable {
  org_id: string;
  creative_id: string;
  idempotency_key: string;
  recorded_at: SqlTimestamp;
}

/** Pattern evidence as a Beta, one row per (org, product category, dimension, value, source). */
export interface PatternPerformanceTable {
  id: string;
  org_id: string;
  product_category: string;
  dimension: string;
  value: string;
  source: 'benchmark' | 'client';
  weight: SqlFloat;
  alpha: SqlFloat;
  beta: SqlFloat;
  clicks: SqlFloat;
  conversions: SqlFloat;
  market_longevity_days: SqlFloat | null;
  updated_at: SqlTimestamp;
}

export interface MigrationsTable {
  version: SqlInteger;
  name: string;
  applied_at: SqlTimestamp;
}

/** AI video-generation tasks (seed 002), migration 8; primary key (org_id, id). */
export interface GenerationTasksTable {
  id: string;
  org_id: string;
  user_id: string;
  project_name: string;
  song_title: string | null;
  music_file: string | null;
  genre: string | null;
  bpm: SqlInteger | null;
  engine: string;
  prompt: string;
  status: string;
  video_url: string | null;
  video_id: string | null;
  youtube_title: string | null;
  youtube_description: string | null;
  youtube_tags: SqlJson;
  cost: SqlFloat | null;
  credits_used: SqlInteger | null;
  duration_sec: SqlFloat | null;
  error_message: string | null;
  created_at: SqlTimestamp;
  updated_at: SqlTimestamp;
  completed_at: SqlTimestamp | null;
}

/** Thumbnails of generation tasks, migration 8; at most one selected per task (a partial unique index). */
export interface ThumbnailsTable {
  id: string;
  org_id: string;
  task_id: string;
  variant: string;
  image_url: string | null;
  blob_key: string | null;
  click_prediction: SqlFloat | null;
  quality_score: SqlFloat | null;
  source: string;
  is_selected: SqlBoolean;
  created_at: SqlTimestamp;
}

/** Segments of registered videos, migration 9 (seed 004); `tags` is a JSON array of strings. */
export interface SegmentsTable {
  id: string;
  org_id: string;
  owner_id: string;
  video_id: string;
  segment_type: string;
  segment_number: SqlInteger;
  blob_key: string;
  duration_sec: SqlFloat;
  size_bytes: SqlInteger;
  content_type: string;
  title: string | null;
  description: string | null;
  tags: SqlJson;
  created_at: SqlTimestamp;
  updated_at: SqlTimestamp;
}

/** One row per (segment, tag), kept with `segments.tags`, for the tag filter and analytics (migration 9). */
export interface SegmentTagsTable {
  org_id: string;
  segment_id: string;
  tag: string;
}

/** A segment's usage on one platform, one row per (segment, platform) (migration 9). */
export interface SocialUsageTable {
  org_id: string;
  segment_id: string;
  platform: string;
  post_id: string | null;
  post_url: string | null;
  posted_at: SqlTimestamp | null;
  views: SqlInteger;
  likes: SqlInteger;
  shares: SqlInteger;
  comments: SqlInteger;
  clicks: SqlInteger | null;
  conversions: SqlInteger | null;
  engagement_rate: SqlFloat | null;
  last_synced_at: SqlTimestamp | null;
  upload_id: string | null;
}

/**
 * Jobs of the embedded job queue, migration 10. `seq` (set by the database) is the row's key and
 * the FIFO tie-break; (kind, id) is unique. `run_at` orders claims: when a waiting job became due
 * (its insert or retry) or when a delayed one may run.
 */
export interface JobsTable {
  seq: Generated<SqlInteger>;
  kind: string;
  id: string;
  payload: SqlJson;
  state: string;
  attempts_made: SqlInteger;
  max_attempts: SqlInteger;
  backoff_delay_ms: SqlInteger;
  backoff_max_delay_ms: SqlInteger;
  failed_reason: string | null;
  created_at: SqlTimestamp;
  run_at: SqlTimestamp;
  finished_at: SqlTimestamp | null;
  lease_owner: string | null;
  lease_expires_at: SqlTimestamp | null;
}

/** Repeatable job schedules by name, migration 10; `next_run_at` is compared-and-set by claims. */
export interface JobSchedulesTable {
  name: string;
  kind: string;
  payload: SqlJson;
  every_ms: SqlInteger;
  next_run_at: SqlTimestamp;
}

/** The tables the SQL stores share; both dialects' migrations create exactly these. */
export interface SqlDatabase {
  buckets: BucketsTable;
  videos: VideosTable;
  categorization_sessions: CategorizationSessionsTable;
  categorizations: CategorizationsTable;
  uploads: UploadsTable;
  upload_attempts: UploadAttemptsTable;
  audit_events: AuditEventsTable;
  creatives: CreativesTable;
  creative_performance_keys: CreativePerformanceKeysTable;
  pattern_performance: PatternPerformanceTable;
  generation_tasks: GenerationTasksTable;
  thumbnails: ThumbnailsTable;
  segments: SegmentsTable;
  segment_tags: SegmentTagsTable;
  social_usage: SocialUsageTable;
  jobs: JobsTable;
  job_schedules: JobSchedulesTable;
  vbuckets_migrations: MigrationsTable;
}
