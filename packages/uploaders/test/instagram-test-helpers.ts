import type { PlatformUploader, UploadableVideo } from '@vbuckets/core/adapter-kit';
import type { FakeInstagramServer } from '@vbuckets/testkit';
import { ResultAsync } from 'neverthrow';

async function readAll(video: UploadableVideo): Promise<Uint8Array> {
  const opened = await video.open(0);
  if (opened.isErr()) throw opened.error;
  return new Uint8Array(await new Response(opened.value).arrayBuffer());
}

/** The video as a presigning BlobStore would offer it: `publicUrl()` hosted on the fake. */
export function withPublicUrl(video: UploadableVideo, fake: FakeInstagramServer): UploadableVideo {
  return {
    ...video,
    publicUrl: () =>
      ResultAsync.fromSafePromise(readAll(video).then((bytes) => fake.hostMedia(bytes))),
  };
}

/** Gives every uploaded video a presigned URL on the fake (the conformance suite's videos have none). */
export function presigningUploader(
  uploader: PlatformUploader,
  fake: FakeInstagramServer,
): PlatformUploader {
  return {
    specificationVersion: uploader.specificationVersion,
    platform: uploader.platform,
    upload: (video, metadata, options) =>
      uploader.upload(withPublicUrl(video, fake), metadata, options),
  };
}
