import { describeUploaderConformance, startFakeMetaServer } from '@vbuckets/testkit';
import { createMetaAdVideoUploader } from '../src/meta-ad-video-uploader';

describeUploaderConformance({
  name: 'meta ad video (fake Graph API)',
  async createUploader() {
    const fake = await startFakeMetaServer({ chunkPlan: [256 * 1024], processingPolls: 1 });
    const uploader = createMetaAdVideoUploader({
      adAccountId: 'act_1234',
      accessToken: () => fake.accessToken,
      baseURL: `${fake.baseUrl}/v24.0`,
      pollIntervalMs: 1,
    });
    return {
      uploader,
      async readUploaded(platformPostId) {
        return new Uint8Array(fake.videoBytes(platformPostId) ?? []);
      },
      async countPosts() {
        return [...fake.sessions.values()].filter((session) => session.finished).length;
      },
      async acceptedBytes() {
        return fake.acceptedBytes();
      },
      script: {
        failNext(kind) {
          switch (kind) {
            case 'rate-limit':
              fake.enqueue('upload-start', { type: 'rate-limit', regainAccessMinutes: 2 });
              return;
            case 'server-error':
              fake.enqueue('upload-start', { type: 'server-error' });
              return;
            case 'unauthorized':
              fake.enqueue('upload-start', {
                type: 'error',
                status: 400,
                code: 190,
                message: 'Error validating access token: Session has expired',
                subcode: 463,
              });
              return;
            case 'reject-media':
              fake.enqueue('upload-finish', {
                type: 'error',
                status: 400,
                code: 352,
                message:
                  'The video file you selected is rejected by conformance: unsupported format',
              });
              return;
            case 'interrupt':
              fake.enqueue('upload-transfer', { type: 'pass' }, { type: 'reset' });
              return;
          }
        },
      },
      close: () => fake.close(),
    };
  },
});
