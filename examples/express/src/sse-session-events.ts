import type { Categorization, CategorizeProgressEvent, Scope, VBuckets } from '@vbuckets/core';
import type { Response } from 'express';
import type { HostInfo } from './host-info';
import { formatCursor, hasReceived, markReceived, parseCursor } from './sse-cursor';
import { openSseStream, type SseStream } from './sse-stream';

/** How often the store is read for rows that finished in another process, by default. */
export const DEFAULT_SSE_POLL_MS = 1000;

const isFinal = (row: Categorization) => row.status !== 'pending';

/** A row's durable event: it reached a final status (`done`, or `failed` for an error row). */
function finalEvent(row: Categorization, index: number, total: number) {
  return {
    sessionId: row.sessionId,
    rowId: row.id,
    filename: row.filename,
    index,
    total,
    stage: row.status === 'error' ? 'failed' : 'done',
    status: row.status,
    bucketId: row.bucketId,
    bucketName: row.bucketName,
    confidence: row.confidence,
    reasoning: row.reasoning,
    errorMessage: row.errorMessage,
    updatedAt: row.updatedAt,
  };
}

/** A stage hint of this process's work (no id: a reconnect does not replay hints). */
function hintOf(event: CategorizeProgressEvent) {
  return {
    sessionId: event.sessionId,
    rowId: event.rowId,
    filename: event.filename,
    index: event.index,
    total: event.total,
    stage: event.stage,
    ...(event.message === undefined ? {} : { message: event.message }),
  };
}

/**
 * Streams a session's progress as server-sent events until every row has a final status, then
 * a `summary` event, then the end. The store is the truth: each row reaching `done` or `failed`
 * is read from it (so a worker in another process is followed too), checked when this process
 * reports a row finished and otherwise every `pollMs`. Those events carry an id (see
 * `sse-cursor.ts`) so that a client reconnecting with `Last-Event-ID` gets exactly the ones it
 * missed. Stage hints (`stored`, `analyzing`, `categorizing`) of work done in this process come
 * as they happen, without ids. A session already summarised answers 204 to a reconnect, which
 * tells an EventSource to stop. Errors before the stream starts (an unknown session: 404) are
 * thrown to the app's error path.
 */
export async function streamSessionEvents(
  vbuckets: VBuckets,
  host: HostInfo,
  request: { scope: Scope; sessionId: string; lastEventId: string | undefined },
  response: Response,
): Promise<void> {
  const { scope, sessionId } = request;
  const first = await vbuckets.categorize.results(scope, sessionId);
  if (first.isErr()) throw first.error;
  const cursor = parseCursor(request.lastEventId);
  if (cursor.finished && first.value.every(isFinal)) {
    response.status(204).end();
    return;
  }
  cursor.finished = false;

  const stream = openSseStream(response, { closing: host.closing });
  const sentAt = new Map<number, string>();
  for (const [index, row] of first.value.entries()) {
    if (isFinal(row) && hasReceived(cursor, index, row.updatedAt)) sentAt.set(index, row.updatedAt);
    else if (!isFinal(row) && row.videoId !== null) {
      stream.send({
        event: 'stage',
        data: { ...finalEvent(row, index, first.value.length), stage: 'stored' },
      });
    }
  }

  // Set when this process reports a row finished; a report during a store read is kept for the next look.
  let woken = false;
  let wake: (() => void) | undefined;
  const watching = vbuckets.categorize.watch(scope, sessionId, (event) => {
    if (event.stage !== 'done' && event.stage !== 'failed') {
      stream.send({ event: 'stage', data: hintOf(event) });
      return;
    }
    woken = true;
    wake?.();
  });
  try {
    let rows = first.value;
    while (!stream.ended.aborted) {
      sendFinished(stream, rows, sentAt, cursor);
      if (rows.every(isFinal)) {
        const summary = await vbuckets.categorize.sessionSummary(scope, sessionId);
        if (summary.isOk()) {
          cursor.finished = true;
          stream.send({ event: 'summary', id: formatCursor(cursor), data: summary.value });
        } else {
          stream.send({ event: 'error', data: { detail: summary.error.message } });
        }
        break;
      }
      if (!woken) {
        await nextLook(stream.ended, host.ssePollMs ?? DEFAULT_SSE_POLL_MS, (resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
      woken = false;
      if (stream.ended.aborted) break;
      const again = await vbuckets.categorize.results(scope, sessionId);
      if (again.isErr()) {
        stream.send({ event: 'error', data: { detail: again.error.message } });
        break;
      }
      rows = again.value;
    }
  } finally {
    if (watching.isOk()) watching.value();
    stream.end();
  }
}

/** Sends the rows that reached a final status since they were last sent, oldest change first. */
function sendFinished(
  stream: SseStream,
  rows: readonly Categorization[],
  sentAt: Map<number, string>,
  cursor: ReturnType<typeof parseCursor>,
): void {
  const fresh = [...rows.entries()]
    .filter(([index, row]) => isFinal(row) && sentAt.get(index) !== row.updatedAt)
    .sort(
      ([leftIndex, left], [rightIndex, right]) =>
        Date.parse(left.updatedAt) - Date.parse(right.updatedAt) || leftIndex - rightIndex,
    );
  for (const [index, row] of fresh) {
    sentAt.set(index, row.updatedAt);
    markReceived(cursor, index, row.updatedAt);
    stream.send({
      event: 'stage',
      id: formatCursor(cursor),
      data: finalEvent(row, index, rows.length),
    });
  }
}

/** Waits for the poll interval, a wake-up (this process finished a row) or the stream's end. */
function nextLook(
  ended: AbortSignal,
  pollMs: number,
  onWake: (wake: () => void) => void,
): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      ended.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, pollMs);
    ended.addEventListener('abort', done, { once: true });
    onWake(done);
  });
}
