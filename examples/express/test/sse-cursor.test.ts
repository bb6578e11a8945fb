import { describe, expect, it } from 'vitest';
import {
  emptyCursor,
  formatCursor,
  hasReceived,
  markReceived,
  parseCursor,
} from '../src/sse-cursor';

describe('the event stream cursor (Last-Event-ID)', () => {
  it('round-trips the rows received, the newest change and the end', () => {
    const cursor = emptyCursor();
    markReceived(cursor, 0, '2026-01-01T00:00:01.000Z');
    markReceived(cursor, 9, '2026-01-01T00:00:03.000Z');
    markReceived(cursor, 999, '2026-01-01T00:00:02.000Z');
    const id = formatCursor(cursor);
    expect(id.length).toBeLessThan(200);
    const parsed = parseCursor(id);
    expect([...parsed.received].sort((left, right) => left - right)).toEqual([0, 9, 999]);
    expect(parsed.newestMs).toBe(Date.parse('2026-01-01T00:00:03.000Z'));
    expect(parsed.finished).toBe(false);
    expect(parseCursor(formatCursor({ ...parsed, finished: true })).finished).toBe(true);
  });

  // A row stamped earlier but committed after a later one was sent must still be sent on resume.
  it('tells a row not yet sent from one sent, whatever their timestamps', () => {
    const cursor = emptyCursor();
    markReceived(cursor, 1, '2026-01-01T00:00:05.000Z');
    const resumed = parseCursor(formatCursor(cursor));
    expect(hasReceived(resumed, 1, '2026-01-01T00:00:05.000Z')).toBe(true);
    expect(hasReceived(resumed, 0, '2026-01-01T00:00:04.000Z')).toBe(false);
    // Finished again (a retry) after the client went away: sent again.
    expect(hasReceived(resumed, 1, '2026-01-01T00:00:06.000Z')).toBe(false);
  });

  it('starts over from an id it did not write', () => {
    for (const id of [undefined, '', 'garbage', 'v1.!!.AA', `v1.1.${'A'.repeat(500)}`]) {
      expect(parseCursor(id)).toEqual(emptyCursor());
    }
  });
});
