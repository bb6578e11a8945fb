import type { PatternPerformance } from '@vbuckets/core';
import type { PatternEvidence, PatternKey } from '@vbuckets/core/adapter-kit';
import { describe, expect, it } from 'vitest';
import { makeTenant, timestamp, uniqueId } from './builders';
import { expectErrorCode, expectOk } from './result-assertions';
import type { StoreConformanceContext } from './store-conformance-context';

const range = (count: number) => Array.from({ length: count }, (_, index) => index);

/** A key in a category of its own, so rows of other tests sharing the database never show. */
function keyOf(fields: Partial<PatternKey> = {}): PatternKey {
  return {
    productCategory: uniqueId('category'),
    dimension: 'hookType',
    value: 'question',
    source: 'client',
    ...fields,
  };
}

// Halves and quarters add up exactly in any order, so concurrent sums compare with toEqual.
function evidenceOf(fields: Partial<PatternEvidence> = {}): PatternEvidence {
  return {
    alpha: 2.5,
    beta: 7.25,
    clicks: 10,
    conversions: 2.5,
    weight: 1,
    marketLongevityDays: null,
    ...fields,
  };
}

/** Pattern evidence: the atomic upsert-increment per key and the list across orgs. */
export function describeMarketPatternConformance(context: StoreConformanceContext): void {
  const patterns = () => context.store().patterns;
  const row = (key: PatternKey, evidence: PatternEvidence, id = uniqueId('pattern')) => ({
    key,
    evidence,
    id,
  });

  describe('market: pattern evidence', () => {
    it('creates a row from Beta(1, 1) plus the evidence, then adds to it', async () => {
      const { orgId, scope } = makeTenant();
      const key = keyOf();
      const id = uniqueId('pattern');

      await expectOk(patterns().addEvidence(scope, [row(key, evidenceOf(), id)], timestamp(1)));
      const created: PatternPerformance = {
        id,
        orgId,
        ...key,
        weight: 1,
        alpha: 3.5,
        beta: 8.25,
        clicks: 10,
        conversions: 2.5,
        marketLongevityDays: null,
        updatedAt: timestamp(1),
      };
      expect(
        await expectOk(patterns().list(scope, { productCategory: key.productCategory })),
      ).toEqual([created]);

      // The second call's id is not used: the row of the key keeps its own.
      await expectOk(
        patterns().addEvidence(
          scope,
          [row(key, evidenceOf({ alpha: 1, beta: 0.5, clicks: 1.5, conversions: 1 }))],
          timestamp(2),
        ),
      );
      expect(
        await expectOk(patterns().list(scope, { productCategory: key.productCategory })),
      ).toEqual([
        {
          ...created,
          alpha: 4.5,
          beta: 8.75,
          clicks: 11.5,
          conversions: 3.5,
          updatedAt: timestamp(2),
        },
      ]);
    });

    it('keeps the latest weight and the longest market run', async () => {
      const { scope } = makeTenant();
      const key = keyOf({ source: 'benchmark' });
      const add = (weight: number, marketLongevityDays: number | null, at: number) =>
        expectOk(
          patterns().addEvidence(
            scope,
            [row(key, evidenceOf({ weight, marketLongevityDays }))],
            timestamp(at),
          ),
        );
      const current = async () =>
        (await expectOk(patterns().list(scope, { productCategory: key.productCategory })))[0];

      await add(2, null, 1);
      expect(await current()).toMatchObject({ weight: 2, marketLongevityDays: null });
      await add(2.5, 30, 2);
      expect(await current()).toMatchObject({ weight: 2.5, marketLongevityDays: 30 });
      await add(1.5, 12.5, 3);
      expect(await current()).toMatchObject({ weight: 1.5, marketLongevityDays: 30 });
      await add(0, null, 4);
      expect(await current()).toMatchObject({ weight: 0, marketLongevityDays: 30 });
      await add(3, 45.5, 5);
      expect(await current()).toMatchObject({
        weight: 3,
        marketLongevityDays: 45.5,
        updatedAt: timestamp(5),
      });
    });

    it('writes several rows at once, a key given twice adding twice', async () => {
      const { orgId, scope } = makeTenant();
      const productCategory = uniqueId('category');
      const hook = keyOf({ productCategory });
      const emotion = keyOf({ productCategory, dimension: 'emotion', value: 'joy' });
      const hookId = uniqueId('pattern');

      await expectOk(
        patterns().addEvidence(
          scope,
          [
            row(hook, evidenceOf({ weight: 1 }), hookId),
            row(emotion, evidenceOf()),
            row(hook, evidenceOf({ weight: 0.5 })),
          ],
          timestamp(1),
        ),
      );

      const rows = await expectOk(patterns().list(scope, { productCategory }));
      expect(rows.map((found) => [found.dimension, found.alpha, found.weight])).toEqual([
        ['emotion', 3.5, 1],
        ['hookType', 6, 0.5],
      ]);
      expect(rows[1]).toMatchObject({ id: hookId, orgId, clicks: 20, conversions: 5 });
      await expectOk(patterns().addEvidence(scope, [], timestamp(2)));
      expect(await expectOk(patterns().list(scope, { productCategory }))).toEqual(rows);
    });

    it('writes all rows of a call or none: an id taken by another key is CONFLICT', async () => {
      const { scope } = makeTenant();
      const productCategory = uniqueId('category');
      const taken = uniqueId('pattern');
      await expectOk(
        patterns().addEvidence(
          scope,
          [row(keyOf({ productCategory }), evidenceOf(), taken)],
          timestamp(1),
        ),
      );
      const before = await expectOk(patterns().list(scope, { productCategory }));

      await expectErrorCode(
        patterns().addEvidence(
          scope,
          [
            row(keyOf({ productCategory }), evidenceOf()),
            row(keyOf({ productCategory, value: 'other' }), evidenceOf(), taken),
          ],
          timestamp(2),
        ),
        'CONFLICT',
      );

      expect(await expectOk(patterns().list(scope, { productCategory }))).toEqual(before);
    });

    it('refuses negative or non-finite evidence and unknown dimensions, writing nothing', async () => {
      const { scope } = makeTenant();
      const key = keyOf();
      for (const [rows, path] of [
        [[row(key, evidenceOf({ alpha: -1 }))], 'rows.0.evidence.alpha'],
        [
          [row(key, evidenceOf()), row(key, evidenceOf({ weight: Number.NaN }))],
          'rows.1.evidence.weight',
        ],
        [[row(key, evidenceOf({ marketLongevityDays: 0 }))], 'rows.0.evidence.marketLongevityDays'],
        [[row({ ...key, dimension: 'colour' as never }, evidenceOf())], 'rows.0.key.dimension'],
      ] as const) {
        const error = await expectErrorCode(
          patterns().addEvidence(scope, rows, timestamp(1)),
          'VALIDATION',
        );
        expect(error.path).toBe(path);
      }
      expect(
        await expectOk(patterns().list(scope, { productCategory: key.productCategory })),
      ).toEqual([]);
    });

    it('loses nothing of 30 concurrent upserts of one key', async () => {
      const { scope } = makeTenant();
      const key = keyOf();

      const results = await Promise.all(
        range(30).map((index) =>
          patterns().addEvidence(
            scope,
            [
              row(
                key,
                evidenceOf({ alpha: 0.5, beta: 1.25, clicks: 2, conversions: 0.5, weight: index }),
              ),
            ],
            timestamp(1),
          ),
        ),
      );

      for (const result of results) {
        expect(result.isOk(), result.isErr() ? result.error.message : '').toBe(true);
      }
      const rows = await expectOk(patterns().list(scope, { productCategory: key.productCategory }));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ alpha: 16, beta: 38.5, clicks: 60, conversions: 15 });
      expect(range(30)).toContain(rows[0]?.weight);
    });

    it('loses nothing of concurrent multi-row calls naming the same keys in other orders', async () => {
      const { scope } = makeTenant();
      const productCategory = uniqueId('category');
      const keys = ['a', 'b', 'c', 'd'].map((value) => keyOf({ productCategory, value }));

      const results = await Promise.all(
        range(20).map((index) =>
          patterns().addEvidence(
            scope,
            (index % 2 === 0 ? keys : [...keys].reverse()).map((key) =>
              row(key, evidenceOf({ alpha: 1, beta: 0.5, clicks: 1, conversions: 1 })),
            ),
            timestamp(1),
          ),
        ),
      );

      for (const result of results) {
        expect(result.isOk(), result.isErr() ? result.error.message : '').toBe(true);
      }
      const rows = await expectOk(patterns().list(scope, { productCategory }));
      expect(rows.map((found) => [found.value, found.alpha, found.beta, found.clicks])).toEqual(
        ['a', 'b', 'c', 'd'].map((value) => [value, 21, 11, 20]),
      );
    });

    it("lists the org's rows, plus every org's benchmarks when includePublic, in key order", async () => {
      const mine = makeTenant();
      const theirs = makeTenant();
      const productCategory = uniqueId('category');
      const at = timestamp(1);
      const add = (scope: typeof mine.scope, fields: Partial<PatternKey>) =>
        expectOk(
          patterns().addEvidence(
            scope,
            [row(keyOf({ productCategory, ...fields }), evidenceOf())],
            at,
          ),
        );
      await add(mine.scope, { dimension: 'pacing', value: 'fast', source: 'client' });
      await add(mine.scope, { dimension: 'emotion', value: 'joy', source: 'benchmark' });
      await add(mine.scope, { dimension: 'emotion', value: 'fear', source: 'client' });
      await add(mine.scope, { dimension: 'emotion', value: 'joy', source: 'client' });
      await add(theirs.scope, { dimension: 'emotion', value: 'joy', source: 'benchmark' });
      await add(theirs.scope, { dimension: 'emotion', value: 'joy', source: 'client' });
      await add(theirs.scope, { dimension: 'tag', value: 'ugc', source: 'benchmark' });
      await add(mine.scope, { productCategory: uniqueId('elsewhere'), value: 'joy' });
      const seen = (rows: PatternPerformance[]) =>
        rows.map((found) => [
          found.dimension,
          found.value,
          found.source,
          found.orgId === mine.orgId ? 'mine' : 'theirs',
        ]);

      expect(seen(await expectOk(patterns().list(mine.scope, { productCategory })))).toEqual([
        ['emotion', 'fear', 'client', 'mine'],
        ['emotion', 'joy', 'benchmark', 'mine'],
        ['emotion', 'joy', 'client', 'mine'],
        ['pacing', 'fast', 'client', 'mine'],
      ]);
      const everyOrg = seen(
        await expectOk(patterns().list(mine.scope, { productCategory, includePublic: true })),
      );
      // Ties on (dimension, value, source) go by org id; these ids are ASCII.
      const orgsInOrder = mine.orgId < theirs.orgId ? ['mine', 'theirs'] : ['theirs', 'mine'];
      expect(everyOrg).toEqual([
        ['emotion', 'fear', 'client', 'mine'],
        ['emotion', 'joy', 'benchmark', orgsInOrder[0]],
        ['emotion', 'joy', 'benchmark', orgsInOrder[1]],
        ['emotion', 'joy', 'client', 'mine'],
        ['pacing', 'fast', 'client', 'mine'],
        ['tag', 'ugc', 'benchmark', 'theirs'],
      ]);
      expect(
        seen(
          await expectOk(
            patterns().list(mine.scope, {
              productCategory,
              includePublic: true,
              dimension: 'emotion',
              source: 'benchmark',
            }),
          ),
        ),
      ).toEqual([
        ['emotion', 'joy', 'benchmark', orgsInOrder[0]],
        ['emotion', 'joy', 'benchmark', orgsInOrder[1]],
      ]);
      expect(
        seen(await expectOk(patterns().list(theirs.scope, { productCategory, dimension: 'tag' }))),
      ).toEqual([['tag', 'ugc', 'benchmark', 'theirs']]);
    });
  });
}
