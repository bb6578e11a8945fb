import { err, ok, type Result } from 'neverthrow';
import { checkVideoFilename } from '../../domain/media-types/video-types';
import { cancelledError, conflictError, type VBucketsError, validationError } from '../../errors';
import type { Bucket } from '../../schemas/bucket';
import type { Categorization } from '../../schemas/categorization';
import type { Scope } from '../../schemas/common';
import {
  type BatchJob,
  type CategorizeContext,
  createBatchJob,
  isoNow,
  type ResolvedProvider,
} from './categorize-context';
import type {
  CategorizeFile,
  CategorizeProgressListener,
  CategorizeRunResult,
} from './categorize-types';
import { type IngestItem, ingestFiles, sizeProblem } from './ingest-files';
import { processRows } from './process-rows';
import { analysisRecord, failRow } from './row-records';

/** A parsed `run` input. */
export interface RunRequest {
  productId: string;
  files: CategorizeFile[];
  ownerId?: string | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: CategorizeProgressListener | undefined;
}

/** A parsed `resume` or `retry` request. */
export interface ContinueRequest {
  sessionId: string;
  signal?: AbortSignal | undefined;
  onProgress?: CategorizeProgressListener | undefined;
  /** For retry: only these base names. */
  filenames?: string[] | undefined;
}

export const NOT_STORED_MESSAGE = 'The file was not stored before the batch stopped; add it again';

async function loadBuckets(
  context: CategorizeContext,
  scope: Scope,
  productId: string,
): Promise<Result<Bucket[], VBucketsError>> {
  const buckets = await context.store.buckets.list(scope, { productId });
  if (buckets.isErr()) return err(buckets.error);
  if (buckets.value.length === 0) {
    return err(
      validationError(
        `Product ${productId} has no buckets: create its buckets before categorizing videos`,
        { path: 'productId', details: { productId } },
      ),
    );
  }
  return ok(buckets.value);
}

/** Reads the session back; CANCELLED (naming the session) when a cancel left rows unfinished. */
async function finish(job: BatchJob): Promise<Result<CategorizeRunResult, VBucketsError>> {
  const { store } = job.context;
  const session = await store.categorizationSessions.get(job.scope, job.sessionId);
  if (session.isErr()) return err(session.error);
  const rows = await store.categorizations.listBySession(job.scope, job.sessionId);
  if (rows.isErr()) return err(rows.error);
  const unfinished = rows.value.filter((row) => row.status === 'pending').length;
  if (job.signal?.aborted && unfinished > 0) {
    return err(
      cancelledError(
        `Categorization session ${job.sessionId} was cancelled with ${unfinished} of ${rows.value.length} videos unfinished; resume it to finish them`,
        { cause: job.signal.reason, details: { sessionId: job.sessionId, unfinished } },
      ),
    );
  }
  return ok({ session: session.value, rows: rows.value });
}

/** Holds a session for this service instance while `work` runs; CONFLICT when already held. */
async function exclusively<T>(
  context: CategorizeContext,
  sessionId: string,
  work: () => Promise<Result<T, VBucketsError>>,
): Promise<Result<T, VBucketsError>> {
  if (context.activeSessions.has(sessionId)) {
    return err(
      conflictError(
        `Categorization session ${sessionId} is already being processed; wait for it to finish`,
        { details: { sessionId } },
      ),
    );
  }
  context.activeSessions.add(sessionId);
  try {
    return await work();
  } finally {
    context.activeSessions.delete(sessionId);
  }
}

/** A batch whose session and rows are saved, ready for its files to be stored. */
interface SavedBatch {
  sessionId: string;
  items: IngestItem[];
  buckets: Bucket[];
}

/**
 * Saves a new batch: the session and one row per file, in the files' order, each `pending`
 * (or `error` for a refused name or stated size), in one transaction.
 */
async function saveBatch(
  context: CategorizeContext,
  scope: Scope,
  request: RunRequest,
): Promise<Result<SavedBatch, VBucketsError>> {
  if (request.signal?.aborted)
    return err(cancelledError('The batch was cancelled before it started'));
  const buckets = await loadBuckets(context, scope, request.productId);
  if (buckets.isErr()) return err(buckets.error);
  const { clock, ids, store } = context;
  const sessionId = ids.next();
  const startedAt = clock.now();
  const items: IngestItem[] = request.files.map((file, index) => {
    // A millisecond apart, so that listings (by createdAt) keep the order the files came in.
    const at = new Date(startedAt + index).toISOString();
    const named = checkVideoFilename(file.filename);
    const problem = named.isErr()
      ? named.error.message
      : sizeProblem(file, file.filename, context.settings.maxFileBytes);
    const row: Categorization = {
      id: ids.next(),
      orgId: scope.orgId,
      productId: request.productId,
      sessionId,
      videoId: null,
      filename: file.filename,
      bucketId: null,
      bucketName: null,
      confidence: null,
      reasoning: null,
      summary: null,
      transcript: null,
      analysis: problem === null ? analysisRecord(null, { knownText: file.knownText }) : null,
      status: problem === null ? 'pending' : 'error',
      errorMessage: problem,
      isUploaded: false,
      createdAt: at,
      updatedAt: at,
    };
    return { row, file };
  });
  const saved = await store.transaction((tx) =>
    tx.categorizationSessions
      .insert({
        id: sessionId,
        orgId: scope.orgId,
        productId: request.productId,
        createdAt: new Date(startedAt).toISOString(),
      })
      .andThen(() => tx.categorizations.insertMany(items.map(({ row }) => row))),
  );
  if (saved.isErr()) return err(saved.error);
  return ok({ sessionId, items, buckets: buckets.value });
}

/** Saves a batch, then stores its files (phase 1) and hands the job to `then`, holding the session. */
async function withStoredBatch<T>(
  context: CategorizeContext,
  scope: Scope,
  provider: ResolvedProvider,
  request: RunRequest,
  then: (
    job: BatchJob,
    batch: SavedBatch,
    ready: Categorization[],
  ) => Promise<Result<T, VBucketsError>>,
): Promise<Result<T, VBucketsError>> {
  const batch = await saveBatch(context, scope, request);
  if (batch.isErr()) return err(batch.error);
  const { sessionId, items } = batch.value;
  return exclusively(context, sessionId, async () => {
    const job = createBatchJob(context, {
      scope,
      sessionId,
      provider,
      signal: request.signal,
      rowIds: items.map((item) => item.row.id),
      onProgress: request.onProgress,
    });
    const ready = await ingestFiles(job, items, request.ownerId ?? scope.orgId);
    return then(job, batch.value, ready);
  });
}

/**
 * A new batch: the session and one row per file are saved first (in the files' order, each
 * `pending`, or `error` for a refused name or stated size), then the files are stored
 * (phase 1), then analysed (phase 2).
 */
export function runBatch(
  context: CategorizeContext,
  scope: Scope,
  provider: ResolvedProvider,
  request: RunRequest,
): Promise<Result<CategorizeRunResult, VBucketsError>> {
  return withStoredBatch(context, scope, provider, request, async (job, batch, ready) => {
    await processRows(job, ready, batch.buckets);
    return finish(job);
  });
}

/**
 * A new batch for a worker: saved and its files stored as `runBatch` does, then `queue` is
 * called with the session (a job that resumes it) once this process has let the session go.
 */
export async function startBatch<Queued>(
  context: CategorizeContext,
  scope: Scope,
  provider: ResolvedProvider,
  request: RunRequest,
  queue: (sessionId: string) => Promise<Result<Queued, VBucketsError>>,
): Promise<Result<CategorizeRunResult & { job: Queued }, VBucketsError>> {
  const stored = await withStoredBatch(context, scope, provider, request, (job) => finish(job));
  if (stored.isErr()) return err(stored.error);
  const queued = await queue(stored.value.session.id);
  return queued.isErr() ? err(queued.error) : ok({ ...stored.value, job: queued.value });
}

/**
 * Continues a session from its saved rows: `resume` finishes `pending` rows; `retry` first
 * puts failed rows (and, when named, `analyzed` ones) back to `pending`. Never adds rows.
 */
export async function continueBatch(
  context: CategorizeContext,
  scope: Scope,
  provider: ResolvedProvider,
  request: ContinueRequest,
  mode: 'resume' | 'retry',
): Promise<Result<CategorizeRunResult, VBucketsError>> {
  if (request.signal?.aborted)
    return err(cancelledError(`The ${mode} was cancelled before it started`));
  const { store } = context;
  return exclusively(context, request.sessionId, async () => {
    const session = await store.categorizationSessions.get(scope, request.sessionId);
    if (session.isErr()) return err(session.error);
    const buckets = await loadBuckets(context, scope, session.value.productId);
    if (buckets.isErr()) return err(buckets.error);
    const listed = await store.categorizations.listBySession(scope, request.sessionId);
    if (listed.isErr()) return err(listed.error);
    const rows = listed.value;
    const job = createBatchJob(context, {
      scope,
      sessionId: request.sessionId,
      provider,
      signal: request.signal,
      rowIds: rows.map((row) => row.id),
      onProgress: request.onProgress,
    });
    const chosen = mode === 'retry' ? selectForRetry(rows, request.filenames) : ok(rows);
    if (chosen.isErr()) return err(chosen.error);
    const runnable: Categorization[] = [];
    for (const row of chosen.value) {
      if (row.status === 'pending' && row.videoId === null) {
        // Crashed or cancelled before its bytes were stored: nothing to analyse.
        await failRow(job, row, NOT_STORED_MESSAGE);
      } else if (row.status === 'pending') {
        runnable.push(row);
      } else if (mode === 'retry' && row.videoId !== null) {
        const reset = await store.categorizations.update(scope, row.id, {
          status: 'pending',
          bucketId: null,
          bucketName: null,
          confidence: null,
          reasoning: null,
          errorMessage: null,
          updatedAt: isoNow(context.clock),
        });
        if (reset.isErr()) return err(reset.error);
        runnable.push(reset.value);
      }
    }
    await processRows(job, runnable, buckets.value);
    return finish(job);
  });
}

/**
 * The rows a retry takes: failed rows with stored bytes (and any left `pending`); when files
 * are named, only those, and named `analyzed` rows too (re-categorize, e.g. after adding a
 * bucket). Rows never stored and `categorized` rows are left as they are. A name that is not
 * in the session is a VALIDATION error, so that a typo does not pass silently.
 */
function selectForRetry(
  rows: readonly Categorization[],
  filenames: readonly string[] | undefined,
): Result<Categorization[], VBucketsError> {
  if (filenames !== undefined) {
    const present = new Set(rows.map((row) => row.filename));
    const missing = filenames.findIndex((name) => !present.has(name));
    if (missing >= 0) {
      return err(
        validationError(
          `Invalid filenames.${missing}: no file named ${JSON.stringify(filenames[missing])} in this session`,
          { path: `filenames.${missing}` },
        ),
      );
    }
  }
  const named = filenames === undefined ? null : new Set(filenames);
  return ok(
    rows.filter((row) => {
      if (named !== null && !named.has(row.filename)) return false;
      if (row.status === 'pending') return true;
      if (row.videoId === null) return false;
      return row.status === 'error' || (named !== null && row.status === 'analyzed');
    }),
  );
}
