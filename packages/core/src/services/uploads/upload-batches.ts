import { err, ok, ResultAsync } from 'neverthrow';
import { runConcurrently } from '../../domain/run-concurrently';
import { type VBucketsError, validationError } from '../../errors';
import type { Scope } from '../../schemas/common';
import type { Upload } from '../../schemas/upload';
import type { Video } from '../../schemas/video';
import { writeScope } from '../scope';
import { runUploadAttempt } from './upload-attempt';
import type { UploadsContext } from './uploads-context';
import type { MetadataFor, UploadAllSummary, UploadsService } from './uploads-types';

function metadataOf<T>(metadata: MetadataFor<T> | undefined, item: T): Record<string, unknown> {
  if (metadata === undefined) return {};
  return typeof metadata === 'function' ? metadata(item) : metadata;
}

/** `runDue`: one attempt per due row, one row at a time, answering each row as it ends. */
export function runDueUploads(context: UploadsContext): UploadsService['runDue'] {
  const { store, clock } = context;
  return (scopeInput, options = {}) =>
    writeScope(scopeInput).asyncAndThen((scope) =>
      store.uploads
        .listDue(scope, {
          now: new Date(options.now ?? clock.now()).toISOString(),
          limit: options.limit,
        })
        .andThen((due) =>
          ResultAsync.fromSafePromise(
            (async () => {
              const done: Upload[] = [];
              for (const row of due) {
                const attempted = await runUploadAttempt(
                  context,
                  scope,
                  row.videoId,
                  row.platform,
                  metadataOf(options.metadata, row),
                  {},
                );
                const after = await store.uploads.get(scope, row.videoId, row.platform);
                if (attempted.isOk()) done.push(attempted.value);
                else if (after.isOk() && after.value !== null) done.push(after.value);
              }
              return done;
            })(),
          ),
        ),
    );
}

/** `uploadAllPending`: every (video, platform) pair not yet posted, `concurrency` at a time. */
export function uploadAllPending(context: UploadsContext): UploadsService['uploadAllPending'] {
  return (scopeInput, options) =>
    writeScope(scopeInput)
      .andThen((scope) => {
        const missing = options.platforms.find((platform) => !context.uploaders.has(platform));
        return missing === undefined
          ? ok(scope)
          : err(
              validationError(`No uploader is registered for platform ${missing}`, {
                path: 'platforms',
              }),
            );
      })
      .asyncAndThen((scope) =>
        pendingJobs(context, scope, options.platforms).andThen(({ summary, jobs }) =>
          ResultAsync.fromSafePromise(
            (async () => {
              await runConcurrently(
                jobs,
                async ({ video, platform }) => {
                  const done = await runUploadAttempt(
                    context,
                    scope,
                    video.id,
                    platform,
                    metadataOf(options.metadata, { video, platform }),
                    {},
                  );
                  const key = { videoId: video.id, platform };
                  if (done.isOk()) summary.uploaded.push(done.value);
                  else if (done.error.code === 'DUPLICATE_UPLOAD') {
                    summary.skipped.push({ ...key, reason: done.error.message });
                  } else summary.failed.push({ ...key, error: done.error });
                },
                { concurrency: options.concurrency ?? 2 },
              );
              return summary;
            })(),
          ),
        ),
      );
}

/** The pairs to post, oldest video first, and a summary that already lists the posted ones. */
function pendingJobs(
  { store }: UploadsContext,
  scope: Scope,
  platforms: readonly string[],
): ResultAsync<
  { summary: UploadAllSummary; jobs: { video: Video; platform: string }[] },
  VBucketsError
> {
  return ResultAsync.combine([
    store.videos.list(scope),
    store.uploads.list(scope, {}),
  ] as const).map(([videos, rows]) => {
    const uploaded = new Set(
      rows
        .filter((row) => row.status === 'SUCCESS')
        .map((row) => `${row.videoId}\u0000${row.platform}`),
    );
    const summary: UploadAllSummary = { uploaded: [], failed: [], skipped: [] };
    const jobs: { video: Video; platform: string }[] = [];
    // Oldest first, so a library is posted in the order it was registered.
    for (const video of [...videos].reverse()) {
      for (const platform of new Set(platforms)) {
        if (uploaded.has(`${video.id}\u0000${platform}`)) {
          summary.skipped.push({ videoId: video.id, platform, reason: 'already uploaded' });
        } else jobs.push({ video, platform });
      }
    }
    return { summary, jobs };
  });
}
