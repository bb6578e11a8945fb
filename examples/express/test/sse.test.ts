import { describe, expect, it } from 'vitest';
import {
  PRODUCT,
  type RunView,
  sampleClips,
  upload,
  useCategorizeHost,
} from './categorize-fixtures';
import { problemOf, STORES, tokenFor } from './host';
import { type ReceivedEvent, readEvents } from './sse-client';
import { secondInstance } from './sse-second-worker';

const durable = (events: readonly ReceivedEvent[]) =>
  events.filter((event) => event.event === 'stage' && event.id !== undefined);

describe.each(STORES)('GET /sessions/:sessionId/events on %s', (kind) => {
  const closing = new AbortController();
  const suite = useCategorizeHost(kind, { closing: closing.signal });

  /** A queued session: stored, pending, no worker yet. */
  async function queued(seed: number): Promise<RunView> {
    const response = await upload(suite.host, suite.owner, sampleClips(seed), { mode: 'queued' });
    expect(response.status).toBe(202);
    return (await response.json()) as RunView;
  }

  it('streams each video’s stages of work done here, its final row, then the summary', async () => {
    const started = await queued(1);
    let worker: { close(): Promise<void> } | undefined;
    const events = await readEvents(suite.host, `/api/v1/sessions/${started.session.id}/events`, {
      token: suite.owner,
      // The worker starts once the stream has told every stored video: its stages are heard live.
      onEvent: (event) => {
        const stored = event.data.stage === 'stored' && event.data.index === 3;
        if (stored && worker === undefined)
          worker = suite.host.vbuckets.jobs.work()._unsafeUnwrap();
      },
    });
    await worker?.close();
    for (const row of started.rows) {
      const stages = events
        .filter((event) => event.data.rowId === row.id)
        .map((event) => `${event.data.stage}${event.id === undefined ? '' : '#'}`);
      expect(stages, row.filename).toEqual(['stored', 'analyzing', 'categorizing', 'done#']);
    }
    const finals = durable(events);
    expect(new Set(finals.map((event) => event.id)).size).toBe(4);
    expect(
      finals.find((event) => event.data.filename === 'bloated-after-lunch.mp4')?.data,
    ).toMatchObject({ status: 'categorized', bucketName: 'Gut Health' });
    const summary = events.at(-1);
    expect(summary?.event).toBe('summary');
    expect(summary?.data).toMatchObject({
      session: { id: started.session.id },
      countsByStatus: { total: 4, pending: 0, categorized: 3, analyzed: 1 },
    });
  });

  it('gives a client reconnecting with Last-Event-ID exactly the final rows it missed', async () => {
    const started = await queued(2);
    const path = `/api/v1/sessions/${started.session.id}/events`;
    const worker = suite.host.vbuckets.jobs.work()._unsafeUnwrap();
    try {
      const before = await readEvents(suite.host, path, {
        token: suite.owner,
        stopAfter: (event) => event.id !== undefined,
      });
      const last = before.at(-1);
      expect(last?.id).toBeDefined();
      const after = await readEvents(suite.host, path, {
        token: suite.owner,
        lastEventId: last?.id as string,
      });
      const received = [...durable(before), ...durable(after)].map((event) => event.data.rowId);
      expect(received.toSorted()).toEqual(started.rows.map((row) => row.id).toSorted());
      expect(after.at(-1)?.event).toBe('summary');
      // After the summary there is nothing more: 204 tells an EventSource to stop reconnecting.
      const again = await suite.host.call(path, {
        token: suite.owner,
        headers: { 'last-event-id': after.at(-1)?.id as string },
      });
      expect(again.status).toBe(204);
      // A damaged id starts over: every final row again.
      const fresh = await readEvents(suite.host, path, {
        token: suite.owner,
        lastEventId: 'v1.zz.%%%',
      });
      expect(durable(fresh)).toHaveLength(4);
    } finally {
      await worker.close();
    }
  });

  it('follows a session that another SDK instance works, through the store alone', async () => {
    const started = await queued(3);
    const other = await secondInstance(
      kind,
      suite.host,
      suite.context.blobsDir,
      started.session.id,
    );
    let worker: { close(): Promise<void> } | undefined;
    try {
      const events = await readEvents(suite.host, `/api/v1/sessions/${started.session.id}/events`, {
        token: suite.owner,
        onEvent: (event) => {
          if (event.data.index === 3 && worker === undefined) {
            worker = other.jobs.work()._unsafeUnwrap();
          }
        },
      });
      expect(durable(events)).toHaveLength(4);
      // No stage of the other instance's work reaches this process: only what the store shows.
      expect(events.filter((event) => event.data.stage === 'analyzing')).toEqual([]);
      expect(events.at(-1)?.data).toMatchObject({ countsByStatus: { pending: 0, total: 4 } });
    } finally {
      await worker?.close();
      await other.close();
    }
  });

  it('is 404 for another org and ends cleanly when the server shuts down', async () => {
    const started = await queued(4);
    const path = `/api/v1/sessions/${started.session.id}/events`;
    const foreign = await suite.host.call(path, {
      token: await tokenFor({ userId: 'dee', orgId: 'globex' }),
    });
    expect(foreign.status).toBe(404);
    expect((await problemOf(foreign)).code).toBe('NOT_FOUND');

    // Nobody works the session, so only the shutdown ends the stream.
    const events = await readEvents(suite.host, path, {
      token: suite.owner,
      onEvent: (event) => {
        if (event.data.index === 3) closing.abort();
      },
    });
    expect(events.map((event) => event.data.stage)).toEqual([
      'stored',
      'stored',
      'stored',
      'stored',
    ]);
    const listed = await suite.host.call(`/api/v1/products/${PRODUCT}/sessions?limit=1`, {
      token: suite.owner,
    });
    expect(listed.status).toBe(200);
  });
});
