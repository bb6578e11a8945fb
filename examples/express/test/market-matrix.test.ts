import { createFakeVideoAnalyzer, makeVideoAnalysis } from '@vbuckets/core/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { assertMatrix, MATRIX_ORG, ORG_SHARED } from './auth-matrix';
import { STORES, type TestHost } from './host';
import {
  benchmarkBody,
  CATEGORY,
  clientCreative,
  ingestPublicBenchmark,
  recordPerformance,
  startMarketHost,
} from './market-helpers';
import { mp4Bytes, nextSeed, videoForm } from './videos-helpers';

const EVERY_CALLER = { anonymous: 401, owner: 200, member: 200, admin: 200, otherOrg: 200 };
const ADMINS = { anonymous: 401, owner: 403, member: 403 };

describe.each(STORES)('market routes: who may call them, on %s', (kind) => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startMarketHost(
      kind,
      createFakeVideoAnalyzer({ fallbackAnalysis: makeVideoAnalysis({ summary: 'ok' }) }),
    );
  });
  afterAll(() => host.close());

  const privateCreative = async (_host: TestHost, owner: string) => ({
    creative: await clientCreative(host, owner),
  });
  const benchmark = async () => ({ creative: await ingestPublicBenchmark(host, MATRIX_ORG) });

  it('benchmarks: anyone lists them, admins ingest them', async () => {
    await assertMatrix(host, {
      name: 'GET /benchmarks',
      setup: benchmark,
      request: (_host, token) => host.call('/api/v1/benchmarks', { token }),
      expected: { ...EVERY_CALLER, anonymous: 200 },
    });
    await assertMatrix(host, {
      name: 'POST /benchmarks/videos',
      setup: async () => ({}),
      request: (_host, token) =>
        host.call('/api/v1/benchmarks/videos', {
          method: 'POST',
          token,
          body: videoForm(mp4Bytes(nextSeed()), { fields: { productCategory: CATEGORY } }),
        }),
      expected: { ...ADMINS, admin: 201, otherOrg: 201 },
    });
    await assertMatrix(host, {
      name: 'POST /benchmarks',
      setup: async () => ({}),
      request: (_host, token) =>
        host.call('/api/v1/benchmarks', { method: 'POST', token, json: benchmarkBody() }),
      expected: { ...ADMINS, admin: 201, otherOrg: 201 },
    });
  });

  it("creatives: anyone signed in adds and lists their org's", async () => {
    await assertMatrix(host, {
      name: 'POST /creatives',
      setup: async () => ({}),
      request: (_host, token) =>
        host.call('/api/v1/creatives', {
          method: 'POST',
          token,
          json: { name: 'Mine', productCategory: CATEGORY },
        }),
      expected: { anonymous: 401, owner: 201, member: 201, admin: 201, otherOrg: 201 },
    });
    await assertMatrix(host, {
      name: 'GET /creatives',
      setup: privateCreative,
      request: (_host, token) => host.call('/api/v1/creatives', { token }),
      expected: EVERY_CALLER,
    });
  });

  it("one creative: the org's record, and a benchmark is every org's", async () => {
    await assertMatrix(host, {
      name: 'GET /creatives/:creativeId (client)',
      setup: privateCreative,
      request: (_host, token, { creative }) =>
        host.call(`/api/v1/creatives/${creative.id}`, { token }),
      expected: ORG_SHARED(200),
    });
    await assertMatrix(host, {
      name: 'GET /creatives/:creativeId (benchmark)',
      setup: benchmark,
      request: (_host, token, { creative }) =>
        host.call(`/api/v1/creatives/${creative.id}`, { token }),
      expected: EVERY_CALLER,
    });
    await assertMatrix(host, {
      name: 'POST /creatives/:creativeId/performance',
      setup: privateCreative,
      request: (_host, token, { creative }) =>
        recordPerformance(host, token, creative.id, { clicks: 10, conversions: 1 }),
      expected: ORG_SHARED(200),
    });
  });

  it("video access: a client creative's video is its owner's, a benchmark's everyone's", async () => {
    await assertMatrix(host, {
      name: 'GET /creatives/video-access/:creativeId (client)',
      setup: privateCreative,
      request: (_host, token, { creative }) =>
        host.call(`/api/v1/creatives/video-access/${creative.id}`, { token }),
      expected: { anonymous: 401, owner: 200, member: 404, admin: 200, otherOrg: 404 },
    });
    await assertMatrix(host, {
      name: 'GET /creatives/video-access/:creativeId (benchmark)',
      setup: benchmark,
      request: (_host, token, { creative }) =>
        host.call(`/api/v1/creatives/video-access/${creative.id}`, { token }),
      expected: EVERY_CALLER,
    });
  });

  it("force-analyze: the org's admins only", async () => {
    await assertMatrix(host, {
      name: 'POST /creatives/:creativeId/force-analyze',
      setup: privateCreative,
      request: (_host, token, { creative }) =>
        host.call(`/api/v1/creatives/${creative.id}/force-analyze`, { method: 'POST', token }),
      expected: { ...ADMINS, admin: 200, otherOrg: 404 },
    });
  });

  it('rank and choose: anyone signed in, over their org and the public benchmarks', async () => {
    for (const path of ['rank', 'choose']) {
      await assertMatrix(host, {
        name: `POST /market/${path}`,
        setup: privateCreative,
        request: (_host, token) =>
          host.call(`/api/v1/market/${path}`, {
            method: 'POST',
            token,
            json: { productCategory: CATEGORY },
          }),
        expected: EVERY_CALLER,
      });
    }
  });
});
