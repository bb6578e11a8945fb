import { describe, expect, it } from 'vitest';
import { timestamp, uniqueId, uniqueJobKind } from './builders';
import { expectErrorCode, expectOk } from './result-assertions';
import type { StoreConformanceContext } from './store-conformance-context';

const uniqueKind = () => uniqueJobKind('sched');

export function describeJobScheduleConformance(context: StoreConformanceContext): void {
  describe('job schedules', () => {
    const jobs = () => context.store().jobs;
    const upsert = (
      name: string,
      kind: string,
      everyMs: number,
      seconds: number,
      payload: unknown = { a: 1 },
    ) => expectOk(jobs().upsertSchedule({ name, kind, payload, everyMs, now: timestamp(seconds) }));
    const claimDue = (kind: string, seconds: number) =>
      expectOk(jobs().claimDueSchedules({ kinds: [kind], now: timestamp(seconds) }));

    it('creates, replaces, lists and deletes schedules by name', async () => {
      const kind = uniqueKind();
      const name = uniqueId('schedule');
      expect(await upsert(name, kind, 60_000, 0)).toEqual({
        name,
        kind,
        payload: { a: 1 },
        everyMs: 60_000,
        nextRunAt: timestamp(60),
      });
      // The same period keeps the next occurrence (a restart re-registers its schedules).
      expect(await upsert(name, kind, 60_000, 30, 'new')).toMatchObject({
        payload: 'new',
        nextRunAt: timestamp(60),
      });
      // A new period starts over from now.
      expect(await upsert(name, kind, 10_000, 30)).toMatchObject({
        everyMs: 10_000,
        nextRunAt: timestamp(40),
      });
      const second = `${name}-2`;
      await upsert(second, kind, 5000, 0);
      const listed = (await expectOk(jobs().listSchedules())).filter((each) => each.kind === kind);
      expect(listed.map((each) => each.name)).toEqual([name, second]);
      expect(await expectOk(jobs().deleteSchedule(second))).toBe(true);
      expect(await expectOk(jobs().deleteSchedule(second))).toBe(false);
      await expectErrorCode(
        jobs().upsertSchedule({ name: '', kind, payload: 1, everyMs: 1000, now: timestamp(0) }),
        'VALIDATION',
      );
      await expectErrorCode(
        jobs().upsertSchedule({ name, kind, payload: 1, everyMs: 0, now: timestamp(0) }),
        'VALIDATION',
      );
    });

    it('claims each due occurrence once and skips missed ones to the next after now', async () => {
      const kind = uniqueKind();
      const name = uniqueId('schedule');
      await upsert(name, kind, 10_000, 0);
      expect(await claimDue(kind, 9)).toEqual([]);
      const [first, ...rest] = await claimDue(kind, 10);
      expect(rest).toEqual([]);
      expect(first).toMatchObject({
        dueAt: timestamp(10),
        schedule: { name, nextRunAt: timestamp(20) },
      });
      expect(await claimDue(kind, 15)).toEqual([]);
      // Workers were away for several periods: one occurrence, the next one after now.
      const late = await claimDue(kind, 55);
      expect(late.map((each) => [each.dueAt, each.schedule.nextRunAt])).toEqual([
        [timestamp(20), timestamp(60)],
      ]);
      // Schedules of other kinds are not claimed.
      expect(await claimDue(uniqueKind(), 1000)).toEqual([]);
    });

    it('gives each occurrence to exactly one of 10 concurrent claimers', async () => {
      const kind = uniqueKind();
      const names = [uniqueId('schedule'), uniqueId('schedule')];
      for (const name of names) await upsert(name, kind, 1000, 0);
      const claims = await Promise.all(Array.from({ length: 10 }, () => claimDue(kind, 1)));
      const occurrences = claims.flat().map((each) => `${each.schedule.name}@${each.dueAt}`);
      expect(occurrences.sort()).toEqual(names.map((name) => `${name}@${timestamp(1)}`).sort());
    });
  });
}
