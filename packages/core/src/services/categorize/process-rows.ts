import { err, ok, type Result, type ResultAsync } from 'neverthrow';
import { decideCategorization } from '../../domain/categorization/categorization-decision';
import { runConcurrently } from '../../domain/run-concurrently';
import type { VBucketsError } from '../../errors';
import type { CategorizationClaimResult } from '../../ports/store';
import type {
  AnalyzerStage,
  AnalyzerVideo,
  CallOptions,
  CategorizerAnswer,
  VideoAnalysis,
} from '../../ports/video-analyzer';
import type { Bucket } from '../../schemas/bucket';
import type { Categorization } from '../../schemas/categorization';
import type { Video } from '../../schemas/video';
import { type BatchJob, isoNow } from './categorize-context';
import type { CategorizeStage } from './categorize-types';
import { callProvider, type RequestRateLimit, type RetryNotice } from './provider-call';
import { analysisRecord, failRow, savedAnalysis, savedKnownText } from './row-records';

/**
 * Phase 2: analyses and categorizes the given rows, `concurrency` at a time, each provider
 * request through the provider's token bucket (taken by core before the call, or by an
 * analyzer or categorizer that gates its own requests). A row ends `analyzed`/`categorized` (`done`)
 * or `error` (`failed`); one row's failure never stops the others. On cancellation, rows not
 * finished stay `pending`.
 */
export async function processRows(
  job: BatchJob,
  rows: readonly Categorization[],
  buckets: readonly Bucket[],
): Promise<void> {
  await runConcurrently(
    rows,
    // `processRow` reports its own failures; a bug there must not strand the other rows.
    (row) => processRow(job, row, buckets).catch(() => undefined),
    { concurrency: job.context.settings.concurrency, signal: job.signal },
  );
}

async function processRow(
  job: BatchJob,
  row: Categorization,
  buckets: readonly Bucket[],
): Promise<void> {
  const { store, clock, settings } = job.context;
  if (row.videoId === null) return;
  // The store's compare-and-set decides which worker processes the row: a resume in another
  // process skips what this one holds, and takes over a row whose worker died once its lease ends.
  const lease = { id: row.id, owner: job.owner, leaseMs: settings.rowLeaseMs };
  const claimed = await claimOrTakeOver(job, lease);
  if (claimed.isErr()) {
    // The row stays pending for a resume; the caller hears why it was left.
    job.emit({
      rowId: row.id,
      filename: row.filename,
      stage: 'failed',
      message: claimed.error.message,
    });
    return;
  }
  if (!claimed.value.claimed) return;
  const renewal = setInterval(
    () => {
      void store.categorizations.renewRowClaim(job.scope, { ...lease, now: isoNow(clock) });
    },
    Math.max(1, Math.floor(settings.rowLeaseMs / 3)),
  );
  try {
    await processClaimedRow(job, claimed.value.row, buckets);
  } finally {
    clearInterval(renewal);
  }
  // Cancelled, the row stays pending: end the lease at once (the port's way to release it) so
  // that a resume, here or in another process, can take it without waiting for the lease.
  if (job.signal?.aborted) {
    // A failure leaves the lease to run out by itself, which is the same outcome, later.
    void (await store.categorizations.renewRowClaim(job.scope, {
      ...lease,
      now: new Date(0).toISOString(),
      leaseMs: 1,
    }));
  }
}

/**
 * Claims the row; when a worker the host says is gone holds it, ends that worker's lease (the
 * port's release: renewing it as its owner to a lease that already ran out) and claims again.
 * The store's compare-and-set still decides: of two workers taking over, one wins.
 */
async function claimOrTakeOver(
  job: BatchJob,
  lease: { id: string; owner: string; leaseMs: number },
): Promise<Result<CategorizationClaimResult, VBucketsError>> {
  const { store, clock, settings } = job.context;
  const claimed = await store.categorizations.claimRow(job.scope, { ...lease, now: isoNow(clock) });
  if (claimed.isErr() || claimed.value.claimed || claimed.value.reason !== 'held') return claimed;
  const holder = claimed.value.heldBy;
  if (holder === null || settings.isWorkerGone?.(holder) !== true) return claimed;
  void (await store.categorizations.renewRowClaim(job.scope, {
    id: lease.id,
    owner: holder,
    now: new Date(0).toISOString(),
    leaseMs: 1,
  }));
  return store.categorizations.claimRow(job.scope, { ...lease, now: isoNow(clock) });
}

async function processClaimedRow(
  job: BatchJob,
  current: Categorization,
  buckets: readonly Bucket[],
): Promise<void> {
  const { store } = job.context;
  if (current.videoId === null) return;
  const fresh = current;
  const video = await store.videos.get(job.scope, fresh.videoId!);
  if (video.isErr()) {
    await failRow(
      job,
      fresh,
      video.error.code === 'NOT_FOUND'
        ? `${JSON.stringify(fresh.filename)}: its video ${fresh.videoId} is no longer registered; add it again`
        : `${JSON.stringify(fresh.filename)}: reading its video failed: ${video.error.message}`,
      job.owner,
    );
    return;
  }
  const outcome = await analyzeAndChoose(job, fresh, video.value, buckets);
  if (outcome.isErr()) {
    // Cancelled: the row stays pending for a resume.
    if (job.signal?.aborted) return;
    await failRow(job, fresh, outcome.error.message, job.owner);
    return;
  }
  const { analysis, answer } = outcome.value;
  const decision = decideCategorization(answer, buckets, {
    confidenceFloor: job.context.settings.confidenceFloor,
  });
  if (decision.isErr()) {
    await failRow(job, fresh, decision.error.message, job.owner);
    return;
  }
  const saved = await store.categorizations.updateClaimed(job.scope, fresh.id, job.owner, {
    status: decision.value.status,
    bucketId: decision.value.bucketId,
    bucketName: decision.value.bucketName,
    confidence: decision.value.confidence,
    reasoning: decision.value.reasoning,
    summary: analysis.summary,
    transcript: analysis.transcript,
    analysis: analysisRecord(analysis, { knownText: savedKnownText(fresh.analysis), answer }),
    errorMessage: null,
    updatedAt: isoNow(job.context.clock),
  });
  // An unsaved result (or a lease lost to another worker) leaves the row to a resume or that worker.
  if (saved.isErr()) return;
  job.emit({ rowId: fresh.id, filename: fresh.filename, stage: 'done', result: saved.value });
}

/**
 * The provider requests of one row: one combined request where the analyzer offers it, else
 * analyze then categorize (two, each through the limiter). An analysis saved by an earlier
 * attempt is reused when there is a categorizer, so a resume or retry does not pay for it again.
 */
async function analyzeAndChoose(
  job: BatchJob,
  row: Categorization,
  video: Video,
  buckets: readonly Bucket[],
): Promise<Result<{ analysis: VideoAnalysis; answer: CategorizerAnswer }, VBucketsError>> {
  const { analyzer, categorizer } = job.provider;
  const stage = (next: CategorizeStage, message?: string) =>
    job.emit({
      rowId: row.id,
      filename: row.filename,
      stage: next,
      ...(message === undefined ? {} : { message }),
    });
  let currentStage: CategorizeStage = 'analyzing';
  const onRetry: RetryNotice = ({ attempt, delayMs, error }) =>
    stage(
      currentStage,
      `retrying in ${Math.ceil(delayMs / 1000)} s after attempt ${attempt} of ${job.context.settings.maxAttempts}: ${error.message}`,
    );
  const signalOption: CallOptions = job.signal === undefined ? {} : { signal: job.signal };
  const withRateLimit = (rateLimit: RequestRateLimit | undefined): CallOptions =>
    rateLimit === undefined ? signalOption : { ...signalOption, rateLimit };
  // The analyzer may refine `analyzing` into uploading/processing/analyzing; its first report,
  // made before it returns, replaces the default one.
  const withStages =
    <T>(start: (callOptions: CallOptions) => ResultAsync<T, VBucketsError>) =>
    (rateLimit: RequestRateLimit | undefined): ResultAsync<T, VBucketsError> => {
      let reported = false;
      const pending = start({
        ...withRateLimit(rateLimit),
        onStage: (reportedStage: AnalyzerStage) => {
          reported = true;
          currentStage = reportedStage;
          stage(reportedStage);
        },
      });
      if (!reported) {
        currentStage = 'analyzing';
        stage('analyzing');
      }
      return pending;
    };
  const analyzerCall = { gatesRequests: analyzer.gatesRequests, onRetry };

  const categorize = async (analysis: VideoAnalysis) => {
    currentStage = 'categorizing';
    stage('categorizing');
    return callProvider(
      job,
      (rateLimit) => categorizer!.categorize(analysis, buckets, withRateLimit(rateLimit)),
      { gatesRequests: categorizer!.gatesRequests, onRetry },
    );
  };

  const previous = savedAnalysis(row.analysis);
  if (previous !== null && categorizer !== undefined) {
    const answer = await categorize(previous);
    return answer.map((value) => ({ analysis: previous, answer: value }));
  }

  const input = analyzerVideo(job, row, video);
  const combined = analyzer.analyzeAndCategorize;
  if (combined !== undefined) {
    const result = await callProvider(
      job,
      withStages((callOptions) => combined.call(analyzer, input, buckets, callOptions)),
      analyzerCall,
    );
    if (result.isOk()) stage('categorizing');
    return result;
  }

  const analysis = await callProvider(
    job,
    withStages((callOptions) => analyzer.analyze(input, callOptions)),
    analyzerCall,
  );
  if (analysis.isErr()) return err(analysis.error);
  // Saved at once, so a failure or crash in categorizing does not cost the analysis again.
  void (await job.context.store.categorizations.update(job.scope, row.id, {
    summary: analysis.value.summary,
    transcript: analysis.value.transcript,
    analysis: analysisRecord(analysis.value, { knownText: input.knownText }),
    updatedAt: isoNow(job.context.clock),
  }));
  const answer = await categorize(analysis.value);
  if (answer.isErr()) return err(answer.error);
  return ok({ analysis: analysis.value, answer: answer.value });
}

function analyzerVideo(job: BatchJob, row: Categorization, video: Video): AnalyzerVideo {
  const knownText = savedKnownText(row.analysis);
  return {
    videoId: video.id,
    filename: row.filename,
    mimeType: video.mimeType,
    sizeBytes: video.sizeBytes,
    open: () => job.context.blobs.get(video.blobKey).map((object) => object.body),
    ...(knownText === undefined ? {} : { knownText }),
  };
}
