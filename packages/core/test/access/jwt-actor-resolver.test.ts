import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import type { ResultAsync } from 'neverthrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtActorResolver } from '../../src/access/jwt-actor-resolver';
import type { JwtActorResolverSettings } from '../../src/access/jwt-options';
import type { TokenRefusalReason } from '../../src/access/token-refusal';
import type { VBucketsError } from '../../src/errors';
import { createManualClock } from '../../src/testing/manual-clock';

const NOW_SEC = 1_800_000_000;
const clock = createManualClock(NOW_SEC * 1000);
const SECRET = 'a-shared-secret-of-at-least-32-bytes!!';
const ISSUER = 'https://auth.example.test/';
const AUDIENCE = 'vbuckets-api';

const claims = (overrides: JWTPayload = {}): JWTPayload => ({
  sub: 'user-1',
  org_id: 'org-a',
  roles: ['editor'],
  iss: ISSUER,
  aud: AUDIENCE,
  iat: NOW_SEC - 60,
  exp: NOW_SEC + 600,
  ...overrides,
});

/** Drops claims a case wants absent (SignJWT would keep an explicit `undefined` out anyway). */
const without = (payload: JWTPayload, ...names: string[]): JWTPayload =>
  Object.fromEntries(Object.entries(payload).filter(([name]) => !names.includes(name)));

const hs = (payload: JWTPayload, alg = 'HS256', secret = SECRET) =>
  new SignJWT(payload).setProtectedHeader({ alg }).sign(new TextEncoder().encode(secret));

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const unsigned = (alg: string) => `${base64url({ alg, typ: 'JWT' })}.${base64url(claims())}.`;

const secretResolver = (extra: Partial<JwtActorResolverSettings> = {}) =>
  createJwtActorResolver({
    secret: SECRET,
    issuer: ISSUER,
    audience: AUDIENCE,
    clock,
    ...extra,
  })._unsafeUnwrap();

async function expectRefused(
  resolved: ResultAsync<unknown, VBucketsError>,
  reason: TokenRefusalReason,
  words: string,
) {
  const error = (await resolved)._unsafeUnwrapErr();
  expect(error.code).toBe('UNAUTHENTICATED');
  expect(error.details?.reason).toBe(reason);
  expect(error.message).toContain(words);
  // For people: no `[jwt]` tag; which adapter and call refused it are in the fields.
  expect(error.message).toMatch(/^Token refused \(/);
  expect(error.adapter).toBe('jwt');
  expect(['resolve', 'resolveAuthorization', 'bearerToken']).toContain(error.operation);
}

describe('createJwtActorResolver with a shared secret (HS*)', () => {
  const resolver = secretResolver();

  it('turns a valid token into the Actor: sub, org_id, roles', async () => {
    const actor = (await resolver.resolve(await hs(claims())))._unsafeUnwrap();
    expect(actor).toEqual({ userId: 'user-1', orgId: 'org-a', roles: ['editor'] });
  });

  it('gives no roles when the claim is absent, and splits a space-separated roles string', async () => {
    const bare = (await resolver.resolve(await hs(without(claims(), 'roles'))))._unsafeUnwrap();
    expect(bare.roles).toEqual([]);
    const spaced = (
      await resolver.resolve(await hs(claims({ roles: 'admin  editor' })))
    )._unsafeUnwrap();
    expect(spaced.roles).toEqual(['admin', 'editor']);
  });

  it('reads the org and roles from the configured claims', async () => {
    const custom = secretResolver({ orgClaim: 'https://example.test/org', rolesClaim: 'perms' });
    const token = await hs(
      without(claims({ 'https://example.test/org': 'org-z', perms: ['admin'] }), 'org_id', 'roles'),
    );
    expect((await custom.resolve(token))._unsafeUnwrap()).toEqual({
      userId: 'user-1',
      orgId: 'org-z',
      roles: ['admin'],
    });
  });

  it('accepts HS384 and HS512 by default, and only the configured ones when given', async () => {
    expect((await resolver.resolve(await hs(claims(), 'HS512'))).isOk()).toBe(true);
    const only256 = secretResolver({ algorithms: ['HS256'] });
    await expectRefused(
      only256.resolve(await hs(claims(), 'HS384')),
      'algorithm-not-allowed',
      'HS384',
    );
  });

  it('accepts a secret given as bytes', async () => {
    const bytes = secretResolver({ secret: new TextEncoder().encode(SECRET) });
    expect((await bytes.resolve(await hs(claims()))).isOk()).toBe(true);
  });

  it('tolerates clock skew up to clockTolerance, and no more', async () => {
    const token = await hs(claims({ exp: NOW_SEC - 20 }));
    expect((await secretResolver({ clockTolerance: 30 }).resolve(token)).isOk()).toBe(true);
    await expectRefused(
      secretResolver({ clockTolerance: 10 }).resolve(token),
      'expired',
      'expired',
    );
  });

  describe('refuses, naming the reason', () => {
    it.each([
      ['an empty string', '', 'empty', 'empty'],
      ['blank space', '   ', 'empty', 'empty'],
      ['a token that is not three parts', 'not-a-jwt', 'malformed', 'three dot-separated parts'],
      ['an undecodable header', '!!!.e30.sig', 'malformed', 'header cannot be decoded'],
      ['a JWE-shaped token (five parts)', 'a.b.c.d.e', 'malformed', 'compact JWS'],
      ['an oversized token', `${'a'.repeat(20_000)}.b.c`, 'malformed', 'longer than'],
    ] as const)('%s', async (_case, token, reason, words) => {
      await expectRefused(resolver.resolve(token), reason, words);
    });

    it('alg: none, whatever its case', async () => {
      await expectRefused(resolver.resolve(unsigned('none')), 'alg-none', 'alg: none');
      await expectRefused(resolver.resolve(unsigned('NONE')), 'alg-none', 'alg: none');
    });

    it('an RS256 token against a secret (algorithm not configured)', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      const token = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'RS256' })
        .sign(privateKey);
      await expectRefused(resolver.resolve(token), 'algorithm-not-allowed', 'RS256');
    });

    it('a bad signature: another secret, or a tampered payload', async () => {
      await expectRefused(
        resolver.resolve(await hs(claims(), 'HS256', 'another-secret-that-is-long-enough-000')),
        'bad-signature',
        'signature',
      );
      const [header, , signature] = (await hs(claims())).split('.');
      const forged = `${header}.${base64url(claims({ sub: 'someone-else' }))}.${signature}`;
      await expectRefused(resolver.resolve(forged), 'bad-signature', 'signature');
    });

    it('an expired token', async () => {
      await expectRefused(
        resolver.resolve(await hs(claims({ exp: NOW_SEC - 1 }))),
        'expired',
        'expired',
      );
    });

    it('a token without exp', async () => {
      await expectRefused(
        resolver.resolve(await hs(without(claims(), 'exp'))),
        'missing-expiry',
        'no exp',
      );
    });

    it('a token not yet valid (nbf in the future)', async () => {
      await expectRefused(
        resolver.resolve(await hs(claims({ nbf: NOW_SEC + 120 }))),
        'not-yet-valid',
        'not yet valid',
      );
    });

    it('a wrong or missing issuer', async () => {
      await expectRefused(
        resolver.resolve(await hs(claims({ iss: 'https://evil.test/' }))),
        'wrong-issuer',
        'issuer',
      );
      await expectRefused(
        resolver.resolve(await hs(without(claims(), 'iss'))),
        'wrong-issuer',
        'issuer',
      );
    });

    it('a wrong or missing audience', async () => {
      await expectRefused(
        resolver.resolve(await hs(claims({ aud: 'another-api' }))),
        'wrong-audience',
        'audience',
      );
      await expectRefused(
        resolver.resolve(await hs(without(claims(), 'aud'))),
        'wrong-audience',
        'audience',
      );
    });

    it('a missing or empty subject', async () => {
      await expectRefused(
        resolver.resolve(await hs(without(claims(), 'sub'))),
        'missing-subject',
        'sub (subject)',
      );
      await expectRefused(
        resolver.resolve(await hs(claims({ sub: '' }))),
        'missing-subject',
        'sub (subject)',
      );
    });

    it('a missing or non-string org claim, naming the claim', async () => {
      await expectRefused(
        resolver.resolve(await hs(without(claims(), 'org_id'))),
        'missing-org',
        'org_id',
      );
      await expectRefused(
        resolver.resolve(await hs(claims({ org_id: 42 }))),
        'missing-org',
        'org_id',
      );
    });

    it('roles that are neither a list of strings nor a string', async () => {
      await expectRefused(
        resolver.resolve(await hs(claims({ roles: [1, 2] }))),
        'invalid-roles',
        'roles',
      );
    });
  });

  it('reads an Authorization header value', async () => {
    const token = await hs(claims());
    expect((await resolver.resolveAuthorization(`Bearer ${token}`))._unsafeUnwrap().userId).toBe(
      'user-1',
    );
    await expectRefused(
      resolver.resolveAuthorization(undefined),
      'missing-header',
      'no Authorization',
    );
    await expectRefused(
      resolver.resolveAuthorization(`Basic ${token}`),
      'not-bearer',
      'not Bearer',
    );
  });
});

describe('createJwtActorResolver with a local JSON Web Key Set (ES256)', async () => {
  const signer = await generateKeyPair('ES256');
  const stranger = await generateKeyPair('ES256');
  const publicJwk: JWK = { ...(await exportJWK(signer.publicKey)), kid: 'key-1', alg: 'ES256' };
  const resolver = createJwtActorResolver({
    jwks: { keys: [publicJwk as JWK & { kty: string }] },
    issuer: [ISSUER, 'https://other-issuer.test/'],
    audience: AUDIENCE,
    clock,
  })._unsafeUnwrap();
  const es = (kid: string | undefined, key = signer.privateKey, payload = claims()) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'ES256', ...(kid ? { kid } : {}) }).sign(key);

  it('verifies a token signed by a key of the set', async () => {
    expect((await resolver.resolve(await es('key-1')))._unsafeUnwrap()).toEqual({
      userId: 'user-1',
      orgId: 'org-a',
      roles: ['editor'],
    });
  });

  it('refuses a token signed by another key under the same kid', async () => {
    await expectRefused(
      resolver.resolve(await es('key-1', stranger.privateKey)),
      'bad-signature',
      'signature',
    );
  });

  it('refuses a kid the set does not have', async () => {
    await expectRefused(
      resolver.resolve(await es('key-9')),
      'no-matching-key',
      'no key of the JWKS',
    );
  });

  it('refuses an HS256 token signed with the public key as a secret (algorithm confusion)', async () => {
    const confused = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
      .sign(new TextEncoder().encode(JSON.stringify(publicJwk)));
    await expectRefused(resolver.resolve(confused), 'algorithm-not-allowed', 'HS256');
  });

  it('tries every key when several match (keys without kid during a rotation)', async () => {
    const rotating = createJwtActorResolver({
      jwks: {
        keys: [
          { ...(await exportJWK(stranger.publicKey)), alg: 'ES256' },
          { ...(await exportJWK(signer.publicKey)), alg: 'ES256' },
        ] as Array<JWK & { kty: string }>,
      },
      issuer: ISSUER,
      audience: AUDIENCE,
      clock,
    })._unsafeUnwrap();
    expect((await rotating.resolve(await es(undefined))).isOk()).toBe(true);
    const third = await generateKeyPair('ES256');
    await expectRefused(
      rotating.resolve(await es(undefined, third.privateKey)),
      'bad-signature',
      'signature',
    );
  });
});

describe('createJwtActorResolver with a JWKS URL (RS256 over http on 127.0.0.1)', () => {
  const requests: IncomingMessage[] = [];
  let server: Server;
  let url: string;
  let signer: Awaited<ReturnType<typeof generateKeyPair>>;

  beforeAll(async () => {
    signer = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(signer.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' };
    server = createServer((request, response) => {
      requests.push(request);
      if (request.url !== '/.well-known/jwks.json') {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const rs = (kid: string, payload = claims()) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid }).sign(signer.privateKey);
  const urlResolver = (jwks: string) =>
    createJwtActorResolver({ jwks, issuer: ISSUER, audience: AUDIENCE, clock })._unsafeUnwrap();

  it('fetches the set (a GET of the URL) and verifies a token signed by its key', async () => {
    const resolver = urlResolver(url);
    expect((await resolver.resolve(await rs('rsa-1')))._unsafeUnwrap().orgId).toBe('org-a');
    expect(requests.at(-1)?.method).toBe('GET');
    expect(requests.at(-1)?.url).toBe('/.well-known/jwks.json');
  });

  it('refuses an expired token and a kid the set does not have', async () => {
    const resolver = urlResolver(url);
    await expectRefused(
      resolver.resolve(await rs('rsa-1', claims({ exp: NOW_SEC - 5 }))),
      'expired',
      'expired',
    );
    await expectRefused(
      resolver.resolve(await rs('rsa-2')),
      'no-matching-key',
      'no key of the JWKS',
    );
  });

  it('refuses an HS256 token outright, without fetching keys', async () => {
    const resolver = urlResolver(url);
    const before = requests.length;
    await expectRefused(resolver.resolve(await hs(claims())), 'algorithm-not-allowed', 'HS256');
    expect(requests.length).toBe(before);
  });

  it('reports an unreachable key server as a retryable PROVIDER error, not a bad token', async () => {
    const error = (
      await urlResolver(url.replace('/.well-known/jwks.json', '/missing.json')).resolve(
        await rs('rsa-1'),
      )
    )._unsafeUnwrapErr();
    expect(error.code).toBe('PROVIDER');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/^The JWKS at \S+ could not be fetched: /);
    expect(error).toMatchObject({ adapter: 'jwt', operation: 'resolve' });
  });
});

describe('createJwtActorResolver settings', () => {
  const valid = { secret: SECRET, issuer: ISSUER, audience: AUDIENCE };

  it.each([
    ['neither secret nor jwks', { issuer: ISSUER, audience: AUDIENCE }, 'exactly one of secret'],
    [
      'both secret and jwks',
      { ...valid, jwks: 'https://auth.test/jwks.json' },
      'exactly one of secret',
    ],
    ['an empty issuer', { ...valid, issuer: '' }, 'jwtSettings.issuer'],
    ['an empty audience list', { ...valid, audience: [] }, 'jwtSettings.audience'],
    ['a short secret', { ...valid, secret: 'short' }, 'at least 32 bytes'],
    [
      'a JWKS over plain http to another host',
      { issuer: ISSUER, audience: AUDIENCE, jwks: 'http://auth.test/jwks.json' },
      'https',
    ],
    [
      'a JWKS that is not a URL',
      { issuer: ISSUER, audience: AUDIENCE, jwks: 'not a url' },
      'jwtSettings.jwks',
    ],
    [
      'a JWKS without keys',
      { issuer: ISSUER, audience: AUDIENCE, jwks: { keys: [] } },
      'at least one key',
    ],
    [
      'an RS256 algorithm with a secret',
      { ...valid, algorithms: ['RS256'] },
      'RS256 cannot be verified',
    ],
    [
      'an HS256 algorithm with a jwks',
      {
        issuer: ISSUER,
        audience: AUDIENCE,
        jwks: 'https://auth.test/jwks.json',
        algorithms: ['HS256'],
      },
      'HS256 cannot be verified',
    ],
    ['an unknown algorithm', { ...valid, algorithms: ['none'] }, 'jwtSettings.algorithms'],
    ['a negative clock tolerance', { ...valid, clockTolerance: -1 }, 'jwtSettings.clockTolerance'],
    ['an unknown option', { ...valid, leeway: 5 }, 'leeway'],
  ])('refuses %s with VALIDATION', (_case, settings, words) => {
    const error = createJwtActorResolver(settings as JwtActorResolverSettings)._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain(words);
  });
});
