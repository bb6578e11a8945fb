import { isSettingsError, type UploadCheckpoint } from '@vbuckets/core';
import {
  expectErrorCode,
  expectOk,
  type FakeTikTokServer,
  startFakeTikTokServer,
  uploadableVideoOf,
} from '@vbuckets/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createTikTokUploader, tiktokChunkPlan } from '../src/tiktok-uploader';
import { sha256Of, testBytes } from './meta-test-helpers';

let fake: FakeTikTokServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(
  settings: Partial<Parameters<typeof createTikTokUploader>[0]> = {},
  options: Parameters<typeof startFakeTikTokServer>[0] = {},
) {
  fake = await startFakeTikTokServer({ minChunkBytes: 1_000, ...options });
  const server = fake;
  const uploader = createTikTokUploader({
    accessToken: async () => server.accessToken,
    baseURL: server.baseUrl,
    chunkBytes: 4_000,
    pollIntervalMs: 1,
    ...settings,
  });
  return { server, uploader };
}

describe('createTikTokUploader: the Content Posting protocol', () => {
  it('plans chunks as TikTok requires: floor(size / chunk), the last one taking the rest', () => {
    expect(tiktokChunkPlan(3_000, 4_000)).toEqual({ chunkSize: 3_000, totalChunkCount: 1 });
    expect(tiktokChunkPlan(10_000, 4_000)).toEqual({ chunkSize: 4_000, totalChunkCount: 2 });
    expect(tiktokChunkPlan(5_000_000, 1_000)).toEqual({ chunkSize: 5_000, totalChunkCount: 1000 });
  });

  it('inits an inbox upload, PUTs ordered chunks with Content-Range, polls the status', async () => {
    const { server, uploader } = await setup({}, { processingPolls: 2 });
    const bytes = testBytes(10_000);
    const success = await expectOk(uploader.upload(uploadableVideoOf(bytes), { title: 'ignored' }));
    expect(server.requests.map((request) => request.route)).toEqual([
      'init-inbox',
      'upload-chunk',
      'upload-chunk',
      'status-fetch',
      'status-fetch',
      'status-fetch',
    ]);
    const init = server.requestsTo('init-inbox')[0];
    expect(init?.path).toBe('/v2/post/publish/inbox/video/init/');
    expect(init?.headers.authorization).toBe(`Bearer ${server.accessToken}`);
    expect(init?.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(init?.json).toEqual({
      source_info: {
        source: 'FILE_UPLOAD',
        video_size: 10_000,
        chunk_size: 4_000,
        total_chunk_count: 2,
      },
    });
    const chunks = server.requestsTo('upload-chunk');
    expect(chunks.map((request) => request.headers['content-range'])).toEqual([
      'bytes 0-3999/10000',
      'bytes 4000-9999/10000',
    ]);
    expect(chunks.map((request) => request.headers['content-type'])).toEqual([
      'video/mp4',
      'video/mp4',
    ]);
    const publish = [...server.publishes.values()][0];
    expect(server.requestsTo('status-fetch')[0]?.json).toEqual({ publish_id: publish?.publishId });
    expect(success.platformPostId).toBe(publish?.publishId);
    expect(sha256Of(publish?.received ?? new Uint8Array())).toBe(sha256Of(bytes));
  });

  it('direct post sends post_info and returns the public post id', async () => {
    const { server, uploader } = await setup({ mode: 'direct' });
    const success = await expectOk(
      uploader.upload(uploadableVideoOf(testBytes(5_000)), {
        title: 'Caption #ad',
        privacyLevel: 'PUBLIC_TO_EVERYONE',
        disableDuet: true,
      }),
    );
    expect(server.requestsTo('init-direct')[0]?.json).toMatchObject({
      post_info: {
        title: 'Caption #ad',
        privacy_level: 'PUBLIC_TO_EVERYONE',
        disable_duet: true,
        disable_comment: false,
        disable_stitch: false,
      },
    });
    expect(success.platformPostId).toBe(server.completed()[0]?.postId);
  });

  it('reports checkpoints with the publish id and resumes at the next chunk', async () => {
    const { server, uploader } = await setup({ chunkBytes: 2_000 });
    const bytes = testBytes(9_000);
    const checkpoints: UploadCheckpoint[] = [];
    server.enqueue('upload-chunk', { type: 'pass' }, { type: 'pass' }, { type: 'reset' });
    const first = await uploader.upload(
      uploadableVideoOf(bytes),
      {},
      {
        onCheckpoint: (checkpoint) => void checkpoints.push(checkpoint),
      },
    );
    expect(first.isErr() && first.error.retryable).toBe(true);
    const publishId = [...server.publishes.keys()][0];
    const uploadUrl = server.requestsTo('upload-chunk')[0]?.path;
    expect(checkpoints.map((each) => [each.sessionId, each.offset])).toEqual([
      [publishId, 0],
      [publishId, 2_000],
      [publishId, 4_000],
    ]);
    expect(checkpoints[0]?.data).toMatchObject({ chunkSize: 2_000, totalChunkCount: 4 });
    expect(
      new URL(String(checkpoints[0]?.data?.uploadUrl)).pathname +
        new URL(String(checkpoints[0]?.data?.uploadUrl)).search,
    ).toBe(uploadUrl);

    const success = await expectOk(
      uploader.upload(uploadableVideoOf(bytes), {}, { checkpoint: checkpoints.at(-1) }),
    );
    expect(server.requestsTo('init-inbox')).toHaveLength(1);
    expect(
      server
        .requestsTo('upload-chunk')
        .slice(3)
        .map((each) => each.headers['content-range']),
    ).toEqual(['bytes 4000-5999/9000', 'bytes 6000-8999/9000']);
    expect(server.acceptedBytes()).toBe(9_000);
    expect(success.platformPostId).toBe(publishId);
    expect(sha256Of(server.publishes.get(publishId ?? '')?.received ?? new Uint8Array())).toBe(
      sha256Of(bytes),
    );
  });

  it('starts over when the checkpoint upload URL has expired', async () => {
    const { server, uploader } = await setup({ chunkBytes: 2_000 });
    const bytes = testBytes(6_000);
    const checkpoints: UploadCheckpoint[] = [];
    server.enqueue('upload-chunk', { type: 'pass' }, { type: 'reset' });
    const interrupted = await uploader.upload(
      uploadableVideoOf(bytes),
      {},
      {
        onCheckpoint: (checkpoint) => void checkpoints.push(checkpoint),
      },
    );
    expect(interrupted.isErr()).toBe(true);
    const stale = checkpoints.at(-1) as UploadCheckpoint;
    server.expireUpload(stale.sessionId);
    const success = await expectOk(
      uploader.upload(uploadableVideoOf(bytes), {}, { checkpoint: stale }),
    );
    expect(server.requestsTo('init-inbox')).toHaveLength(2);
    expect(success.platformPostId).not.toBe(stale.sessionId);
  });

  it('fails final with fail_reason when TikTok fails the post', async () => {
    const { uploader } = await setup(
      {},
      { outcome: { status: 'FAILED', failReason: 'duration_check_failed' } },
    );
    const error = await expectErrorCode(
      uploader.upload(uploadableVideoOf(testBytes(3_000)), {}),
      'PROVIDER',
    );
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('duration_check_failed');
  });

  it('maps access_token_invalid, rate_limit_exceeded, spam_risk_too_many_posts and 5xx', async () => {
    const { server } = await setup();
    const wrongToken = createTikTokUploader({ accessToken: () => 'nope', baseURL: server.baseUrl });
    const unauthenticated = await expectErrorCode(
      wrongToken.upload(uploadableVideoOf(testBytes(10)), {}),
      'UNAUTHENTICATED',
    );
    expect(unauthenticated.message).toContain('The access token is invalid');
    const uploader = createTikTokUploader({
      accessToken: () => server.accessToken,
      baseURL: server.baseUrl,
    });
    server.enqueue('init-inbox', { type: 'rate-limit' });
    const limited = await expectErrorCode(
      uploader.upload(uploadableVideoOf(testBytes(10)), {}),
      'RATE_LIMITED',
    );
    expect(limited.retryAfterMs).toBe(60_000);
    server.enqueue('init-inbox', { type: 'too-many-posts' });
    const capped = await expectErrorCode(
      uploader.upload(uploadableVideoOf(testBytes(10)), {}),
      'RATE_LIMITED',
    );
    expect(capped.retryAfterMs).toBe(3_600_000);
    server.enqueue('init-inbox', { type: 'server-error', status: 503 });
    const unavailable = await expectErrorCode(
      uploader.upload(uploadableVideoOf(testBytes(10)), {}),
      'PROVIDER',
    );
    expect(unavailable.retryable).toBe(true);
    server.enqueue('init-inbox', {
      type: 'error',
      status: 400,
      code: 'invalid_params',
      message: 'video_size is wrong',
    });
    const invalid = await expectErrorCode(
      uploader.upload(uploadableVideoOf(testBytes(10)), {}),
      'PROVIDER',
    );
    expect(invalid.retryable).toBe(false);
    expect(invalid.message).toContain('video_size is wrong');
  });

  it('throws nothing for bad settings: every call answers VALIDATION naming the field', async () => {
    const uploader = createTikTokUploader({ accessToken: () => 't', chunkBytes: 0 });
    const refused = await expectErrorCode(
      uploader.upload(uploadableVideoOf(new Uint8Array(10)), {}),
      'VALIDATION',
    );
    expect(refused).toMatchObject({ path: 'chunkBytes', adapter: 'tiktok', operation: 'upload' });
    expect(refused.message).toMatch(/^Invalid tiktok uploader settings\.chunkBytes: /u);
    expect(isSettingsError(refused)).toBe(true);
  });
});
