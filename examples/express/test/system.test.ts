import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_PREFIX, createApp } from '../src/app';
import { openApiPath } from '../src/openapi';
import { problemOf, startTestHost, type TestHost, tokenFor } from './host';

describe('system routes', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost('sqlite', {
      readiness: {
        blobs: async () => {},
      },
    });
  });
  afterAll(() => host.close());

  it('answers /healthz and /readyz with each part checked', async () => {
    const health = await host.call('/healthz');
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await host.call('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { store: { ok: true }, queue: { ok: true }, blobs: { ok: true } },
    });
  });

  it('answers /readyz with 503 naming the part that does not answer', async () => {
    const failing = await startTestHost('sqlite', {
      readiness: {
        blobs: async () => {
          throw new Error('ECONNREFUSED 10.0.0.7:9000');
        },
      },
    });
    try {
      const ready = await failing.call('/readyz');
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({
        status: 'unready',
        checks: {
          store: { ok: true },
          queue: { ok: true },
          blobs: { ok: false, detail: 'blobs does not answer' },
        },
      });
    } finally {
      await failing.close();
    }
  });

  it('serves an OpenAPI 3.1 document that validates and lists every route', async () => {
    const response = await host.call('/openapi.json');
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);

    // Every route the app mounts is in the document, and nothing else.
    const app = createApp({
      vbuckets: host.vbuckets,
      auth: { resolve: null, resolveAuthorization: null } as never,
    });
    const mounted = new Set<string>();
    for (const layer of (app.router as unknown as { stack: RouterLayer[] }).stack) {
      collectRoutes(layer, '', mounted);
    }
    const documented = new Set<string>();
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const method of Object.keys(operations)) documented.add(`${method} ${path}`);
    }
    expect([...mounted].sort()).toEqual([...documented].sort());
    expect(documented.has(`get ${API_PREFIX}/buckets/{bucketId}`)).toBe(true);
  });

  it('documents each success a route may answer: the queued 202 beside the inline answer', async () => {
    const document = (await (await host.call('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { operationId: string; responses: object }>>;
    };
    const statuses = new Map<string, Record<string, { content?: Record<string, unknown> }>>();
    for (const operations of Object.values(document.paths)) {
      for (const operation of Object.values(operations)) {
        statuses.set(operation.operationId, operation.responses as never);
      }
    }
    const successes = (operationId: string) =>
      Object.keys(statuses.get(operationId) ?? {})
        .filter((status) => status.startsWith('2'))
        .sort();
    expect(successes('categorizeVideos')).toEqual(['201', '202']);
    expect(successes('uploadVideo')).toEqual(['200', '202']);
    expect(successes('splitVideo')).toEqual(['201', '202']);
    expect(successes('generateThumbnails')).toEqual(['201', '202']);
    expect(successes('listBuckets')).toEqual(['200']);
    // The 202 is the job, not the inline answer's schema.
    const queued = statuses.get('uploadVideo')?.['202']?.content?.['application/json'] as {
      schema: { required?: string[] };
    };
    expect(queued.schema.required?.sort()).toEqual(['created', 'id', 'kind']);
  });

  it('answers unknown routes, malformed JSON, wrong types and oversized bodies with problems', async () => {
    const token = await tokenFor({ userId: 'ana', orgId: 'acme' });
    const missing = await host.call('/api/v1/nothing-here', { token });
    expect(missing.status).toBe(404);
    expect((await problemOf(missing)).code).toBe('NOT_FOUND');

    const malformed = await host.call('/api/v1/buckets', {
      method: 'POST',
      token,
      headers: { 'content-type': 'application/json' },
      body: '{"productId": "p", "name": ',
    });
    expect(malformed.status).toBe(400);
    expect((await problemOf(malformed)).detail).toBe('The body is not valid JSON');

    const wrongType = await host.call('/api/v1/buckets', {
      method: 'POST',
      token,
      headers: { 'content-type': 'text/plain' },
      body: 'name=x',
    });
    expect(wrongType.status).toBe(415);

    const huge = await host.call('/api/v1/buckets', {
      method: 'POST',
      token,
      json: { productId: 'p', name: 'x', bestFor: 'y'.repeat(2 * 1024 * 1024) },
    });
    expect(huge.status).toBe(413);

    const unknownQuery = await host.call('/api/v1/buckets?product=p', { token });
    expect(unknownQuery.status).toBe(400);
    expect((await problemOf(unknownQuery)).path).toBe('query');
    expect(await (await host.call('/api/v1/buckets', { token })).json()).toEqual([]);
  });
});

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
  matchers?: unknown;
  slash?: boolean;
  name?: string;
}

/** Walks Express 5's router: routes on the app, and those of the router mounted at the API prefix. */
function collectRoutes(layer: RouterLayer, prefix: string, into: Set<string>): void {
  if (layer.route !== undefined) {
    for (const method of Object.keys(layer.route.methods)) {
      into.add(`${method} ${openApiPath(`${prefix}${layer.route.path}`)}`);
    }
    return;
  }
  const nested = layer.handle?.stack;
  if (layer.name === 'router' && nested !== undefined) {
    for (const child of nested) collectRoutes(child, API_PREFIX, into);
  }
}
