import { describe, expect, it } from 'vitest';
import { createVBuckets } from '../../../src/create-vbuckets';
import {
  BenchmarkFieldsSchema,
  ChooseQuerySchema,
  ClientCreativeFieldsSchema,
  CreativeListFilterSchema,
  PerformanceInputSchema,
  RankQuerySchema,
} from '../../../src/index';
import {
  createMemoryBlobStore,
  createMemoryStore,
  createSequentialIdGenerator,
} from '../../../src/testing/index';

const acme = { orgId: 'acme' };
const benchmark = {
  name: 'Too busy to learn?',
  productCategory: 'language_learning',
  marketCvr: 0.05,
  marketLongevityDays: 30,
  avgDailyClicks: 1000,
  hookType: 'question',
};

describe("the market's exported input schemas", () => {
  it('are the ones the service checks with: what they accept, it accepts', async () => {
    const sdk = createVBuckets({
      store: createMemoryStore(),
      blobs: createMemoryBlobStore(),
      ids: createSequentialIdGenerator('id'),
    })._unsafeUnwrap();
    expect(BenchmarkFieldsSchema.parse(benchmark)).toEqual(benchmark);
    const ingested = await sdk.market.ingestBenchmark(acme, BenchmarkFieldsSchema.parse(benchmark));
    expect(ingested._unsafeUnwrap().created).toBe(true);

    const client = ClientCreativeFieldsSchema.parse({
      name: 'Mine',
      productCategory: 'language_learning',
    });
    const added = await sdk.market.addClientCreative(
      { userId: 'ana', orgId: 'acme', roles: [] },
      client,
    );
    expect(added._unsafeUnwrap()).toMatchObject({ ownerId: 'ana', isPublic: false });

    const rank = RankQuerySchema.parse({ productCategory: 'language_learning', seed: 7 });
    expect(rank.draws).toBe(4000);
    expect((await sdk.market.rank(acme, rank))._unsafeUnwrap().arms).toHaveLength(2);
    const choose = ChooseQuerySchema.parse({ productCategory: 'language_learning', seed: 7 });
    expect(choose.n).toBe(1);
    expect((await sdk.market.choose(acme, choose))._unsafeUnwrap()).toHaveLength(1);
    expect(CreativeListFilterSchema.parse({})).toEqual({ includePublic: true });
  });

  it('refuse what the service refuses, naming the field', () => {
    const bad = PerformanceInputSchema.safeParse({ clicks: 1, conversions: 2 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['conversions']);
    // Video bytes are not JSON: the fields schemas leave them to the service's own schema.
    expect(BenchmarkFieldsSchema.safeParse({ ...benchmark, video: {} }).success).toBe(false);
    expect(BenchmarkFieldsSchema.safeParse({ ...benchmark, marketCvr: 2 }).success).toBe(false);
  });
});
