import { errAsync, okAsync, type Result, type ResultAsync } from 'neverthrow';
import { z } from 'zod';
import { type VBucketsError, validationError } from '../../errors';
import type { EnqueuedJob } from '../../ports/job-queue';
import type { PageRequest } from '../../ports/page-request';
import type { Categorization, CategorizationSession } from '../../schemas/categorization';
import { DEFAULT_PAGE_SIZE, IdSchema, PageSchema, type Scope } from '../../schemas/common';
import { parseInput } from '../parse-input';
import { readScope, recordScope, writeScope } from '../scope';
import { contextRunner, fromAsync } from '../with-context';
import { continueBatch, runBatch, startBatch } from './batch-runs';
import {
  type CategorizeContext,
  type CategorizeServiceDependencies,
  createCategorizeContext,
  isoNow,
} from './categorize-context';
import { ResumeOptionsSchema, RetryOptionsSchema, runInputSchema } from './categorize-settings';
import type {
  BucketExportGroup,
  CategorizeProgressListener,
  CategorizeResumeOptions,
  CategorizeRetryOptions,
  CategorizeRunInput,
  CategorizeRunResult,
  SessionSummary,
  UploadedBucketGroup,
} from './categorize-types';
import {
  bucketExport,
  findSession,
  groupUploaded,
  recentSessions,
  rowsToCsv,
  sessionRows,
  sessionSummary,
} from './session-reports';

/** The batch pipeline of seed 000: store, analyse and file videos into buckets, then report. */
export interface CategorizeService {
  /**
   * Categorizes 1..maxBatchSize files of a product with a named provider. Each file gets a
   * row at once; a refused file (type, empty, too large) becomes an `error` row and the batch
   * goes on. Cancelling (signal) leaves unfinished rows `pending` and returns `CANCELLED`
   * with `details.sessionId`; `resume` finishes them.
   */
  run(scope: Scope, input: CategorizeRunInput): ResultAsync<CategorizeRunResult, VBucketsError>;
  /**
   * `run` for a worker: saves the session and its rows and stores the files, then queues a
   * `categorize.session` job that finishes them, and returns at once (rows still `pending`).
   * Read its progress from the store (`findSession` counts) or as the job's state.
   */
  start(
    scope: Scope,
    input: CategorizeRunInput,
  ): ResultAsync<CategorizeRunResult & { job: EnqueuedJob }, VBucketsError>;
  /** Finishes a session's `pending` rows from their stored bytes; rows never stored become `error`. Adds no rows. */
  resume(
    scope: Scope,
    sessionId: string,
    options: CategorizeResumeOptions,
  ): ResultAsync<CategorizeRunResult, VBucketsError>;
  /** Runs failed rows again (only the named files when `filenames` is given; named `analyzed` rows too). */
  retry(
    scope: Scope,
    sessionId: string,
    options: CategorizeRetryOptions,
  ): ResultAsync<CategorizeRunResult, VBucketsError>;
  /**
   * A session's rows in file order; `NOT_FOUND` for an unknown session. Every row (a session
   * holds at most 1000) unless `page` asks for one page: at most `limit` rows after the row
   * whose id is `after`.
   */
  results(
    scope: Scope,
    sessionId: string,
    page?: PageRequest,
  ): ResultAsync<Categorization[], VBucketsError>;
  /**
   * One session of a product, found the way people name one: its id, `latest` (the product's
   * newest), or the start of its id (at least 4 characters, among the product's latest 100
   * sessions). `NOT_FOUND` when none matches; `VALIDATION` (path `reference`, the candidates in
   * `details.matches`) when a prefix matches several.
   */
  findSession(
    scope: Scope,
    query: { productId: string; reference: string },
  ): ResultAsync<CategorizationSession, VBucketsError>;
  /** One session with its counts by status and bucket; `NOT_FOUND` for an unknown session or another org's. */
  sessionSummary(scope: Scope, sessionId: string): ResultAsync<SessionSummary, VBucketsError>;
  /**
   * Hears the progress events of a session while this service instance works on it (a `run`,
   * `start`, `resume`, `retry` or a `categorize.session` job worked here), whoever started it;
   * the returned function stops listening. Work in another process is not heard: its rows in
   * the store are the truth (poll `results`). Does not check that the session exists.
   */
  watch(
    scope: Scope,
    sessionId: string,
    listener: CategorizeProgressListener,
  ): Result<() => void, VBucketsError>;
  /** A product's latest sessions (default 10, newest first) with counts by status and bucket. */
  recentSessions(
    scope: Scope,
    filter: { productId: string; limit?: number },
  ): ResultAsync<SessionSummary[], VBucketsError>;
  /**
   * A session's results as CSV: columns filename, bucket, confidence, status, reasoning,
   * summary, uploaded (`yes`/`no`), error; RFC 4180 quoting, CRLF after every record, a
   * header row, text cells starting with = + - @ tab or CR prefixed with `'`.
   */
  exportCsv(scope: Scope, sessionId: string): ResultAsync<string, VBucketsError>;
  /** Marks rows as uploaded (or not); returns how many rows of the org matched. An empty list writes nothing. */
  markUploaded(
    scope: Scope,
    ids: readonly string[],
    uploaded?: boolean,
  ): ResultAsync<number, VBucketsError>;
  /**
   * One page of a product's uploaded rows (default 100, at most 1000 rows) grouped by bucket
   * name (then filename); across orgs with `scope.allOrgs`. The next page starts `after` the
   * id of the last row of this one; a bucket may go on over the next page.
   */
  uploadedByBucket(
    scope: Scope,
    filter: { productId: string } & PageRequest,
  ): ResultAsync<UploadedBucketGroup[], VBucketsError>;
  /** A session's categorized videos grouped by bucket with their blob keys, for a ZIP writer. */
  bucketExport(
    scope: Scope,
    sessionId: string,
    options?: { bucketId?: string },
  ): ResultAsync<BucketExportGroup[], VBucketsError>;
}

const RecentFilterSchema = z.strictObject({
  productId: IdSchema,
  limit: z.number().int().min(1).max(100).default(10),
});
const UploadedFilterSchema = PageSchema.extend({
  productId: IdSchema,
  limit: PageSchema.shape.limit.default(DEFAULT_PAGE_SIZE),
});
const MarkUploadedSchema = z.strictObject({
  ids: z.array(IdSchema).max(10_000),
  uploaded: z.boolean(),
});
const FindSessionSchema = z.strictObject({
  productId: IdSchema,
  reference: z.string().trim().min(1, 'Give a session id, the start of one, or "latest"'),
});
const BucketExportOptionsSchema = z.strictObject({ bucketId: IdSchema.optional() });

/** The checks `run` and `start` share: a writable scope, the input, a known provider. */
function parseRun(context: CategorizeContext, scopeInput: Scope, input: CategorizeRunInput) {
  return writeScope(scopeInput).andThen((scope) =>
    parseInput(runInputSchema(context.settings.maxBatchSize), input, 'categorize input').andThen(
      (request) =>
        context.resolveProvider(request.provider).map((provider) => ({ scope, request, provider })),
    ),
  );
}

export function createCategorizeService(
  dependencies: CategorizeServiceDependencies,
): CategorizeService {
  // Bad settings are reported by every call rather than thrown from the constructor.
  const built = createCategorizeContext(dependencies);
  const withContext = contextRunner(built);

  return {
    run: (scopeInput, input) =>
      withContext((context) =>
        parseRun(context, scopeInput, input).asyncAndThen(({ scope, request, provider }) =>
          fromAsync(() => runBatch(context, scope, provider, request)),
        ),
      ),

    start: (scopeInput, input) =>
      withContext((context) =>
        parseRun(context, scopeInput, input).asyncAndThen(({ scope, request, provider }) => {
          const jobs = dependencies.jobs;
          if (jobs === undefined) {
            return errAsync(
              validationError(
                'categorize.start needs a job queue: create the service with createVBuckets (or pass jobs)',
                { path: 'jobs' },
              ),
            );
          }
          return fromAsync(() =>
            startBatch(
              context,
              scope,
              provider,
              request,
              async (sessionId) =>
                await jobs('categorize.session', {
                  orgId: scope.orgId,
                  sessionId,
                  provider: request.provider,
                }),
            ),
          );
        }),
      ),

    resume: (scopeInput, sessionId, options) =>
      withContext((context) =>
        writeScope(scopeInput)
          .andThen((scope) =>
            parseInput(IdSchema, sessionId, 'sessionId').andThen((id) =>
              parseInput(ResumeOptionsSchema, options, 'resume options').andThen((parsed) =>
                context
                  .resolveProvider(parsed.provider)
                  .map((provider) => ({ scope, provider, request: { ...parsed, sessionId: id } })),
              ),
            ),
          )
          .asyncAndThen(({ scope, provider, request }) =>
            fromAsync(() => continueBatch(context, scope, provider, request, 'resume')),
          ),
      ),

    retry: (scopeInput, sessionId, options) =>
      withContext((context) =>
        writeScope(scopeInput)
          .andThen((scope) =>
            parseInput(IdSchema, sessionId, 'sessionId').andThen((id) =>
              parseInput(RetryOptionsSchema, options, 'retry options').andThen((parsed) =>
                context
                  .resolveProvider(parsed.provider)
                  .map((provider) => ({ scope, provider, request: { ...parsed, sessionId: id } })),
              ),
            ),
          )
          .asyncAndThen(({ scope, provider, request }) =>
            fromAsync(() => continueBatch(context, scope, provider, request, 'retry')),
          ),
      ),

    results: (scopeInput, sessionId, page = {}) =>
      withContext((context) =>
        recordScope(scopeInput)
          .andThen((scope) =>
            parseInput(IdSchema, sessionId, 'sessionId').andThen((id) =>
              parseInput(PageSchema, page, 'page').map((parsed) => ({ scope, id, parsed })),
            ),
          )
          .asyncAndThen(({ scope, id, parsed }) =>
            fromAsync(() => sessionRows(context, scope, id, parsed)),
          ),
      ),

    findSession: (scopeInput, query) =>
      withContext((context) =>
        recordScope(scopeInput)
          .andThen((scope) =>
            parseInput(FindSessionSchema, query, 'session query').map((parsed) => ({
              scope,
              parsed,
            })),
          )
          .asyncAndThen(({ scope, parsed }) =>
            fromAsync(() => findSession(context, scope, parsed)),
          ),
      ),

    sessionSummary: (scopeInput, sessionId) =>
      withContext((context) =>
        recordScope(scopeInput)
          .andThen((scope) =>
            parseInput(IdSchema, sessionId, 'sessionId').map((id) => ({ scope, id })),
          )
          .asyncAndThen(({ scope, id }) => fromAsync(() => sessionSummary(context, scope, id))),
      ),

    watch: (scopeInput, sessionId, listener) =>
      built.andThen((context) =>
        recordScope(scopeInput).andThen((scope) =>
          parseInput(IdSchema, sessionId, 'sessionId').map((id) =>
            context.progress.subscribe(scope.orgId, id, listener),
          ),
        ),
      ),

    recentSessions: (scopeInput, filter) =>
      withContext((context) =>
        recordScope(scopeInput)
          .andThen((scope) =>
            parseInput(RecentFilterSchema, filter, 'filter').map((parsed) => ({ scope, parsed })),
          )
          .asyncAndThen(({ scope, parsed }) =>
            fromAsync(() => recentSessions(context, scope, parsed)),
          ),
      ),

    exportCsv: (scopeInput, sessionId) =>
      withContext((context) =>
        recordScope(scopeInput)
          .andThen((scope) =>
            parseInput(IdSchema, sessionId, 'sessionId').map((id) => ({ scope, id })),
          )
          .asyncAndThen(({ scope, id }) => fromAsync(() => sessionRows(context, scope, id)))
          .map(rowsToCsv),
      ),

    markUploaded: (scopeInput, ids, uploaded = true) =>
      withContext((context) =>
        writeScope(scopeInput)
          .andThen((scope) =>
            parseInput(MarkUploadedSchema, { ids, uploaded }, 'markUploaded').map((parsed) => ({
              scope,
              parsed,
            })),
          )
          .asyncAndThen(({ scope, parsed }) =>
            // The seed guarded the empty list; here it also spares the store a pointless write.
            parsed.ids.length === 0
              ? okAsync<number, VBucketsError>(0)
              : context.store.categorizations.setUploaded(
                  scope,
                  parsed.ids,
                  parsed.uploaded,
                  isoNow(context.clock),
                ),
          ),
      ),

    uploadedByBucket: (scopeInput, filter) =>
      withContext((context) =>
        readScope(scopeInput)
          .andThen((scope) =>
            parseInput(UploadedFilterSchema, filter, 'filter').map((parsed) => ({ scope, parsed })),
          )
          .asyncAndThen(({ scope, parsed }) =>
            context.store.categorizations
              .listUploaded(scope, { productId: parsed.productId }, parsed)
              .map(groupUploaded),
          ),
      ),

    bucketExport: (scopeInput, sessionId, options = {}) =>
      withContext((context) =>
        recordScope(scopeInput)
          .andThen((scope) =>
            parseInput(IdSchema, sessionId, 'sessionId').andThen((id) =>
              parseInput(BucketExportOptionsSchema, options, 'bucketExport options').map(
                (parsed) => ({ scope, id, parsed }),
              ),
            ),
          )
          .asyncAndThen(({ scope, id, parsed }) =>
            fromAsync(() => bucketExport(context, scope, id, parsed.bucketId)),
          ),
      ),
  };
}
