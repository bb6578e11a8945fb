/**
 * The position of a session's event stream, sent as each durable event's id (and back by a
 * reconnecting client as `Last-Event-ID`): which rows' final states the client has received.
 *
 * It is a bitmap of row positions (a session's rows never change order and a session holds at
 * most 1000 of them, so at most 167 characters) plus the newest `updatedAt` among the rows sent.
 * A row counts as received when its bit is set and it has not changed since that time. The
 * bitmap, rather than a keyset of (updatedAt, rowId), is what makes a resume exact when workers
 * in several processes finish rows concurrently: a row stamped earlier but committed after a
 * later-stamped one was sent is still missing from the bitmap, so it is sent. The timestamp
 * catches a row finished again (a retry) while the client was away.
 *
 * Caveat: a row finished twice while the client was away, whose second finish carries a
 * timestamp no later than the newest one the client had seen (clocks of workers apart by more
 * than the time between the two finishes), is not sent again; the final `summary` and
 * `GET /sessions/{id}/results` still show its state.
 */
export interface StreamCursor {
  /** Row positions received. */
  received: Set<number>;
  /** The newest `updatedAt` (ms since the epoch) among the rows received; 0 for none. */
  newestMs: number;
  /** Whether the stream ended with its summary (a reconnect then gets 204: nothing more). */
  finished: boolean;
}

const PREFIX = 'v1';

export function emptyCursor(): StreamCursor {
  return { received: new Set(), newestMs: 0, finished: false };
}

/** The event id of a cursor. */
export function formatCursor(cursor: StreamCursor): string {
  const size = cursor.received.size === 0 ? 0 : Math.max(...cursor.received) + 1;
  const bytes = new Uint8Array(Math.ceil(size / 8));
  for (const position of cursor.received) {
    bytes[position >> 3] = (bytes[position >> 3] ?? 0) | (1 << (position & 7));
  }
  const bits = Buffer.from(bytes).toString('base64url');
  return `${PREFIX}.${cursor.newestMs.toString(36)}.${bits}${cursor.finished ? '.end' : ''}`;
}

/** A `Last-Event-ID` as a cursor; an empty, foreign or damaged id starts from the beginning. */
export function parseCursor(id: string | undefined): StreamCursor {
  if (id === undefined || id.length > 400) return emptyCursor();
  const match = /^v1\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]*)(\.end)?$/u.exec(id.trim());
  if (match === null) return emptyCursor();
  const newestMs = Number.parseInt(match[1] ?? '0', 36);
  const bytes = Buffer.from(match[2] ?? '', 'base64url');
  const received = new Set<number>();
  for (const [index, byte] of bytes.entries()) {
    for (let bit = 0; bit < 8; bit += 1) {
      if ((byte & (1 << bit)) !== 0) received.add(index * 8 + bit);
    }
  }
  return {
    received,
    newestMs: Number.isFinite(newestMs) ? newestMs : 0,
    finished: match[3] !== undefined,
  };
}

/** Whether the client has the row's current final state. */
export function hasReceived(cursor: StreamCursor, position: number, updatedAt: string): boolean {
  return cursor.received.has(position) && Date.parse(updatedAt) <= cursor.newestMs;
}

/** The cursor after sending the row at `position`. */
export function markReceived(cursor: StreamCursor, position: number, updatedAt: string): void {
  cursor.received.add(position);
  cursor.newestMs = Math.max(cursor.newestMs, Date.parse(updatedAt));
}
