import { describeUploaderConformance, startFakeInstagramServer } from '@vbuckets/testkit';
import { createInstagramReelsUploader } from '../src/instagram-reels-uploader';
import { presigningUploader } from './instagram-test-helpers';

describeUploaderConformance({
  name: 'instagram reels (fake Graph API)',
  // Instagram pulls the video from a URL: there are no chunks to resume, only a container to
  // reuse (covered in instagram-reels-uploader.test.ts).
  capabilities: { resumable: false },
  metadata: { caption: 'Conformance reel' },
  async createUploader() {
    const fake = await startFakeInstagramServer({ processingPolls: 1 });
    const uploader = createInstagramReelsUploader({
      igUserId: '17841400000000001',
      accessToken: () => fake.accessToken,
      baseURL: `${fake.baseUrl}/v24.0`,
      pollIntervalMs: 1,
    });
    return {
      uploader: presigningUploader(uploader, fake),
      async readUploaded(platformPostId) {
        const container = fake.published().find((each) => each.mediaId === platformPostId);
        return new Uint8Array(container?.video ?? []);
      },
      async countPosts() {
        return fake.published().length;
      },
      script: {
        failNext(kind) {
          switch (kind) {
            case 'rate-limit':
              fake.switches.quotaUsage = fake.switches.quotaTotal;
              return;
            case 'server-error':
              fake.enqueue('media-create', { type: 'server-error' });
              return;
            case 'unauthorized':
              fake.enqueue('publishing-limit', {
                type: 'error',
                status: 400,
                code: 190,
                message: 'Error validating access token: The session has been invalidated',
              });
              return;
            case 'reject-media':
              fake.switches.containerOutcome = {
                status: 'ERROR',
                message: 'The video was rejected by conformance: unsupported aspect ratio',
              };
              return;
            case 'interrupt':
              return;
          }
        },
      },
      close: () => fake.close(),
    };
  },
});
