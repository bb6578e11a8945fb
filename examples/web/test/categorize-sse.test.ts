import { describe, expect, it } from 'vitest';
import { createSseParser } from '../src/screens/categorize/sse';

describe('the Categorize screen’s event-stream parser', () => {
  it('gives whole events across chunk boundaries, CRLF or LF, skipping comments', () => {
    const parse = createSseParser();
    expect(parse(': keep-alive\n\nevent: st')).toEqual([]);
    expect(parse('age\r\nid: 3\r\ndata: {"a":1}\r')).toEqual([]);
    expect(parse('\n\r\ndata: two\ndata: lines\n')).toEqual([
      { event: 'stage', data: '{"a":1}', id: '3' },
    ]);
    expect(parse('\nevent: summary\ndata:{}\n\n')).toEqual([
      { event: 'message', data: 'two\nlines', id: undefined },
      { event: 'summary', data: '{}', id: undefined },
    ]);
  });
});
