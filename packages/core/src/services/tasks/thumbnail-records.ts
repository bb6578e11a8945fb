import { err, ok, type Result } from 'neverthrow';
import { storageError, type VBucketsError } from '../../errors';
import type { BlobBody } from '../../ports/blob-store';
import type { Scope } from '../../schemas/common';
import type { Thumbnail } from '../../schemas/generation';
import { isoNow } from '../iso-now';
import type { TasksContext } from './tasks-context';
import type { ThumbnailImageType } from './tasks-types';

const EXTENSIONS: Record<ThumbnailImageType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/**
 * Where a thumbnail's image is stored: `thumbnails/org_{orgId}/task_{taskId}/{name}.{ext}`,
 * each part percent-encoded, so the images of one task (and of one org) share a prefix.
 * `name` is a freshly generated id (the thumbnail's own when it was generated).
 */
export function thumbnailBlobKey(
  scope: Scope,
  taskId: string,
  name: string,
  contentType: ThumbnailImageType,
): string {
  const segment = encodeURIComponent;
  return `thumbnails/org_${segment(scope.orgId)}/task_${segment(taskId)}/${segment(name)}.${EXTENSIONS[contentType]}`;
}

/** A thumbnail to save; `image` bytes are stored first, under `thumbnailBlobKey`. */
export interface ThumbnailDraft
  extends Pick<Thumbnail, 'variant' | 'clickPrediction' | 'qualityScore' | 'source'> {
  id?: string;
  imageUrl?: string;
  image?: { body: BlobBody; contentType: ThumbnailImageType };
  isSelected: boolean;
}

/**
 * Saves a thumbnail of an org's task: checks the task, stores the image bytes (if any), inserts
 * the row and, when asked, selects it (deselecting the others) in the same transaction. A
 * failed insert deletes the image it stored. Shared by `thumbnails.add` and the frame
 * candidates (`source: 'frame'`, with a `qualityScore`).
 */
export async function saveThumbnail(
  context: TasksContext,
  scope: Scope,
  taskId: string,
  draft: ThumbnailDraft,
): Promise<Result<Thumbnail, VBucketsError>> {
  const task = await context.store.tasks.get(scope, taskId);
  if (task.isErr()) return err(task.error);
  const id = draft.id ?? context.ids.next();
  let blobKey: string | null = null;
  if (draft.image !== undefined) {
    // Never a caller-chosen id: a save refused as a duplicate id would overwrite, then delete,
    // the image of the thumbnail that holds the id.
    const name = draft.id === undefined ? id : context.ids.next();
    const key = thumbnailBlobKey(scope, taskId, name, draft.image.contentType);
    const stored = await context.blobs.put(key, draft.image.body, {
      contentType: draft.image.contentType,
    });
    if (stored.isErr()) return err(stored.error);
    blobKey = key;
  }
  const row: Thumbnail = {
    id,
    orgId: scope.orgId,
    taskId,
    variant: draft.variant,
    imageUrl: draft.imageUrl ?? null,
    blobKey,
    clickPrediction: draft.clickPrediction,
    qualityScore: draft.qualityScore,
    source: draft.source,
    // Selected in a second step, so the store's one-selected rule deselects the others.
    isSelected: false,
    createdAt: isoNow(context.clock),
  };
  const saved = await context.store.transaction((tx) =>
    tx.thumbnails
      .insert(row)
      .andThen((inserted) =>
        draft.isSelected ? tx.thumbnails.select(scope, taskId, inserted.id) : ok(inserted),
      ),
  );
  if (saved.isErr() && blobKey !== null) await dropImages(context, [blobKey]);
  return saved;
}

/**
 * Deletes stored images whose rows are gone; returns the keys whose delete failed, each
 * reported to `onWarning` (an unreferenced object is garbage, never a broken thumbnail).
 */
export async function dropImages(
  context: TasksContext,
  keys: readonly string[],
): Promise<string[]> {
  const left: string[] = [];
  for (const key of keys) {
    const deleted = await context.blobs.delete(key);
    if (deleted.isErr()) {
      left.push(key);
      context.warn(
        storageError(`Thumbnail image ${key} could not be deleted; its row is gone`, {
          cause: deleted.error,
          details: { key },
        }),
      );
    }
  }
  return left;
}
