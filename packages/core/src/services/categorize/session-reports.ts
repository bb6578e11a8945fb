import { err, ok, type Result } from 'neverthrow';
import { toCsv } from '../../domain/csv/csv';
import { bucketNameKey } from '../../domain/names';
import { notFoundError, type VBucketsError, validationError } from '../../errors';
import type { PageRequest } from '../../ports/page-request';
import type { CategorizationTally } from '../../ports/store';
import type { Categorization, CategorizationSession } from '../../schemas/categorization';
import type { Scope } from '../../schemas/common';
import type { CategorizeContext } from './categorize-context';
import type {
  BucketExportEntry,
  BucketExportGroup,
  SessionSummary,
  UploadedBucketGroup,
} from './categorize-types';

/** A session's rows (a page of them when asked); NOT_FOUND for an unknown session or another org's. */
export async function sessionRows(
  context: CategorizeContext,
  scope: Scope,
  sessionId: string,
  page?: PageRequest,
): Promise<Result<Categorization[], VBucketsError>> {
  // Rows on the page prove the session is the org's (rows are listed within the scope); the
  // session is read only to tell an unknown one (NOT_FOUND) from an empty page or a bad cursor.
  const rows = await context.store.categorizations.listBySession(scope, sessionId, page);
  if (rows.isOk() && rows.value.length > 0) return rows;
  const session = await context.store.categorizationSessions.get(scope, sessionId);
  if (session.isErr()) return err(session.error);
  return rows;
}

/**
 * Recent sessions of a product with their counts by status and by bucket: two queries
 * whatever the number of sessions or rows (the sessions with their counts, then the rows'
 * grouping by the store), never the rows themselves.
 */
export async function recentSessions(
  context: CategorizeContext,
  scope: Scope,
  filter: { productId: string; limit: number },
): Promise<Result<SessionSummary[], VBucketsError>> {
  const sessions = await context.store.categorizationSessions.listRecent(scope, filter);
  if (sessions.isErr()) return err(sessions.error);
  if (sessions.value.length === 0) return ok([]);
  const tallies = await context.store.categorizations.tallyBySession(
    scope,
    sessions.value.map((session) => session.id),
  );
  if (tallies.isErr()) return err(tallies.error);
  return ok(sessions.value.map((session) => summarize(session, tallies.value)));
}

/** One session with its counts by status and bucket (two queries, never the rows); NOT_FOUND for another org's. */
export async function sessionSummary(
  context: CategorizeContext,
  scope: Scope,
  sessionId: string,
): Promise<Result<SessionSummary, VBucketsError>> {
  const session = await context.store.categorizationSessions.get(scope, sessionId);
  if (session.isErr()) return err(session.error);
  const tallies = await context.store.categorizations.tallyBySession(scope, [sessionId]);
  if (tallies.isErr()) return err(tallies.error);
  return ok(summarize(session.value, tallies.value));
}

function summarize(
  session: CategorizationSession,
  tallies: readonly CategorizationTally[],
): SessionSummary {
  const own = tallies.filter((tally) => tally.sessionId === session.id);
  return {
    session,
    countsByStatus: session.counts,
    countsByBucket: countByBucket(own),
    uploadedCount: own.reduce((sum, tally) => sum + (tally.isUploaded ? tally.count : 0), 0),
  };
}

/** Categorized rows per bucket (names told apart as bucket names are), most first, then by name. */
function countByBucket(tallies: readonly CategorizationTally[]): SessionSummary['countsByBucket'] {
  const counts = new Map<string, { bucketName: string; count: number }>();
  for (const tally of tallies) {
    if (tally.status !== 'categorized' || tally.bucketName === null) continue;
    const key = bucketNameKey(tally.bucketName);
    const entry = counts.get(key) ?? { bucketName: tally.bucketName, count: 0 };
    entry.count += tally.count;
    counts.set(key, entry);
  }
  return [...counts.values()].sort(
    (left, right) => right.count - left.count || compareNames(left.bucketName, right.bucketName),
  );
}

const compareNames = (left: string, right: string): number =>
  bucketNameKey(left) < bucketNameKey(right)
    ? -1
    : bucketNameKey(left) > bucketNameKey(right)
      ? 1
      : 0;

/** The columns of `exportCsv`, in order. */
export const CATEGORIZATION_CSV_COLUMNS = [
  'filename',
  'bucket',
  'confidence',
  'status',
  'reasoning',
  'summary',
  'uploaded',
  'error',
] as const;

/** The Results tab's CSV: one record per row, RFC 4180, formula cells neutralised. */
export function rowsToCsv(rows: readonly Categorization[]): string {
  return toCsv(
    CATEGORIZATION_CSV_COLUMNS,
    rows.map((row) => [
      row.filename,
      row.bucketName,
      row.confidence,
      row.status,
      row.reasoning,
      row.summary,
      row.isUploaded ? 'yes' : 'no',
      row.errorMessage,
    ]),
  );
}

/** Uploaded rows in the store's order (bucket name, then filename), grouped by bucket name. */
export function groupUploaded(rows: readonly Categorization[]): UploadedBucketGroup[] {
  const groups: UploadedBucketGroup[] = [];
  for (const row of rows) {
    const last = groups.at(-1);
    if (last !== undefined && sameBucketName(last.bucketName, row.bucketName)) {
      last.rows.push(row);
    } else {
      groups.push({ bucketName: row.bucketName, rows: [row] });
    }
  }
  return groups;
}

const sameBucketName = (left: string | null, right: string | null): boolean =>
  left === null || right === null ? left === right : bucketNameKey(left) === bucketNameKey(right);

/**
 * The categorized rows of a session grouped by bucket, with each video's blob key, in the
 * product's bucket order (buckets deleted since come last, by name). Rows whose video is
 * gone are left out: there are no bytes to export.
 */
export async function bucketExport(
  context: CategorizeContext,
  scope: Scope,
  sessionId: string,
  onlyBucketId: string | undefined,
): Promise<Result<BucketExportGroup[], VBucketsError>> {
  const session = await context.store.categorizationSessions.get(scope, sessionId);
  if (session.isErr()) return err(session.error);
  const rows = await context.store.categorizations.listBySession(scope, sessionId);
  if (rows.isErr()) return err(rows.error);
  const buckets = await context.store.buckets.list(scope, { productId: session.value.productId });
  if (buckets.isErr()) return err(buckets.error);
  const order = new Map(buckets.value.map((bucket, index) => [bucket.id, index]));
  const currentNames = new Map(buckets.value.map((bucket) => [bucket.id, bucket.name]));
  const groups = new Map<string, BucketExportGroup>();
  for (const row of rows.value) {
    if (row.status !== 'categorized' || row.videoId === null || row.bucketName === null) continue;
    if (onlyBucketId !== undefined && row.bucketId !== onlyBucketId) continue;
    const video = await context.store.videos.get(scope, row.videoId);
    if (video.isErr()) {
      if (video.error.code === 'NOT_FOUND') continue;
      return err(video.error);
    }
    const bucketId = row.bucketId !== null && order.has(row.bucketId) ? row.bucketId : null;
    const key = bucketId ?? `name:${bucketNameKey(row.bucketName)}`;
    // A renamed bucket exports under its name of today; a deleted one under the name it had.
    const bucketName =
      bucketId === null ? row.bucketName : (currentNames.get(bucketId) ?? row.bucketName);
    const group = groups.get(key) ?? { bucketId, bucketName, entries: [] };
    const entry: BucketExportEntry = {
      filename: row.filename,
      blobKey: video.value.blobKey,
      sizeBytes: video.value.sizeBytes,
      videoId: video.value.id,
      sha256: video.value.sha256,
    };
    group.entries.push(entry);
    groups.set(key, group);
  }
  const position = (group: BucketExportGroup) =>
    group.bucketId === null ? Number.POSITIVE_INFINITY : (order.get(group.bucketId) ?? 0);
  return ok(
    [...groups.values()].sort(
      (left, right) =>
        position(left) - position(right) || compareNames(left.bucketName, right.bucketName),
    ),
  );
}

/** How far back a session id prefix is looked for, and the shortest prefix taken. */
const PREFIX_SEARCH_LIMIT = 100;
const MIN_PREFIX = 4;

/**
 * A session by its id, by `latest` (the product's newest), or by the start of its id (at least
 * 4 characters, among the product's latest 100 sessions). NOT_FOUND when none matches;
 * VALIDATION when a prefix matches several.
 */
export async function findSession(
  context: CategorizeContext,
  scope: Scope,
  query: { productId: string; reference: string },
): Promise<Result<CategorizationSession, VBucketsError>> {
  const { productId } = query;
  const wanted = query.reference.trim();
  const sessions = context.store.categorizationSessions;
  if (wanted.toLowerCase() === 'latest') {
    const newest = await sessions.listRecent(scope, { productId, limit: 1 });
    if (newest.isErr()) return err(newest.error);
    const [first] = newest.value;
    return first === undefined
      ? err(
          notFoundError(
            `Product "${productId}" has no sessions yet: categorize some videos first`,
            {
              details: { productId },
            },
          ),
        )
      : ok(first);
  }
  const exact = await sessions.get(scope, wanted);
  if (exact.isOk() || exact.error.code !== 'NOT_FOUND') return exact;
  if (wanted.length >= MIN_PREFIX) {
    const recent = await sessions.listRecent(scope, { productId, limit: PREFIX_SEARCH_LIMIT });
    if (recent.isErr()) return err(recent.error);
    const matches = recent.value.filter((session) => session.id.startsWith(wanted));
    if (matches.length === 1 && matches[0] !== undefined) return ok(matches[0]);
    if (matches.length > 1) {
      return err(
        validationError(
          `Session "${wanted}" is ambiguous: ${matches.length} sessions start with it; give more of the id`,
          { path: 'reference', details: { matches: matches.map((session) => session.id) } },
        ),
      );
    }
  }
  return err(
    notFoundError(`No session "${wanted}" in org "${scope.orgId}"`, {
      cause: exact.error,
      details: { sessionId: wanted, orgId: scope.orgId },
    }),
  );
}
