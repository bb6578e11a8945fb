// Issue 12: performance events of one creative arrive from several processes at once (webhook
// workers, a sync), some of them twice. Each must add exactly once: the store's atomic
// increment and idempotency key decide, across real OS processes, on SQLite and PostgreSQL.

import { fileURLToPath } from 'node:url';
import { expectOk, makeCreative, makeTenant } from '@vbuckets/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuiltCli } from './built-cli';
import {
  openSharedWorld,
  releaseTogether,
  type StoreKind,
  startChild,
  type Worker,
} from './fixtures/upload-processes';

const script = fileURLToPath(new URL('./fixtures/performance-worker.mjs', import.meta.url));
const PROCESSES = 4;
const CALLS_PER_PROCESS = 50;
/** Keys every process records: each must apply once in all. */
const SHARED_KEYS = Array.from({ length: 10 }, (_, index) => `retried-webhook-${index}`);
const DELTA = { impressions: 10, clicks: 3, conversions: 1 };

type Succeeded = {
  ok: true;
  owner: string;
  key: string;
  applied: boolean;
  conversionsBefore: number;
};
type Recorded =
  | Succeeded
  | { ok: false; owner: string; key: string; error: { code: string; message: string } };

// The workers import the built store packages.
beforeAll(ensureBuiltCli, 240_000);

describe.each<StoreKind>(['sqlite', 'postgres'])(
  'creative performance across processes on %s',
  (kind) => {
    it(`${PROCESSES} processes × ${CALLS_PER_PROCESS} events plus ${SHARED_KEYS.length} repeated keys → exact totals, each key applied once`, async () => {
      const world = await openSharedWorld(kind);
      const workers: Worker[] = [];
      try {
        const { orgId, scope } = makeTenant();
        const { creative } = await expectOk(world.store.creatives.insert(makeCreative({ orgId })));
        for (let index = 0; index < PROCESSES; index++) {
          workers.push(
            startChild(script, {
              store: world.where,
              orgId,
              creativeId: creative.id,
              worker: `performance-${index}`,
              calls: CALLS_PER_PROCESS,
              sharedKeys: SHARED_KEYS,
              delta: DELTA,
              waitForGo: true,
            }),
          );
        }
        await releaseTogether(workers);
        const results = (
          await Promise.all(workers.map((worker) => worker.done))
        ).flat() as unknown as Recorded[];

        expect(results).toHaveLength(PROCESSES * (CALLS_PER_PROCESS + SHARED_KEYS.length));
        expect(results.filter((result) => !result.ok)).toEqual([]);
        const ok = results.filter((result): result is Succeeded => result.ok);
        const applied = ok.filter((result) => result.applied);
        const events = PROCESSES * CALLS_PER_PROCESS + SHARED_KEYS.length;
        expect(applied).toHaveLength(events);
        // Every key of its own applied; each shared key in exactly one of the four processes.
        expect(
          ok.filter((result) => result.key.includes('-event-')).every((result) => result.applied),
        ).toBe(true);
        for (const key of SHARED_KEYS) {
          expect(ok.filter((result) => result.key === key && result.applied)).toHaveLength(1);
        }
        // Each increment saw the ones before it and no other: 0, 1, …, events − 1 in some order.
        expect(applied.map((result) => result.conversionsBefore).sort((a, b) => a - b)).toEqual(
          Array.from({ length: events }, (_, index) => index),
        );
        const final = await expectOk(world.store.creatives.get(scope, creative.id));
        expect([final.impressions, final.clicks, final.conversions]).toEqual([
          events * DELTA.impressions,
          events * DELTA.clicks,
          events * DELTA.conversions,
        ]);
      } finally {
        await Promise.all(workers.map((worker) => worker.exited));
        await world.dispose();
      }
    }, 240_000);
  },
);
