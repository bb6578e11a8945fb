import { isSettingsError, type UploadCheckpoint } from '@vbuckets/core';
import {
  expectErrorCode,
  expectOk,
  type FakeInstagramServer,
  startFakeInstagramServer,
  uploadableVideoOf,
} from '@vbuckets/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createInstagramReelsUploader } from '../src/instagram-reels-uploader';
import { withPublicUrl } from './instagram-test-helpers';
import { sha256Of, testBytes } from './meta-test-helpers';

const IG_USER = '17841400000000001';
let fake: FakeInstagramServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: Parameters<typeof startFakeInstagramServer>[0] = {}) {
  fake = await startFakeInstagramServer(options);
  const server = fake;
  const uploader = createInstagramReelsUploader({
    igUserId: IG_USER,
    accessToken: () => server.accessToken,
    baseURL: `${server.baseUrl}/v24.0`,
    pollIntervalMs: 1,
  });
  return { server, uploader };
}

describe('createInstagramReelsUploader: the Reels publishing protocol', () => {
  it('reads the quota first, creates a REELS container from the presigned URL, polls, publishes', async () => {
    const { server, uploader } = await setup({ processingPolls: 2 });
    const bytes = testBytes(20_000);
    const video = withPublicUrl(uploadableVideoOf(bytes), server);
    const success = await expectOk(
      uploader.upload(video, { caption: 'New reel #ad', shareToFeed: true }),
    );
    const apiRoutes = server.requests
      .filter((each) => each.route !== 'media-host')
      .map((each) => each.route);
    expect(apiRoutes[0]).toBe('publishing-limit');
    expect(apiRoutes[1]).toBe('media-create');
    expect(apiRoutes.at(-1)).toBe('media-publish');
    expect(apiRoutes.slice(2, -1).every((route) => route === 'container-status')).toBe(true);
    expect(server.requestsTo('publishing-limit')[0]?.path).toBe(
      `/v24.0/${IG_USER}/content_publishing_limit?fields=quota_usage%2Cconfig`,
    );
    const create = server.requestsTo('media-create')[0];
    expect(create?.path).toBe(`/v24.0/${IG_USER}/media`);
    expect(create?.headers.authorization).toBe(`Bearer ${server.accessToken}`);
    expect(create?.fields).toMatchObject({
      media_type: 'REELS',
      caption: 'New reel #ad',
      share_to_feed: 'true',
    });
    expect(create?.fields.video_url).toMatch(
      /\/media-host\/[a-f0-9]+\?X-Amz-Expires=3600&X-Amz-Signature=/u,
    );
    const container = [...server.containers.values()][0];
    expect(server.requestsTo('container-status')[0]?.path).toBe(
      `/v24.0/${container?.containerId}?fields=status_code%2Cstatus`,
    );
    expect(server.requestsTo('media-publish')[0]?.fields.creation_id).toBe(container?.containerId);
    expect(success.platformPostId).toBe(container?.mediaId);
    expect(sha256Of(container?.video ?? new Uint8Array())).toBe(sha256Of(bytes));
    expect(server.switches.quotaUsage).toBe(1);
  });

  it('refuses a video without a public URL before any request', async () => {
    const { server, uploader } = await setup();
    const error = await expectErrorCode(
      uploader.upload(uploadableVideoOf(testBytes(10)), {}),
      'VALIDATION',
    );
    expect(error.message).toBe(
      'Instagram fetches the video from a public URL: use a BlobStore that can presign',
    );
    expect(error).toMatchObject({ adapter: 'instagram', operation: 'upload' });
    expect(server.requests).toHaveLength(0);
  });

  it('throws nothing for bad settings: every call answers VALIDATION, sending nothing', async () => {
    const { server } = await setup();
    const uploader = createInstagramReelsUploader({
      igUserId: '',
      accessToken: () => server.accessToken,
      baseURL: `${server.baseUrl}/v24.0`,
    });
    const error = await expectErrorCode(
      uploader.upload(withPublicUrl(uploadableVideoOf(testBytes(10)), server), {}),
      'VALIDATION',
    );
    expect(error).toMatchObject({ path: 'igUserId', adapter: 'instagram', operation: 'upload' });
    expect(error.message).toMatch(/^Invalid instagram uploader settings\.igUserId: /u);
    expect(isSettingsError(error)).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it('is RATE_LIMITED for an hour when the publishing quota is spent, creating nothing', async () => {
    const { server, uploader } = await setup({ quotaUsage: 25, quotaTotal: 25 });
    const error = await expectErrorCode(
      uploader.upload(withPublicUrl(uploadableVideoOf(testBytes(10)), server), {}),
      'RATE_LIMITED',
    );
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(error.message).toContain('25 of 25');
    expect(server.requestsTo('media-create')).toHaveLength(0);
  });

  it('reuses the checkpoint container across a retry instead of creating a second one', async () => {
    const { server, uploader } = await setup();
    const bytes = testBytes(5_000);
    const checkpoints: UploadCheckpoint[] = [];
    server.enqueue('media-publish', { type: 'reset' });
    const first = await uploader.upload(
      withPublicUrl(uploadableVideoOf(bytes), server),
      {},
      {
        onCheckpoint: (checkpoint) => void checkpoints.push(checkpoint),
      },
    );
    expect(first.isErr() && first.error.retryable).toBe(true);
    const containerId = [...server.containers.keys()][0];
    expect(checkpoints).toEqual([{ sessionId: containerId, offset: 0 }]);
    const success = await expectOk(
      uploader.upload(
        withPublicUrl(uploadableVideoOf(bytes), server),
        {},
        { checkpoint: checkpoints[0] },
      ),
    );
    expect(server.containers.size).toBe(1);
    expect(server.requestsTo('media-create')).toHaveLength(1);
    expect(success.platformPostId).toBe(server.containers.get(containerId ?? '')?.mediaId);
  });

  it('does not publish twice when the publish answer was lost', async () => {
    const { server, uploader } = await setup();
    const checkpoints: UploadCheckpoint[] = [];
    server.enqueue('media-publish', { type: 'reset-after-handling' });
    const first = await uploader.upload(
      withPublicUrl(uploadableVideoOf(testBytes(100)), server),
      {},
      {
        onCheckpoint: (checkpoint) => void checkpoints.push(checkpoint),
      },
    );
    expect(first.isErr()).toBe(true);
    const retry = await expectOk(
      uploader.upload(
        withPublicUrl(uploadableVideoOf(testBytes(100)), server),
        {},
        { checkpoint: checkpoints.at(-1) },
      ),
    );
    expect(server.published()).toHaveLength(1);
    expect(server.requestsTo('media-publish')).toHaveLength(1);
    expect(retry.platformPostId).toBe(checkpoints.at(-1)?.sessionId);
  });

  it('returns the media id of a published checkpoint without asking again', async () => {
    const { server, uploader } = await setup();
    const success = await expectOk(
      uploader.upload(
        withPublicUrl(uploadableVideoOf(testBytes(10)), server),
        {},
        {
          checkpoint: { sessionId: '1', offset: 10, data: { mediaId: '999' } },
        },
      ),
    );
    expect(success.platformPostId).toBe('999');
    expect(server.requests).toHaveLength(0);
  });

  it('replaces an expired checkpoint container with a new one', async () => {
    const { server, uploader } = await setup();
    const checkpoints: UploadCheckpoint[] = [];
    server.enqueue('media-publish', { type: 'reset' });
    const interrupted = await uploader.upload(
      withPublicUrl(uploadableVideoOf(testBytes(10)), server),
      {},
      {
        onCheckpoint: (checkpoint) => void checkpoints.push(checkpoint),
      },
    );
    expect(interrupted.isErr()).toBe(true);
    const old = server.containers.get(checkpoints[0]?.sessionId ?? '');
    if (old !== undefined) old.expired = true;
    const success = await expectOk(
      uploader.upload(
        withPublicUrl(uploadableVideoOf(testBytes(10)), server),
        {},
        { checkpoint: checkpoints[0] },
      ),
    );
    expect(server.requestsTo('media-create')).toHaveLength(2);
    expect(server.published()).toHaveLength(1);
    expect(server.published()[0]?.containerId).not.toBe(old?.containerId);
    expect(success.platformPostId).toBe(server.published()[0]?.mediaId);
  });

  it('fails final with the status message of a container in ERROR', async () => {
    const { server, uploader } = await setup({
      containerOutcome: { status: 'ERROR', message: 'The video duration is too short' },
    });
    const error = await expectErrorCode(
      uploader.upload(withPublicUrl(uploadableVideoOf(testBytes(10)), server), {}),
      'PROVIDER',
    );
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('The video duration is too short');
    expect(server.published()).toHaveLength(0);
  });

  it('maps Graph errors like Meta: 190 re-auth, 4 rate limit', async () => {
    const { server, uploader } = await setup();
    server.enqueue('publishing-limit', {
      type: 'error',
      status: 400,
      code: 190,
      message: 'Token expired',
    });
    await expectErrorCode(
      uploader.upload(withPublicUrl(uploadableVideoOf(testBytes(10)), server), {}),
      'UNAUTHENTICATED',
    );
    server.enqueue('media-create', { type: 'rate-limit' });
    const limited = await expectErrorCode(
      uploader.upload(withPublicUrl(uploadableVideoOf(testBytes(10)), server), {}),
      'RATE_LIMITED',
    );
    expect(limited.retryAfterMs).toBeGreaterThan(0);
  });
});
