import { err, ok, type Result } from 'neverthrow';
import type { VBucketsError } from '../../errors';
import type { Store } from '../../ports/store';
import type { Scope } from '../../schemas/common';

/** The platform whose metadata a generation task carries (`youtubeTitle`, …). */
const TASK_METADATA_PLATFORM = 'youtube';

/**
 * The metadata an upload sends: the caller's when it gave any; else, for YouTube, the title,
 * description and tags of the generation task the video is linked to (`tasks.attachVideo`).
 * Other platforms name their fields differently, so they get nothing from a task.
 */
export async function resolveUploadMetadata(
  store: Store,
  scope: Scope,
  videoId: string,
  platform: string,
  metadata: Record<string, unknown>,
): Promise<Result<Record<string, unknown>, VBucketsError>> {
  if (Object.keys(metadata).length > 0 || platform !== TASK_METADATA_PLATFORM) return ok(metadata);
  const task = await store.tasks.findByVideoId(scope, videoId);
  if (task.isErr()) return err(task.error);
  if (task.value === null) return ok(metadata);
  const { youtubeTitle, youtubeDescription, youtubeTags } = task.value;
  return ok({
    ...(youtubeTitle === null ? {} : { title: youtubeTitle }),
    ...(youtubeDescription === null ? {} : { description: youtubeDescription }),
    ...(youtubeTags.length === 0 ? {} : { tags: youtubeTags }),
  });
}
