import type { Response } from 'express';

/** One server-sent event. */
export interface SseEvent {
  /** The event type (`stage`, `summary`); a client listens with `addEventListener(event, …)`. */
  event: string;
  /** The JSON body; JSON has no raw line breaks, so it fits one `data:` line. */
  data: unknown;
  /** What the client sends back as `Last-Event-ID` when it reconnects. */
  id?: string;
}

/** An open event stream. */
export interface SseStream {
  send(event: SseEvent): void;
  /** Ends the stream (idempotent). */
  end(): void;
  /** Aborted when the stream ended: by `end`, the client going away or the server closing. */
  readonly ended: AbortSignal;
}

export interface SseStreamOptions {
  /** The host's shutdown: the stream ends on it. */
  closing: AbortSignal;
  /** A comment line this often keeps proxies from closing an idle stream; default 15 s. */
  heartbeatMs?: number;
  /** How long a client waits before reconnecting (the `retry:` field); default 2 s. */
  retryMs?: number;
}

/**
 * Starts a `text/event-stream` answer: headers that stop caching and proxy buffering, a
 * heartbeat comment, and one end, whoever causes it (the handler, the client, the server's
 * shutdown), after which the timer and every listener are gone.
 */
export function openSseStream(response: Response, options: SseStreamOptions): SseStream {
  const controller = new AbortController();
  response.status(200);
  response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  response.setHeader('Cache-Control', 'no-cache, no-transform');
  response.setHeader('Connection', 'keep-alive');
  response.setHeader('X-Accel-Buffering', 'no');
  response.flushHeaders();
  response.socket?.setNoDelay(true);
  response.write(`retry: ${options.retryMs ?? 2000}\n\n`);

  const heartbeat = setInterval(() => {
    if (!response.writableEnded) response.write(': keep-alive\n\n');
  }, options.heartbeatMs ?? 15_000);
  const end = () => {
    if (controller.signal.aborted) return;
    clearInterval(heartbeat);
    options.closing.removeEventListener('abort', end);
    response.off('close', end);
    controller.abort();
    if (!response.writableEnded) response.end();
  };
  options.closing.addEventListener('abort', end, { once: true });
  response.on('close', end);
  if (options.closing.aborted) end();

  return {
    send(event) {
      if (controller.signal.aborted) return;
      const id = event.id === undefined ? '' : `id: ${event.id}\n`;
      response.write(`${id}event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
    },
    end,
    ended: controller.signal,
  };
}
