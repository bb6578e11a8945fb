import { type JobInsert, STALLED_JOB_REASON, type StoredJob } from '@vbuckets/core/adapter-kit';
import { describe, expect, it } from 'vitest';
import { timestamp, uniqueId, uniqueJobKind } from './builders';
import { expectErrorCode, expectOk } from './result-assertions';
import type { StoreConformanceContext } from './store-conformance-context';
import { describeJobScheduleConformance } from './store-conformance-jobs-schedules';
import { expectHumanMessage } from './store-conformance-segments';

const BACKOFF = { delayMs: 1000, maxDelayMs: 60_000 };

/** A job of `kind` due at once; any field can be overridden. */
export function makeJobInsert(kind: string, fields: Partial<JobInsert> = {}): JobInsert {
  return {
    kind,
    id: uniqueId('job'),
    payload: { n: 1, text: 'héllo' },
    maxAttempts: 3,
    backoff: BACKOFF,
    now: timestamp(0),
    runAt: null,
    ...fields,
  };
}

const uniqueKind = () => uniqueJobKind();

const lease = (job: Pick<StoredJob, 'kind' | 'id'>, owner: string, seconds: number) => ({
  kind: job.kind,
  id: job.id,
  owner,
  now: timestamp(seconds),
});

export function describeJobConformance(context: StoreConformanceContext): void {
  describe('jobs', () => {
    const jobs = () => context.store().jobs;
    const claim = (kind: string, owner: string, seconds: number, leaseMs = 10_000) =>
      expectOk(jobs().claimNext({ kinds: [kind], owner, now: timestamp(seconds), leaseMs }));

    it('inserts a waiting job once per (kind, id) and answers the stored one after', async () => {
      const kind = uniqueKind();
      const first = makeJobInsert(kind, { payload: ['a', { b: null }] });
      const inserted = await expectOk(jobs().insert(first));
      expect(inserted.created).toBe(true);
      expect(inserted.job).toEqual({
        kind,
        id: first.id,
        payload: ['a', { b: null }],
        state: 'waiting',
        attemptsMade: 0,
        maxAttempts: 3,
        backoff: BACKOFF,
        failedReason: null,
        createdAt: timestamp(0),
        runAt: null,
        finishedAt: null,
        leaseOwner: null,
        leaseExpiresAt: null,
      });
      const again = await expectOk(
        jobs().insert({ ...first, payload: 'other', now: timestamp(5) }),
      );
      expect(again).toEqual({ job: inserted.job, created: false });
      expect(await expectOk(jobs().get(kind, first.id))).toEqual(inserted.job);
      // The same id under another kind is another job.
      const otherKind = await expectOk(jobs().insert({ ...first, kind: uniqueKind() }));
      expect(otherKind.created).toBe(true);
    });

    it('creates one job of 20 concurrent inserts of one id; every caller gets it', async () => {
      const kind = uniqueKind();
      const id = uniqueId('same');
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          expectOk(jobs().insert(makeJobInsert(kind, { id, payload: { index } }))),
        ),
      );
      const created = results.filter((result) => result.created);
      expect(created).toHaveLength(1);
      for (const result of results) expect(result.job).toEqual(created[0]?.job);
      const counts = await expectOk(jobs().counts());
      expect(counts.filter((count) => count.kind === kind)).toEqual([
        { kind, state: 'waiting', count: 1 },
      ]);
    });

    it('keeps payloads of every JSON shape as they were', async () => {
      const kind = uniqueKind();
      for (const payload of [
        null,
        0,
        'text "quoted" \\ ünï',
        [1, [2]],
        { deep: { list: [true] } },
      ]) {
        const { job } = await expectOk(jobs().insert(makeJobInsert(kind, { payload })));
        expect((await expectOk(jobs().get(kind, job.id))).payload).toEqual(payload);
      }
    });

    it('claims due jobs of the asked kinds in due order, then insertion order, counting an attempt', async () => {
      const kind = uniqueKind();
      const other = uniqueKind();
      await expectOk(jobs().insert(makeJobInsert(other)));
      const later = await expectOk(
        jobs().insert(makeJobInsert(kind, { id: 'c-later', now: timestamp(2) })),
      );
      const firstIn = await expectOk(jobs().insert(makeJobInsert(kind, { id: 'b-first' })));
      const secondIn = await expectOk(jobs().insert(makeJobInsert(kind, { id: 'a-second' })));
      const claimed = [];
      for (let index = 0; index < 4; index += 1)
        claimed.push(await claim(kind, 'worker-1', 10, 5000));
      expect(claimed.map((job) => job?.id ?? null)).toEqual([
        firstIn.job.id,
        secondIn.job.id,
        later.job.id,
        null,
      ]);
      expect(claimed[0]).toMatchObject({
        state: 'active',
        attemptsMade: 1,
        leaseOwner: 'worker-1',
        leaseExpiresAt: timestamp(15),
        runAt: null,
      });
      expect(await expectOk(jobs().get(kind, firstIn.job.id))).toEqual(claimed[0]);
    });

    it('holds a delayed job until its run-at', async () => {
      const kind = uniqueKind();
      const { job } = await expectOk(jobs().insert(makeJobInsert(kind, { runAt: timestamp(30) })));
      expect(job).toMatchObject({ state: 'delayed', runAt: timestamp(30) });
      expect(await claim(kind, 'worker', 29)).toBeNull();
      expect(await claim(kind, 'worker', 30)).toMatchObject({ id: job.id, state: 'active' });
    });

    it('lets each of 10 jobs be claimed exactly once by 25 concurrent claims', async () => {
      const kind = uniqueKind();
      const ids = [];
      for (let index = 0; index < 10; index += 1) {
        ids.push((await expectOk(jobs().insert(makeJobInsert(kind)))).job.id);
      }
      const claims = await Promise.all(
        Array.from({ length: 25 }, (_, index) => claim(kind, `worker-${index}`, 1)),
      );
      const claimed = claims.flatMap((job) => (job === null ? [] : [job.id]));
      expect([...claimed].sort()).toEqual([...ids].sort());
      expect(claims.filter((job) => job === null)).toHaveLength(15);
    });

    it('takes over a job whose lease expired (its worker stopped) as another attempt', async () => {
      const kind = uniqueKind();
      const { job } = await expectOk(jobs().insert(makeJobInsert(kind)));
      await claim(kind, 'dead', 0, 1000);
      expect(await claim(kind, 'alive', 0.5)).toBeNull();
      const taken = await claim(kind, 'alive', 1);
      expect(taken).toMatchObject({ id: job.id, attemptsMade: 2, leaseOwner: 'alive' });
      const lost = await expectErrorCode(jobs().complete(lease(job, 'dead', 2)), 'CONFLICT');
      expect(lost.message).toMatch(/lease lost/);
      expectHumanMessage(lost);
      expect(await expectOk(jobs().complete(lease(job, 'alive', 2)))).toMatchObject({
        state: 'completed',
        finishedAt: timestamp(2),
        leaseOwner: null,
      });
    });

    it('fails a stalled job with no attempts left, saying its worker stopped', async () => {
      const kind = uniqueKind();
      const { job } = await expectOk(jobs().insert(makeJobInsert(kind, { maxAttempts: 1 })));
      await claim(kind, 'dead', 0, 1000);
      expect(await claim(kind, 'alive', 5)).toBeNull();
      expect(await expectOk(jobs().get(kind, job.id))).toMatchObject({
        state: 'failed',
        attemptsMade: 1,
        failedReason: STALLED_JOB_REASON,
        finishedAt: timestamp(5),
        leaseOwner: null,
      });
    });

    it('renews a lease for its owner only, even after it ran out unclaimed', async () => {
      const kind = uniqueKind();
      const { job } = await expectOk(jobs().insert(makeJobInsert(kind)));
      await claim(kind, 'owner', 0, 1000);
      const renewed = await expectOk(
        jobs().renewLease({ ...lease(job, 'owner', 2), leaseMs: 1000 }),
      );
      expect(renewed.leaseExpiresAt).toBe(timestamp(3));
      expect(await claim(kind, 'other', 2.5)).toBeNull();
      const refused = await expectErrorCode(
        jobs().renewLease({ ...lease(job, 'other', 2), leaseMs: 1000 }),
        'CONFLICT',
      );
      expect(refused.message).toMatch(/lease lost/);
    });

    it('records failures: retry later (an attempt given back or not), fail for good, release', async () => {
      const kind = uniqueKind();
      const { job } = await expectOk(jobs().insert(makeJobInsert(kind)));
      await claim(kind, 'w', 0);
      const later = { ...lease(job, 'w', 1), reason: 'busy', runAt: timestamp(60) };
      expect(await expectOk(jobs().retryLater({ ...later, countsAsAttempt: false }))).toMatchObject(
        {
          state: 'delayed',
          runAt: timestamp(60),
          attemptsMade: 0,
          failedReason: 'busy',
          leaseOwner: null,
        },
      );
      await claim(kind, 'w', 60);
      expect(
        await expectOk(
          jobs().retryLater({ ...later, runAt: timestamp(61), countsAsAttempt: true }),
        ),
      ).toMatchObject({ state: 'delayed', attemptsMade: 1 });
      await claim(kind, 'w', 61);
      expect(await expectOk(jobs().release(lease(job, 'w', 62)))).toMatchObject({
        state: 'waiting',
        attemptsMade: 1,
        runAt: null,
        leaseOwner: null,
      });
      expect(await claim(kind, 'w', 63)).toMatchObject({ attemptsMade: 2 });
      expect(
        await expectOk(jobs().fail({ ...lease(job, 'w', 64), reason: 'broken' })),
      ).toMatchObject({
        state: 'failed',
        failedReason: 'broken',
        finishedAt: timestamp(64),
      });
      await expectErrorCode(jobs().release(lease(job, 'w', 65)), 'CONFLICT');
      await expectErrorCode(jobs().complete(lease({ kind, id: 'missing' }, 'w', 65)), 'NOT_FOUND');
    });

    it('counts jobs per kind and state, and lists failed jobs newest first', async () => {
      const kind = uniqueKind();
      const made = [];
      for (let index = 0; index < 4; index += 1) {
        made.push((await expectOk(jobs().insert(makeJobInsert(kind)))).job);
      }
      for (const [index, job] of made.slice(0, 3).entries()) {
        await claim(kind, 'w', 0);
        await expectOk(jobs().fail({ ...lease(job, 'w', 10 - index), reason: `r${index}` }));
      }
      await claim(kind, 'w', 20);
      const counts = (await expectOk(jobs().counts())).filter((count) => count.kind === kind);
      expect(counts).toEqual([
        { kind, state: 'active', count: 1 },
        { kind, state: 'failed', count: 3 },
      ]);
      const failed = await expectOk(jobs().listFailed({ kind }));
      expect(failed.map((job) => job.failedReason)).toEqual(['r0', 'r1', 'r2']);
      const limited = await expectOk(jobs().listFailed({ kind, limit: 1 }));
      expect(limited.map((job) => job.id)).toEqual([made[0]?.id]);
      await expectErrorCode(jobs().listFailed({ kind, limit: 0 }), 'VALIDATION');
    });

    it('retries a failed job with fresh attempts; refuses one that is not failed', async () => {
      const kind = uniqueKind();
      const { job } = await expectOk(jobs().insert(makeJobInsert(kind)));
      await expectErrorCode(jobs().retry(kind, job.id, timestamp(1)), 'CONFLICT');
      await claim(kind, 'w', 0);
      await expectOk(jobs().fail({ ...lease(job, 'w', 1), reason: 'no' }));
      expect(await expectOk(jobs().retry(kind, job.id, timestamp(2)))).toMatchObject({
        state: 'waiting',
        attemptsMade: 0,
        failedReason: null,
        finishedAt: null,
      });
      expect(await claim(kind, 'w', 3)).toMatchObject({ id: job.id, attemptsMade: 1 });
      await expectErrorCode(jobs().retry(kind, 'missing', timestamp(1)), 'NOT_FOUND');
    });

    it('refuses malformed input with VALIDATION and a missing job with NOT_FOUND', async () => {
      const kind = uniqueKind();
      const bad = await expectErrorCode(jobs().insert(makeJobInsert('9 bad kind')), 'VALIDATION');
      expectHumanMessage(bad);
      await expectErrorCode(jobs().insert(makeJobInsert(kind, { maxAttempts: 0 })), 'VALIDATION');
      await expectErrorCode(
        jobs().claimNext({ kinds: [], owner: 'w', now: timestamp(0), leaseMs: 1000 }),
        'VALIDATION',
      );
      const missing = await expectErrorCode(jobs().get(kind, 'nope'), 'NOT_FOUND');
      expectHumanMessage(missing);
    });

    describeJobScheduleConformance(context);
  });
}
