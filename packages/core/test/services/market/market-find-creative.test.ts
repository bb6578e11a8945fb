import { describe, expect, it } from 'vitest';
import { createVBuckets } from '../../../src/create-vbuckets';
import type { IdGenerator } from '../../../src/ports/id-generator';
import type { Actor } from '../../../src/schemas/actor';
import {
  createManualClock,
  createMemoryBlobStore,
  createMemoryStore,
} from '../../../src/testing/index';

const acme = { orgId: 'acme' };
const globex = { orgId: 'globex' };
const member: Actor = { userId: 'bob', orgId: 'acme', roles: [] };
const rival: Actor = { userId: 'eve', orgId: 'globex', roles: [] };
const CATEGORY = 'language_learning';

/** Hands out the given ids in order, so prefixes can be made to collide. */
function idsFrom(ids: string[]): IdGenerator {
  const queue = [...ids];
  return {
    specificationVersion: 'v1',
    next: () => {
      const id = queue.shift();
      if (id === undefined) throw new Error('The test ran out of ids');
      return id;
    },
  };
}

function setup(ids: string[]) {
  const clock = createManualClock('2026-03-01T10:00:00.000Z');
  const vb = createVBuckets({
    store: createMemoryStore(),
    blobs: createMemoryBlobStore(),
    clock,
    ids: idsFrom(ids),
  })._unsafeUnwrap();
  const add = async (actor: Actor, name: string) => {
    clock.advance(1000);
    return (
      await vb.market.addClientCreative(actor, { name, productCategory: CATEGORY })
    )._unsafeUnwrap();
  };
  return { vb, clock, add };
}

describe('market.findCreative', () => {
  it('finds a creative by id, and the org’s newest by "latest" (any case, trimmed)', async () => {
    const { vb, add } = setup(['c-first', 'c-second', 'c-foreign']);
    const first = await add(member, 'First');
    const second = await add(member, 'Second');
    // Another org's newer creative is not acme's latest.
    await add(rival, 'Theirs');

    expect((await vb.market.findCreative(acme, first.id))._unsafeUnwrap()).toEqual(first);
    expect((await vb.market.findCreative(acme, ' LATEST '))._unsafeUnwrap()).toEqual(second);
  });

  it('finds a creative by a unique start of its id, and names the candidates of an ambiguous one', async () => {
    const { vb, add } = setup(['7f3a91c2-aaaa', '7f3b0000-bbbb', '7f3a0000-cccc']);
    const alpha = await add(member, 'Alpha');
    await add(member, 'Beta');

    expect((await vb.market.findCreative(acme, '7f3a'))._unsafeUnwrap()).toEqual(alpha);
    // Shorter than 4 characters is never taken as a prefix.
    expect((await vb.market.findCreative(acme, '7f3'))._unsafeUnwrapErr().code).toBe('NOT_FOUND');
    await add(member, 'Gamma');
    const several = (await vb.market.findCreative(acme, '7f3a'))._unsafeUnwrapErr();
    expect(several.code).toBe('VALIDATION');
    expect(several.path).toBe('reference');
    expect(several.message).toBe(
      'Creative "7f3a" is ambiguous: 2 creatives start with it; give more of the id',
    );
    expect(several.details?.matches).toEqual(['7f3a0000-cccc', '7f3a91c2-aaaa']);
  });

  it('finds another org’s public benchmark by prefix, never its private creatives', async () => {
    const { vb, add } = setup(['b-public-1', 'p-private-1']);
    const { creative: benchmark } = (
      await vb.market.ingestBenchmark(globex, {
        name: 'Their winner',
        productCategory: CATEGORY,
        marketCvr: 0.05,
        marketLongevityDays: 30,
        avgDailyClicks: 1000,
      })
    )._unsafeUnwrap();
    const hidden = await add(rival, 'Their own test');

    expect((await vb.market.findCreative(acme, 'b-pub'))._unsafeUnwrap()).toEqual(benchmark);
    const foreign = (await vb.market.findCreative(acme, hidden.id))._unsafeUnwrapErr();
    expect(foreign.code).toBe('NOT_FOUND');
    expect(foreign.message).toBe(
      'No creative "p-private-1" in org "acme" or among public benchmarks',
    );
    expect((await vb.market.findCreative(acme, 'p-pri'))._unsafeUnwrapErr().code).toBe('NOT_FOUND');
  });

  it('is NOT_FOUND for "latest" in an org without creatives, VALIDATION for a blank reference', async () => {
    const { vb } = setup([]);
    const empty = (await vb.market.findCreative(acme, 'latest'))._unsafeUnwrapErr();
    expect(empty.code).toBe('NOT_FOUND');
    expect(empty.message).toBe(
      'Org "acme" has no creatives yet: ingest a benchmark or add a creative first',
    );
    const blank = (await vb.market.findCreative(acme, '   '))._unsafeUnwrapErr();
    expect(blank.code).toBe('VALIDATION');
    expect(blank.path).toBe('reference');
  });
});
