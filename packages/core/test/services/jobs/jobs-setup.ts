import type { VBuckets } from '../../../src/create-vbuckets';
import { sampleVideoBytes } from '../../domain/media-types/sample-video-bytes';

/** Registers one small MP4 of `acme`'s user-1, for a job to post. */
export async function registerVideo(vb: VBuckets) {
  return (
    await vb.videos.register(
      { orgId: 'acme' },
      {
        filename: 'clip.mp4',
        body: () => sampleVideoBytes('mp4', 1),
        ownerId: 'user-1',
        mimeType: 'video/mp4',
      },
    )
  )._unsafeUnwrap().video;
}
