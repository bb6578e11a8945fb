import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { z } from 'zod';
import { type VBucketsError, vbucketsError } from '../../errors';
import type { Clock } from '../../ports/clock';
import type { JobRun } from '../../ports/job-queue';
import type { Store } from '../../ports/store';
import type { CategorizeService } from '../categorize/categorize-service';
import type { MarketService } from '../market/market-types';
import type { SegmentsService } from '../segments/segments-types';
import type { ThumbnailsService } from '../tasks/tasks-types';
import type { UploadsService } from '../uploads/uploads-types';
import {
  BUILTIN_JOB_SCHEMAS,
  type BuiltinJobKind,
  type JobKindDefinition,
  jobIdOf,
} from './job-kinds';

/** What the SDK's own job kinds run on. */
export interface BuiltinJobServices {
  store: Store;
  clock: Clock;
  categorize: CategorizeService;
  uploads: UploadsService;
  market: MarketService;
  segments: SegmentsService;
  thumbnails: ThumbnailsService;
  /** How long a job waits before looking again at work another worker holds (default 2 s). */
  heldWorkWaitMs?: number;
}

type Payload<Kind extends BuiltinJobKind> = z.output<(typeof BUILTIN_JOB_SCHEMAS)[Kind]>;
/** The SDK's own kinds, each with its payload type. */
export type BuiltinDefinitions = { [Kind in BuiltinJobKind]: JobKindDefinition<Payload<Kind>> };

/**
 * A wait that is not a failure: the job runs again after `ms` without using up an attempt
 * (the shared rule treats `RATE_LIMITED` so). For work another worker holds or a backoff the
 * store's ledger set.
 */
const waitFor = (message: string, ms: number): VBucketsError =>
  vbucketsError('RATE_LIMITED', message, { retryAfterMs: Math.max(1, Math.ceil(ms)) });

/** A cancelled run is retried: the worker that stopped it hands the job on. */
const retryIfCancelled = (job: JobRun) => (error: VBucketsError) =>
  errAsync(
    error.code === 'CANCELLED' || job.signal.aborted
      ? vbucketsError('CANCELLED', error.message, { retryable: true, cause: error })
      : error,
  );

/**
 * The SDK's own kinds over its services. Each is idempotent by construction: the ledger's
 * claim posts a video once, row claims process a session's video once, a creative's status
 * moves once, and a split or candidate cut is skipped when its result already exists.
 */
export function builtinJobKinds(services: BuiltinJobServices): BuiltinDefinitions {
  const { store, clock } = services;
  const heldWaitMs = services.heldWorkWaitMs ?? 2_000;
  return {
    'categorize.session': {
      schema: BUILTIN_JOB_SCHEMAS['categorize.session'],
      jobId: (payload) => jobIdOf(payload.orgId, payload.sessionId),
      // Waits for rows other workers hold are not attempts; a provider outage is retried
      // row by row inside the batch, so a few attempts of the whole session are plenty.
      run: (payload, job) =>
        services.categorize
          .resume({ orgId: payload.orgId }, payload.sessionId, {
            provider: payload.provider,
            signal: job.signal,
          })
          .orElse((error) =>
            error.code === 'CONFLICT' && error.details?.sessionId === payload.sessionId
              ? errAsync(waitFor(error.message, heldWaitMs))
              : retryIfCancelled(job)(error),
          )
          .andThen(({ session }) =>
            // Rows another worker holds are still pending: look again when its lease may be over.
            session.counts.pending > 0
              ? errAsync(
                  waitFor(
                    `${session.counts.pending} videos of session ${session.id} are held by another worker`,
                    heldWaitMs,
                  ),
                )
              : okAsync(session.counts),
          ),
    },
    'uploads.upload': {
      schema: BUILTIN_JOB_SCHEMAS['uploads.upload'],
      jobId: (payload) => jobIdOf(payload.orgId, payload.videoId, payload.platform),
      defaults: { attempts: 5 },
      run: (payload, job) => {
        const scope = { orgId: payload.orgId };
        return services.uploads
          .upload(scope, payload.videoId, payload.platform, payload.metadata, {
            signal: job.signal,
          })
          .map((upload) => ({ uploadId: upload.id, status: upload.status }))
          .orElse((error) =>
            store.uploads.get(scope, payload.videoId, payload.platform).andThen((row) => {
              const now = clock.now();
              if (row?.status === 'SUCCESS') {
                // Posted already (by an earlier delivery of this job, or by hand): done.
                return okAsync({ uploadId: row.id, status: row.status });
              }
              if (row?.status === 'IN_PROGRESS' && row.leaseExpiresAt !== null) {
                return errAsync(
                  waitFor(
                    `Another worker is uploading video "${payload.videoId}" to ${payload.platform}`,
                    Date.parse(row.leaseExpiresAt) - now + 1,
                  ),
                );
              }
              if (
                (row?.status === 'FAILED' || row?.status === 'RATE_LIMITED') &&
                row.nextAttemptAt !== null
              ) {
                // The ledger's retry policy decides when; the job follows it.
                return errAsync(
                  waitFor(error.message, Math.max(1, Date.parse(row.nextAttemptAt) - now)),
                );
              }
              return retryIfCancelled(job)(error);
            }),
          );
      },
    },
    'uploads.runDue': {
      schema: BUILTIN_JOB_SCHEMAS['uploads.runDue'],
      run: (payload, job) =>
        services.uploads
          .runDue(
            { orgId: payload.orgId },
            payload.limit === undefined ? {} : { limit: payload.limit },
          )
          .map((rows) => ({ retried: rows.length }))
          .orElse(retryIfCancelled(job)),
    },
    'market.analyze': {
      schema: BUILTIN_JOB_SCHEMAS['market.analyze'],
      run: (payload, job) =>
        services.market
          .analyze({ orgId: payload.orgId }, payload.creativeId, {
            signal: job.signal,
            // A later delivery may find the analysis its dead worker left running.
            resumeRunning: job.attempt > 1,
          })
          .map((creative) => ({ analysisStatus: creative.analysisStatus }))
          .orElse((error) =>
            error.code === 'CONFLICT' && error.details?.analysisStatus === 'done'
              ? okAsync({ analysisStatus: 'done' })
              : retryIfCancelled(job)(error),
          ),
    },
    'segments.split': {
      schema: BUILTIN_JOB_SCHEMAS['segments.split'],
      jobId: (payload) =>
        jobIdOf(
          payload.orgId,
          payload.videoId,
          payload.cutPointsSec?.join(',') ?? `every ${payload.segmentSeconds ?? 'default'}`,
        ),
      run: (payload, job) => {
        const scope = { orgId: payload.orgId };
        return services.segments.listByVideo(scope, payload.videoId).andThen((existing) => {
          const pieces = existing.filter((segment) => segment.segmentType === 'processed');
          // The split is one transaction: pieces present mean an earlier delivery committed it.
          if (pieces.length > 0) return okAsync({ segments: pieces.length, skipped: true });
          return services.segments
            .split(scope, payload.videoId, {
              ...(payload.segmentSeconds === undefined
                ? {}
                : { segmentSeconds: payload.segmentSeconds }),
              ...(payload.cutPointsSec === undefined ? {} : { cutPointsSec: payload.cutPointsSec }),
              signal: job.signal,
            })
            .map((segments) => ({ segments: segments.length, skipped: false }))
            .orElse(retryIfCancelled(job));
        });
      },
    },
    'segments.syncMetrics': {
      schema: BUILTIN_JOB_SCHEMAS['segments.syncMetrics'],
      run: (payload, job) =>
        services.segments
          .syncMetrics(
            { orgId: payload.orgId },
            {
              ...(payload.segmentIds === undefined ? {} : { segmentIds: payload.segmentIds }),
              ...(payload.platforms === undefined ? {} : { platforms: payload.platforms }),
              signal: job.signal,
            },
          )
          .map((summary) => ({
            synced: summary.results.filter((result) => result.ok).length,
            failed: summary.results.filter((result) => !result.ok).length,
          }))
          .orElse(retryIfCancelled(job)),
    },
    'thumbnails.generate': {
      schema: BUILTIN_JOB_SCHEMAS['thumbnails.generate'],
      jobId: (payload) => jobIdOf(payload.orgId, payload.taskId),
      run: (payload, job) => {
        const scope = { orgId: payload.orgId };
        return services.thumbnails.list(scope, payload.taskId).andThen((thumbnails) => {
          const frames = thumbnails.filter((thumbnail) => thumbnail.source === 'frame');
          // All or nothing too: frames present mean an earlier delivery saved them.
          if (frames.length > 0) return okAsync({ candidates: frames.length, skipped: true });
          return services.thumbnails
            .generateCandidates(scope, payload.taskId, {
              ...(payload.count === undefined ? {} : { count: payload.count }),
              signal: job.signal,
            })
            .map((candidates) => ({ candidates: candidates.length, skipped: false }))
            .orElse(retryIfCancelled(job));
        });
      },
    },
  };
}

/** The result type every kind's `run` answers. */
export type JobRunResult = ResultAsync<unknown, VBucketsError>;
