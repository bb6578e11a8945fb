import type { Scope } from '@vbuckets/core';
import { describe, expect, it } from 'vitest';
import { makeBenchmark, makeCreative, makeTenant, timestamp, uniqueId } from './builders';
import { expectErrorCode, expectOk } from './result-assertions';
import type { StoreConformanceContext } from './store-conformance-context';
import { HOSTILE_STRINGS } from './store-conformance-hostile-strings';
import { delta, event, insertNew, range } from './store-conformance-market-helpers';

/** Creative performance: atomic increments, idempotency keys, rollback, hostile strings. */
export function describeMarketPerformanceConformance(context: StoreConformanceContext): void {
  const creatives = () => context.store().creatives;
  const stored = (creative: Parameters<typeof insertNew>[1]) => insertNew(context, creative);

  describe('market: creative performance', () => {
    it('adds performance and reports the conversions before; a repeated key adds nothing', async () => {
      const { orgId, scope } = makeTenant();
      const creative = await stored(
        makeCreative({ orgId, impressions: 100, clicks: 10, conversions: 2 }),
      );

      const first = await expectOk(
        creatives().recordPerformance(scope, creative.id, delta(5, 3, 50), event('day-1', 4)),
      );
      const after = {
        ...creative,
        impressions: 150,
        clicks: 15,
        conversions: 5,
        updatedAt: timestamp(4),
      };
      expect(first).toEqual({ creative: after, applied: true, conversionsBefore: 2 });
      const repeat = await expectOk(
        creatives().recordPerformance(scope, creative.id, delta(9, 9, 90), event('day-1', 8)),
      );
      expect(repeat).toEqual({ creative: after, applied: false, conversionsBefore: 5 });
      // A key is per creative: the same key on another creative is a new event.
      const sibling = await stored(makeCreative({ orgId }));
      expect(
        (
          await expectOk(
            creatives().recordPerformance(scope, sibling.id, delta(1, 0), event('day-1')),
          )
        ).applied,
      ).toBe(true);
      const zero = await expectOk(
        creatives().recordPerformance(scope, creative.id, delta(0, 0, 0), event('day-2', 9)),
      );
      expect(zero).toEqual({
        creative: { ...after, updatedAt: timestamp(9) },
        applied: true,
        conversionsBefore: 5,
      });
    });

    it('refuses counts that are negative, fractional or convert more than they click', async () => {
      const { orgId, scope } = makeTenant();
      const creative = await stored(makeCreative({ orgId }));

      for (const [bad, path] of [
        [{ impressions: -1, clicks: 0, conversions: 0 }, 'impressions'],
        [{ impressions: 0, clicks: 1.5, conversions: 0 }, 'clicks'],
        [{ impressions: 0, clicks: 1, conversions: 2 }, 'conversions'],
      ] as const) {
        const error = await expectErrorCode(
          creatives().recordPerformance(scope, creative.id, bad, event('bad')),
          'VALIDATION',
        );
        expect(error.path).toBe(path);
      }
      await expectErrorCode(
        creatives().recordPerformance(scope, creative.id, delta(1, 1), event('')),
        'VALIDATION',
      );
      // The refused key was not used up.
      expect(
        (
          await expectOk(
            creatives().recordPerformance(scope, creative.id, delta(1, 1), event('bad')),
          )
        ).applied,
      ).toBe(true);
    });

    it('loses none of 200 concurrent increments, each told a distinct count before', async () => {
      const { orgId, scope } = makeTenant();
      const creative = await stored(makeCreative({ orgId }));

      const results = await Promise.all(
        range(200).map((index) =>
          creatives().recordPerformance(
            scope,
            creative.id,
            delta(2, 1, 7),
            event(`event-${index}`),
          ),
        ),
      );

      const records = results.map((result) => {
        expect(result.isOk(), result.isErr() ? result.error.message : '').toBe(true);
        return result.isOk() ? result.value : undefined;
      });
      expect(records.every((record) => record?.applied === true)).toBe(true);
      // Each increment saw the counts of the ones before it: 0, 1, …, 199 in some order.
      expect(
        records.map((record) => record?.conversionsBefore).sort((a = 0, b = 0) => a - b),
      ).toEqual(range(200));
      const final = await expectOk(creatives().get(scope, creative.id));
      expect([final.impressions, final.clicks, final.conversions]).toEqual([1400, 400, 200]);
    });

    it('applies a key once when 20 callers repeat it concurrently', async () => {
      const { orgId, scope } = makeTenant();
      const creative = await stored(makeCreative({ orgId }));

      const results = await Promise.all(
        range(40).map((index) =>
          creatives().recordPerformance(
            scope,
            creative.id,
            delta(3, 1),
            event(index % 2 === 0 ? 'retried-webhook' : `unique-${index}`),
          ),
        ),
      );

      const records = results.map((result) => {
        expect(result.isOk(), result.isErr() ? result.error.message : '').toBe(true);
        return result.isOk() ? result.value : undefined;
      });
      expect(records.filter((record) => record?.applied === true)).toHaveLength(21);
      for (const record of records.filter((found) => found?.applied === false)) {
        expect(record?.conversionsBefore).toBe(record?.creative.conversions);
      }
      const final = await expectOk(creatives().get(scope, creative.id));
      expect([final.clicks, final.conversions]).toEqual([63, 21]);
    });

    it("uses another org's creative id with no effect on the owner's counts or keys", async () => {
      const owner = makeTenant();
      const other = makeTenant();
      const creative = await stored(makeCreative({ orgId: owner.orgId }));

      await expectErrorCode(
        creatives().recordPerformance(other.scope, creative.id, delta(5, 5), event('shared-key')),
        'NOT_FOUND',
      );

      const record = await expectOk(
        creatives().recordPerformance(owner.scope, creative.id, delta(1, 1), event('shared-key')),
      );
      expect(record.applied).toBe(true);
      expect([record.creative.clicks, record.creative.conversions]).toEqual([1, 1]);
    });

    it('rolls back creatives, performance keys and evidence when a transaction fails', async () => {
      const { orgId, scope } = makeTenant();
      const kept = await stored(makeCreative({ orgId }));
      const fresh = makeBenchmark({ orgId });
      const key = {
        productCategory: 'fitness',
        dimension: 'hookType' as const,
        value: 'question',
        source: 'client' as const,
      };
      const evidence = {
        alpha: 2,
        beta: 3,
        clicks: 5,
        conversions: 2,
        weight: 1,
        marketLongevityDays: null,
      };

      await expectErrorCode(
        context.store().transaction((tx) =>
          tx.creatives
            .insert(fresh)
            .andThen(() =>
              tx.creatives.recordPerformance(scope, kept.id, delta(4, 2), event('in-tx')),
            )
            .andThen(() =>
              tx.creatives.transitionAnalysis(scope, kept.id, {
                from: ['none'],
                to: 'queued',
                updatedAt: timestamp(2),
              }),
            )
            .andThen(() =>
              tx.patterns.addEvidence(
                scope,
                [{ key, evidence, id: uniqueId('pattern') }],
                timestamp(2),
              ),
            )
            .andThen(() => tx.creatives.get(scope, uniqueId('missing'))),
        ),
        'NOT_FOUND',
      );

      await expectErrorCode(creatives().get(scope, fresh.id), 'NOT_FOUND');
      expect(await expectOk(creatives().get(scope, kept.id))).toEqual(kept);
      expect(
        await expectOk(context.store().patterns.list(scope, { productCategory: 'fitness' })),
      ).toEqual([]);
      // The key went with the rollback: the same event applies now.
      expect(
        (await expectOk(creatives().recordPerformance(scope, kept.id, delta(4, 2), event('in-tx'))))
          .applied,
      ).toBe(true);
      // And what a transaction commits stays, its own reads seeing its writes.
      const committed = await expectOk(
        context.store().transaction((tx) =>
          tx.creatives
            .insert(fresh)
            .andThen(() => tx.creatives.recordPerformance(scope, fresh.id, delta(2, 1), event('x')))
            .map((record) => record.creative),
        ),
      );
      expect(await expectOk(creatives().get(scope, fresh.id))).toEqual(committed);
      expect(committed.clicks).toBe(2);
    });
  });

  describe('market: hostile strings', () => {
    it('keeps hostile strings unchanged in every creative and pattern text field', async () => {
      for (const text of HOSTILE_STRINGS) {
        const { orgId, scope } = makeTenant();
        const creative = makeBenchmark({
          orgId,
          name: text,
          productCategory: text,
          sourcePlatform: text,
          sourceUrl: text,
          hookType: text,
          emotion: text,
          pacing: text,
          targetAudiencePain: text,
          extraTags: [text, text.toUpperCase()],
          analysis: { [text]: text, list: [text, { [text]: [text] }] },
          analysisError: text,
        });
        expect(await expectOk(creatives().insert(creative))).toEqual({ creative, created: true });
        expect(await expectOk(creatives().insert({ ...creative, id: uniqueId('c') }))).toEqual({
          creative,
          created: false,
        });
        expect(await expectOk(creatives().get(scope, creative.id))).toEqual(creative);
        expect(await expectOk(creatives().list(scope, { productCategory: text }))).toEqual([
          creative,
        ]);
        const record = await expectOk(
          creatives().recordPerformance(scope, creative.id, delta(1, 0), event(text)),
        );
        expect(record.applied).toBe(true);
        expect(
          (
            await expectOk(
              creatives().recordPerformance(scope, creative.id, delta(1, 0), event(text)),
            )
          ).applied,
        ).toBe(false);

        const key = {
          productCategory: text,
          dimension: 'tag' as const,
          value: text,
          source: 'benchmark' as const,
        };
        const evidence = {
          alpha: 1,
          beta: 1,
          clicks: 2,
          conversions: 1,
          weight: 2,
          marketLongevityDays: 3,
        };
        await expectOk(
          context
            .store()
            .patterns.addEvidence(scope, [{ key, evidence, id: uniqueId('p') }], timestamp(1)),
        );
        const rows = await expectOk(
          context.store().patterns.list(scope, { productCategory: text }),
        );
        expect(rows.map((row) => [row.productCategory, row.value, row.alpha])).toEqual([
          [text, text, 2],
        ]);
      }
    });

    it('uses ids, scopes and keys holding quotes and unicode as plain values', async () => {
      const suffix = uniqueId('');
      const scope: Scope = { orgId: `org'"\\;-- 🎬${suffix}` };
      const creative = makeCreative({
        orgId: scope.orgId,
        id: `creative'); DROP TABLE creatives;--${suffix}`,
      });
      await stored(creative);
      const injection = `' OR '1'='1`;

      await expectErrorCode(creatives().get(scope, injection), 'NOT_FOUND');
      await expectErrorCode(creatives().get({ orgId: injection }, creative.id), 'NOT_FOUND');
      expect(await expectOk(creatives().list({ orgId: injection }))).toEqual([]);
      await expectErrorCode(
        creatives().recordPerformance(
          { orgId: injection },
          creative.id,
          delta(1, 1),
          event(injection),
        ),
        'NOT_FOUND',
      );
      expect(
        await expectOk(
          context
            .store()
            .patterns.list(
              { orgId: injection },
              { productCategory: injection, includePublic: false },
            ),
        ),
      ).toEqual([]);
      expect(await expectOk(creatives().get(scope, creative.id))).toEqual(creative);
    });
  });
}
