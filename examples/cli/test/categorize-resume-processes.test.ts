// Issue 10 point 8: two workers resuming one categorization session both processed a row. Real
// OS processes over one SQLite file or PostgreSQL schema: the store's row claims decide.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CategorizationCounts } from '@vbuckets/core';
import {
  expectOk,
  makeCategorization,
  makeSession,
  makeTenant,
  timestamp,
} from '@vbuckets/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuiltCli } from './built-cli';
import {
  openSharedWorld,
  readCalls,
  releaseTogether,
  type SharedWorld,
  type StoreKind,
  type StoreLocation,
  startChild,
  videoBytes,
  type Worker,
} from './fixtures/upload-processes';

const script = fileURLToPath(new URL('./fixtures/resume-worker.mjs', import.meta.url));
const PROCESSES = 4;
const VIDEOS = 40;
const BUCKET = 'Gut Health';
const LEASE_MS = 1_500;

beforeAll(ensureBuiltCli, 240_000);

/** What fixtures/resume-worker.mjs takes. */
interface ResumeSettings {
  store: StoreLocation;
  blobRoot: string;
  orgId: string;
  sessionId: string;
  worker: string;
  logPath: string;
  bucketName: string;
  rowLeaseMs?: number;
  concurrency?: number;
  holdOn?: string;
  barrier?: boolean;
  untilDone?: boolean;
  waitForGo?: boolean;
}

type Resumed =
  | { ok: true; owner: string; passes: number; counts: CategorizationCounts }
  | { ok: false; owner: string; error: { code: string; message: string } };

interface Claim {
  event: 'claim';
  rowId: string;
  filename: string;
  owner: string;
  now: string;
  claimed: boolean;
  reason: 'held' | 'not-pending' | null;
  heldBy: string | null;
}

/** The lines fixtures/resume-worker.mjs prints. */
type ResumeEvent =
  | Claim
  | { event: 'claim-failed'; rowId: string; error: { code: string; message: string } }
  | { event: 'holding' | 'working'; filename: string }
  | { event: 'pass'; pass: number; pending: string[] }
  | { event: 'done'; results: Resumed[] };

function startResumeWorker(
  settings: ResumeSettings,
  onEvent: (event: ResumeEvent) => void = () => {},
): Worker {
  return startChild(script, settings, (event) => onEvent(event as unknown as ResumeEvent));
}

const eventsOf = (worker: Worker) => worker.events as unknown as ResumeEvent[];
const claimsOf = (worker: Worker) =>
  eventsOf(worker).filter((event): event is Claim => event.event === 'claim');

async function resumed(worker: Worker): Promise<Extract<Resumed, { ok: true }>> {
  const [result] = (await worker.done) as unknown as Resumed[];
  if (result?.ok !== true) throw new Error(`${JSON.stringify(result)}\n${worker.output()}`);
  return result;
}

/** A promise and the function that settles it, for waiting on a worker's event. */
function signal() {
  let fire = () => {};
  const fired = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { fired, fire };
}

/** Waits for `arrived`; fails with the worker's output if one of `workers` exits first. */
async function beforeAnyExit(
  what: string,
  arrived: Promise<void>,
  workers: readonly Worker[],
): Promise<void> {
  const exited = Promise.race(workers.map((worker) => worker.exited.then(() => worker)));
  const first = await Promise.race([arrived.then(() => null), exited.then((worker) => worker)]);
  if (first !== null) throw new Error(`A worker exited before ${what}:\n${first.output()}`);
}

/** One session of `count` pending rows, each with its video's bytes stored, as a crash leaves it. */
async function pendingSession(world: SharedWorld, count: number) {
  const { orgId, productId, scope } = makeTenant();
  await expectOk(world.vb.buckets.create(scope, { productId, name: BUCKET }));
  const session = makeSession({ orgId, productId });
  await expectOk(world.store.categorizationSessions.insert(session));
  const filenames: string[] = [];
  const rows = [];
  for (let index = 0; index < count; index++) {
    const filename = `clip-${String(index).padStart(2, '0')}.mp4`;
    // A length of its own, so that no two videos share content.
    const bytes = videoBytes(4_096 + index);
    const { video } = await expectOk(
      world.vb.videos.register(scope, {
        filename,
        body: () => bytes,
        ownerId: 'owner-resume',
        mimeType: 'video/mp4',
      }),
    );
    filenames.push(filename);
    rows.push(
      makeCategorization({
        orgId,
        productId,
        sessionId: session.id,
        videoId: video.id,
        filename,
        // A second apart, so that the session lists its rows in this order.
        createdAt: timestamp(index),
        updatedAt: timestamp(index),
      }),
    );
  }
  await expectOk(world.store.categorizations.insertMany(rows));
  return { orgId, scope, sessionId: session.id, filenames };
}

describe.each<StoreKind>(['sqlite', 'postgres'])(
  'resuming one session across processes on %s',
  (kind) => {
    it(`${PROCESSES} processes resuming a session of ${VIDEOS} pending videos process each video exactly once`, async () => {
      const world = await openSharedWorld(kind);
      const dir = mkdtempSync(join(tmpdir(), 'vbuckets-resume-processes-'));
      const workers: Worker[] = [];
      try {
        const { orgId, scope, sessionId, filenames } = await pendingSession(world, VIDEOS);
        const logPath = join(dir, 'calls.log');
        // Each worker's first call waits until every worker has one, so that all of them are
        // inside the session at once however slowly the machine starts them. Three workers hold
        // at most 3 × 4 (the default concurrency) of the 40 rows, so the last always finds one.
        const working = new Set<string>();
        const everyoneWorking = signal();
        for (let index = 0; index < PROCESSES; index++) {
          const name = `resume-${index}`;
          workers.push(
            startResumeWorker(
              {
                store: world.where,
                blobRoot: world.blobRoot,
                orgId,
                sessionId,
                worker: name,
                logPath,
                bucketName: BUCKET,
                barrier: true,
                waitForGo: true,
              },
              (event) => {
                if (event.event !== 'working') return;
                working.add(name);
                if (working.size === PROCESSES) everyoneWorking.fire();
              },
            ),
          );
        }
        await releaseTogether(workers);
        await beforeAnyExit('every worker was working', everyoneWorking.fired, workers);
        for (const worker of workers) worker.process.stdin.write('proceed\n');
        const results = await Promise.all(workers.map(resumed));
        expect(results.map((result) => result.ok)).toEqual(workers.map(() => true));

        // The provider saw every video exactly once, and every process did some of them.
        const calls = readCalls(logPath);
        expect(calls.map((call) => call.filename).sort()).toEqual(filenames);
        const pids = workers.map((worker) => worker.process.pid);
        expect(new Set(calls.map((call) => call.pid))).toEqual(new Set(pids));

        // The store gave each row to one claim, and that claim's process is the one that called.
        const claims = workers.flatMap((worker, index) =>
          claimsOf(worker).map((claim) => ({ ...claim, pid: pids[index] })),
        );
        expect(
          workers
            .flatMap((worker) => eventsOf(worker))
            .filter((event) => event.event === 'claim-failed'),
        ).toEqual([]);
        const winners = claims.filter((claim) => claim.claimed);
        expect(winners.map((claim) => claim.filename).sort()).toEqual(filenames);
        const callerOf = new Map(calls.map((call) => [call.filename, call.pid]));
        for (const winner of winners) expect(winner.pid).toBe(callerOf.get(winner.filename));
        expect(new Set(winners.map((claim) => claim.owner)).size).toBe(PROCESSES);
        for (const loser of claims.filter((claim) => !claim.claimed)) {
          expect(['held', 'not-pending']).toContain(loser.reason);
        }

        const rows = await expectOk(world.vb.categorize.results(scope, sessionId));
        expect(rows.map((row) => [row.filename, row.status, row.bucketName])).toEqual(
          filenames.map((filename) => [filename, 'categorized', BUCKET]),
        );
        const session = await expectOk(world.store.categorizationSessions.get(scope, sessionId));
        expect(session.counts).toEqual({
          total: VIDEOS,
          pending: 0,
          analyzed: 0,
          categorized: VIDEOS,
          error: 0,
        });
      } finally {
        for (const worker of workers) worker.process.kill('SIGKILL');
        await Promise.all(workers.map((worker) => worker.exited));
        rmSync(dir, { recursive: true, force: true });
        await world.dispose();
      }
    }, 120_000);

    it('a worker killed while it holds a row: another process takes the row over once the lease has run out', async () => {
      const world = await openSharedWorld(kind);
      const dir = mkdtempSync(join(tmpdir(), 'vbuckets-resume-kill-'));
      const workers: Worker[] = [];
      try {
        const { orgId, scope, sessionId, filenames } = await pendingSession(world, VIDEOS);
        const logPath = join(dir, 'calls.log');
        const heldIndex = 10;
        const held = filenames[heldIndex] ?? '';
        const common = {
          store: world.where,
          blobRoot: world.blobRoot,
          orgId,
          sessionId,
          logPath,
          bucketName: BUCKET,
          rowLeaseMs: LEASE_MS,
        };
        // One row at a time, in order: the rows before `held` are done and nothing else is in
        // flight when it hangs.
        const holding = signal();
        const first = startResumeWorker(
          { ...common, worker: 'first', concurrency: 1, holdOn: held },
          (event) => {
            if (event.event === 'holding') holding.fire();
          },
        );
        workers.push(first);
        await beforeAnyExit(`the first worker held ${held}`, holding.fired, [first]);
        const before = await expectOk(world.vb.categorize.results(scope, sessionId));
        expect(before.map((row) => row.status)).toEqual(
          filenames.map((_, index) => (index < heldIndex ? 'categorized' : 'pending')),
        );
        const firstClaim = claimsOf(first).find(
          (claim) => claim.filename === held && claim.claimed,
        );
        expect(firstClaim).toBeDefined();

        first.process.kill('SIGKILL');
        await first.exited;
        expect(first.process.signalCode).toBe('SIGKILL');

        // Started at once: while the dead worker's lease runs, its row is refused; the second
        // worker resumes again until nothing is pending.
        const second = startResumeWorker({ ...common, worker: 'second', untilDone: true });
        workers.push(second);
        const result = await resumed(second);
        expect(result.counts).toEqual({
          total: VIDEOS,
          pending: 0,
          analyzed: 0,
          categorized: VIDEOS,
          error: 0,
        });

        // Every video called once, apart from the killed attempt at `held`.
        const firstPid = first.process.pid;
        const secondPid = second.process.pid;
        const calls = readCalls(logPath);
        expect(calls.filter((call) => call.pid === firstPid).map((call) => call.filename)).toEqual(
          filenames.slice(0, heldIndex + 1),
        );
        expect(
          calls
            .filter((call) => call.pid === secondPid)
            .map((call) => call.filename)
            .sort(),
        ).toEqual(filenames.slice(heldIndex));
        expect(calls).toHaveLength(VIDEOS + 1);

        // The takeover: one claim of `held` by the second worker won, and not before the first
        // worker's lease (from its claim, renewed until the kill) could have run out. Every earlier
        // try was refused because the dead worker still held the row.
        const secondClaims = claimsOf(second).filter((claim) => claim.filename === held);
        const taken = secondClaims.filter((claim) => claim.claimed);
        expect(taken).toHaveLength(1);
        expect(Date.parse(taken[0]?.now ?? '')).toBeGreaterThanOrEqual(
          Date.parse(firstClaim?.now ?? '') + LEASE_MS,
        );
        for (const refused of secondClaims.filter((claim) => !claim.claimed)) {
          expect(refused).toMatchObject({ reason: 'held', heldBy: firstClaim?.owner });
        }
        // Rows the first worker finished were never claimed again.
        expect(
          claimsOf(second).filter((claim) => filenames.indexOf(claim.filename) < heldIndex),
        ).toEqual([]);

        const rows = await expectOk(world.vb.categorize.results(scope, sessionId));
        expect(rows.map((row) => [row.filename, row.status, row.bucketName])).toEqual(
          filenames.map((filename) => [filename, 'categorized', BUCKET]),
        );
      } finally {
        for (const worker of workers) worker.process.kill('SIGKILL');
        await Promise.all(workers.map((worker) => worker.exited));
        rmSync(dir, { recursive: true, force: true });
        await world.dispose();
      }
    }, 120_000);
  },
);
