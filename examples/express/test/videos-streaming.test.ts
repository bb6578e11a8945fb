import { createHash } from 'node:crypto';
import type { BlobBody, BlobStore } from '@vbuckets/core/adapter-kit';
import { createMemoryBlobStore } from '@vbuckets/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost, tokenFor } from './host';
import { mp4Bytes } from './videos-helpers';

const BOUNDARY = 'vbuckets-streaming-test';

/** A blob store that tells when a write has pulled its first bytes. */
function tappedBlobStore(onFirstBytes: () => void): BlobStore {
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
  return { ...inner, put: (key, body, options) => inner.put(key, tap(body), options) };
}

/** Resolves when `promise` does; rejects instead of hanging forever if it never does. */
function orGiveUp<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up waiting: ${what}`)), 60_000);
  });
  return Promise.race([promise, giveUp]).finally(() => clearTimeout(timer));
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
    const half = bytes.byteLength / 2;
    const encoder = new TextEncoder();
    const parts = [
      encoder.encode(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nStreamed\r\n` +
          `--${BOUNDARY}\r\nContent-Disposition: form-data; name="video"; filename="streamed.mp4"\r\n` +
          'Content-Type: video/mp4\r\n\r\n',
      ),
      bytes.subarray(0, half),
    ];
    let heldBack = true;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = parts.shift();
        if (next !== undefined) {
          controller.enqueue(next);
          return;
        }
        if (heldBack) {
          // The rest is sent only once the store has begun writing: a host that buffered the
          // whole file before storing it would never get here.
          await orGiveUp(firstBytesStored, 'the blob store to receive the first bytes');
          heldBack = false;
          controller.enqueue(bytes.subarray(half));
          controller.enqueue(encoder.encode(`\r\n--${BOUNDARY}--\r\n`));
          controller.close();
        }
      },
    });
    const response = await host.call('/api/v1/videos', {
      method: 'POST',
      token: await tokenFor({ userId: 'ana', orgId: 'acme' }),
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(201);
    const { video } = (await response.json()) as { video: { sizeBytes: number; sha256: string } };
    expect(video).toMatchObject({
      sizeBytes: bytes.byteLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      title: 'Streamed',
    });
  });
});
