import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemOf, STORES, startTestHost, type TestHost, tokenFor } from './host';

describe.each(STORES)('buckets routes on %s', (kind) => {
  let host: TestHost;
  let owner: string;
  let other: string;
  beforeAll(async () => {
    host = await startTestHost(kind);
    owner = await tokenFor({ userId: 'ana', orgId: 'acme' });
    other = await tokenFor({ userId: 'bo', orgId: 'globex' });
  });
  afterAll(() => host.close());

  it('creates, reads, updates, reorders and deletes buckets of the caller org', async () => {
    const created = await host.call('/api/v1/buckets', {
      method: 'POST',
      token: owner,
      json: { productId: 'serum', name: 'Gut health', painPoints: ['bloating'] },
    });
    expect(created.status).toBe(201);
    const gut = (await created.json()) as { id: string; name: string; orgId: string };
    expect(gut).toMatchObject({ name: 'Gut health', orgId: 'acme' });
    const second = (await (
      await host.call('/api/v1/buckets', {
        method: 'POST',
        token: owner,
        json: { productId: 'serum', name: 'Energy' },
      })
    ).json()) as { id: string };

    const listed = await host.call('/api/v1/buckets?productId=serum', { token: owner });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { name: string }[]).map((bucket) => bucket.name)).toEqual([
      'Gut health',
      'Energy',
    ]);

    const patched = await host.call(`/api/v1/buckets/${gut.id}`, {
      method: 'PATCH',
      token: owner,
      json: { angle: 'science' },
    });
    expect(await patched.json()).toMatchObject({ angle: 'science', name: 'Gut health' });

    const reordered = await host.call('/api/v1/products/serum/bucket-order', {
      method: 'PUT',
      token: owner,
      json: { bucketIds: [second.id, gut.id] },
    });
    expect(((await reordered.json()) as { id: string }[]).map((bucket) => bucket.id)).toEqual([
      second.id,
      gut.id,
    ]);

    // Another org sees nothing of it: 404, never 403.
    const foreign = await host.call(`/api/v1/buckets/${gut.id}`, { token: other });
    expect(foreign.status).toBe(404);
    expect((await problemOf(foreign)).code).toBe('NOT_FOUND');
    expect(await (await host.call('/api/v1/buckets', { token: other })).json()).toEqual([]);

    const deleted = await host.call(`/api/v1/buckets/${gut.id}`, {
      method: 'DELETE',
      token: owner,
    });
    expect(deleted.status).toBe(204);
    expect((await host.call(`/api/v1/buckets/${gut.id}`, { token: owner })).status).toBe(404);
  });

  it('exports a product as JSON that imports back into another product', async () => {
    for (const name of ['Alpha', 'Beta']) {
      await host.call('/api/v1/buckets', {
        method: 'POST',
        token: owner,
        json: { productId: 'export-me', name, keyCopyHooks: [`${name} hook`] },
      });
    }
    const exported = (await (
      await host.call('/api/v1/products/export-me/buckets/export', { token: owner })
    ).json()) as { buckets: unknown[] };
    expect(exported.buckets).toHaveLength(2);
    const imported = await host.call('/api/v1/products/copy/buckets/import', {
      method: 'POST',
      token: owner,
      json: { buckets: exported.buckets },
    });
    expect(await imported.json()).toEqual({ created: 2, updated: 0, unchanged: 0 });
    const again = await host.call('/api/v1/products/copy/buckets/import', {
      method: 'POST',
      token: owner,
      json: { buckets: exported.buckets },
    });
    expect(await again.json()).toEqual({ created: 0, updated: 0, unchanged: 2 });
  });

  it('answers a duplicate name with 409 and a bad field with 400 naming it', async () => {
    const body = { productId: 'dupes', name: 'Same' };
    expect(
      (await host.call('/api/v1/buckets', { method: 'POST', token: owner, json: body })).status,
    ).toBe(201);
    const duplicate = await host.call('/api/v1/buckets', {
      method: 'POST',
      token: owner,
      json: { ...body, name: 'same' },
    });
    expect(duplicate.status).toBe(409);
    expect((await problemOf(duplicate)).detail).toMatch(/same/i);

    const invalid = await host.call('/api/v1/buckets', {
      method: 'POST',
      token: owner,
      json: { productId: 'dupes', name: 'x', painPoints: 'not a list' },
    });
    expect(invalid.status).toBe(400);
    const problem = await problemOf(invalid);
    expect(problem).toMatchObject({ code: 'VALIDATION', path: 'body.painPoints' });
    expect(problem.detail).not.toMatch(/sqlite|postgres|\bat\b.*\.ts/);
  });

  it('refuses anonymous and forged callers with 401 and a WWW-Authenticate challenge', async () => {
    const anonymous = await host.call('/api/v1/buckets');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect((await problemOf(anonymous)).code).toBe('UNAUTHENTICATED');
    const forged = await tokenFor(
      { userId: 'ana', orgId: 'acme' },
      { secret: 'another-secret-of-at-least-32-bytes!' },
    );
    expect((await host.call('/api/v1/buckets', { token: forged })).status).toBe(401);
    const expired = await tokenFor({ userId: 'ana', orgId: 'acme' }, { expiresIn: '-1m' });
    expect((await host.call('/api/v1/buckets', { token: expired })).status).toBe(401);
  });
});
