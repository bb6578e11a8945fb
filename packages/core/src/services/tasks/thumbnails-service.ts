import { err, errAsync, ok, type Result, type ResultAsync } from 'neverthrow';
import { notFoundError, type VBucketsError } from '../../errors';
import { IdSchema, type Scope } from '../../schemas/common';
import type { Thumbnail } from '../../schemas/generation';
import { parseInput } from '../parse-input';
import { recordScope, writeScope } from '../scope';
import { contextRunner, fromAsync } from '../with-context';
import { ThumbnailAddSchema } from './task-inputs';
import {
  createTasksContext,
  type TasksContext,
  type TasksServiceDependencies,
} from './tasks-context';
import type { ThumbnailsService } from './tasks-types';
import { generateCandidates } from './thumbnail-candidates';
import { dropImages, saveThumbnail } from './thumbnail-records';

/**
 * The thumbnails service (seed 002's thumbnail variants). Frame candidates cut from a task's
 * video (`generateCandidates`) save through the same `saveThumbnail`, as `source: 'frame'`.
 */
export function createThumbnailsService(dependencies: TasksServiceDependencies): ThumbnailsService {
  const built = createTasksContext(dependencies);
  const withContext = contextRunner(built);
  const withIds = <T>(
    scopeInput: unknown,
    ids: Record<string, unknown>,
    scopeOf: (value: unknown) => Result<Scope, VBucketsError>,
    use: (
      context: TasksContext,
      scope: Scope,
      ids: Record<string, string>,
    ) => ResultAsync<T, VBucketsError>,
  ) =>
    withContext((context) =>
      scopeOf(scopeInput)
        .andThen((scope) => {
          const parsed: Record<string, string> = {};
          for (const [name, value] of Object.entries(ids)) {
            const id = parseInput(IdSchema, value, name);
            if (id.isErr()) return err(id.error);
            parsed[name] = id.value;
          }
          return ok({ scope, parsed });
        })
        .asyncAndThen(({ scope, parsed }) => use(context, scope, parsed)),
    );

  return {
    add: (scopeInput, taskId, input) =>
      withIds(scopeInput, { taskId }, writeScope, (context, scope, ids) =>
        parseInput(ThumbnailAddSchema, input, 'thumbnail').asyncAndThen((parsed) =>
          fromAsync(() =>
            saveThumbnail(context, scope, ids.taskId!, {
              ...(parsed.id === undefined ? {} : { id: parsed.id }),
              variant: parsed.variant,
              ...(parsed.imageUrl === undefined ? {} : { imageUrl: parsed.imageUrl }),
              ...(parsed.image === undefined ? {} : { image: parsed.image }),
              clickPrediction: parsed.clickPrediction ?? null,
              qualityScore: null,
              source: 'given',
              isSelected: parsed.isSelected,
            }),
          ),
        ),
      ),

    list: (scopeInput, taskId) =>
      withIds(scopeInput, { taskId }, recordScope, (context, scope, ids) =>
        context.store.tasks
          .get(scope, ids.taskId!)
          .andThen(() => context.store.thumbnails.list(scope, ids.taskId!)),
      ),

    select: (scopeInput, taskId, thumbnailId) =>
      withIds(scopeInput, { taskId, thumbnailId }, writeScope, (context, scope, ids) =>
        context.store.thumbnails.select(scope, ids.taskId!, ids.thumbnailId!),
      ),

    selected: (scopeInput, taskId) =>
      withIds(scopeInput, { taskId }, recordScope, (context, scope, ids) =>
        context.store.tasks
          .get(scope, ids.taskId!)
          .andThen(() => context.store.thumbnails.selected(scope, ids.taskId!)),
      ),

    image: (scopeInput, taskId, thumbnailId) =>
      withIds(scopeInput, { taskId, thumbnailId }, recordScope, (context, scope, ids) =>
        context.store.tasks
          .get(scope, ids.taskId!)
          .andThen(() => context.store.thumbnails.list(scope, ids.taskId!))
          .andThen((thumbnails) => {
            const thumbnail = thumbnails.find((each) => each.id === ids.thumbnailId);
            if (thumbnail === undefined) {
              return errAsync(
                notFoundError(`Task ${ids.taskId} has no thumbnail ${ids.thumbnailId}`),
              );
            }
            if (thumbnail.blobKey === null) {
              return errAsync(
                notFoundError(
                  `Thumbnail ${thumbnail.id} has no stored image: it was given by URL (${thumbnail.imageUrl ?? 'none'})`,
                ),
              );
            }
            return context.blobs.get(thumbnail.blobKey).map((image) => ({ thumbnail, image }));
          }),
      ),

    remove: (scopeInput, thumbnailId) =>
      withIds(scopeInput, { thumbnailId }, writeScope, (context, scope, ids) =>
        fromAsync(async () => {
          const deleted = await context.store.thumbnails.delete(scope, ids.thumbnailId!);
          if (deleted.isErr()) return err(deleted.error);
          const thumbnail: Thumbnail = deleted.value;
          const left =
            thumbnail.blobKey === null ? [] : await dropImages(context, [thumbnail.blobKey]);
          return ok({ thumbnail, imageLeft: left[0] ?? null });
        }),
      ),

    generateCandidates: (scopeInput, taskId, options) =>
      withIds(scopeInput, { taskId }, writeScope, (context, scope, ids) =>
        fromAsync(() => generateCandidates(context, scope, ids.taskId!, options)),
      ),
  };
}
