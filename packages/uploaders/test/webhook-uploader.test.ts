import { createHash, createHmac } from 'node:crypto';
import { isSettingsError } from '@vbuckets/core';
import {
  describeUploaderConformance,
  expectErrorCode,
  expectOk,
  uploadableVideoOf,
} from '@vbuckets/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookUploader, webhookSignature } from '../src/index';
import { SECRET, startWebhookReceiver } from './webhook-test-receiver';

describeUploaderConformance({
  name: 'webhook (signed multipart POST)',
  capabilities: { resumable: false },
  metadata: { caption: 'hello', tags: ['a'] },
  createUploader: async () => {
    const receiver = await startWebhookReceiver();
    return {
      uploader: createWebhookUploader({ url: receiver.url, secret: SECRET }),
      readUploaded: async (postId) => {
        const post = receiver.posts.get(postId);
        if (post === undefined) throw new Error(`no post ${postId}`);
        return post.bytes;
      },
      countPosts: async () => receiver.posts.size,
      script: { failNext: receiver.failNext },
      close: receiver.close,
    };
  },
});

describe('webhook uploader', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });
  async function receiver(secret?: string) {
    const started = await startWebhookReceiver(secret);
    closers.push(started.close);
    return started;
  }

  it('sends the metadata part, the file part and a verifiable signature', async () => {
    const target = await receiver();
    const bytes = new Uint8Array(300_000).map((_, index) => index % 241);
    const video = uploadableVideoOf(bytes, { videoId: 'v-9', filename: 'my "clip".mp4' });
    // A timestamp far from now is refused as stale: the receiver checks freshness.
    const stale = createWebhookUploader({ url: target.url, secret: SECRET, now: () => 1_000 });
    await expectErrorCode(stale.upload(video, { caption: 'hi' }), 'UNAUTHENTICATED');
    expect(target.refusals).toEqual(['stale']);

    const delivered = await expectOk(
      createWebhookUploader({ url: target.url, secret: SECRET }).upload(video, { caption: 'hi' }),
    );
    const post = target.posts.get(delivered.platformPostId);
    expect(post?.metadata).toEqual({
      videoId: 'v-9',
      title: 'Conformance video',
      filename: 'my "clip".mp4',
      mimeType: 'video/mp4',
      sizeBytes: 300_000,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      metadata: { caption: 'hi' },
    });
    expect(post?.filename).toBe('my "clip".mp4');
    expect(post?.headers['x-vbuckets-video-id']).toBe('v-9');
    expect(post?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=vbuckets-/u);
    expect(delivered.url).toBe(`https://example.test/posts/${delivered.platformPostId}`);
  });

  it('is refused (UNAUTHENTICATED) when signed with another secret', async () => {
    const target = await receiver();
    const uploader = createWebhookUploader({ url: target.url, secret: 'another-secret-entirely' });
    await expectErrorCode(
      uploader.upload(uploadableVideoOf(new Uint8Array(10)), {}),
      'UNAUTHENTICATED',
    );
    expect(target.refusals).toEqual(['signature']);
  });

  it('signs `<timestamp>.<sha256>.<metadata>` with HMAC-SHA256', () => {
    const expected = createHmac('sha256', 'key').update('1.abc.{}').digest('hex');
    expect(webhookSignature('key', '1', 'abc', '{}')).toBe(`sha256=${expected}`);
  });

  it('maps an interrupted delivery to a retryable error and validates settings', async () => {
    const target = await receiver();
    target.failNext('interrupt');
    const uploader = createWebhookUploader({ url: target.url, secret: SECRET });
    const settled = await uploader.upload(uploadableVideoOf(new Uint8Array(2_000_000)), {});
    expect(settled.isErr() && settled.error.retryable).toBe(true);
    const postsBefore = target.posts.size;
    const ftp = createWebhookUploader({ url: 'ftp://x', secret: SECRET });
    const badUrl = await expectErrorCode(
      ftp.upload(uploadableVideoOf(new Uint8Array(10)), {}),
      'VALIDATION',
    );
    expect(badUrl).toMatchObject({ path: 'url', adapter: 'webhook', operation: 'upload' });
    expect(isSettingsError(badUrl)).toBe(true);
    const short = createWebhookUploader({ url: target.url, secret: 'short' });
    expect(short.validateMetadata?.({})._unsafeUnwrapErr()).toMatchObject({
      path: 'secret',
      operation: 'validateMetadata',
    });
    await expectErrorCode(short.upload(uploadableVideoOf(new Uint8Array(10)), {}), 'VALIDATION');
    expect(target.posts.size).toBe(postsBefore);
  });
});
