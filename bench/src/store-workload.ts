import {
  type Categorization,
  createVBuckets,
  type VBucketsError,
  type Video,
} from '@vbuckets/core';
import {
  type CategorizationSessionInsert,
  randomIdGenerator,
  type Store,
  systemClock,
} from '@vbuckets/core/adapter-kit';
import { createMemoryBlobStore } from '@vbuckets/core/testing';
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import { type BenchmarkResult, integerFromEnvironment, measureLatency, round } from './harness';

/**
 * The store benchmark's workload, shared by every SQL store: 100 sessions × 1000
 * categorization rows inserted a session per transaction, then point reads, per-session
 * lists and session counts. A baseline does the same work with the raw driver.
 */
export interface RawStoreBaseline {
  description: string;
  insertSession(
    session: CategorizationSessionInsert,
    rows: readonly Categorization[],
  ): Promise<void>;
  getRow(orgId: string, id: string): Promise<unknown>;
  listSession(orgId: string, sessionId: string): Promise<unknown>;
  sessionWithCounts(orgId: string, sessionId: string): Promise<unknown>;
  /**
   * One page of a session's rows after the row `afterId`, as the results report asks: the
   * cursor row's keys, then the rows after them in the list's order (two statements, as ours).
   */
  resultsPage(orgId: string, sessionId: string, afterId: string, limit: number): Promise<unknown>;
  /**
   * Runs after a bulk load, before anything is timed: PostgreSQL's ANALYZE, as autovacuum
   * would run it shortly after such a load (without statistics the planner guesses plans).
   */
  settle?(): Promise<void>;
  close(): Promise<void>;
}

const orgId = 'bench-org';
const productId = 'bench-product';

function makeSession(sessionIndex: number): CategorizationSessionInsert {
  return {
    id: `s-${sessionIndex}`,
    orgId,
    productId,
    createdAt: new Date(Date.UTC(2026, 0, 1) + sessionIndex * 60_000).toISOString(),
  };
}

function makeRow(sessionIndex: number, index: number): Categorization {
  const at = new Date(Date.UTC(2026, 0, 1) + sessionIndex * 60_000 + index).toISOString();
  return {
    id: `c-${sessionIndex}-${index}`,
    orgId,
    productId,
    sessionId: `s-${sessionIndex}`,
    videoId: null,
    filename: `video-${String(index).padStart(5, '0')}.mp4`,
    bucketId: null,
    bucketName: index % 3 === 0 ? null : `Bucket ${index % 7}`,
    confidence: (index % 100) / 100,
    reasoning: 'The hook names the pain point in the first three seconds.',
    summary: 'A creator talks about bloating after meals and shows the product.',
    transcript: 'So I used to feel bloated every single afternoon until…',
    analysis: { hook: 'bloating', topics: ['gut', 'digestion'], index },
    status: index % 3 === 0 ? 'analyzed' : 'categorized',
    errorMessage: null,
    isUploaded: index % 10 === 0,
    createdAt: at,
    updatedAt: at,
  };
}

const snakeCase = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** A row's columns in snake_case with JSON objects as text, for raw INSERTs. */
export function rowColumns(row: Categorization, encodeBoolean: (value: boolean) => unknown) {
  const columns: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    columns[snakeCase(key)] =
      typeof value === 'boolean'
        ? encodeBoolean(value)
        : value !== null && typeof value === 'object'
          ? JSON.stringify(value)
          : value;
  }
  return columns;
}

export const sampleRow = () => makeRow(0, 0);

async function unwrap<T>(result: ResultAsync<T, VBucketsError>): Promise<T> {
  const settled = await result;
  if (settled.isErr()) throw settled.error;
  return settled.value;
}

export async function runStoreWorkload(
  store: Store,
  baseline: RawStoreBaseline,
  parameters: Record<string, string | number> = {},
): Promise<BenchmarkResult> {
  const sessions = integerFromEnvironment('BENCH_SESSIONS', 100);
  const rowsPerSession = integerFromEnvironment('BENCH_ROWS_PER_SESSION', 1000);
  const queryIterations = integerFromEnvironment('BENCH_QUERY_ITERATIONS', 2000);
  const listIterations = Math.max(50, Math.floor(queryIterations / 20));
  const scope = { orgId };
  const rowsOf = (sessionIndex: number) =>
    Array.from({ length: rowsPerSession }, (_, index) => makeRow(sessionIndex, index));

  // The path before issue 10 (one `insert` a row: savepoint, org check, insert, release) on
  // the 100k-row table; then core's batch-start path (`insertMany`) on extra sessions.
  const storeStarted = process.hrtime.bigint();
  for (let sessionIndex = 0; sessionIndex < sessions; sessionIndex++) {
    const rows = rowsOf(sessionIndex);
    await unwrap(
      store.transaction((tx) =>
        rows.reduce<ResultAsync<unknown, VBucketsError>>(
          (chain, row) => chain.andThen(() => tx.categorizations.insert(row)),
          tx.categorizationSessions.insert(makeSession(sessionIndex)),
        ),
      ),
    );
  }
  const storeSeconds = Number(process.hrtime.bigint() - storeStarted) / 1e9;
  const bulkSessions = Math.max(1, Math.floor(sessions / 5));
  const bulkStarted = process.hrtime.bigint();
  for (let sessionIndex = sessions; sessionIndex < sessions + bulkSessions; sessionIndex++) {
    const rows = rowsOf(sessionIndex);
    await unwrap(
      store.transaction((tx) =>
        tx.categorizationSessions
          .insert(makeSession(sessionIndex))
          .andThen(() => tx.categorizations.insertMany(rows)),
      ),
    );
  }
  const bulkRowsPerSecond =
    (bulkSessions * rowsPerSession) / (Number(process.hrtime.bigint() - bulkStarted) / 1e9);

  const baselineStarted = process.hrtime.bigint();
  for (let sessionIndex = 0; sessionIndex < sessions; sessionIndex++) {
    await baseline.insertSession(makeSession(sessionIndex), rowsOf(sessionIndex));
  }
  const baselineSeconds = Number(process.hrtime.bigint() - baselineStarted) / 1e9;

  const pick = (iteration: number) => {
    const sessionIndex = (iteration * 7919) % sessions;
    return {
      sessionId: `s-${sessionIndex}`,
      rowId: `c-${sessionIndex}-${(iteration * 104_729) % rowsPerSession}`,
    };
  };
  await baseline.settle?.();
  const ours = {
    get: await measureLatency(queryIterations, (i) =>
      unwrap(store.categorizations.get(scope, pick(i).rowId)),
    ),
    list: await measureLatency(listIterations, (i) =>
      unwrap(store.categorizations.listBySession(scope, pick(i).sessionId)),
    ),
    session: await measureLatency(queryIterations, (i) =>
      unwrap(store.categorizationSessions.get(scope, pick(i).sessionId)),
    ),
  };
  const theirs = {
    get: await measureLatency(queryIterations, (i) => baseline.getRow(orgId, pick(i).rowId)),
    list: await measureLatency(listIterations, (i) =>
      baseline.listSession(orgId, pick(i).sessionId),
    ),
    session: await measureLatency(queryIterations, (i) =>
      baseline.sessionWithCounts(orgId, pick(i).sessionId),
    ),
  };
  const reports = await measureReports(store, listIterations, baseline);
  const importSeconds = await timeBucketImport(store);
  const legacyImportSeconds = await timePerEntryImport(store);
  const totalRows = sessions * rowsPerSession;
  const figures = (seconds: number, latency: typeof ours) => ({
    insertRowsPerSecond: round(totalRows / seconds, 0),
    getP50Ms: round(latency.get.p50Ms),
    getP99Ms: round(latency.get.p99Ms),
    listSessionP50Ms: round(latency.list.p50Ms),
    listSessionP99Ms: round(latency.list.p99Ms),
    sessionWithCountsP50Ms: round(latency.session.p50Ms),
    sessionWithCountsP99Ms: round(latency.session.p99Ms),
  });
  return {
    parameters: {
      ...parameters,
      totalRows,
      sessions,
      rowsPerSession,
      queryIterations,
      listIterations,
      bulkSessions,
      importBuckets: integerFromEnvironment('BENCH_IMPORT_BUCKETS', 5000),
      perEntryImportBuckets: integerFromEnvironment('BENCH_PER_ENTRY_IMPORT_BUCKETS', 1000),
    },
    metrics: {
      ...figures(storeSeconds, ours),
      bulkInsertRowsPerSecond: round(bulkRowsPerSecond, 0),
      ...reports,
      importBucketsSeconds: importSeconds,
      perEntryImportBucketsSeconds: legacyImportSeconds,
    },
    baseline: { description: baseline.description, metrics: figures(baselineSeconds, theirs) },
    ratios: {
      insertThroughputVsRaw: round(baselineSeconds / storeSeconds),
      bulkInsertThroughputVsRaw: round(bulkRowsPerSecond / (totalRows / baselineSeconds)),
      getP50VsRaw: round(ours.get.p50Ms / theirs.get.p50Ms),
      getP99VsRaw: round(ours.get.p99Ms / theirs.get.p99Ms),
      listSessionP50VsRaw: round(ours.list.p50Ms / theirs.list.p50Ms),
      sessionWithCountsP50VsRaw: round(ours.session.p50Ms / theirs.session.p50Ms),
      resultsPageP50VsRaw: round(reports.resultsPageP50Ms / reports.rawResultsPageP50Ms),
      resultsPageP99VsRaw: round(reports.resultsPageP99Ms / reports.rawResultsPageP99Ms),
    },
    targets: reportTargets(
      reports,
      importSeconds,
      bulkRowsPerSecond / (totalRows / baselineSeconds),
    ),
  };
}

/** Issue 10's targets at 100k rows: every report page under 10 ms at p99, a 5,000-bucket import under 2 s, batch inserts at half the raw driver's speed or better. */
function reportTargets(
  reports: Awaited<ReturnType<typeof measureReports>>,
  importSeconds: number,
  bulkVsRaw: number,
) {
  const under10 = (p99Ms: number) => ({ target: '< 10 ms', met: p99Ms < 10 });
  return {
    resultsPageP99Ms: under10(reports.resultsPageP99Ms),
    uploadedByBucketP99Ms: under10(reports.uploadedByBucketP99Ms),
    recentSessionsP99Ms: under10(reports.recentSessionsP99Ms),
    uploadsListP99Ms: under10(reports.uploadsListP99Ms),
    importBucketsSeconds: { target: '< 2 s', met: importSeconds < 2 },
    bulkInsertThroughputVsRaw: { target: '≥ 0.5', met: bulkVsRaw >= 0.5 },
  };
}

/** Rows a CLI page shows: the report queries are timed for one page. */
const PAGE_SIZE = 100;

/**
 * Every list/report query the CLI runs, timed through the SDK as the CLI calls it: one page
 * of 100 rows, starting at a random depth of the list (after a random row of it).
 */
async function measureReports(store: Store, iterations: number, baseline: RawStoreBaseline) {
  const vb = createVBuckets({ store, blobs: createMemoryBlobStore() });
  if (vb.isErr()) throw vb.error;
  const { categorize, uploads } = vb.value;
  const sessions = integerFromEnvironment('BENCH_SESSIONS', 100);
  const rowsPerSession = integerFromEnvironment('BENCH_ROWS_PER_SESSION', 1000);
  const scope = { orgId };
  const uploadCount = await seedUploads(store, baseline.settle);
  await baseline.settle?.();
  const uploaded = await unwrap(store.categorizations.listUploaded(scope, { productId }));
  const uploadRows = await unwrap(store.uploads.list(scope));
  const pick = <T extends { id: string }>(items: readonly T[], i: number) =>
    items[(i * 7919) % items.length]!.id;
  const page = (i: number) => {
    const session = (i * 7919) % sessions;
    const after = `c-${session}-${(i * 104_729) % Math.max(1, rowsPerSession - PAGE_SIZE)}`;
    return { sessionId: `s-${session}`, after };
  };
  const results = await measureLatency(iterations, (i) => {
    const { sessionId, after } = page(i);
    return unwrap(categorize.results(scope, sessionId, { limit: PAGE_SIZE, after }));
  });
  const rawResults = await measureLatency(iterations, (i) => {
    const { sessionId, after } = page(i);
    return baseline.resultsPage(orgId, sessionId, after, PAGE_SIZE);
  });
  const uploadedPage = await measureLatency(iterations, (i) =>
    unwrap(
      categorize.uploadedByBucket(scope, {
        productId,
        limit: PAGE_SIZE,
        after: pick(uploaded, i),
      }),
    ),
  );
  const recent = await measureLatency(iterations, () =>
    unwrap(categorize.recentSessions(scope, { productId, limit: 10 })),
  );
  const uploadsList = await measureLatency(iterations, (i) =>
    unwrap(uploads.status(scope, { limit: PAGE_SIZE, after: pick(uploadRows, i) })),
  );
  return {
    pageSize: PAGE_SIZE,
    uploadRows: uploadCount,
    uploadedRows: uploaded.length,
    resultsPageP50Ms: round(results.p50Ms),
    resultsPageP99Ms: round(results.p99Ms),
    rawResultsPageP50Ms: round(rawResults.p50Ms),
    rawResultsPageP99Ms: round(rawResults.p99Ms),
    uploadedByBucketP50Ms: round(uploadedPage.p50Ms),
    uploadedByBucketP99Ms: round(uploadedPage.p99Ms),
    recentSessionsP50Ms: round(recent.p50Ms),
    recentSessionsP99Ms: round(recent.p99Ms),
    uploadsListP50Ms: round(uploadsList.p50Ms),
    uploadsListP99Ms: round(uploadsList.p99Ms),
  };
}

/**
 * Upload rows for the uploads list, one claim per video, in transactions of 1000. The tables
 * are settled (statistics refreshed) each time they double, as autovacuum's analyze would:
 * the statistics taken while they were empty would otherwise plan every claim's lookups as
 * scans of a table the planner believes empty (50 claims/s at 26k rows instead of 650).
 */
async function seedUploads(store: Store, settle?: () => Promise<void>): Promise<number> {
  const count = integerFromEnvironment('BENCH_UPLOADS', 100_000);
  const perTransaction = 1000;
  for (let start = 0; start < count; start += perTransaction) {
    await unwrap(
      store.transaction((tx) =>
        Array.from(
          { length: Math.min(perTransaction, count - start) },
          (_, offset) => start + offset,
        ).reduce<ResultAsync<unknown, VBucketsError>>(
          (chain, index) =>
            chain.andThen(() =>
              tx.videos.insert(benchVideo(index)).andThen(() =>
                tx.uploads.claim(
                  { orgId },
                  {
                    videoId: `v-${index}`,
                    platform: 'youtube',
                    leaseMs: 60_000,
                    duplicateAllowed: false,
                    uploadId: `u-${index}`,
                    attemptId: `a-${index}`,
                    owner: 'bench',
                    now: new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString(),
                  },
                ),
              ),
            ),
          okAsync(undefined),
        ),
      ),
    );
    const batches = start / perTransaction + 1;
    if ((batches & (batches - 1)) === 0) await settle?.();
  }
  return count;
}

function benchVideo(index: number): Video {
  return {
    id: `v-${index}`,
    orgId,
    ownerId: 'bench',
    title: `Video ${index}`,
    filename: `video-${index}.mp4`,
    blobKey: `videos/v-${index}`,
    sha256: index.toString(16).padStart(64, '0'),
    sizeBytes: 1024,
    mimeType: 'video/mp4',
    durationSec: null,
    duplicateAllowed: false,
    visibility: 'private',
    productCategory: null,
    createdAt: new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString(),
  };
}
/** Imports this many new buckets into a fresh product, as `vbuckets buckets import` does. */
async function timeBucketImport(store: Store): Promise<number> {
  const count = integerFromEnvironment('BENCH_IMPORT_BUCKETS', 5000);
  const vb = createVBuckets({ store, blobs: createMemoryBlobStore() });
  if (vb.isErr()) throw vb.error;
  const items = Array.from({ length: count }, (_, index) => ({
    name: `Imported bucket ${index}`,
    bestFor: `Videos about theme ${index}`,
  }));
  const started = process.hrtime.bigint();
  const counts = await unwrap(vb.value.buckets.import({ orgId }, 'import-product', items));
  if (counts.created !== count) throw new Error(`imported ${counts.created} of ${count} buckets`);
  return round(Number(process.hrtime.bigint() - started) / 1e9);
}

/**
 * The CLI's import before issue 10: `buckets.create` per entry in one transaction, each create
 * listing the product's buckets for its display order (quadratic; fewer entries by default).
 */
async function timePerEntryImport(store: Store): Promise<number> {
  const count = integerFromEnvironment('BENCH_PER_ENTRY_IMPORT_BUCKETS', 1000);
  const started = process.hrtime.bigint();
  await unwrap(
    store.transaction((tx) => {
      const sdk = createVBuckets({
        store: { ...store, ...tx, transaction: (work) => work(tx) },
        blobs: createMemoryBlobStore(),
        clock: systemClock,
        ids: randomIdGenerator,
      });
      if (sdk.isErr()) return errAsync(sdk.error);
      const { buckets } = sdk.value;
      return Array.from({ length: count }, (_, index) => index).reduce<
        ResultAsync<unknown, VBucketsError>
      >(
        (chain, index) =>
          chain.andThen(() =>
            buckets.create({ orgId }, { productId: 'per-entry-product', name: `Bucket ${index}` }),
          ),
        okAsync(undefined),
      );
    }),
  );
  return round(Number(process.hrtime.bigint() - started) / 1e9);
}
