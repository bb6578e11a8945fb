import { describe, expect, it } from 'vitest';
import { createVBuckets } from '../../../src/create-vbuckets';
import { vbucketsError } from '../../../src/errors';
import type { Store } from '../../../src/ports/store';
import type { Actor } from '../../../src/schemas/actor';
import type { MarketSettings } from '../../../src/services/market/market-types';
import {
  createFakeVideoAnalyzer,
  createManualClock,
  createMemoryBlobStore,
  createMemoryStore,
  createSequentialIdGenerator,
  type FakeVideoAnalyzer,
  makeVideoAnalysis,
} from '../../../src/testing/index';
import { sampleVideoBytes } from '../../domain/media-types/sample-video-bytes';

const acme = { orgId: 'acme' };
const globex = { orgId: 'globex' };
const admin: Actor = { userId: 'ada', orgId: 'acme', roles: ['admin'] };
const member: Actor = { userId: 'bob', orgId: 'acme', roles: [] };
const CATEGORY = 'language_learning';

function setup(
  options: { analyzer?: FakeVideoAnalyzer | null; settings?: MarketSettings; store?: Store } = {},
) {
  const store = options.store ?? createMemoryStore();
  const analyzer =
    options.analyzer === null ? undefined : (options.analyzer ?? createFakeVideoAnalyzer());
  const vb = createVBuckets({
    store,
    blobs: createMemoryBlobStore(),
    clock: createManualClock('2026-03-01T10:00:00.000Z'),
    ids: createSequentialIdGenerator('id'),
    ...(analyzer === undefined ? {} : { analyzers: { market: analyzer } }),
    market: { random: () => 0.5, ...options.settings },
  })._unsafeUnwrap();
  return { vb, store, analyzer };
}

/** Seed 003's example: 30 days at 5% CVR and 1000 clicks a day. */
const winner = {
  name: "FB Winner: 'Too Busy to Learn?'",
  productCategory: CATEGORY,
  marketCvr: 0.05,
  marketLongevityDays: 30,
  avgDailyClicks: 1000,
  sourcePlatform: 'facebook_ad_library',
  sourceUrl: 'https://facebook.com/ads/library/video/123',
  hookType: 'problem_agitation',
  emotion: 'frustration',
};

describe('market.ingestBenchmark', () => {
  it('creates a public creative with its analysis queued and adds its capped prior to each tag', async () => {
    const { vb, store } = setup();
    const { creative, created } = (
      await vb.market.ingestBenchmark(acme, { ...winner, tags: ['ugc'] })
    )._unsafeUnwrap();
    expect(created).toBe(true);
    expect(creative).toMatchObject({
      orgId: 'acme',
      source: 'benchmark',
      isPublic: true,
      analysisStatus: 'queued',
      hookType: 'problem_agitation',
      extraTags: ['ugc'],
      clicks: 0,
    });
    const rows = (await store.patterns.list(acme, { productCategory: CATEGORY }))._unsafeUnwrap();
    expect(rows.map((row) => `${row.dimension}=${row.value}`).sort()).toEqual([
      'emotion=frustration',
      'hookType=problem_agitation',
      'tag=ugc',
    ]);
    // 30 000 market clicks capped at 1000: 50 conversions → Beta(51, 951), weight 2 (DESIGN §5).
    for (const row of rows) {
      expect(row).toMatchObject({ source: 'benchmark', weight: 2, alpha: 51, beta: 951 });
      expect(row.clicks).toBe(30_000);
      expect(row.conversions).toBeCloseTo(1500);
    }
  });

  it('returns the first creative for a source URL ingested again, adding no evidence', async () => {
    const { vb, store } = setup();
    const first = (await vb.market.ingestBenchmark(acme, winner))._unsafeUnwrap();
    const again = (
      await vb.market.ingestBenchmark(acme, { ...winner, name: 'Renamed', marketCvr: 0.5 })
    )._unsafeUnwrap();
    expect(again.created).toBe(false);
    expect(again.creative).toEqual(first.creative);
    const rows = (await store.patterns.list(acme, { productCategory: CATEGORY }))._unsafeUnwrap();
    expect(rows.find((row) => row.dimension === 'hookType')?.alpha).toBe(51);
  });

  it('refuses bad numbers with VALIDATION naming the field, storing nothing', async () => {
    const { vb, store } = setup();
    const bad = [
      [{ marketCvr: 1.5 }, 'marketCvr'],
      [{ marketLongevityDays: 0 }, 'marketLongevityDays'],
      [{ avgDailyClicks: -1 }, 'avgDailyClicks'],
      [{ sourceUrl: 'not a url' }, 'sourceUrl'],
      [{ name: '  ' }, 'name'],
    ] as const;
    for (const [patch, path] of bad) {
      const error = (
        await vb.market.ingestBenchmark(acme, { ...winner, ...patch })
      )._unsafeUnwrapErr();
      expect(error.code).toBe('VALIDATION');
      expect(error.path).toBe(path);
    }
    expect((await vb.market.list(acme))._unsafeUnwrap()).toEqual([]);
    expect(
      (await store.patterns.list(acme, { productCategory: CATEGORY }))._unsafeUnwrap(),
    ).toEqual([]);
  });

  it('registers the video public and deduplicated, once for two benchmarks of the same bytes', async () => {
    const { vb } = setup();
    const bytes = sampleVideoBytes('mp4', 7, 4096);
    const video = { filename: 'winner.mp4', body: () => bytes };
    const first = (await vb.market.ingestBenchmark(acme, { ...winner, video }))._unsafeUnwrap()
      .creative;
    const second = (
      await vb.market.ingestBenchmark(acme, {
        ...winner,
        sourceUrl: 'https://facebook.com/ads/library/video/456',
        video,
      })
    )._unsafeUnwrap().creative;
    expect(first.videoId).not.toBeNull();
    expect(second.videoId).toBe(first.videoId);
    const registered = (await vb.videos.get(acme, first.videoId ?? ''))._unsafeUnwrap();
    expect(registered.visibility).toBe('public');
    expect(registered.productCategory).toBe(CATEGORY);
  });

  it('lets every org read a public benchmark, and only its own org change it', async () => {
    const { vb } = setup();
    const { creative } = (await vb.market.ingestBenchmark(acme, winner))._unsafeUnwrap();
    expect((await vb.market.get(globex, creative.id))._unsafeUnwrap().id).toBe(creative.id);
    const listed = (await vb.market.list(globex, { productCategory: CATEGORY }))._unsafeUnwrap();
    expect(listed.map((found) => found.id)).toEqual([creative.id]);
    const record = await vb.market.recordPerformance(
      globex,
      creative.id,
      { clicks: 1, conversions: 0 },
      { idempotencyKey: 'k' },
    );
    expect(record._unsafeUnwrapErr().code).toBe('NOT_FOUND');
  });
});

describe('market.addClientCreative and recordPerformance', () => {
  it('adds a private creative owned by the actor', async () => {
    const { vb } = setup();
    const creative = (
      await vb.market.addClientCreative(member, {
        name: 'Our hook test',
        productCategory: CATEGORY,
        hookType: 'question',
      })
    )._unsafeUnwrap();
    expect(creative).toMatchObject({
      orgId: 'acme',
      ownerId: 'bob',
      source: 'client',
      isPublic: false,
      analysisStatus: 'none',
    });
    expect((await vb.market.get(globex, creative.id))._unsafeUnwrapErr().code).toBe('NOT_FOUND');
  });

  it('adds results once per idempotency key and feeds the client rows of its tags', async () => {
    const { vb, store } = setup();
    const creative = (
      await vb.market.addClientCreative(member, {
        name: 'Q',
        productCategory: CATEGORY,
        hookType: 'question',
      })
    )._unsafeUnwrap();
    const record = (key: string, clicks: number, conversions: number) =>
      vb.market.recordPerformance(
        acme,
        creative.id,
        { impressions: clicks * 10, clicks, conversions },
        { idempotencyKey: key },
      );
    expect((await record('day-1', 100, 2))._unsafeUnwrap().applied).toBe(true);
    const repeated = (await record('day-1', 100, 2))._unsafeUnwrap();
    expect(repeated.applied).toBe(false);
    expect((await record('day-2', 50, 1))._unsafeUnwrap().creative).toMatchObject({
      impressions: 1500,
      clicks: 150,
      conversions: 3,
    });
    const [row] = (
      await store.patterns.list(acme, { productCategory: CATEGORY, source: 'client' })
    )._unsafeUnwrap();
    expect(row).toMatchObject({ dimension: 'hookType', value: 'question', weight: 1 });
    expect(row).toMatchObject({ alpha: 4, beta: 148, clicks: 150, conversions: 3 });
  });

  it('refuses conversions above clicks and a missing key with VALIDATION, adding nothing', async () => {
    const { vb } = setup();
    const creative = (
      await vb.market.addClientCreative(member, { name: 'Q', productCategory: CATEGORY })
    )._unsafeUnwrap();
    const above = await vb.market.recordPerformance(
      acme,
      creative.id,
      { clicks: 1, conversions: 2 },
      { idempotencyKey: 'k' },
    );
    expect(above._unsafeUnwrapErr().path).toBe('conversions');
    const noKey = await vb.market.recordPerformance(
      acme,
      creative.id,
      { clicks: 1, conversions: 0 },
      { idempotencyKey: ' ' },
    );
    expect(noKey._unsafeUnwrapErr().code).toBe('VALIDATION');
    expect((await vb.market.get(acme, creative.id))._unsafeUnwrap().clicks).toBe(0);
  });

  it('queues the analysis exactly once when two increments cross 5 conversions together', async () => {
    const { vb } = setup();
    const creative = (
      await vb.market.addClientCreative(member, { name: 'Q', productCategory: CATEGORY })
    )._unsafeUnwrap();
    (
      await vb.market.recordPerformance(
        acme,
        creative.id,
        { clicks: 40, conversions: 3 },
        { idempotencyKey: 'a' },
      )
    )._unsafeUnwrap();
    const results = await Promise.all(
      ['b', 'c', 'd'].map((key) =>
        vb.market.recordPerformance(
          acme,
          creative.id,
          { clicks: 10, conversions: 2 },
          { idempotencyKey: key },
        ),
      ),
    );
    const queued = results.map((result) => result._unsafeUnwrap().analysisQueued);
    expect(queued.filter(Boolean)).toHaveLength(1);
    const after = (await vb.market.get(acme, creative.id))._unsafeUnwrap();
    expect(after).toMatchObject({ conversions: 9, analysisStatus: 'queued' });
  });
});

describe('market.analyze and forceAnalyze', () => {
  async function benchmarkWithVideo(vb: ReturnType<typeof setup>['vb'], extra = {}) {
    return (
      await vb.market.ingestBenchmark(acme, {
        ...winner,
        hookType: undefined,
        video: { filename: 'winner.mp4', body: () => sampleVideoBytes('mp4', 3, 2048) },
        ...extra,
      })
    )._unsafeUnwrap().creative;
  }

  it('stores the analysis, fills empty tags and gives the new tags the prior', async () => {
    const { vb, store, analyzer } = setup();
    analyzer?.queueAnalyze(
      makeVideoAnalysis({
        summary: 'A tutor asks a busy parent a question',
        tags: { hookType: 'question', emotion: 'joy', extra: ['tutor'] },
        usage: { inputTokens: 2400, outputTokens: 300 },
      }),
    );
    const creative = await benchmarkWithVideo(vb);
    const analysed = (await vb.market.analyze(acme, creative.id))._unsafeUnwrap();
    expect(analysed).toMatchObject({
      analysisStatus: 'done',
      hookType: 'question',
      // Set at ingest: the analysis does not overwrite it.
      emotion: 'frustration',
      extraTags: ['tutor'],
      analysisError: null,
    });
    expect(analysed.analysis).toMatchObject({
      provider: 'fake',
      summary: 'A tutor asks a busy parent a question',
      usage: { inputTokens: 2400, outputTokens: 300 },
    });
    expect(analysed.analyzedAt).not.toBeNull();
    expect(analyzer?.calls[0]?.video).toMatchObject({
      filename: 'winner.mp4',
      videoId: creative.videoId,
    });
    const hook = (
      await store.patterns.list(acme, { productCategory: CATEGORY, dimension: 'hookType' })
    )._unsafeUnwrap();
    expect(hook).toMatchObject([{ value: 'question', source: 'benchmark', alpha: 51 }]);
    const again = (await vb.market.analyze(acme, creative.id))._unsafeUnwrapErr();
    expect(again.code).toBe('CONFLICT');
    expect(again.message).toContain('its analysis is done');
  });

  it('leaves a failed analysis failed with the error, and runs it again on request', async () => {
    const { vb, analyzer } = setup();
    analyzer?.queueAnalyze(
      vbucketsError('PROVIDER', 'The model is overloaded', { retryable: true }),
      makeVideoAnalysis({ summary: 'ok' }),
    );
    const creative = await benchmarkWithVideo(vb);
    const failed = (await vb.market.analyze(acme, creative.id))._unsafeUnwrapErr();
    expect(failed.message).toBe('The model is overloaded');
    expect((await vb.market.get(acme, creative.id))._unsafeUnwrap()).toMatchObject({
      analysisStatus: 'failed',
      analysisError: 'The model is overloaded',
    });
    expect((await vb.market.analyze(acme, creative.id))._unsafeUnwrap().analysisStatus).toBe(
      'done',
    );
  });

  it('says how to configure an analyzer when none is given, leaving the creative queued', async () => {
    const { vb } = setup({ analyzer: null });
    const creative = await benchmarkWithVideo(vb);
    const error = (await vb.market.analyze(acme, creative.id))._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe('analyzers.market');
    expect((await vb.market.get(acme, creative.id))._unsafeUnwrap().analysisStatus).toBe('queued');
  });

  it('lets only an admin of the creative’s org force an analysis', async () => {
    const { vb, analyzer } = setup();
    analyzer?.queueAnalyze(makeVideoAnalysis({ summary: 'forced' }));
    const creative = (
      await vb.market.addClientCreative(member, {
        name: 'Q',
        productCategory: CATEGORY,
        video: { filename: 'q.mp4', body: () => sampleVideoBytes('mp4', 9, 2048) },
      })
    )._unsafeUnwrap();
    expect((await vb.market.forceAnalyze(member, creative.id))._unsafeUnwrapErr().code).toBe(
      'FORBIDDEN',
    );
    const stranger: Actor = { userId: 'eve', orgId: 'globex', roles: ['admin'] };
    expect((await vb.market.forceAnalyze(stranger, creative.id))._unsafeUnwrapErr().code).toBe(
      'NOT_FOUND',
    );
    const forced = (await vb.market.forceAnalyze(admin, creative.id))._unsafeUnwrap();
    expect(forced).toMatchObject({ analysisStatus: 'done', analysis: { summary: 'forced' } });
    expect(analyzer?.calls).toHaveLength(1);
  });
});

describe('market.rank and choose', () => {
  async function market() {
    const context = setup();
    const { vb } = context;
    const strong = (
      await vb.market.ingestBenchmark(acme, {
        ...winner,
        name: 'Strong',
        marketCvr: 0.06,
        hookType: 'question',
      })
    )._unsafeUnwrap().creative;
    const weak = (
      await vb.market.ingestBenchmark(acme, {
        ...winner,
        name: 'Weak',
        sourceUrl: 'https://facebook.com/ads/library/video/2',
        marketCvr: 0.01,
        hookType: 'testimonial',
      })
    )._unsafeUnwrap().creative;
    const client = (
      await vb.market.addClientCreative(member, {
        name: 'Ours',
        productCategory: CATEGORY,
        hookType: 'testimonial',
      })
    )._unsafeUnwrap();
    return { ...context, strong, weak, client };
  }

  it('ranks creatives with weighted capped priors, intervals and P(best) that sum to 1', async () => {
    const { vb, strong, weak, client } = await market();
    const ranking = (
      await vb.market.rank(acme, { productCategory: CATEGORY, seed: 7 })
    )._unsafeUnwrap();
    // A creative without results is Beta(1, 1): Thompson explores it first.
    expect(ranking.arms.map((arm) => arm.id)).toEqual([client.id, strong.id, weak.id]);
    const first = ranking.arms[1];
    // 1000 capped clicks × 6% = 60 conversions, weighted 2: Beta(1 + 120, 1 + 1880).
    expect(first?.posterior).toEqual({ alpha: 121, beta: 1881 });
    expect(first?.evidence).toMatchObject({ benchmarkClicks: 1000, clientClicks: 0 });
    expect(first?.mean).toBeCloseTo(121 / 2002, 10);
    for (const arm of ranking.arms) {
      expect(arm.interval.lower).toBeLessThan(arm.mean);
      expect(arm.interval.upper).toBeGreaterThan(arm.mean);
    }
    const total = ranking.arms.reduce((sum, arm) => sum + arm.pBest, 0);
    expect(total).toBeCloseTo(1, 10);
    const again = (
      await vb.market.rank(acme, { productCategory: CATEGORY, seed: 7 })
    )._unsafeUnwrap();
    expect(again).toEqual(ranking);
  });

  it('ranks the values of a dimension from benchmark and client rows together', async () => {
    const { vb, client } = await market();
    (
      await vb.market.recordPerformance(
        acme,
        client.id,
        { clicks: 200, conversions: 30 },
        { idempotencyKey: 'k' },
      )
    )._unsafeUnwrap();
    const ranking = (
      await vb.market.rank(acme, { productCategory: CATEGORY, dimension: 'hookType', seed: 1 })
    )._unsafeUnwrap();
    expect(ranking.arms.map((arm) => arm.id).sort()).toEqual(['question', 'testimonial']);
    const testimonial = ranking.arms.find((arm) => arm.id === 'testimonial');
    // Benchmark Beta(11, 991) at weight 2 plus the client's Beta(31, 171) at weight 1.
    expect(testimonial?.posterior).toEqual({ alpha: 1 + 20 + 30, beta: 1 + 1980 + 170 });
    expect(testimonial?.evidence).toMatchObject({ clientClicks: 200, clientConversions: 30 });
  });

  it('is NOT_FOUND for a category with nothing to rank, and VALIDATION for a bad query', async () => {
    const { vb } = await market();
    const empty = (await vb.market.rank(acme, { productCategory: 'pets' }))._unsafeUnwrapErr();
    expect(empty.code).toBe('NOT_FOUND');
    expect(empty.message).toContain('pets');
    const bad = await vb.market.rank(acme, {
      productCategory: CATEGORY,
      dimension: 'colour' as never,
    });
    expect(bad._unsafeUnwrapErr().path).toBe('dimension');
  });

  it('chooses n distinct arms by one Thompson draw each, reproducibly with a seed', async () => {
    const { vb } = await market();
    const chosen = (
      await vb.market.choose(acme, { productCategory: CATEGORY, n: 2, seed: 3 })
    )._unsafeUnwrap();
    expect(chosen).toHaveLength(2);
    expect(new Set(chosen.map((arm) => arm.id)).size).toBe(2);
    const again = (
      await vb.market.choose(acme, { productCategory: CATEGORY, n: 2, seed: 3 })
    )._unsafeUnwrap();
    expect(again.map((arm) => arm.id)).toEqual(chosen.map((arm) => arm.id));
  });
});
