import { isSettingsError, type UploadCheckpoint } from '@vbuckets/core';
import {
  expectErrorCode,
  expectOk,
  type FakeMetaServer,
  startFakeMetaServer,
  uploadableVideoOf,
} from '@vbuckets/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetaAdVideoUploader } from '../src/meta-ad-video-uploader';
import { sha256Of, testBytes } from './meta-test-helpers';

let fake: FakeMetaServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: Parameters<typeof startFakeMetaServer>[0] = {}) {
  fake = await startFakeMetaServer(options);
  const server = fake;
  const uploader = createMetaAdVideoUploader({
    adAccountId: '1234',
    accessToken: async () => server.accessToken,
    baseURL: `${server.baseUrl}/v24.0`,
    pollIntervalMs: 1,
  });
  return { server, uploader };
}

describe('createMetaAdVideoUploader: the Graph protocol', () => {
  it('runs start → transfer at the offsets the server chose → finish → status polls', async () => {
    // Uneven sizes the client could not guess: it must take every offset from the answers.
    const { server, uploader } = await setup({ chunkPlan: [1000, 333, 4096], processingPolls: 2 });
    const bytes = testBytes(10_000);
    const success = await expectOk(
      uploader.upload(uploadableVideoOf(bytes), { title: 'Ad one', description: 'Hook A' }),
    );
    expect(server.requests.map((request) => request.route)).toEqual([
      'upload-start',
      'upload-transfer',
      'upload-transfer',
      'upload-transfer',
      'upload-transfer',
      'upload-transfer',
      'upload-finish',
      'video-status',
      'video-status',
      'video-status',
    ]);
    const start = server.requestsTo('upload-start')[0];
    expect(start?.path).toBe('/v24.0/act_1234/advideos');
    expect(start?.fields).toMatchObject({ upload_phase: 'start', file_size: '10000' });
    expect(start?.headers.authorization).toBe(`Bearer ${server.accessToken}`);
    const transfers = server.requestsTo('upload-transfer');
    const sessionId = transfers[0]?.fields.upload_session_id;
    expect(transfers.map((request) => [request.fields.start_offset, request.chunkBytes])).toEqual([
      ['0', 1000],
      ['1000', 333],
      ['1333', 4096],
      ['5429', 4096],
      ['9525', 475],
    ]);
    expect(new Set(transfers.map((request) => request.fields.upload_session_id))).toEqual(
      new Set([sessionId]),
    );
    expect(server.requestsTo('upload-finish')[0]?.fields).toMatchObject({
      upload_phase: 'finish',
      upload_session_id: sessionId,
      title: 'Ad one',
      description: 'Hook A',
    });
    expect(server.requestsTo('video-status')[0]?.path).toBe(
      `/v24.0/${success.platformPostId}?fields=status`,
    );
    expect(sha256Of(server.videoBytes(success.platformPostId) ?? new Uint8Array())).toBe(
      sha256Of(bytes),
    );
  });

  it('reports a checkpoint with the session, the confirmed offset and the next end offset', async () => {
    const { server, uploader } = await setup({ chunkPlan: [4000] });
    const checkpoints: UploadCheckpoint[] = [];
    const success = await expectOk(
      uploader.upload(
        uploadableVideoOf(testBytes(9_000)),
        {},
        {
          onCheckpoint: (checkpoint) => void checkpoints.push(checkpoint),
        },
      ),
    );
    const sessionId = server.requestsTo('upload-transfer')[0]?.fields.upload_session_id ?? '';
    const videoId = success.platformPostId;
    expect(checkpoints).toEqual([
      { sessionId, offset: 0, data: { videoId, endOffset: 4000 } },
      { sessionId, offset: 4000, data: { videoId, endOffset: 8000 } },
      { sessionId, offset: 8000, data: { videoId, endOffset: 9000 } },
      { sessionId, offset: 9000, data: { videoId, endOffset: 9000 } },
      { sessionId, offset: 9000, data: { videoId, endOffset: 9000, finished: true } },
    ]);
  });

  it('resumes the same session from a checkpoint, sending only the rest', async () => {
    const { server, uploader } = await setup({ chunkPlan: [3000] });
    const bytes = testBytes(10_000);
    const checkpoints: UploadCheckpoint[] = [];
    server.enqueue('upload-transfer', { type: 'pass' }, { type: 'reset' });
    const first = await uploader.upload(
      uploadableVideoOf(bytes),
      {},
      {
        onCheckpoint: (checkpoint) => void checkpoints.push(checkpoint),
      },
    );
    expect(first.isErr() && first.error.retryable).toBe(true);
    const last = checkpoints.at(-1);
    expect(last?.offset).toBe(3000);
    const opened: number[] = [];
    const success = await expectOk(
      uploader.upload(uploadableVideoOf(bytes, { opened }), {}, { checkpoint: last }),
    );
    expect(server.requestsTo('upload-start')).toHaveLength(1);
    expect(opened[0]).toBe(3000);
    expect(success.platformPostId).toBe(last?.data?.videoId);
    expect(server.acceptedBytes()).toBe(10_000);
    expect(sha256Of(server.videoBytes(success.platformPostId) ?? new Uint8Array())).toBe(
      sha256Of(bytes),
    );
  });

  it('resends a chunk the server stored but never answered, at the offset the server gives', async () => {
    const { server, uploader } = await setup({ chunkPlan: [3000] });
    const bytes = testBytes(7_000);
    const checkpoints: UploadCheckpoint[] = [];
    server.enqueue('upload-transfer', { type: 'pass' }, { type: 'reset-after-handling' });
    const first = await uploader.upload(
      uploadableVideoOf(bytes),
      {},
      {
        onCheckpoint: (checkpoint) => void checkpoints.push(checkpoint),
      },
    );
    expect(first.isErr()).toBe(true);
    const success = await expectOk(
      uploader.upload(uploadableVideoOf(bytes), {}, { checkpoint: checkpoints.at(-1) }),
    );
    expect(sha256Of(server.videoBytes(success.platformPostId) ?? new Uint8Array())).toBe(
      sha256Of(bytes),
    );
    expect(server.requestsTo('upload-finish')).toHaveLength(1);
  });

  it('starts a new session when the checkpoint session has expired', async () => {
    const { server, uploader } = await setup({ chunkPlan: [3000] });
    const bytes = testBytes(8_000);
    const checkpoints: UploadCheckpoint[] = [];
    server.enqueue('upload-transfer', { type: 'pass' }, { type: 'reset' });
    const interrupted = await uploader.upload(
      uploadableVideoOf(bytes),
      {},
      {
        onCheckpoint: (checkpoint) => void checkpoints.push(checkpoint),
      },
    );
    expect(interrupted.isErr()).toBe(true);
    const stale = checkpoints.at(-1) as UploadCheckpoint;
    server.expireSession(stale.sessionId);
    const success = await expectOk(
      uploader.upload(uploadableVideoOf(bytes), {}, { checkpoint: stale }),
    );
    expect(server.requestsTo('upload-start')).toHaveLength(2);
    expect(success.platformPostId).not.toBe(stale.data?.videoId);
    expect(sha256Of(server.videoBytes(success.platformPostId) ?? new Uint8Array())).toBe(
      sha256Of(bytes),
    );
  });

  it('skips straight to the status poll from a finished checkpoint', async () => {
    const { server, uploader } = await setup({ chunkPlan: [5000] });
    const bytes = testBytes(4_000);
    const checkpoints: UploadCheckpoint[] = [];
    server.enqueue('video-status', { type: 'reset' });
    const first = await uploader.upload(
      uploadableVideoOf(bytes),
      {},
      {
        onCheckpoint: (checkpoint) => void checkpoints.push(checkpoint),
      },
    );
    expect(first.isErr()).toBe(true);
    await expectOk(
      uploader.upload(uploadableVideoOf(bytes), {}, { checkpoint: checkpoints.at(-1) }),
    );
    expect(server.requestsTo('upload-start')).toHaveLength(1);
    expect(server.requestsTo('upload-finish')).toHaveLength(1);
  });

  it('fails final with the processing error of a video Meta could not process', async () => {
    const { uploader } = await setup({
      videoOutcome: { status: 'error', message: 'The video is too short' },
    });
    const error = await expectErrorCode(
      uploader.upload(uploadableVideoOf(testBytes(2_000)), {}),
      'PROVIDER',
    );
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('The video is too short');
  });

  it('gives up polling after pollTimeoutMs with a retryable error', async () => {
    fake = await startFakeMetaServer({ processingPolls: Number.POSITIVE_INFINITY });
    const server = fake;
    let clock = 0;
    const uploader = createMetaAdVideoUploader({
      adAccountId: 'act_9',
      accessToken: () => server.accessToken,
      baseURL: `${server.baseUrl}/v24.0`,
      pollIntervalMs: 1_000,
      pollTimeoutMs: 3_000,
      now: () => clock,
      sleep: async (milliseconds) => {
        clock += milliseconds;
      },
    });
    const error = await expectErrorCode(
      uploader.upload(uploadableVideoOf(testBytes(100)), {}),
      'PROVIDER',
    );
    expect(error.retryable).toBe(true);
    expect(server.requestsTo('video-status')).toHaveLength(4);
  });

  // Pins the default wait of the poll loops (core's timerSleep, then a signal check): an
  // abort between status polls ends the upload at once, not after the interval.
  it('is CANCELLED as soon as it is aborted while waiting between status polls', async () => {
    fake = await startFakeMetaServer({ processingPolls: Number.POSITIVE_INFINITY });
    const server = fake;
    const uploader = createMetaAdVideoUploader({
      adAccountId: 'act_9',
      accessToken: () => server.accessToken,
      baseURL: `${server.baseUrl}/v24.0`,
      pollIntervalMs: 600_000,
      pollTimeoutMs: 3_600_000,
    });
    const controller = new AbortController();
    const pending = uploader.upload(
      uploadableVideoOf(testBytes(100)),
      {},
      {
        signal: controller.signal,
      },
    );
    await expect.poll(() => server.requestsTo('video-status').length).toBe(1);
    const started = Date.now();
    controller.abort();
    await expectErrorCode(pending, 'CANCELLED');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(server.requestsTo('video-status')).toHaveLength(1);
  });

  it('reads the token from the callback for every request', async () => {
    const { server } = await setup();
    let calls = 0;
    const uploader = createMetaAdVideoUploader({
      adAccountId: '1',
      accessToken: () => {
        calls += 1;
        return server.accessToken;
      },
      baseURL: `${server.baseUrl}/v24.0`,
      pollIntervalMs: 1,
    });
    await expectOk(uploader.upload(uploadableVideoOf(testBytes(100)), {}));
    expect(calls).toBe(server.requests.length);
  });

  it('maps a wrong token (Graph 190 with HTTP 400) to UNAUTHENTICATED', async () => {
    const { server } = await setup();
    const uploader = createMetaAdVideoUploader({
      adAccountId: '1',
      accessToken: () => 'stale-token',
      baseURL: `${server.baseUrl}/v24.0`,
    });
    const error = await expectErrorCode(
      uploader.upload(uploadableVideoOf(testBytes(10)), {}),
      'UNAUTHENTICATED',
    );
    expect(error.message).toMatch(/^The meta access token was refused \(.*\); re-authenticate/u);
    expect(error).toMatchObject({ adapter: 'meta', operation: 'upload' });
    expect(error.details?.graphCode).toBe(190);
  });

  it('takes the rate-limit wait from estimated_time_to_regain_access', async () => {
    const { server, uploader } = await setup();
    server.enqueue('upload-start', { type: 'rate-limit', code: 17, regainAccessMinutes: 7 });
    const error = await expectErrorCode(
      uploader.upload(uploadableVideoOf(testBytes(10)), {}),
      'RATE_LIMITED',
    );
    expect(error.retryAfterMs).toBe(7 * 60_000);
  });

  it('treats Graph codes 1 and 2 as retryable and code 100 as final', async () => {
    const { server, uploader } = await setup();
    server.enqueue('upload-start', {
      type: 'error',
      status: 400,
      code: 1,
      message: 'An unknown error occurred',
    });
    const unknown = await expectErrorCode(
      uploader.upload(uploadableVideoOf(testBytes(10)), {}),
      'PROVIDER',
    );
    expect(unknown.retryable).toBe(true);
    server.enqueue('upload-start', {
      type: 'error',
      status: 400,
      code: 100,
      message: '(#100) Invalid parameter',
    });
    const invalid = await expectErrorCode(
      uploader.upload(uploadableVideoOf(testBytes(10)), {}),
      'PROVIDER',
    );
    expect(invalid.retryable).toBe(false);
    expect(invalid.message).toContain('(#100) Invalid parameter');
  });

  it('refuses bad settings and metadata with VALIDATION', async () => {
    const badAccount = createMetaAdVideoUploader({ adAccountId: 'acct-x', accessToken: () => 't' });
    const refused = await expectErrorCode(
      badAccount.upload(uploadableVideoOf(testBytes(10)), {}),
      'VALIDATION',
    );
    expect(refused).toMatchObject({ path: 'adAccountId', adapter: 'meta', operation: 'upload' });
    expect(isSettingsError(refused)).toBe(true);
    const extra = createMetaAdVideoUploader({
      adAccountId: '1',
      accessToken: () => 't',
      extra: true,
    } as unknown as Parameters<typeof createMetaAdVideoUploader>[0]);
    expect(extra.validateMetadata?.({})._unsafeUnwrapErr().message).toMatch(
      /^Invalid meta uploader settings/u,
    );
    const { uploader } = await setup();
    await expectErrorCode(
      uploader.upload(uploadableVideoOf(testBytes(10)), { title: 42 }),
      'VALIDATION',
    );
  });
});
