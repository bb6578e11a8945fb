import { err, ok, type Result } from 'neverthrow';
import { thumbnailInputError } from '../domain/generation/task-store-input';
import { conflictError, notFoundError, type VBucketsError, withErrorSource } from '../errors';
import type { ThumbnailRepository } from '../ports/task-store';
import type { Scope } from '../schemas/common';
import type { Thumbnail } from '../schemas/generation';
import type { MemoryStoreAccess } from './memory-store-access';
import {
  compareText,
  compareTimestamps,
  type MemoryStoreState,
  orgSlot,
} from './memory-store-state';

export function copyThumbnail(thumbnail: Thumbnail): Thumbnail {
  return {
    id: thumbnail.id,
    orgId: thumbnail.orgId,
    taskId: thumbnail.taskId,
    variant: thumbnail.variant,
    imageUrl: thumbnail.imageUrl,
    blobKey: thumbnail.blobKey,
    clickPrediction: thumbnail.clickPrediction,
    qualityScore: thumbnail.qualityScore,
    source: thumbnail.source,
    isSelected: thumbnail.isSelected,
    createdAt: thumbnail.createdAt,
  };
}

/** clickPrediction descending with nulls last, then newest first, then id: `list`'s order. */
export function compareThumbnails(left: Thumbnail, right: Thumbnail): number {
  const byPrediction =
    left.clickPrediction === right.clickPrediction
      ? 0
      : left.clickPrediction === null
        ? 1
        : right.clickPrediction === null
          ? -1
          : Math.sign(right.clickPrediction - left.clickPrediction);
  return (
    byPrediction ||
    compareTimestamps(right.createdAt, left.createdAt) ||
    compareText(left.id, right.id)
  );
}

const thumbnailNotFound = (id: string, operation: string) =>
  notFoundError(`No thumbnail "${id}"`, {
    adapter: 'memory',
    operation,
    details: { entity: 'thumbnail', id },
  });

function taskThumbnails(state: MemoryStoreState, orgId: string, taskId: string): Thumbnail[] {
  return [...state.thumbnails.values()].filter(
    (thumbnail) => thumbnail.orgId === orgId && thumbnail.taskId === taskId,
  );
}

function ownedThumbnail(
  state: MemoryStoreState,
  scope: Scope,
  id: string,
  operation: string,
): Result<Thumbnail, VBucketsError> {
  const thumbnail = state.thumbnails.get(orgSlot(scope.orgId, id));
  return thumbnail === undefined ? err(thumbnailNotFound(id, operation)) : ok(thumbnail);
}

/**
 * Thumbnails in memory. At most one per task is selected, as the SQL partial unique index
 * keeps it: `select` swaps the flag in one synchronous step, and an insert of a second
 * selected one is a CONFLICT.
 */
export function createMemoryThumbnailRepository(access: MemoryStoreAccess): ThumbnailRepository {
  return {
    insert: (thumbnail) =>
      access.write((state) => {
        const operation = 'thumbnails.insert';
        const invalid = thumbnailInputError(thumbnail);
        if (invalid !== undefined) {
          return err(withErrorSource(invalid, { adapter: 'memory', operation }));
        }
        if (!state.generationTasks.has(orgSlot(thumbnail.orgId, thumbnail.taskId))) {
          return err(
            notFoundError(`No generation task "${thumbnail.taskId}"`, {
              adapter: 'memory',
              operation,
              details: { entity: 'generationTask', id: thumbnail.taskId },
            }),
          );
        }
        const slot = orgSlot(thumbnail.orgId, thumbnail.id);
        if (state.thumbnails.has(slot)) {
          return err(
            conflictError(`A thumbnail with id "${thumbnail.id}" already exists`, {
              adapter: 'memory',
              operation,
              details: { id: thumbnail.id },
            }),
          );
        }
        if (thumbnail.isSelected) {
          const selected = taskThumbnails(state, thumbnail.orgId, thumbnail.taskId).find(
            (each) => each.isSelected,
          );
          if (selected !== undefined) {
            return err(
              conflictError(
                `Task "${thumbnail.taskId}" already has a selected thumbnail ("${selected.id}"); use select to change it`,
                {
                  adapter: 'memory',
                  operation,
                  details: { id: thumbnail.id, taskId: thumbnail.taskId, selectedId: selected.id },
                },
              ),
            );
          }
        }
        const stored = copyThumbnail(thumbnail);
        state.thumbnails.set(slot, stored);
        return ok(copyThumbnail(stored));
      }),

    get: (scope, id) =>
      access.read((state) => ownedThumbnail(state, scope, id, 'thumbnails.get').map(copyThumbnail)),

    list: (scope, taskId) =>
      access.read((state) =>
        ok(taskThumbnails(state, scope.orgId, taskId).sort(compareThumbnails).map(copyThumbnail)),
      ),

    select: (scope, taskId, thumbnailId) =>
      access.write((state) => {
        const operation = 'thumbnails.select';
        const chosen = state.thumbnails.get(orgSlot(scope.orgId, thumbnailId));
        if (chosen === undefined || chosen.taskId !== taskId) {
          return err(
            notFoundError(`No thumbnail "${thumbnailId}" of task "${taskId}"`, {
              adapter: 'memory',
              operation,
              details: { entity: 'thumbnail', id: thumbnailId, taskId },
            }),
          );
        }
        for (const thumbnail of taskThumbnails(state, scope.orgId, taskId)) {
          const isSelected = thumbnail.id === thumbnailId;
          if (thumbnail.isSelected !== isSelected) {
            state.thumbnails.set(orgSlot(scope.orgId, thumbnail.id), {
              ...thumbnail,
              isSelected,
            });
          }
        }
        return ok(copyThumbnail({ ...chosen, isSelected: true }));
      }),

    selected: (scope, taskId) =>
      access.read((state) => {
        const selected = taskThumbnails(state, scope.orgId, taskId).find(
          (thumbnail) => thumbnail.isSelected,
        );
        return ok(selected === undefined ? null : copyThumbnail(selected));
      }),

    delete: (scope, id) =>
      access.write((state) =>
        ownedThumbnail(state, scope, id, 'thumbnails.delete').map((thumbnail) => {
          state.thumbnails.delete(orgSlot(scope.orgId, id));
          return copyThumbnail(thumbnail);
        }),
      ),
  };
}
