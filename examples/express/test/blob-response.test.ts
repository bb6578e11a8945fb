import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { sendBlob } from '../src/blob-response';

const bytes = (text: string) => new TextEncoder().encode(text);

/** A store's body that gives `chunks`, then fails: a source dying once its bytes flow. */
function failingStream(chunks: Uint8Array[], error: Error): ReadableStream<Uint8Array> {
  return new ReadableStream({
    pull(controller) {
      const chunk = chunks.shift();
      if (chunk === undefined) controller.error(error);
      else controller.enqueue(chunk);
    },
  });
}

/** A one-route server answering `sendBlob` with the body `make` gives, on a free port. */
async function serve(make: () => ReadableStream<Uint8Array>, sizeBytes: number) {
  const app = express();
  app.get('/blob', async (_request, response) => {
    await sendBlob(
      response,
      { body: make(), sizeBytes },
      { contentType: 'video/mp4', cacheControl: 'private, no-store', disposition: 'attachment' },
    );
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/blob`, close: () => server.close() };
}

describe('sendBlob', () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  it('streams the bytes with their length, the given type (never sniffed) and the caching asked for', async () => {
    const served = await serve(
      () =>
        new ReadableStream({
          start(controller) {
            controller.enqueue(bytes('ab'));
            controller.enqueue(bytes('cd'));
            controller.close();
          },
        }),
      4,
    );
    close = served.close;
    const response = await fetch(served.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('video/mp4');
    expect(response.headers.get('content-length')).toBe('4');
    expect(response.headers.get('content-disposition')).toBe('attachment');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe('abcd');
  });

  it('breaks the connection when the store fails mid-way, so a short download never looks whole', async () => {
    const served = await serve(
      () => failingStream([bytes('first part')], new Error('the disk went away')),
      1000,
    );
    close = served.close;
    const response = await fetch(served.url);
    expect(response.status).toBe(200);
    await expect(response.arrayBuffer()).rejects.toThrow();
  });
});
