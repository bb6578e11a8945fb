import { createHash } from 'node:crypto';
import type { BlobBody, BlobStore } from '@vbuckets/core/adapter-kit';
import { createMemoryBlobStore } from '@vbuckets/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost, tokenFor } from './host';
import { mp4Bytes } from './videos-helpers';

const BOUNDARY = 'vbuckets-streaming-test';

/** A blob store that tells when a write has pulled its first bytes, and when a write ends. */
function tappedBlobStore(
  onFirstBytes: () => void,
  onPutSettled: (stored: boolean) => void = () => {},
): BlobStore & { keys(): string[] } {
  const inner = createMemoryBlobStore();
  const tap = (body: BlobBody): BlobBody => {
    if (body instanceof Uint8Array || body instanceof ReadableStream) return body;
    return (async function* () {
      let first = true;
      for await (const chunk of body) {
        if (first) onFirstBytes();
        first = false;
        yield chunk;
      }
    })();
  };
  return {
    ...inner,
    put: (key, body, options) =>
      inner
        .put(key, tap(body), options)
        .map((result) => {
          onPutSettled(true);
          return result;
        })
        .mapErr((error) => {
          onPutSettled(false);
          return error;
        }),
  };
}

/** Resolves when `promise` does; rejects instead of hanging forever if it never does. */
function orGiveUp<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up waiting: ${what}`)), 60_000);
  });
  return Promise.race([promise, giveUp]).finally(() => clearTimeout(timer));
}

/** The form up to the first byte of the `video` part. */
function formHead(filename: string): Uint8Array {
  return new TextEncoder().encode(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nStreamed\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="video"; filename="${filename}"\r\n` +
      'Content-Type: video/mp4\r\n\r\n',
  );
}

/**
 * Posts a register form whose file's second half is held back until the blob store has the
 * first bytes; then `release` is called with the rest (to send it, or to go away instead).
 */
async function postHeldBack(
  host: TestHost,
  bytes: Uint8Array,
  firstBytesStored: Promise<void>,
  release: (rest: Uint8Array, controller: ReadableStreamDefaultController<Uint8Array>) => void,
  signal?: AbortSignal,
): Promise<Response> {
  const half = bytes.byteLength / 2;
  const parts = [formHead('streamed.mp4'), bytes.subarray(0, half)];
  let heldBack = true;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = parts.shift();
      if (next !== undefined) {
        controller.enqueue(next);
        return;
      }
      if (heldBack) {
        heldBack = false;
        await orGiveUp(firstBytesStored, 'the blob store to receive the first bytes');
        release(bytes.subarray(half), controller);
      }
    },
  });
  return host.call('/api/v1/videos', {
    method: 'POST',
    token: await tokenFor({ userId: 'ana', orgId: 'acme' }),
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    body,
    duplex: 'half',
    ...(signal === undefined ? {} : { signal }),
  } as RequestInit);
}

describe('POST /videos streams the file part', () => {
  let host: TestHost;
  let firstBytesStored: Promise<void>;
  beforeAll(async () => {
    let resolveFirst = () => {};
    firstBytesStored = new Promise<void>((resolve) => {
      resolveFirst = resolve;
    });
    host = await startTestHost('sqlite', {
      vbucketsOptions: { blobs: tappedBlobStore(() => resolveFirst()) },
    });
  });
  afterAll(() => host.close());

  it('writes the first bytes to the blob store before the request body has ended', async () => {
    const bytes = mp4Bytes(7, 512 * 1024);
    // A host that buffered the whole file before storing it would never release the rest.
    const response = await postHeldBack(host, bytes, firstBytesStored, (rest, controller) => {
      controller.enqueue(rest);
      controller.enqueue(new TextEncoder().encode(`\r\n--${BOUNDARY}--\r\n`));
      controller.close();
    });
    expect(response.status).toBe(201);
    const { video } = (await response.json()) as { video: { sizeBytes: number; sha256: string } };
    expect(video).toMatchObject({
      sizeBytes: bytes.byteLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      title: 'Streamed',
    });
  });
});

describe('POST /videos when the client goes away mid-file', () => {
  // Bug (issue 16): a client gone mid-file never ended the parser, so the blob write waited forever.
  it('stores nothing and registers nothing', async () => {
    let resolveFirst = () => {};
    const firstBytesStored = new Promise<void>((resolve) => {
      resolveFirst = resolve;
    });
    let resolveSettled: (stored: boolean) => void = () => {};
    const putSettled = new Promise<boolean>((resolve) => {
      resolveSettled = resolve;
    });
    const blobs = tappedBlobStore(() => resolveFirst(), resolveSettled);
    const host = await startTestHost('sqlite', { vbucketsOptions: { blobs } });
    try {
      const client = new AbortController();
      const sent = postHeldBack(
        host,
        mp4Bytes(8, 512 * 1024),
        firstBytesStored,
        () => client.abort(),
        client.signal,
      );
      await expect(sent).rejects.toThrow();
      expect(await orGiveUp(putSettled, 'the abandoned write to end')).toBe(false);
      expect(blobs.keys()).toEqual([]);
      expect((await host.vbuckets.videos.list({ orgId: 'acme' }))._unsafeUnwrap()).toEqual([]);
    } finally {
      await host.close();
    }
  });
});
