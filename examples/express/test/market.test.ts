import {
  createFakeVideoAnalyzer,
  type FakeVideoAnalyzer,
  makeVideoAnalysis,
} from '@vbuckets/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemOf, STORES, type TestHost, tokenFor } from './host';
import {
  benchmarkBody,
  CATEGORY,
  type CreativeJson,
  clientCreative,
  ingestPublicBenchmark,
  PRESIGN_BASE,
  PUBLIC_BASE,
  recordPerformance,
  startMarketHost,
} from './market-helpers';
import { mp4Bytes, nextSeed, videoForm } from './videos-helpers';

describe.each(STORES)('market routes on %s', (kind) => {
  let host: TestHost;
  let analyzer: FakeVideoAnalyzer;
  let owner: string;
  let member: string;
  let admin: string;
  let other: string;
  beforeAll(async () => {
    analyzer = createFakeVideoAnalyzer({
      fallbackAnalysis: makeVideoAnalysis({ summary: 'A question hook over a kitchen scene' }),
    });
    host = await startMarketHost(kind, analyzer);
    owner = await tokenFor({ userId: 'ana', orgId: 'acme' });
    member = await tokenFor({ userId: 'bo', orgId: 'acme' });
    admin = await tokenFor({ userId: 'cy', orgId: 'acme', roles: ['admin'] });
    other = await tokenFor({ userId: 'dee', orgId: 'globex', roles: ['admin'] });
  });
  afterAll(() => host.close());

  it('lists public benchmark videos to anyone, without a token', async () => {
    const benchmark = await ingestPublicBenchmark(host, 'globex', `cat-${kind}`);
    const anonymous = await host.call(`/api/v1/benchmarks?productCategory=cat-${kind}`);
    expect(anonymous.status).toBe(200);
    const listed = (await anonymous.json()) as Record<string, unknown>[];
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      videoId: benchmark.videoId,
      productCategory: `cat-${kind}`,
      mimeType: 'video/mp4',
    });
    expect(String(listed[0]?.url)).toMatch(new RegExp(`^${PUBLIC_BASE}/benchmarks/`));
    // Nothing of the org that ingested it leaks to an anonymous caller.
    expect(listed[0]).not.toHaveProperty('orgId');
    expect(listed[0]).not.toHaveProperty('sha256');

    const bad = await host.call('/api/v1/benchmarks?limit=5000');
    expect(bad.status).toBe(400);
    expect((await problemOf(bad)).path).toBe('query.limit');
    const forged = await host.call('/api/v1/benchmarks', { token: 'not-a-jwt' });
    expect(forged.status).toBe(401);
  });

  it('ingests a benchmark as an admin: 201, then 200 for the same sourceUrl', async () => {
    const body = benchmarkBody();
    const first = await host.call('/api/v1/benchmarks', {
      method: 'POST',
      token: admin,
      json: body,
    });
    expect(first.status).toBe(201);
    const ingested = (await first.json()) as { creative: CreativeJson; created: boolean };
    expect(ingested).toMatchObject({
      created: true,
      creative: { source: 'benchmark', isPublic: true, ownerId: 'cy', analysisStatus: 'queued' },
    });
    const again = await host.call('/api/v1/benchmarks', {
      method: 'POST',
      token: admin,
      json: body,
    });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({
      created: false,
      creative: { id: ingested.creative.id },
    });

    const byMember = await host.call('/api/v1/benchmarks', {
      method: 'POST',
      token: member,
      json: benchmarkBody(),
    });
    expect(byMember.status).toBe(403);
    const badRate = await host.call('/api/v1/benchmarks', {
      method: 'POST',
      token: admin,
      json: benchmarkBody({ marketCvr: 5 }),
    });
    expect(badRate.status).toBe(400);
    expect((await problemOf(badRate)).path).toBe('body.marketCvr');
    const ownerGiven = await host.call('/api/v1/benchmarks', {
      method: 'POST',
      token: admin,
      json: benchmarkBody({ ownerId: 'someone-else' }),
    });
    expect((await problemOf(ownerGiven)).path).toBe('body');
  });

  it('ingests a benchmark with its video over HTTP: the video is public, listed to anyone', async () => {
    const category = `http-${kind}`;
    const form = videoForm(mp4Bytes(nextSeed()), {
      filename: 'winner.mp4',
      fields: { title: 'Winner', productCategory: category },
    });
    const byMember = await host.call('/api/v1/benchmarks/videos', {
      method: 'POST',
      token: member,
      body: form,
    });
    expect(byMember.status).toBe(403);
    const uploaded = await host.call('/api/v1/benchmarks/videos', {
      method: 'POST',
      token: admin,
      body: form,
    });
    expect(uploaded.status).toBe(201);
    const { video } = (await uploaded.json()) as { video: { id: string; visibility: string } };
    expect(video.visibility).toBe('public');
    const ingested = await host.call('/api/v1/benchmarks', {
      method: 'POST',
      token: admin,
      json: benchmarkBody({ productCategory: category, videoId: video.id }),
    });
    expect(ingested.status).toBe(201);
    const listed = (await (
      await host.call(`/api/v1/benchmarks?productCategory=${category}`)
    ).json()) as { videoId: string; title: string; url: string }[];
    expect(listed).toMatchObject([{ videoId: video.id, title: 'Winner' }]);
    expect(listed[0]?.url).toMatch(new RegExp(`^${PUBLIC_BASE}/benchmarks/`));
  });

  it("adds the caller's private creative, lists, filters and reads it", async () => {
    const creative = await clientCreative(host, owner, { hookType: 'question', tags: ['ugc'] });
    expect(creative).toMatchObject({
      orgId: 'acme',
      ownerId: 'ana',
      source: 'client',
      isPublic: false,
      analysisStatus: 'none',
    });
    const listed = await host.call(
      `/api/v1/creatives?source=client&includePublic=false&productCategory=${CATEGORY}&limit=100`,
      { token: member },
    );
    expect(listed.status).toBe(200);
    const creatives = (await listed.json()) as CreativeJson[];
    expect(creatives.map((entry) => entry.id)).toContain(creative.id);
    expect(creatives.every((entry) => entry.source === 'client')).toBe(true);

    const read = await host.call(`/api/v1/creatives/${creative.id}`, { token: member });
    expect(await read.json()).toMatchObject({ id: creative.id, name: 'Our hook' });
    expect((await host.call(`/api/v1/creatives/${creative.id}`, { token: other })).status).toBe(
      404,
    );
    expect(
      (await (await host.call('/api/v1/creatives?source=client', { token: other })).json()) as [],
    ).toEqual([]);

    const noName = await host.call('/api/v1/creatives', {
      method: 'POST',
      token: owner,
      json: { productCategory: CATEGORY },
    });
    expect((await problemOf(noName)).path).toBe('body.name');
    const foreignVideo = await host.call('/api/v1/creatives', {
      method: 'POST',
      token: other,
      json: { name: 'Theirs', productCategory: CATEGORY, videoId: creative.videoId },
    });
    expect(foreignVideo.status).toBe(404);
    const badFlag = await host.call('/api/v1/creatives?includePublic=perhaps', { token: owner });
    expect((await problemOf(badFlag)).path).toBe('query.includePublic');
  });

  it('records results once per Idempotency-Key and queues the analysis at 5 conversions', async () => {
    const creative = await clientCreative(host, owner);
    const missing = await recordPerformance(
      host,
      owner,
      creative.id,
      { clicks: 10, conversions: 1 },
      null,
    );
    expect(missing.status).toBe(400);
    expect((await problemOf(missing)).path).toBe('headers.idempotency-key');

    const first = await recordPerformance(
      host,
      owner,
      creative.id,
      { clicks: 100, conversions: 3 },
      'batch-1',
    );
    expect(await first.json()).toMatchObject({
      applied: true,
      analysisQueued: false,
      creative: { clicks: 100, conversions: 3 },
    });
    const retried = await recordPerformance(
      host,
      member,
      creative.id,
      { clicks: 100, conversions: 3 },
      'batch-1',
    );
    expect(await retried.json()).toMatchObject({
      applied: false,
      creative: { clicks: 100, conversions: 3 },
    });
    const crossing = await recordPerformance(host, owner, creative.id, {
      clicks: 50,
      conversions: 2,
    });
    expect(await crossing.json()).toMatchObject({
      applied: true,
      analysisQueued: true,
      creative: { conversions: 5, analysisStatus: 'queued' },
    });

    const tooMany = await recordPerformance(host, owner, creative.id, {
      clicks: 1,
      conversions: 2,
    });
    expect((await problemOf(tooMany)).path).toBe('body.conversions');
    const foreign = await recordPerformance(host, other, creative.id, {
      clicks: 1,
      conversions: 0,
    });
    expect(foreign.status).toBe(404);
  });

  it("hands out a creative's video URL: the owner's private one presigned, a benchmark's to anyone", async () => {
    const creative = await clientCreative(host, owner);
    const access = await host.call(`/api/v1/creatives/video-access/${creative.id}?ttlSec=600`, {
      token: owner,
    });
    expect(access.status).toBe(200);
    const body = (await access.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      creativeId: creative.id,
      creativeName: 'Our hook',
      videoId: creative.videoId,
      isPublic: false,
      expiresIn: 600,
    });
    expect(String(body.url)).toMatch(new RegExp(`^${PRESIGN_BASE}/videos/client_ana/`));
    const forMember = await host.call(`/api/v1/creatives/video-access/${creative.id}`, {
      token: member,
    });
    expect(forMember.status).toBe(404);

    const benchmark = await ingestPublicBenchmark(host, 'globex');
    const watched = await host.call(`/api/v1/creatives/video-access/${benchmark.id}`, {
      token: member,
    });
    expect(await watched.json()).toMatchObject({ isPublic: true, expiresIn: null });

    const noVideo = await host.call('/api/v1/creatives', {
      method: 'POST',
      token: owner,
      json: { name: 'Idea only', productCategory: CATEGORY },
    });
    const idea = (await noVideo.json()) as CreativeJson;
    const none = await host.call(`/api/v1/creatives/video-access/${idea.id}`, { token: owner });
    expect(none.status).toBe(404);
    expect((await problemOf(none)).detail).toMatch(/has no video/);

    // The same rule on a video's own access route.
    const own = await host.call(`/api/v1/videos/${creative.videoId}/access`, { token: owner });
    expect(await own.json()).toMatchObject({ videoId: creative.videoId, expiresIn: 3600 });
    const tooLong = await host.call(`/api/v1/videos/${creative.videoId}/access?ttlSec=9999999`, {
      token: owner,
    });
    expect((await problemOf(tooLong)).path).toBe('query.ttlSec');
  });

  it('forces an analysis for admins only, refusing others before any work', async () => {
    const creative = await clientCreative(host, owner);
    const callsBefore = analyzer.calls.length;
    const refused = await host.call(`/api/v1/creatives/${creative.id}/force-analyze`, {
      method: 'POST',
      token: owner,
    });
    expect(refused.status).toBe(403);
    expect(analyzer.calls.length).toBe(callsBefore);
    const foreign = await host.call(`/api/v1/creatives/${creative.id}/force-analyze`, {
      method: 'POST',
      token: other,
    });
    expect(foreign.status).toBe(404);
    expect(analyzer.calls.length).toBe(callsBefore);

    const forced = await host.call(`/api/v1/creatives/${creative.id}/force-analyze`, {
      method: 'POST',
      token: admin,
    });
    expect(forced.status).toBe(200);
    expect(await forced.json()).toMatchObject({
      id: creative.id,
      analysisStatus: 'done',
      analysis: { summary: 'A question hook over a kitchen scene' },
    });
    expect(analyzer.calls.length).toBe(callsBefore + 1);
  });

  it('ranks and chooses by Thompson sampling, reproducibly with a seed', async () => {
    const token = await tokenFor({ userId: 'ana', orgId: `rank-${kind}` });
    const category = 'skincare';
    for (const hookType of ['question', 'demo']) {
      const created = await host.call('/api/v1/creatives', {
        method: 'POST',
        token,
        json: { name: `${hookType} ad`, productCategory: category, hookType },
      });
      const creative = (await created.json()) as CreativeJson;
      const results =
        hookType === 'question'
          ? { clicks: 400, conversions: 40 }
          : {
              clicks: 400,
              conversions: 4,
            };
      await recordPerformance(host, token, creative.id, results);
    }
    const query = { productCategory: category, dimension: 'hookType', seed: 42, draws: 1000 };
    const ranked = await host.call('/api/v1/market/rank', { method: 'POST', token, json: query });
    expect(ranked.status).toBe(200);
    const ranking = (await ranked.json()) as { arms: { label: string; pBest: number }[] };
    expect(ranking.arms.map((arm) => arm.label)).toEqual(['question', 'demo']);
    expect(ranking.arms[0]?.pBest).toBeGreaterThan(0.9);
    const again = await host.call('/api/v1/market/rank', { method: 'POST', token, json: query });
    expect(await again.json()).toEqual(ranking);

    const chosen = await host.call('/api/v1/market/choose', {
      method: 'POST',
      token,
      json: { productCategory: category, n: 2, seed: 7 },
    });
    expect(chosen.status).toBe(200);
    expect(((await chosen.json()) as unknown[]).length).toBe(2);

    const badN = await host.call('/api/v1/market/choose', {
      method: 'POST',
      token,
      json: { productCategory: category, n: 0 },
    });
    expect((await problemOf(badN)).path).toBe('body.n');
    const noCategory = await host.call('/api/v1/market/rank', { method: 'POST', token, json: {} });
    expect((await problemOf(noCategory)).path).toBe('body.productCategory');
  });
});
