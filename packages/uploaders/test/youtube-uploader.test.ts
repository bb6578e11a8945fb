import { isSettingsError, type UploadCheckpoint } from '@vbuckets/core';
import {
  expectErrorCode,
  expectOk,
  type FakeYouTubeScript,
  uploadableVideoOf,
} from '@vbuckets/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createYouTubeUploader } from '../src/index';
import { CHUNK, TOKEN, videoOf, youTubeFixture } from './youtube-test-helpers';

const SIZE = 4 * CHUNK + 5;

function bytesOf(size: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let index = 0; index < size; index += 1) bytes[index] = (index * 31 + seed) % 251;
  return bytes;
}

function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.byteLength).toBe(expected.byteLength);
  expect(Buffer.from(actual).equals(Buffer.from(expected)), 'uploaded bytes differ').toBe(true);
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

async function fixture(settings: Parameters<typeof youTubeFixture>[0] = {}) {
  const made = await youTubeFixture(settings);
  closers.push(() => made.server.close());
  return made;
}

describe('youtube resumable upload protocol', () => {
  it('starts a session with the metadata JSON and upload headers, token from the callback', async () => {
    let calls = 0;
    const { server, uploader } = await fixture({
      accessToken: async () => {
        calls += 1;
        return TOKEN;
      },
    });
    const success = await expectOk(
      uploader.upload(uploadableVideoOf(bytesOf(SIZE), { mimeType: 'video/quicktime' }), {
        title: 'My clip',
        description: 'About it',
        tags: ['a', 'b'],
        categoryId: '22',
      }),
    );
    const start = server.requests[0];
    expect(start?.route).toBe('start');
    expect(start?.method).toBe('POST');
    expect(start?.path).toBe('/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status');
    expect(start?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(start?.headers['x-upload-content-length']).toBe(String(SIZE));
    expect(start?.headers['x-upload-content-type']).toBe('video/quicktime');
    expect(start?.headers['content-type']).toMatch(/^application\/json/u);
    expect(start?.json).toEqual({
      snippet: { title: 'My clip', description: 'About it', tags: ['a', 'b'], categoryId: '22' },
      status: { privacyStatus: 'private' },
    });
    for (const request of server.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    }
    expect(calls).toBe(server.requests.length);
    expect(success.url).toBe(`https://www.youtube.com/watch?v=${success.platformPostId}`);
    expect(videoOf(server, success.platformPostId).contentType).toBe('video/quicktime');
  });

  it("defaults the title to the video's, and takes privacy from settings or metadata", async () => {
    const { server, uploader } = await fixture({ privacyStatus: 'unlisted' });
    await expectOk(uploader.upload(uploadableVideoOf(bytesOf(100)), { madeForKids: false }));
    await expectOk(uploader.upload(uploadableVideoOf(bytesOf(100)), { privacyStatus: 'public' }));
    const starts = server.requests.filter((request) => request.route === 'start');
    expect(starts[0]?.json).toEqual({
      snippet: { title: 'Conformance video' },
      status: { privacyStatus: 'unlisted', selfDeclaredMadeForKids: false },
    });
    expect(starts[1]?.json).toMatchObject({ status: { privacyStatus: 'public' } });
  });

  it('PUTs 256 KiB-aligned chunks with Content-Range and checkpoints each 308', async () => {
    const { server, uploader } = await fixture();
    const checkpoints: UploadCheckpoint[] = [];
    const success = await expectOk(
      uploader.upload(
        uploadableVideoOf(bytesOf(SIZE), { pieceBytes: 10_000 }),
        {},
        {
          onCheckpoint: (checkpoint) => void checkpoints.push(checkpoint),
        },
      ),
    );
    const chunks = server.requests.filter((request) => request.route === 'chunk');
    expect(chunks.map((request) => request.headers['content-range'])).toEqual([
      `bytes 0-262143/${SIZE}`,
      `bytes 262144-524287/${SIZE}`,
      `bytes 524288-786431/${SIZE}`,
      `bytes 786432-1048575/${SIZE}`,
      `bytes 1048576-1048580/${SIZE}`,
    ]);
    expect(chunks.map((request) => request.method)).toEqual(['PUT', 'PUT', 'PUT', 'PUT', 'PUT']);
    const session = [...server.sessions.values()][0];
    expect(checkpoints).toEqual(
      [0, CHUNK, 2 * CHUNK, 3 * CHUNK, 4 * CHUNK].map((offset) => ({
        sessionId: session?.uri,
        offset,
      })),
    );
    expectSameBytes(videoOf(server, success.platformPostId).bytes, bytesOf(SIZE));
  });

  it('after a dropped connection, asks `bytes */total` and continues from Range + 1', async () => {
    const { server, uploader } = await fixture();
    // The server kept 100 000 bytes of the cut chunk: the resume must start after them.
    server.script({
      route: 'chunk',
      fromOffset: 1,
      failure: { kind: 'interrupt', afterBytes: 150_000, keepBytes: 100_000 },
    });
    const checkpoints: UploadCheckpoint[] = [];
    const bytes = bytesOf(SIZE, 7);
    const first = await uploader.upload(
      uploadableVideoOf(bytes),
      {},
      {
        onCheckpoint: (checkpoint) => void checkpoints.push(checkpoint),
      },
    );
    expect(first.isErr() && first.error.code).toBe('PROVIDER');
    expect(first.isErr() && first.error.retryable).toBe(true);
    const last = checkpoints.at(-1) as UploadCheckpoint;
    expect(last.offset).toBe(CHUNK);

    const before = server.requests.length;
    const opened: number[] = [];
    const success = await expectOk(
      uploader.upload(uploadableVideoOf(bytes, { opened }), {}, { checkpoint: last }),
    );
    const resumed = server.requests.slice(before);
    expect(resumed[0]?.route).toBe('status');
    expect(resumed[0]?.path).toBe(
      new URL(last.sessionId).pathname + new URL(last.sessionId).search,
    );
    expect(resumed[0]?.headers['content-range']).toBe(`bytes */${SIZE}`);
    expect(resumed[0]?.headers['content-length']).toBe('0');
    expect(resumed[1]?.headers['content-range']).toBe(
      `bytes ${CHUNK + 100_000}-${CHUNK + 100_000 + CHUNK - 1}/${SIZE}`,
    );
    expect(opened[0]).toBe(CHUNK + 100_000);
    expect(server.requests.filter((request) => request.route === 'start')).toHaveLength(1);
    expectSameBytes(videoOf(server, success.platformPostId).bytes, bytes);
    expect(server.acceptedBytes()).toBe(SIZE);
    expect(server.videos.size).toBe(1);
  });

  it('re-opens the stream where a 308 Range says, when the server kept less than was sent', async () => {
    const { server, uploader } = await fixture();
    const bytes = bytesOf(SIZE, 3);
    const opened: number[] = [];
    server.script({ route: 'chunk', fromOffset: 1, failure: { kind: 'interrupt', keepBytes: 1 } });
    const checkpoints: UploadCheckpoint[] = [];
    const interrupted = await uploader.upload(
      uploadableVideoOf(bytes),
      {},
      {
        onCheckpoint: (checkpoint) => void checkpoints.push(checkpoint),
      },
    );
    expect(interrupted.isErr()).toBe(true);
    const success = await expectOk(
      uploader.upload(uploadableVideoOf(bytes, { opened }), {}, { checkpoint: checkpoints.at(-1) }),
    );
    expect(opened).toEqual([CHUNK + 1]);
    expectSameBytes(videoOf(server, success.platformPostId).bytes, bytes);
  });

  it('returns the finished video for a checkpoint of a completed session, sending no bytes', async () => {
    const { server, uploader } = await fixture();
    const checkpoints: UploadCheckpoint[] = [];
    const bytes = bytesOf(SIZE);
    const done = await expectOk(
      uploader.upload(
        uploadableVideoOf(bytes),
        {},
        {
          onCheckpoint: (checkpoint) => void checkpoints.push(checkpoint),
        },
      ),
    );
    const before = server.requests.length;
    const again = await expectOk(
      uploader.upload(uploadableVideoOf(bytes), {}, { checkpoint: checkpoints.at(-1) }),
    );
    expect(again.platformPostId).toBe(done.platformPostId);
    expect(server.requests.slice(before).map((request) => request.route)).toEqual(['status']);
    expect(server.videos.size).toBe(1);
  });

  it('starts a new session when the checkpointed one expired (404)', async () => {
    const { server, uploader } = await fixture();
    server.script({ route: 'chunk', fromOffset: 1, failure: { kind: 'interrupt' } });
    const checkpoints: UploadCheckpoint[] = [];
    const bytes = bytesOf(SIZE, 5);
    const interrupted = await uploader.upload(
      uploadableVideoOf(bytes),
      {},
      {
        onCheckpoint: (checkpoint) => void checkpoints.push(checkpoint),
      },
    );
    expect(interrupted.isErr()).toBe(true);
    const old = checkpoints.at(-1) as UploadCheckpoint;
    server.expireSession(new URL(old.sessionId).searchParams.get('upload_id') ?? '');
    const fresh: UploadCheckpoint[] = [];
    const success = await expectOk(
      uploader.upload(
        uploadableVideoOf(bytes),
        {},
        {
          checkpoint: old,
          onCheckpoint: (checkpoint) => void fresh.push(checkpoint),
        },
      ),
    );
    expect(server.requests.filter((request) => request.route === 'start')).toHaveLength(2);
    expect(fresh[0]).toEqual({ sessionId: expect.not.stringMatching(old.sessionId), offset: 0 });
    expectSameBytes(videoOf(server, success.platformPostId).bytes, bytes);
  });
});

describe('youtube error mapping', () => {
  const cases: Array<{
    name: string;
    script: FakeYouTubeScript;
    code: string;
    retryable: boolean;
    retryAfterMs?: number;
    message: RegExp;
  }> = [
    {
      name: '403 quotaExceeded → RATE_LIMITED for an hour',
      script: { route: 'start', failure: { kind: 'rate-limit', reason: 'quotaExceeded' } },
      code: 'RATE_LIMITED',
      retryable: true,
      retryAfterMs: 3_600_000,
      message: /^Start upload session on youtube failed \(HTTP 403\): .*exceeded your quota/u,
    },
    {
      name: '403 rateLimitExceeded → RATE_LIMITED for a minute',
      script: { route: 'start', failure: { kind: 'rate-limit', reason: 'rateLimitExceeded' } },
      code: 'RATE_LIMITED',
      retryable: true,
      retryAfterMs: 60_000,
      message: /too many requests/u,
    },
    {
      name: '403 userRateLimitExceeded with Retry-After → its delay',
      script: {
        route: 'chunk',
        failure: { kind: 'rate-limit', reason: 'userRateLimitExceeded', retryAfterSeconds: 7 },
      },
      code: 'RATE_LIMITED',
      retryable: true,
      retryAfterMs: 7_000,
      message: /^Upload chunk on youtube failed \(HTTP 403\)/u,
    },
    {
      name: '429 with Retry-After → RATE_LIMITED',
      script: {
        route: 'start',
        failure: {
          kind: 'rate-limit',
          reason: 'rateLimitExceeded',
          status: 429,
          retryAfterSeconds: 30,
        },
      },
      code: 'RATE_LIMITED',
      retryable: true,
      retryAfterMs: 30_000,
      message: /HTTP 429/u,
    },
    {
      name: '401 → UNAUTHENTICATED asking to re-authenticate',
      script: { route: 'start', failure: { kind: 'unauthorized' } },
      code: 'UNAUTHENTICATED',
      retryable: false,
      message:
        /^The youtube access token was refused \(HTTP 401\); re-authenticate: Invalid Credentials/u,
    },
    {
      name: '500 at the start → retryable PROVIDER',
      script: { route: 'start', failure: { kind: 'server-error', status: 500 } },
      code: 'PROVIDER',
      retryable: true,
      message: /HTTP 500\): Backend Error/u,
    },
    {
      name: '503 on a chunk → retryable PROVIDER',
      script: { route: 'chunk', fromOffset: 1, failure: { kind: 'server-error' } },
      code: 'PROVIDER',
      retryable: true,
      message: /^Upload chunk on youtube failed \(HTTP 503\)/u,
    },
    {
      name: '400 uploadLimitExceeded → final PROVIDER with the message',
      script: { route: 'start', failure: { kind: 'reject-media' } },
      code: 'PROVIDER',
      retryable: false,
      message: /HTTP 400\): The user has exceeded the number of videos they may upload\./u,
    },
  ];

  it.each(cases)('$name', async ({ script, code, retryable, retryAfterMs, message }) => {
    const { server, uploader } = await fixture();
    server.script(script);
    const settled = await uploader.upload(uploadableVideoOf(bytesOf(SIZE)), {});
    expect(settled.isErr()).toBe(true);
    if (!settled.isErr()) return;
    expect(settled.error.code).toBe(code);
    expect(settled.error.retryable).toBe(retryable);
    expect(settled.error.retryAfterMs).toBe(retryAfterMs);
    expect(settled.error.message).toMatch(message);
    expect(server.videos.size).toBe(0);
  });

  it('refuses a bad token from the callback with UNAUTHENTICATED', async () => {
    const { uploader } = await fixture({ accessToken: () => 'stale-token' });
    const error = await expectErrorCode(
      uploader.upload(uploadableVideoOf(bytesOf(10)), {}),
      'UNAUTHENTICATED',
    );
    expect(error.message).toMatch(/re-authenticate/u);
  });

  it('turns a failing token callback into UNAUTHENTICATED without a request', async () => {
    const { server, uploader } = await fixture({
      accessToken: () => Promise.reject(new Error('refresh failed')),
    });
    await expectErrorCode(uploader.upload(uploadableVideoOf(bytesOf(10)), {}), 'UNAUTHENTICATED');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses unknown or invalid metadata as VALIDATION before any request', async () => {
    const { server, uploader } = await fixture();
    const unknown = await expectErrorCode(
      uploader.upload(uploadableVideoOf(bytesOf(10)), { caption: 'not a YouTube field' }),
      'VALIDATION',
    );
    expect(unknown.message).toMatch(/youtube metadata/u);
    const bad = await expectErrorCode(
      uploader.upload(uploadableVideoOf(bytesOf(10)), { categoryId: 'music' }),
      'VALIDATION',
    );
    expect(bad.path).toBe('categoryId');
    expect(server.requests).toHaveLength(0);
  });

  it('reports a stream shorter than the declared size as MEDIA', async () => {
    const { uploader } = await fixture();
    const video = { ...uploadableVideoOf(bytesOf(CHUNK)), sizeBytes: CHUNK * 2 };
    await expectErrorCode(uploader.upload(video, {}), 'MEDIA');
  });

  it('answers every call with VALIDATION when the chunk size is not a multiple of 256 KiB', async () => {
    const uploader = createYouTubeUploader({ accessToken: () => TOKEN, chunkBytes: 1000 });
    const refused = await expectErrorCode(
      uploader.upload(uploadableVideoOf(bytesOf(10)), {}),
      'VALIDATION',
    );
    expect(refused.message).toMatch(
      /^Invalid youtube settings\.chunkBytes: must be a multiple of 256 KiB/u,
    );
    expect(refused).toMatchObject({ path: 'chunkBytes', adapter: 'youtube', operation: 'upload' });
    expect(isSettingsError(refused)).toBe(true);
    const unknown = createYouTubeUploader({ accessToken: () => TOKEN, apiKey: 'x' } as never);
    expect(unknown.validateMetadata?.({ title: 't' })._unsafeUnwrapErr().message).toMatch(
      /^Invalid youtube settings/u,
    );
  });
});

describe('youtube request time limit', () => {
  it('fails a request that hangs past requestTimeoutMs with a retryable PROVIDER error', async () => {
    const { server, uploader } = await fixture({
      requestTimeoutMs: 50,
      // Answers nothing until aborted, as a half-dead connection would.
      fetch: (_input, init) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
    });
    const error = await expectErrorCode(
      uploader.upload(uploadableVideoOf(bytesOf(10)), {}),
      'PROVIDER',
    );
    expect(error.retryable).toBe(true);
    expect(server.requests).toHaveLength(0);
  });
});
