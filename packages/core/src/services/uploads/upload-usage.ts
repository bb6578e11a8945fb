import { okAsync, type ResultAsync } from 'neverthrow';
import type { VBucketsError } from '../../errors';
import type { UploadSuccess } from '../../ports/platform-uploader';
import type { StoreRepositories } from '../../ports/store';
import type { Scope } from '../../schemas/common';
import { type SocialPlatform, SocialPlatformSchema } from '../../schemas/segment';
import type { Upload } from '../../schemas/upload';
import type { Video } from '../../schemas/video';

/** True for the platforms segments are posted to (youtube, tiktok, instagram, facebook, twitter, meta). */
export const isSocialPlatform = (platform: string): platform is SocialPlatform =>
  SocialPlatformSchema.safeParse(platform).success;

/**
 * What a successful upload to a social platform adds, inside the transaction that completes
 * it: the video's `original` segment (number 0, the video's own bytes, created once) and its
 * usage row on the platform, naming the post, its URL, now and the upload. A re-upload (force)
 * rewrites the row with the new post. Uploads to other platforms add nothing.
 */
export function recordPostedUsage(
  tx: StoreRepositories,
  scope: Scope,
  input: {
    video: Video;
    upload: Upload;
    posted: UploadSuccess;
    segmentId: string;
    now: string;
  },
): ResultAsync<void, VBucketsError> {
  const { video, upload, posted, now } = input;
  const platform = SocialPlatformSchema.safeParse(upload.platform);
  // A post without an id cannot be synced or told apart: nothing to record.
  if (!platform.success || posted.platformPostId === '') return okAsync(undefined);
  return tx.segments
    .ensure({
      id: input.segmentId,
      orgId: scope.orgId,
      ownerId: video.ownerId,
      videoId: video.id,
      segmentType: 'original',
      segmentNumber: 0,
      blobKey: video.blobKey,
      durationSec: video.durationSec ?? 0,
      sizeBytes: video.sizeBytes,
      contentType: video.mimeType,
      title: video.title,
      description: null,
      tags: [],
      socialUsage: [],
      createdAt: now,
      updatedAt: now,
    })
    .andThen(({ segment }) =>
      tx.segments.upsertUsage(scope, {
        segmentId: segment.id,
        platform: platform.data,
        postId: posted.platformPostId,
        // The URL of this post; an earlier post's URL must not outlive it.
        postUrl: typeof posted.url === 'string' && posted.url !== '' ? posted.url : null,
        postedAt: now,
        uploadId: upload.id,
        now,
      }),
    )
    .map(() => undefined);
}
