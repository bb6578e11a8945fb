import { err, ok, type Result } from 'neverthrow';
import { pageRequestError, unknownAfterError } from '../domain/page-request';
import type { VBucketsError } from '../errors';
import type { StoredJob, StoredJobSchedule } from '../ports/job-store';
import type { PageRequest } from '../ports/page-request';
import type { CategorizationSessionInsert } from '../ports/store';
import type { Bucket } from '../schemas/bucket';
import type { Categorization, CategorizationCounts } from '../schemas/categorization';
import type { Scope } from '../schemas/common';
import type { GenerationTask, Thumbnail } from '../schemas/generation';
import type { Creative, PatternPerformance } from '../schemas/market';
import type { Segment } from '../schemas/segment';
import type { AuditEvent, Upload, UploadAttempt } from '../schemas/upload';
import type { Video } from '../schemas/video';

/**
 * Everything the memory store holds. Records in the maps are never mutated: a write puts a
 * new object, so a transaction can copy the maps cheaply and work on the copy.
 */
export interface MemoryStoreState {
  buckets: Map<string, Bucket>;
  videos: Map<string, Video>;
  sessions: Map<string, CategorizationSessionInsert>;
  categorizations: Map<string, Categorization>;
  /** Row claims by categorization id (a worker's lease), as the SQL columns lease_owner/lease_expires_at. */
  categorizationLeases: Map<string, { owner: string; expiresAt: string }>;
  uploads: Map<string, Upload>;
  uploadAttempts: Map<string, UploadAttempt>;
  /** In insertion order, the last tie-break of the audit trail. */
  auditEvents: Map<string, AuditEvent>;
  creatives: Map<string, Creative>;
  /** The idempotency keys `recordPerformance` applied, by `performanceKeySlot`, with their time. */
  creativePerformanceKeys: Map<string, string>;
  /** Pattern rows by id; one per (org, productCategory, dimension, value, source). */
  patterns: Map<string, PatternPerformance>;
  /** Generation tasks by `orgSlot(orgId, id)`: ids are unique per org, not globally. */
  generationTasks: Map<string, GenerationTask>;
  /** Thumbnails by `orgSlot(orgId, id)`. */
  thumbnails: Map<string, Thumbnail>;
  /** Segments by `orgSlot(orgId, id)`, each with its usage rows embedded. */
  segments: Map<string, Segment>;
  /**
   * Jobs by `JSON.stringify([kind, id])`, with the SQL columns the job does not show: its
   * insertion number (`seq`, the FIFO tie-break) and when it became due (`run_at`, the claim order).
   */
  jobs: Map<string, { seq: number; dueAt: string; job: StoredJob }>;
  /** The next job insertion number. */
  jobSeq: number;
  /** Job schedules by name. */
  jobSchedules: Map<string, StoredJobSchedule>;
}

export function createEmptyState(): MemoryStoreState {
  return {
    buckets: new Map(),
    videos: new Map(),
    sessions: new Map(),
    categorizations: new Map(),
    categorizationLeases: new Map(),
    uploads: new Map(),
    uploadAttempts: new Map(),
    auditEvents: new Map(),
    creatives: new Map(),
    creativePerformanceKeys: new Map(),
    patterns: new Map(),
    generationTasks: new Map(),
    thumbnails: new Map(),
    segments: new Map(),
    jobs: new Map(),
    jobSeq: 1,
    jobSchedules: new Map(),
  };
}

/** A copy whose maps can change without touching `state`'s (records are shared, being immutable). */
export function copyState(state: MemoryStoreState): MemoryStoreState {
  return {
    buckets: new Map(state.buckets),
    videos: new Map(state.videos),
    sessions: new Map(state.sessions),
    categorizations: new Map(state.categorizations),
    categorizationLeases: new Map(state.categorizationLeases),
    uploads: new Map(state.uploads),
    uploadAttempts: new Map(state.uploadAttempts),
    auditEvents: new Map(state.auditEvents),
    creatives: new Map(state.creatives),
    creativePerformanceKeys: new Map(state.creativePerformanceKeys),
    patterns: new Map(state.patterns),
    generationTasks: new Map(state.generationTasks),
    thumbnails: new Map(state.thumbnails),
    segments: new Map(state.segments),
    jobs: new Map(state.jobs),
    jobSeq: state.jobSeq,
    jobSchedules: new Map(state.jobSchedules),
  };
}

/** The key of a record whose id is unique per org only, as a SQL primary key (org_id, id). */
export const orgSlot = (orgId: string, id: string) => JSON.stringify([orgId, id]);

/** Whether `orgId` may read or write a record: the scope's own org only, whatever `allOrgs` says. */
export function ownedBy(scope: Scope, record: { orgId: string }): boolean {
  return record.orgId === scope.orgId;
}

/** Whether a list honouring `allOrgs` may show the record. */
export function visibleToList(scope: Scope, record: { orgId: string }): boolean {
  return scope.allOrgs === true || record.orgId === scope.orgId;
}

// Records are copied field by field, like a SQL row is read column by column: callers get
// objects they may mutate freely, and stray extra properties are not kept.

export function copyBucket(bucket: Bucket): Bucket {
  return {
    id: bucket.id,
    orgId: bucket.orgId,
    productId: bucket.productId,
    name: bucket.name,
    bestFor: bucket.bestFor,
    angle: bucket.angle,
    avatar: bucket.avatar,
    painPoints: [...bucket.painPoints],
    solutionMechanism: [...bucket.solutionMechanism],
    keyCopyHooks: [...bucket.keyCopyHooks],
    displayOrder: bucket.displayOrder,
    createdAt: bucket.createdAt,
    updatedAt: bucket.updatedAt,
  };
}

export function copyVideo(video: Video): Video {
  return {
    id: video.id,
    orgId: video.orgId,
    ownerId: video.ownerId,
    title: video.title,
    filename: video.filename,
    blobKey: video.blobKey,
    sha256: video.sha256,
    sizeBytes: video.sizeBytes,
    mimeType: video.mimeType,
    durationSec: video.durationSec,
    duplicateAllowed: video.duplicateAllowed,
    visibility: video.visibility,
    productCategory: video.productCategory,
    createdAt: video.createdAt,
  };
}

export function copySession(session: CategorizationSessionInsert): CategorizationSessionInsert {
  return {
    id: session.id,
    orgId: session.orgId,
    productId: session.productId,
    createdAt: session.createdAt,
  };
}

/** A JSON column round trip: what a SQL store would give back for the same value. */
export function copyJsonObject(
  value: Record<string, unknown> | null,
): Record<string, unknown> | null {
  return value === null ? null : (JSON.parse(JSON.stringify(value)) as Record<string, unknown>);
}

export function copyCategorization(row: Categorization): Categorization {
  return {
    id: row.id,
    orgId: row.orgId,
    productId: row.productId,
    sessionId: row.sessionId,
    videoId: row.videoId,
    filename: row.filename,
    bucketId: row.bucketId,
    bucketName: row.bucketName,
    confidence: row.confidence,
    reasoning: row.reasoning,
    summary: row.summary,
    transcript: row.transcript,
    analysis: copyJsonObject(row.analysis),
    status: row.status,
    errorMessage: row.errorMessage,
    isUploaded: row.isUploaded,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** A session's counts, derived from its rows as the SQL stores derive them on read. */
export function countRows(state: MemoryStoreState, sessionId: string): CategorizationCounts {
  const counts: CategorizationCounts = {
    total: 0,
    pending: 0,
    analyzed: 0,
    categorized: 0,
    error: 0,
  };
  for (const row of state.categorizations.values()) {
    if (row.sessionId !== sessionId) continue;
    counts.total += 1;
    counts[row.status] += 1;
  }
  return counts;
}

/**
 * Returns `record` with the patch's defined values of `keys` applied; `undefined` values
 * are skipped, as a SQL `SET` built from the patch would skip them.
 */
export function applyPatch<T extends object, K extends keyof T>(
  record: T,
  patch: Partial<Pick<T, K>>,
  keys: readonly K[],
): T {
  const next = { ...record };
  for (const key of keys) {
    const value = patch[key];
    if (value !== undefined) next[key] = value as T[K];
  }
  return next;
}

/** Binary (code unit) order, as SQLite compares text by default. */
export function compareText(left: string, right: string): number {
  if (left < right) return -1;
  return left > right ? 1 : 0;
}

/** Null sorts first, as SQLite sorts NULL in ascending order. */
export function compareNullableText(left: string | null, right: string | null): number {
  if (left === null || right === null) return left === right ? 0 : left === null ? -1 : 1;
  return compareText(left, right);
}

/** Timestamps by instant, so `…00Z` and `…00.000Z` are equal; text order breaks ties. */
export function compareTimestamps(left: string, right: string): number {
  const difference = Date.parse(left) - Date.parse(right);
  return Number.isNaN(difference) || difference === 0
    ? compareText(left, right)
    : Math.sign(difference);
}

/** The page of an already sorted list that `page` asks for, with the SQL stores' errors. */
export function pageOf<T extends { id: string }>(
  sorted: readonly T[],
  page: PageRequest | undefined,
  operation: string,
): Result<T[], VBucketsError> {
  const context = { adapter: 'memory', operation };
  const invalid = pageRequestError(page, context);
  if (invalid !== undefined) return err(invalid);
  let start = 0;
  if (page?.after !== undefined) {
    const index = sorted.findIndex((item) => item.id === page.after);
    if (index < 0) return err(unknownAfterError(page.after, context));
    start = index + 1;
  }
  return ok(sorted.slice(start, page?.limit === undefined ? undefined : start + page.limit));
}
