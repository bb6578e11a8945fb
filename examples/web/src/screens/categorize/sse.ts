/** One server-sent event: its name (`message` when unnamed), its data, and its id if it had one. */
export interface SseEvent {
  event: string;
  data: string;
  id: string | undefined;
}

/**
 * An incremental parser of a `text/event-stream` (the WHATWG rules, minus `retry`): feed it
 * chunks of text as they arrive; it returns the events each chunk completed. Comment lines
 * (the host's keep-alives) are skipped.
 */
export function createSseParser() {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;

  function line(text: string, out: SseEvent[]) {
    if (text === '') {
      if (data.length > 0)
        out.push({ event: event === '' ? 'message' : event, data: data.join('\n'), id });
      event = '';
      data = [];
      id = undefined;
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) id = value;
  }

  return (chunk: string): SseEvent[] => {
    buffer += chunk;
    const out: SseEvent[] = [];
    // A line ends at CRLF, LF or CR; a CR at the very end may be the first half of a CRLF.
    for (;;) {
      const match = /\r\n|\n|\r(?!$)/.exec(buffer);
      if (match === null) break;
      line(buffer.slice(0, match.index), out);
      buffer = buffer.slice(match.index + match[0].length);
    }
    return out;
  };
}

/**
 * Reads an SSE response's body with a stream reader (an EventSource cannot send the bearer
 * token), calling `onEvent` for each event; resolves when the host ends the stream.
 */
export async function readSse(
  response: Response,
  onEvent: (event: SseEvent) => void,
): Promise<void> {
  if (response.body === null) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parse = createSseParser();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      for (const event of parse(value)) onEvent(event);
    }
  } finally {
    reader.releaseLock();
  }
}
