import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { openSseStream, type SseStream } from '../src/sse-stream';

/** A server whose one route opens a stream with a fast heartbeat and hands it to the test. */
async function serveStream(closing: AbortSignal) {
  let opened: (stream: SseStream) => void = () => undefined;
  const streamOpened = new Promise<SseStream>((resolve) => {
    opened = resolve;
  });
  const app = express();
  app.get('/events', (_request, response) => {
    opened(openSseStream(response, { closing, heartbeatMs: 5, retryMs: 1234 }));
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  return { server, url, streamOpened };
}

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** Reads the body until `done` says it has what it waited for. */
async function readUntil(body: ReadableStream<Uint8Array>, done: (text: string) => boolean) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!done(text)) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
  }
  return { text, reader };
}

describe('openSseStream', () => {
  it('sends the retry hint, events and heartbeats, and ends when the client goes away', async () => {
    const { server, url, streamOpened } = await serveStream(new AbortController().signal);
    cleanup = () => server.close();
    const controller = new AbortController();
    const response = await fetch(url, { signal: controller.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    const stream = await streamOpened;
    stream.send({ event: 'stage', id: 'v1.0.', data: { stage: 'stored' } });
    const { text, reader } = await readUntil(
      response.body as ReadableStream<Uint8Array>,
      (received) => received.includes(': keep-alive'),
    );
    expect(text.startsWith('retry: 1234\n\n')).toBe(true);
    expect(text).toContain('id: v1.0.\nevent: stage\ndata: {"stage":"stored"}\n\n');
    const ended = new Promise((resolve) => stream.ended.addEventListener('abort', resolve));
    controller.abort();
    await reader.cancel().catch(() => undefined);
    await ended;
    expect(stream.ended.aborted).toBe(true);
    // Sending after the end is a no-op, not a write after end.
    stream.send({ event: 'stage', data: {} });
  });

  it('ends the answer cleanly when the server shuts down', async () => {
    const closing = new AbortController();
    const { server, url, streamOpened } = await serveStream(closing.signal);
    cleanup = () => server.close();
    const response = await fetch(url);
    await streamOpened;
    closing.abort();
    // The body ends (no error): the server finished the answer.
    expect(await response.text()).toMatch(/^retry: 1234\n\n/);
  });
});
