import { describeUploaderConformance, startFakeTikTokServer } from '@vbuckets/testkit';
import { createTikTokUploader } from '../src/tiktok-uploader';

describeUploaderConformance({
  name: 'tiktok (fake Content Posting API)',
  async createUploader() {
    const fake = await startFakeTikTokServer({ minChunkBytes: 64 * 1024, processingPolls: 1 });
    const uploader = createTikTokUploader({
      accessToken: () => fake.accessToken,
      mode: 'direct',
      baseURL: fake.baseUrl,
      chunkBytes: 256 * 1024,
      pollIntervalMs: 1,
    });
    return {
      uploader,
      async readUploaded(platformPostId) {
        const publish = fake.completed().find((each) => each.postId === platformPostId);
        return new Uint8Array(publish?.received ?? []);
      },
      async countPosts() {
        return fake.completed().length;
      },
      async acceptedBytes() {
        return fake.acceptedBytes();
      },
      script: {
        failNext(kind) {
          switch (kind) {
            case 'rate-limit':
              fake.enqueue('init-direct', { type: 'rate-limit' });
              return;
            case 'server-error':
              fake.enqueue('init-direct', { type: 'server-error' });
              return;
            case 'unauthorized':
              fake.enqueue('init-direct', {
                type: 'error',
                status: 401,
                code: 'access_token_invalid',
                message: 'The access token is invalid or not found in the request.',
              });
              return;
            case 'reject-media':
              fake.switches.outcome = {
                status: 'FAILED',
                failReason: 'file_format_check_failed (rejected by conformance)',
              };
              return;
            case 'interrupt':
              fake.enqueue('upload-chunk', { type: 'pass' }, { type: 'reset' });
              return;
          }
        },
      },
      close: () => fake.close(),
    };
  },
});
