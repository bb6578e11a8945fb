import { createJwtActorResolver } from '@vbuckets/core';
import { describe, expect, it } from 'vitest';
import { cacheActors } from '../src/actor-cache';
import { AUDIENCE, ISSUER, SECRET, tokenFor } from './host';

function counted() {
  const inner = createJwtActorResolver({ secret: SECRET, issuer: ISSUER, audience: AUDIENCE });
  const resolver = inner._unsafeUnwrap();
  const calls = { count: 0 };
  return {
    calls,
    resolver: {
      resolve: (token: string) => {
        calls.count += 1;
        return resolver.resolve(token);
      },
      resolveAuthorization: (header: string | null | undefined) => {
        calls.count += 1;
        return resolver.resolveAuthorization(header);
      },
    },
  };
}

describe('cacheActors', () => {
  it('verifies a token once within the ttl, again after it, and never trusts it past exp', async () => {
    const { calls, resolver } = counted();
    let now = Date.now();
    const cached = cacheActors(resolver, { ttlMs: 60_000, now: () => now });
    const token = await tokenFor({ userId: 'ana', orgId: 'acme' }, { expiresIn: '90s' });
    for (let i = 0; i < 3; i++) {
      const actor = (await cached.resolveAuthorization(`Bearer ${token}`))._unsafeUnwrap();
      expect(actor).toMatchObject({ userId: 'ana', orgId: 'acme' });
    }
    expect(calls.count).toBe(1);
    now += 61_000;
    (await cached.resolveAuthorization(`Bearer ${token}`))._unsafeUnwrap();
    expect(calls.count).toBe(2);
    // 30 s later the token has expired: the cache does not answer for it past its exp.
    now += 31_000;
    void (await cached.resolveAuthorization(`Bearer ${token}`));
    expect(calls.count).toBe(3);
  });

  it('checks a refused token every time, and passes odd headers to the resolver', async () => {
    const { calls, resolver } = counted();
    const cached = cacheActors(resolver);
    const forged = await tokenFor(
      { userId: 'ana', orgId: 'acme' },
      { secret: 'another-secret-of-at-least-32-bytes!' },
    );
    for (let i = 0; i < 2; i++) {
      const error = (await cached.resolveAuthorization(`Bearer ${forged}`))._unsafeUnwrapErr();
      expect(error.code).toBe('UNAUTHENTICATED');
    }
    expect(calls.count).toBe(2);
    const basic = (await cached.resolveAuthorization('Basic abc'))._unsafeUnwrapErr();
    expect(basic.message).toMatch(/not Bearer/);
    expect((await cached.resolveAuthorization(undefined))._unsafeUnwrapErr().code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('forgets the oldest token when full', async () => {
    const { calls, resolver } = counted();
    const cached = cacheActors(resolver, { maxEntries: 2 });
    const tokens = await Promise.all(
      ['a', 'b', 'c'].map((userId) => tokenFor({ userId, orgId: 'acme' })),
    );
    for (const token of tokens) (await cached.resolve(token))._unsafeUnwrap();
    (await cached.resolve(tokens[2] as string))._unsafeUnwrap();
    (await cached.resolve(tokens[1] as string))._unsafeUnwrap();
    expect(calls.count).toBe(3);
    (await cached.resolve(tokens[0] as string))._unsafeUnwrap();
    expect(calls.count).toBe(4);
  });
});
