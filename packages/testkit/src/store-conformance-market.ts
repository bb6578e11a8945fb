import type { Creative, PageRequest } from '@vbuckets/core';
import { describe, expect, it } from 'vitest';
import { makeBenchmark, makeCreative, makeTenant, timestamp, uniqueId } from './builders';
import { expectErrorCode, expectOk } from './result-assertions';
import type { StoreConformanceContext } from './store-conformance-context';
import { delta, event, insertNew, range } from './store-conformance-market-helpers';
import { describeMarketPatternConformance } from './store-conformance-market-patterns';
import { describeMarketPerformanceConformance } from './store-conformance-market-performance';

const ids = (creatives: readonly Creative[]) => creatives.map((creative) => creative.id);

/** Newest first, then id in code-point order: the order `creatives.list` promises. */
function newestFirst(creatives: readonly Creative[]): Creative[] {
  return [...creatives].sort((left, right) => {
    const byTime = Date.parse(right.createdAt) - Date.parse(left.createdAt);
    if (byTime !== 0) return byTime;
    return left.id < right.id ? -1 : left.id > right.id ? 1 : 0;
  });
}

/**
 * The market repositories (seed 003): creatives here, their performance and the pattern
 * evidence in files of their own.
 */
export function describeMarketConformance(context: StoreConformanceContext): void {
  const creatives = () => context.store().creatives;
  const stored = (creative: Creative) => insertNew(context, creative);

  describe('market: creatives', () => {
    it('keeps every field of a creative unchanged through insert, get and list', async () => {
      const { orgId, scope } = makeTenant();
      const creative = makeBenchmark({
        orgId,
        ownerId: 'owner-7',
        videoId: uniqueId('video'),
        marketCvr: 0.0375,
        marketLongevityDays: 30.5,
        avgDailyClicks: 1234.25,
        hookType: 'question',
        emotion: 'curiosity',
        pacing: 'fast',
        targetAudiencePain: 'no time',
        extraTags: ['ugc', 'voice-over', 'ugc'],
        impressions: 1000,
        clicks: 40,
        conversions: 3,
        analysisStatus: 'done',
        analysis: { hook: 'A question', frames: [0, 3, 10], nested: { ok: true, none: null } },
        analysisError: 'a previous attempt failed',
        analyzedAt: timestamp(5),
        createdAt: timestamp(1),
        updatedAt: timestamp(6),
      });

      expect(await expectOk(creatives().insert(creative))).toEqual({ creative, created: true });
      expect(await expectOk(creatives().get(scope, creative.id))).toEqual(creative);
      expect(await expectOk(creatives().list(scope))).toEqual([creative]);
    });

    it("answers NOT_FOUND for another org's private creative, and never lists it", async () => {
      const owner = makeTenant();
      const other = makeTenant();
      // Other tests' public benchmarks may share the database: this one's have a category of their own.
      const productCategory = uniqueId('category');
      const creative = await stored(makeCreative({ orgId: owner.orgId, productCategory }));
      const hidden = await stored(
        makeBenchmark({ orgId: owner.orgId, productCategory, isPublic: false }),
      );

      for (const id of [creative.id, hidden.id, uniqueId('missing')]) {
        await expectErrorCode(creatives().get(other.scope, id), 'NOT_FOUND');
        await expectErrorCode(
          creatives().update(other.scope, id, { name: 'Taken over', updatedAt: timestamp(2) }),
          'NOT_FOUND',
        );
        await expectErrorCode(
          creatives().transitionAnalysis(other.scope, id, {
            from: ['none'],
            to: 'queued',
            updatedAt: timestamp(2),
          }),
          'NOT_FOUND',
        );
        const error = await expectErrorCode(
          creatives().recordPerformance(other.scope, id, delta(5, 1), event('stolen')),
          'NOT_FOUND',
        );
        expect(error.message).toBe(`No creative "${id}"`);
      }
      expect(
        await expectOk(creatives().list(other.scope, { includePublic: true, productCategory })),
      ).toEqual([]);
      // Nothing of the refused calls reached the owner's records.
      expect(await expectOk(creatives().get(owner.scope, creative.id))).toEqual(creative);
      expect(await expectOk(creatives().get(owner.scope, hidden.id))).toEqual(hidden);
    });

    it('shows public creatives to every org read-only, and lists only public benchmarks', async () => {
      const owner = makeTenant();
      const reader = makeTenant();
      const productCategory = uniqueId('category');
      const benchmark = await stored(makeBenchmark({ orgId: owner.orgId, productCategory }));
      const publicClient = await stored(
        makeCreative({ orgId: owner.orgId, productCategory, isPublic: true }),
      );
      const own = await stored(makeCreative({ orgId: reader.orgId, productCategory }));
      const elsewhere = await stored(makeBenchmark({ orgId: owner.orgId }));

      expect(await expectOk(creatives().get(reader.scope, benchmark.id))).toEqual(benchmark);
      expect(await expectOk(creatives().get(reader.scope, publicClient.id))).toEqual(publicClient);
      expect(ids(await expectOk(creatives().list(reader.scope)))).toEqual([own.id]);
      expect(
        await expectOk(creatives().list(reader.scope, { includePublic: true, productCategory })),
      ).toEqual(newestFirst([benchmark, own]));
      expect(
        await expectOk(
          creatives().list(reader.scope, {
            includePublic: true,
            productCategory,
            source: 'client',
          }),
        ),
      ).toEqual([own]);
      // Without a category, every org's benchmarks come too (others' tests' among them).
      const everywhere = ids(
        await expectOk(creatives().list(reader.scope, { includePublic: true })),
      );
      expect(everywhere).toEqual(expect.arrayContaining([benchmark.id, elsewhere.id, own.id]));
      expect(everywhere).not.toContain(publicClient.id);

      // Reading is all: a public creative of another org is still NOT_FOUND to every write.
      await expectErrorCode(
        creatives().update(reader.scope, benchmark.id, { name: 'Mine', updatedAt: timestamp(2) }),
        'NOT_FOUND',
      );
      await expectErrorCode(
        creatives().transitionAnalysis(reader.scope, benchmark.id, {
          from: ['none'],
          to: 'queued',
          updatedAt: timestamp(2),
        }),
        'NOT_FOUND',
      );
      await expectErrorCode(
        creatives().recordPerformance(reader.scope, benchmark.id, delta(1, 1), event('k')),
        'NOT_FOUND',
      );
      expect(await expectOk(creatives().get(owner.scope, benchmark.id))).toEqual(benchmark);
    });

    it('inserts one creative per (org, sourceUrl): a repeat returns the first with created false', async () => {
      const { orgId, scope } = makeTenant();
      const other = makeTenant();
      const first = await stored(makeBenchmark({ orgId, name: 'First' }));
      const again = makeBenchmark({ orgId, sourceUrl: first.sourceUrl, name: 'Second' });

      expect(await expectOk(creatives().insert(again))).toEqual({
        creative: first,
        created: false,
      });
      // The very same creative again, id and all, is a repeat too, not a CONFLICT.
      expect(await expectOk(creatives().insert(first))).toEqual({
        creative: first,
        created: false,
      });
      await expectErrorCode(creatives().get(scope, again.id), 'NOT_FOUND');
      // Another org keeps its own creative of the same URL.
      const theirs = makeBenchmark({ orgId: other.orgId, sourceUrl: first.sourceUrl });
      expect(await expectOk(creatives().insert(theirs))).toEqual({
        creative: theirs,
        created: true,
      });
      // Creatives without a URL never collide.
      await stored(makeCreative({ orgId }));
      await stored(makeCreative({ orgId }));
      expect(await expectOk(creatives().list(scope))).toHaveLength(3);
    });

    it('answers CONFLICT for an id that exists, with a new URL or none', async () => {
      const { orgId, scope } = makeTenant();
      const first = await stored(makeBenchmark({ orgId }));

      for (const sourceUrl of [`${first.sourceUrl}?other`, null]) {
        const error = await expectErrorCode(
          creatives().insert(makeBenchmark({ orgId, id: first.id, sourceUrl })),
          'CONFLICT',
        );
        expect(error.message).toContain(first.id);
      }
      expect(await expectOk(creatives().list(scope))).toEqual([first]);
    });

    it('makes one creative of 20 concurrent inserts of one URL, and tells every caller which', async () => {
      const { orgId, scope } = makeTenant();
      const sourceUrl = `https://ads.example/library/${uniqueId('race')}`;
      const contenders = range(20).map((index) =>
        makeBenchmark({ orgId, sourceUrl, name: `Contender ${index}` }),
      );

      const results = await Promise.all(contenders.map((creative) => creatives().insert(creative)));

      const outcomes = results.map((result) => {
        expect(result.isOk(), result.isErr() ? result.error.message : '').toBe(true);
        return result.isOk() ? result.value : undefined;
      });
      const winners = outcomes.filter((outcome) => outcome?.created === true);
      expect(winners).toHaveLength(1);
      const winner = winners[0]?.creative;
      for (const outcome of outcomes) expect(outcome?.creative).toEqual(winner);
      expect(await expectOk(creatives().list(scope))).toEqual([winner]);
    });

    it('lists newest first, then by id, with category and source filters', async () => {
      const { orgId, scope } = makeTenant();
      const made = [
        makeCreative({ orgId, id: `b-${uniqueId('c')}`, createdAt: timestamp(5) }),
        makeCreative({ orgId, id: `a-${uniqueId('c')}`, createdAt: timestamp(5) }),
        makeCreative({ orgId, productCategory: 'beauty', createdAt: timestamp(9) }),
        makeBenchmark({ orgId, createdAt: timestamp(1) }),
        makeBenchmark({ orgId, productCategory: 'beauty', createdAt: timestamp(3) }),
      ];
      for (const creative of made) await stored(creative);

      expect(await expectOk(creatives().list(scope))).toEqual(newestFirst(made));
      expect(await expectOk(creatives().list(scope, { productCategory: 'beauty' }))).toEqual(
        newestFirst(made.filter((creative) => creative.productCategory === 'beauty')),
      );
      expect(await expectOk(creatives().list(scope, { source: 'benchmark' }))).toEqual(
        newestFirst(made.filter((creative) => creative.source === 'benchmark')),
      );
      expect(
        await expectOk(creatives().list(scope, { source: 'client', productCategory: 'fitness' })),
      ).toEqual(
        newestFirst(
          made.filter(
            (creative) => creative.source === 'client' && creative.productCategory === 'fitness',
          ),
        ),
      );
      expect(await expectOk(creatives().list(scope, { productCategory: 'garden' }))).toEqual([]);
    });

    it('pages the list by keyset in any page size; an unknown after is VALIDATION', async () => {
      const { orgId, scope } = makeTenant();
      const other = makeTenant();
      const foreign = await stored(makeCreative({ orgId: other.orgId }));
      const made = range(13).map((index) =>
        makeCreative({
          orgId,
          createdAt: timestamp(index % 3),
          source: index % 2 === 0 ? 'client' : 'benchmark',
        }),
      );
      for (const creative of made) await stored(creative);
      const list = (page?: PageRequest) => creatives().list(scope, {}, page);
      const whole = await expectOk(list());
      expect(whole).toEqual(newestFirst(made));

      for (const limit of [1, 3, 7, 13, 14]) {
        const seen: Creative[] = [];
        for (;;) {
          const after = seen.at(-1)?.id;
          const page = await expectOk(list({ limit, ...(after === undefined ? {} : { after }) }));
          seen.push(...page);
          if (page.length < limit) break;
        }
        expect(ids(seen)).toEqual(ids(whole));
      }
      const clients = await expectOk(creatives().list(scope, { source: 'client' }, { limit: 2 }));
      const rest = await expectOk(
        creatives().list(scope, { source: 'client' }, { after: clients[1]?.id ?? '' }),
      );
      expect(ids([...clients, ...rest])).toEqual(
        ids(newestFirst(made.filter((creative) => creative.source === 'client'))),
      );

      for (const after of ['no-such-creative', foreign.id]) {
        const error = await expectErrorCode(list({ after }), 'VALIDATION');
        expect(error.path).toBe('after');
      }
      // An id of the org's own creatives that the filter leaves out is not in this list either.
      const benchmark = made.find((creative) => creative.source === 'benchmark');
      await expectErrorCode(
        creatives().list(scope, { source: 'client' }, { after: benchmark?.id ?? '' }),
        'VALIDATION',
      );
      expect((await expectErrorCode(list({ limit: -1 }), 'VALIDATION')).path).toBe('limit');
      expect(await expectOk(list({ limit: 0 }))).toEqual([]);
    });

    it('applies a patch and keeps every field it does not name', async () => {
      const { orgId, scope } = makeTenant();
      const creative = await stored(
        makeBenchmark({ orgId, hookType: 'question', analysis: { old: true }, extraTags: ['a'] }),
      );
      const patch = {
        name: 'Renamed',
        isPublic: false,
        videoId: uniqueId('video'),
        emotion: 'joy',
        extraTags: ['b', 'c'],
        analysis: null,
        analysisError: null,
        updatedAt: timestamp(7),
      };

      const updated = await expectOk(creatives().update(scope, creative.id, patch));

      const expected = { ...creative, ...patch };
      expect(updated).toEqual(expected);
      expect(await expectOk(creatives().get(scope, creative.id))).toEqual(expected);
      // undefined skips a field, as an absent one does.
      const again = await expectOk(
        creatives().update(scope, creative.id, { hookType: undefined, updatedAt: timestamp(8) }),
      );
      expect(again).toEqual({ ...expected, updatedAt: timestamp(8) });
    });

    it('moves the analysis status only from the given statuses, applying the patch', async () => {
      const { orgId, scope } = makeTenant();
      const creative = await stored(makeCreative({ orgId }));

      const queued = await expectOk(
        creatives().transitionAnalysis(scope, creative.id, {
          from: ['none', 'failed'],
          to: 'queued',
          updatedAt: timestamp(1),
        }),
      );
      expect(queued).toEqual({ ...creative, analysisStatus: 'queued', updatedAt: timestamp(1) });
      expect(
        await expectOk(
          creatives().transitionAnalysis(scope, creative.id, {
            from: ['none'],
            to: 'queued',
            updatedAt: timestamp(2),
          }),
        ),
      ).toBeNull();
      expect(
        await expectOk(
          creatives().transitionAnalysis(scope, creative.id, {
            from: [],
            to: 'running',
            updatedAt: timestamp(2),
          }),
        ),
      ).toBeNull();
      expect(await expectOk(creatives().get(scope, creative.id))).toEqual(queued);

      const done = await expectOk(
        creatives().transitionAnalysis(scope, creative.id, {
          from: ['queued', 'running'],
          to: 'done',
          patch: { analysis: { hook: 'question' }, analyzedAt: timestamp(3), hookType: 'question' },
          updatedAt: timestamp(3),
        }),
      );
      expect(done).toEqual({
        ...queued,
        analysisStatus: 'done',
        analysis: { hook: 'question' },
        analyzedAt: timestamp(3),
        hookType: 'question',
        updatedAt: timestamp(3),
      });
      expect(await expectOk(creatives().get(scope, creative.id))).toEqual(done);
      await expectErrorCode(
        creatives().transitionAnalysis(scope, uniqueId('missing'), {
          from: ['none'],
          to: 'queued',
          updatedAt: timestamp(4),
        }),
        'NOT_FOUND',
      );
      const invalid = await expectErrorCode(
        creatives().transitionAnalysis(scope, creative.id, {
          from: ['done'],
          to: 'finished' as never,
          updatedAt: timestamp(4),
        }),
        'VALIDATION',
      );
      expect(invalid.path).toBe('to');
      expect(await expectOk(creatives().get(scope, creative.id))).toEqual(done);
    });

    it('lets exactly one of 20 concurrent none → queued transitions win', async () => {
      const { orgId, scope } = makeTenant();
      const creative = await stored(makeCreative({ orgId }));

      const results = await Promise.all(
        range(20).map((index) =>
          creatives().transitionAnalysis(scope, creative.id, {
            from: ['none'],
            to: 'queued',
            patch: { analysisError: `worker ${index}` },
            updatedAt: timestamp(index + 1),
          }),
        ),
      );

      const values = results.map((result) => {
        expect(result.isOk(), result.isErr() ? result.error.message : '').toBe(true);
        return result.isOk() ? result.value : undefined;
      });
      const winners = values.filter((value) => value !== null);
      expect(winners).toHaveLength(1);
      expect(values.filter((value) => value === null)).toHaveLength(19);
      expect(await expectOk(creatives().get(scope, creative.id))).toEqual(winners[0]);
    });
  });

  describe('market: copies and closing', () => {
    it('is not changed by mutating an inserted or returned creative', async () => {
      const { orgId, scope } = makeTenant();
      const creative = makeBenchmark({ orgId, extraTags: ['one'], analysis: { topics: ['a'] } });
      const expected = structuredClone(creative);
      const { creative: returned } = await expectOk(creatives().insert(creative));

      creative.extraTags.push('input');
      returned.extraTags.push('result');
      (returned.analysis!.topics as string[]).push('result');
      const fetched = await expectOk(creatives().get(scope, creative.id));
      (fetched.analysis!.topics as string[]).push('fetched');
      const [listed] = await expectOk(creatives().list(scope));
      listed?.extraTags.push('listed');

      expect(await expectOk(creatives().get(scope, creative.id))).toEqual(expected);
    });

    it.skipIf(!context.canClose)('fails every market call with STORAGE after close', async () => {
      const { orgId, scope } = makeTenant();
      const creative = await stored(makeCreative({ orgId }));
      const store = context.store();
      await context.close();

      await expectErrorCode(store.creatives.get(scope, creative.id), 'STORAGE');
      await expectErrorCode(store.creatives.insert(makeCreative({ orgId })), 'STORAGE');
      await expectErrorCode(store.creatives.list(scope), 'STORAGE');
      await expectErrorCode(
        store.creatives.recordPerformance(scope, creative.id, delta(1, 1), event('closed')),
        'STORAGE',
      );
      await expectErrorCode(
        store.patterns.list(scope, { productCategory: creative.productCategory }),
        'STORAGE',
      );
    });
  });

  describeMarketPerformanceConformance(context);
  describeMarketPatternConformance(context);
}
