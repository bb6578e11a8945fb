import type { TestHost } from './host';

/** One event as a client received it. */
export interface ReceivedEvent {
  event: string;
  id?: string;
  data: Record<string, unknown>;
}

export interface ReadEventsOptions {
  token: string;
  lastEventId?: string;
  /** Stops reading (and disconnects) right after the first event this accepts. */
  stopAfter?: (event: ReceivedEvent) => boolean;
  /** Told each event as it arrives (to act while the stream is open). */
  onEvent?: (event: ReceivedEvent) => void;
}

/**
 * Reads a server-sent event stream over real HTTP until the server ends it (or `stopAfter`
 * accepts an event, when the client disconnects), parsing the text/event-stream format
 * (comments, `retry:`, multi-line `data:`). Rejects when the answer is not an event stream.
 */
export async function readEvents(
  host: TestHost,
  path: string,
  options: ReadEventsOptions,
): Promise<ReceivedEvent[]> {
  const controller = new AbortController();
  const response = await host.call(path, {
    token: options.token,
    signal: controller.signal,
    headers: options.lastEventId === undefined ? {} : { 'last-event-id': options.lastEventId },
  });
  const type = response.headers.get('content-type') ?? '';
  if (response.status !== 200 || !type.startsWith('text/event-stream')) {
    throw new Error(
      `expected an event stream, got ${response.status} ${type}: ${await response.text()}`,
    );
  }
  const events: ReceivedEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  let fields: { event?: string; id?: string; data: string[] } = { data: [] };
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return events;
      buffer += decoder.decode(value, { stream: true });
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline).replace(/\r$/u, '');
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
        if (line === '') {
          if (fields.data.length > 0) {
            const event: ReceivedEvent = {
              event: fields.event ?? 'message',
              ...(fields.id === undefined ? {} : { id: fields.id }),
              data: JSON.parse(fields.data.join('\n')) as Record<string, unknown>,
            };
            events.push(event);
            options.onEvent?.(event);
            if (options.stopAfter?.(event) === true) {
              controller.abort();
              return events;
            }
          }
          fields = { data: [] };
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const name = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /u, '');
        if (name === 'event') fields.event = value;
        else if (name === 'id') fields.id = value;
        else if (name === 'data') fields.data.push(value);
      }
    }
  } finally {
    reader.releaseLock();
  }
}
