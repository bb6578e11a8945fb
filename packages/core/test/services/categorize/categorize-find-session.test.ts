import { describe, expect, it } from 'vitest';
import { acme, globex, PRODUCT, setup, videoFile } from './categorize-test-setup';

type Context = Awaited<ReturnType<typeof setup>>;

async function batch(context: Context, filenames: string[]) {
  return (
    await context.vb.categorize.run(acme, {
      productId: PRODUCT,
      files: filenames.map((name) => videoFile(name)),
      provider: 'fake',
    })
  )._unsafeUnwrap().session;
}

async function sessionWithId(context: Context, id: string, productId = PRODUCT) {
  context.clock.advance(1000);
  return (
    await context.store.categorizationSessions.insert({
      id,
      orgId: acme.orgId,
      productId,
      createdAt: new Date(context.clock.now()).toISOString(),
    })
  )._unsafeUnwrap();
}

const find = (context: Context, reference: string, scope = acme, productId = PRODUCT) =>
  context.vb.categorize.findSession(scope, { productId, reference });

describe('categorize.findSession', () => {
  it('finds a session by id and the product’s newest by "latest" (any case, trimmed)', async () => {
    const context = await setup();
    const first = await batch(context, ['gut.mp4']);
    context.clock.advance(60_000);
    const second = await batch(context, ['energy.mp4']);

    expect((await find(context, first.id))._unsafeUnwrap()).toEqual(first);
    expect((await find(context, ' LATEST '))._unsafeUnwrap()).toEqual(second);
  });

  it('finds a session by a unique start of its id, and names the candidates of an ambiguous one', async () => {
    const context = await setup();
    const alpha = await sessionWithId(context, '7f3a91c2-aaaa');
    await sessionWithId(context, '7f3b0000-bbbb');

    expect((await find(context, '7f3a'))._unsafeUnwrap()).toEqual(alpha);
    const short = (await find(context, '7f3'))._unsafeUnwrapErr();
    // Shorter than 4 characters is never taken as a prefix.
    expect(short.code).toBe('NOT_FOUND');
    await sessionWithId(context, '7f3a0000-cccc');
    const several = (await find(context, '7f3a'))._unsafeUnwrapErr();
    expect(several.code).toBe('VALIDATION');
    expect(several.path).toBe('reference');
    expect(several.message).toBe(
      'Session "7f3a" is ambiguous: 2 sessions start with it; give more of the id',
    );
    expect(several.details?.matches).toEqual(['7f3a0000-cccc', '7f3a91c2-aaaa']);
  });

  it('is NOT_FOUND for another org’s session, another product’s prefix and an empty product', async () => {
    const context = await setup();
    const session = await batch(context, ['gut.mp4']);
    await sessionWithId(context, 'other-product-session', 'product-2');

    const foreign = (await find(context, session.id, globex))._unsafeUnwrapErr();
    expect(foreign.code).toBe('NOT_FOUND');
    expect(foreign.message).toBe(`No session "${session.id}" in org "globex"`);
    expect((await find(context, 'other-prod'))._unsafeUnwrapErr().code).toBe('NOT_FOUND');
    const empty = (await find(context, 'latest', acme, 'product-3'))._unsafeUnwrapErr();
    expect(empty.code).toBe('NOT_FOUND');
    expect(empty.message).toBe(
      'Product "product-3" has no sessions yet: categorize some videos first',
    );
  });

  it('refuses a blank reference and an unknown field with VALIDATION, reading nothing', async () => {
    const context = await setup();
    const blank = (await find(context, '   '))._unsafeUnwrapErr();
    expect(blank.code).toBe('VALIDATION');
    expect(blank.path).toBe('reference');
    const extra = (
      await context.vb.categorize.findSession(acme, {
        productId: PRODUCT,
        reference: 'latest',
        unknown: 1,
      } as never)
    )._unsafeUnwrapErr();
    expect(extra.code).toBe('VALIDATION');
  });
});
