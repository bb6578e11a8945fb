import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatrix, MATRIX_USERS, ORG_SHARED } from './auth-matrix';
import { problemOf, startTestHost, type TestHost, tokenFor } from './host';

const DEV = { userId: 'dev', orgId: 'local', roles: ['admin'] };

describe('who am I, and development tokens', () => {
  let dev: TestHost;
  let production: TestHost;
  beforeAll(async () => {
    dev = await startTestHost('sqlite', { devTokens: () => tokenFor(DEV) });
    production = await startTestHost('sqlite');
  });
  afterAll(async () => {
    await dev.close();
    await production.close();
  });

  it('answers /me with the user, org and roles of the token, and 401 without one', async () => {
    for (const who of Object.values(MATRIX_USERS)) {
      const response = await dev.call('/api/v1/me', { token: await tokenFor(who) });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(who);
    }
    const anonymous = await dev.call('/api/v1/me');
    expect(anonymous.status).toBe(401);
    expect((await problemOf(anonymous)).code).toBe('UNAUTHENTICATED');
    const forged = await tokenFor(DEV, { secret: 'another-secret-of-at-least-32-bytes!' });
    const refused = await dev.call('/api/v1/me', { token: forged });
    expect(refused.status).toBe(401);
    expect((await problemOf(refused)).detail).not.toBe('');
  });

  it('lets every signed-in caller read /me (another org reads its own)', async () => {
    await assertMatrix(dev, {
      name: 'GET /me',
      setup: async () => undefined,
      request: (host, token) => host.call('/api/v1/me', token === undefined ? {} : { token }),
      expected: { ...ORG_SHARED(200), otherOrg: 200 },
    });
  });

  it('tells anyone whether the host makes development tokens', async () => {
    expect(await (await dev.call('/api/v1/host')).json()).toEqual({ devTokens: true });
    expect(await (await production.call('/api/v1/host')).json()).toEqual({ devTokens: false });
  });

  it('mints a working admin token for org local on a development host, never cached', async () => {
    const minted = await dev.call('/api/v1/dev/token', { method: 'POST' });
    expect(minted.status).toBe(201);
    expect(minted.headers.get('cache-control')).toBe('no-store');
    const { token } = (await minted.json()) as { token: string };
    expect(await (await dev.call('/api/v1/me', { token })).json()).toEqual(DEV);
    expect((await dev.call('/api/v1/buckets', { token })).status).toBe(200);
  });

  it('has no development token route on a host with real JWT settings: 404, and not documented', async () => {
    const refused = await production.call('/api/v1/dev/token', { method: 'POST' });
    expect(refused.status).toBe(404);
    expect((await problemOf(refused)).code).toBe('NOT_FOUND');
    const documented = async (host: TestHost) =>
      Object.keys(((await (await host.call('/openapi.json')).json()) as { paths: object }).paths);
    expect(await documented(production)).not.toContain('/api/v1/dev/token');
    expect(await documented(dev)).toContain('/api/v1/dev/token');
    expect(await documented(production)).toEqual(
      expect.arrayContaining(['/api/v1/me', '/api/v1/host']),
    );
  });
});
