import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../../src/domain/market/random';
import { isSettingsError } from '../../../src/errors';
import type { Actor } from '../../../src/schemas/actor';
import type { InsightArm } from '../../../src/services/insights/insights-types';
import {
  acme,
  type Context,
  createSegment,
  globex,
  registerVideo,
  START,
  setUsage,
  setup,
} from '../segments/segments-setup';

const PRODUCT = 'prod_gut';
const CATEGORY = 'supplements';
const member: Actor = { userId: 'bob', orgId: 'acme', roles: [] };

/** Files each video into a bucket of the product, as a categorize run would. */
async function categorize(context: Context, filed: Record<string, string>) {
  (
    await context.store.categorizationSessions.insert({
      id: 'session_1',
      orgId: 'acme',
      productId: PRODUCT,
      createdAt: START,
    })
  )._unsafeUnwrap();
  const rows = Object.entries(filed).map(([videoId, bucketName], index) => ({
    id: `row_${index}`,
    orgId: 'acme',
    productId: PRODUCT,
    sessionId: 'session_1',
    videoId,
    filename: `clip-${index}.mp4`,
    bucketId: null,
    bucketName,
    confidence: 0.9,
    reasoning: null,
    summary: null,
    transcript: null,
    analysis: null,
    status: 'categorized' as const,
    errorMessage: null,
    isUploaded: false,
    createdAt: START,
    updatedAt: START,
  }));
  (await context.store.categorizations.insertMany(rows))._unsafeUnwrap();
}

/** Three buckets; gut health's video posts well, energy's poorly, sleep has no video. */
async function catalogue(options: Parameters<typeof setup>[0] = {}) {
  const context = setup({ market: { random: createSeededRandom(7) }, ...options });
  for (const name of ['Gut Health', 'Energy & Focus', 'Sleep']) {
    (await context.vb.buckets.create(acme, { productId: PRODUCT, name }))._unsafeUnwrap();
  }
  const gut = await registerVideo(context, { seed: 1 });
  const energy = await registerVideo(context, { seed: 2 });
  await categorize(context, { [gut.id]: 'Gut Health', [energy.id]: 'Energy & Focus' });
  const gutSegment = await createSegment(context, gut.id);
  const energySegment = await createSegment(context, energy.id);
  await setUsage(context, gutSegment.id, [
    { platform: 'tiktok', views: 800, likes: 60, shares: 10, comments: 10, clicks: 40 },
    { platform: 'youtube', views: 200, likes: 20, clicks: 10, conversions: 4 },
  ]);
  await setUsage(context, energySegment.id, [
    { platform: 'tiktok', views: 1000, likes: 15, shares: 3, comments: 2, clicks: 5 },
  ]);
  return { ...context, gut, energy, gutSegment, energySegment };
}

const arm = (arms: readonly InsightArm[], label: string) =>
  arms.find((each) => each.label === label) as InsightArm;

describe('insights.rankBuckets', () => {
  it('ranks every bucket of the product by its videos’ engagement per view', async () => {
    const context = await catalogue();
    const ranking = (
      await context.vb.insights.rankBuckets(acme, { productId: PRODUCT, seed: 1 })
    )._unsafeUnwrap();
    expect(ranking).toMatchObject({
      by: 'bucket',
      productId: PRODUCT,
      success: 'engagement',
      draws: 4000,
    });
    expect(ranking.arms.map((each) => each.label).sort()).toEqual([
      'Energy & Focus',
      'Gut Health',
      'Sleep',
    ]);
    // Every arm starts from the pooled rate of all of them, worth 50 pseudo-views.
    const pooled = (100 + 20 + 1) / (2000 + 2);
    expect(ranking.prior).toEqual({ mean: pooled, strength: 50 });
    const gut = arm(ranking.arms, 'Gut Health');
    expect(gut).toMatchObject({
      kind: 'bucket',
      dimension: null,
      segments: 1,
      successes: 100,
      trials: 1000,
    });
    expect(gut.posterior.alpha).toBeCloseTo(1 + 50 * pooled + 100, 12);
    expect(gut.posterior.beta).toBeCloseTo(1 + 50 * (1 - pooled) + 900, 12);
    expect(gut.mean).toBeCloseTo((1 + 50 * pooled + 100) / 1052, 12);
    expect(gut.interval.lower).toBeLessThan(gut.mean);
    expect(gut.interval.upper).toBeGreaterThan(gut.mean);
    const energy = arm(ranking.arms, 'Energy & Focus');
    expect(energy).toMatchObject({ successes: 20, trials: 1000 });
    expect(gut.pBest).toBeGreaterThan(energy.pBest);
    // A bucket without posts is still an arm, worth exploring: at the pooled rate, not at 50%,
    // so the bucket with the best posts stays first.
    const sleep = arm(ranking.arms, 'Sleep');
    expect(sleep).toMatchObject({ segments: 0, successes: 0, trials: 0 });
    expect(sleep.mean).toBeCloseTo((1 + 50 * pooled) / 52, 12);
    expect(sleep.mean).toBeLessThan(gut.mean);
    expect(ranking.arms[0]?.label).toBe('Gut Health');
    expect(sleep.pBest).toBeGreaterThan(energy.pBest);
    const total = ranking.arms.reduce((sum, each) => sum + each.pBest, 0);
    expect(total).toBeCloseTo(1, 12);
  });

  it('leaves the uniform Beta(1, 1) alone with priorStrength 0', async () => {
    const context = await catalogue();
    const ranking = (
      await context.vb.insights.rankBuckets(acme, { productId: PRODUCT, seed: 1, priorStrength: 0 })
    )._unsafeUnwrap();
    expect(arm(ranking.arms, 'Gut Health').posterior).toEqual({ alpha: 101, beta: 901 });
    expect(arm(ranking.arms, 'Sleep')).toMatchObject({
      posterior: { alpha: 1, beta: 1 },
      mean: 0.5,
    });
    // An arm without posts then looks like a 50% rate: it wins most draws.
    expect(ranking.arms[0]?.label).toBe('Sleep');
    const refused = (
      await context.vb.insights.rankBuckets(acme, { productId: PRODUCT, priorStrength: -1 })
    )._unsafeUnwrapErr();
    expect(refused).toMatchObject({ code: 'VALIDATION', path: 'priorStrength' });
  });

  it('changes its ranking when the usage changes', async () => {
    const context = await catalogue();
    const before = (
      await context.vb.insights.rankBuckets(acme, { productId: PRODUCT, seed: 3 })
    )._unsafeUnwrap();
    expect(arm(before.arms, 'Gut Health').mean).toBeGreaterThan(
      arm(before.arms, 'Energy & Focus').mean,
    );
    await setUsage(context, context.energySegment.id, [
      { platform: 'tiktok', views: 1000, likes: 300, shares: 50, comments: 50 },
    ]);
    const after = (
      await context.vb.insights.rankBuckets(acme, { productId: PRODUCT, seed: 3 })
    )._unsafeUnwrap();
    const energy = arm(after.arms, 'Energy & Focus');
    expect(energy.successes).toBe(400);
    expect(energy.mean).toBeGreaterThan(arm(after.arms, 'Gut Health').mean);
    expect(energy.pBest).toBeGreaterThan(arm(after.arms, 'Gut Health').pBest);
    expect(energy.pBest).toBeGreaterThan(arm(before.arms, 'Energy & Focus').pBest);
  });

  it('counts clicks per view or conversions per click when asked, capped at the trials', async () => {
    const context = await catalogue();
    const clicks = (
      await context.vb.insights.rankBuckets(acme, { productId: PRODUCT, success: 'clicks' })
    )._unsafeUnwrap();
    expect(arm(clicks.arms, 'Gut Health')).toMatchObject({ successes: 50, trials: 1000 });
    expect(arm(clicks.arms, 'Energy & Focus')).toMatchObject({ successes: 5, trials: 1000 });
    const conversions = (
      await context.vb.insights.rankBuckets(acme, { productId: PRODUCT, success: 'conversions' })
    )._unsafeUnwrap();
    expect(arm(conversions.arms, 'Gut Health')).toMatchObject({ successes: 4, trials: 50 });
    expect(arm(conversions.arms, 'Energy & Focus')).toMatchObject({ successes: 0, trials: 5 });
    // More likes than views: every view a success, never more.
    await setUsage(context, context.energySegment.id, [
      { platform: 'tiktok', views: 10, likes: 40 },
    ]);
    const capped = (
      await context.vb.insights.rankBuckets(acme, { productId: PRODUCT, priorStrength: 0 })
    )._unsafeUnwrap();
    expect(arm(capped.arms, 'Energy & Focus')).toMatchObject({
      successes: 10,
      trials: 10,
      posterior: { alpha: 11, beta: 1 },
    });
  });

  it('is reproducible: the same seed, or the market’s injected random source', async () => {
    const context = await catalogue();
    const seeded = async () =>
      (
        await context.vb.insights.rankBuckets(acme, { productId: PRODUCT, seed: 11 })
      )._unsafeUnwrap();
    expect(await seeded()).toEqual(await seeded());
    const again = await catalogue();
    const injected = await Promise.all(
      [context, again].map(async (each) =>
        (await each.vb.insights.rankBuckets(acme, { productId: PRODUCT }))._unsafeUnwrap(),
      ),
    );
    expect(injected[0]).toEqual(injected[1]);
  });

  it('is NOT_FOUND for a product without buckets (another org’s included) and names bad input', async () => {
    const context = await catalogue();
    const other = (
      await context.vb.insights.rankBuckets(globex, { productId: PRODUCT })
    )._unsafeUnwrapErr();
    expect(other.code).toBe('NOT_FOUND');
    const success = (
      await context.vb.insights.rankBuckets(acme, {
        productId: PRODUCT,
        success: 'likes' as 'clicks',
      })
    )._unsafeUnwrapErr();
    expect(success).toMatchObject({ code: 'VALIDATION', path: 'success' });
    expect(success.message).toContain('query.success');
    const draws = (
      await context.vb.insights.rankBuckets(acme, { productId: PRODUCT, draws: 5 })
    )._unsafeUnwrapErr();
    expect(draws).toMatchObject({ code: 'VALIDATION', path: 'draws' });
  });

  it('answers a settings error for bad market settings', async () => {
    const context = setup({ market: { weights: { client: -1 } } });
    const error = (
      await context.vb.insights.rankBuckets(acme, { productId: PRODUCT })
    )._unsafeUnwrapErr();
    expect(isSettingsError(error)).toBe(true);
    expect(error.path).toBe('weights.client');
  });
});

describe('insights.rankPatterns', () => {
  async function creatives() {
    const context = await catalogue();
    for (const [name, videoId, hookType, tags] of [
      ['Gut story', context.gut.id, 'question', ['ugc']],
      ['Energy shock', context.energy.id, 'shock', ['ugc']],
    ] as const) {
      (
        await context.vb.market.addClientCreative(member, {
          name,
          productCategory: CATEGORY,
          videoId,
          hookType,
          emotion: 'joy',
          tags: [...tags],
        })
      )._unsafeUnwrap();
    }
    // Without a video it has no posts to count.
    (
      await context.vb.market.addClientCreative(member, {
        name: 'Draft',
        productCategory: CATEGORY,
        hookType: 'listicle',
      })
    )._unsafeUnwrap();
    return context;
  }

  it('ranks each tag value by the usage of its creatives’ videos', async () => {
    const context = await creatives();
    const ranking = (
      await context.vb.insights.rankPatterns(acme, { productCategory: CATEGORY, seed: 5 })
    )._unsafeUnwrap();
    expect(ranking).toMatchObject({ by: 'pattern', productCategory: CATEGORY });
    expect(ranking.arms.map((each) => each.id).sort()).toEqual([
      'emotion:joy',
      'hookType:question',
      'hookType:shock',
      'tag:ugc',
    ]);
    expect(ranking.arms.find((each) => each.id === 'hookType:question')).toMatchObject({
      kind: 'pattern',
      dimension: 'hookType',
      label: 'question',
      successes: 100,
      trials: 1000,
    });
    // Both videos behind one value: their totals add up.
    expect(ranking.arms.find((each) => each.id === 'emotion:joy')).toMatchObject({
      segments: 2,
      successes: 120,
      trials: 2000,
    });
    const question = ranking.arms.find((each) => each.id === 'hookType:question')!;
    const shock = ranking.arms.find((each) => each.id === 'hookType:shock')!;
    expect(question.pBest).toBeGreaterThan(shock.pBest);
  });

  it('is NOT_FOUND when no creative has a video', async () => {
    const context = setup();
    const error = (await context.vb.insights.rankPatterns(acme))._unsafeUnwrapErr();
    expect(error.code).toBe('NOT_FOUND');
  });
});

describe('insights.suggestNext', () => {
  it('draws the next buckets by Thompson sampling, reproducibly with a seed', async () => {
    const context = await catalogue();
    const suggest = async (seed: number) =>
      (
        await context.vb.insights.suggestNext(acme, { productId: PRODUCT, n: 2, seed })
      )._unsafeUnwrap();
    const first = await suggest(21);
    expect(first).toHaveLength(2);
    expect(await suggest(21)).toEqual(first);
    expect(first.every((each) => each.kind === 'bucket' && each.pBest === 0)).toBe(true);
    // Over many seeds the strong bucket beats the weak one almost always.
    let gutOverEnergy = 0;
    for (let seed = 0; seed < 200; seed += 1) {
      const order = (await suggest(seed)).map((each) => each.label);
      const gut = order.indexOf('Gut Health');
      const energy = order.indexOf('Energy & Focus');
      if (gut !== -1 && (energy === -1 || gut < energy)) gutOverEnergy += 1;
    }
    expect(gutOverEnergy).toBeGreaterThan(190);
  });

  it('suggests patterns too, and needs a product to suggest buckets', async () => {
    const context = await catalogue();
    (
      await context.vb.market.addClientCreative(member, {
        name: 'Gut story',
        productCategory: CATEGORY,
        videoId: context.gut.id,
        hookType: 'question',
      })
    )._unsafeUnwrap();
    const patterns = (
      await context.vb.insights.suggestNext(acme, { by: 'pattern', n: 1, seed: 2 })
    )._unsafeUnwrap();
    expect(patterns).toMatchObject([{ id: 'hookType:question', kind: 'pattern' }]);
    const error = (await context.vb.insights.suggestNext(acme, { n: 1 }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: 'VALIDATION', path: 'productId' });
    const many = (
      await context.vb.insights.suggestNext(acme, { productId: PRODUCT, n: 101 })
    )._unsafeUnwrapErr();
    expect(many).toMatchObject({ code: 'VALIDATION', path: 'n' });
  });
});
