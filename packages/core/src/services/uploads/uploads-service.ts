import { err, errAsync, ok, okAsync, type Result, ResultAsync } from 'neverthrow';
import { z } from 'zod';
import { decideClaim } from '../../domain/uploads/upload-claim';
import type { VBucketsError } from '../../errors';
import { DEFAULT_PAGE_SIZE, IdSchema, PageSchema } from '../../schemas/common';
import { UploadStatusSchema } from '../../schemas/upload';
import { parseInput } from '../parse-input';
import { readScope, recordScope, writeScope } from '../scope';
import { runUploadAttempt } from './upload-attempt';
import { runDueUploads, uploadAllPending } from './upload-batches';
import { UPLOAD_STATUS_SYMBOLS } from './upload-status-symbols';
import { createUploadsContext } from './uploads-context';
import type {
  UploadHistoryEntry,
  UploadsService,
  UploadsServiceDependencies,
} from './uploads-types';

// The factory's own types travel with it.
export type { UploadsService, UploadsServiceDependencies, UploadsSettings } from './uploads-types';

const MetadataSchema = z.record(z.string(), z.unknown());

const StatusFilterSchema = PageSchema.extend({
  limit: PageSchema.shape.limit.default(DEFAULT_PAGE_SIZE),
  status: UploadStatusSchema.optional(),
  platform: z.string().min(1).optional(),
});

/**
 * The uploads service: checks each call's scope and input, then hands it to one attempt
 * (`upload-attempt`), the batches (`upload-batches`) or the store's rows.
 */
export function createUploadsService(
  dependencies: UploadsServiceDependencies,
): Result<UploadsService, VBucketsError> {
  const created = createUploadsContext(dependencies);
  if (created.isErr()) return err(created.error);
  const context = created.value;
  const { store, clock } = context;

  return ok({
    upload: (scopeInput, videoId, platform, metadata = {}, options = {}) =>
      writeScope(scopeInput)
        .andThen((scope) => parseInput(IdSchema, videoId, 'videoId').map((id) => ({ scope, id })))
        .andThen((input) => parseInput(MetadataSchema, metadata, 'metadata').map(() => input))
        .asyncAndThen(
          ({ scope, id }) =>
            new ResultAsync(runUploadAttempt(context, scope, id, platform, metadata, options)),
        ),

    canUpload: (scopeInput, videoId, platform) =>
      recordScope(scopeInput).asyncAndThen((scope) =>
        store.videos
          .get(scope, videoId)
          .andThen((video) =>
            store.uploads
              .get(scope, videoId, platform)
              .map((current): readonly [boolean, string | null] => {
                // What `upload` without force would do now: the same decision a claim makes.
                const decision = decideClaim(current, {
                  duplicateAllowed: video.duplicateAllowed,
                  force: false,
                  now: clock.now(),
                });
                return decision.allowed ? [true, null] : [false, decision.reason];
              }),
          )
          .orElse((error) =>
            // The seed answers "not allowed + reason" for an unknown video; the reason is built
            // here, not taken from the store, so another org's video reads exactly like a missing one.
            error.code === 'NOT_FOUND'
              ? okAsync([false, `No video "${videoId}"`] as const)
              : errAsync(error),
          ),
      ),

    runDue: runDueUploads(context),

    uploadAllPending: uploadAllPending(context),

    platforms: () => [...context.uploaders.keys()].sort(),

    history: (scopeInput, videoId) =>
      recordScope(scopeInput)
        .andThen((scope) => parseInput(IdSchema, videoId, 'videoId').map((id) => ({ scope, id })))
        .asyncAndThen(({ scope, id }) =>
          store.videos
            .get(scope, id)
            .andThen(() => store.uploads.listByVideo(scope, id))
            .andThen((rows) =>
              ResultAsync.combine(
                rows.map((row) =>
                  store.uploads.listAttempts(scope, row.id).map(
                    (attempts): UploadHistoryEntry => ({
                      ...row,
                      symbol: UPLOAD_STATUS_SYMBOLS[row.status],
                      attempts,
                    }),
                  ),
                ),
              ),
            ),
        ),

    status: (scopeInput, filter = {}) =>
      readScope(scopeInput)
        .andThen((scope) => recordScope(scope))
        .andThen((scope) =>
          parseInput(StatusFilterSchema, filter, 'filter').map((parsed) => ({ scope, parsed })),
        )
        .asyncAndThen(({ scope, parsed }) =>
          store.uploads
            .list(scope, parsed)
            .map((rows) =>
              rows.map((row) => ({ ...row, symbol: UPLOAD_STATUS_SYMBOLS[row.status] })),
            ),
        ),
  });
}
