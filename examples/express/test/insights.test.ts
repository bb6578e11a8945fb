import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatrix, MATRIX_ORG, MATRIX_USERS, ORG_SHARED } from './auth-matrix';
import { problemOf, STORES, startTestHost, type TestHost, tokenFor } from './host';
import { addSegment, recordUsage, registerVideo } from './segments-helpers';

interface RankingJson {
  by: string;
  draws: number;
  arms: { id: string; label: string; kind: string; segments: number; pBest: number }[];
}

describe.each(STORES)('insight routes on %s', (kind) => {
  let host: TestHost;
  let owner: string;
  beforeAll(async () => {
    host = await startTestHost(kind);
    owner = await tokenFor(MATRIX_USERS.owner);
    for (const name of ['Gut health', 'Energy']) {
      const created = await host.call('/api/v1/buckets', {
        method: 'POST',
        token: owner,
        json: { productId: 'serum', name },
      });
      expect(created.status).toBe(201);
    }
  });
  afterAll(() => host.close());

  it("ranks a product's buckets and suggests the next ones, reproducibly with a seed", async () => {
    const ranked = await host.call('/api/v1/insights/buckets?productId=serum&seed=7&draws=500', {
      token: owner,
    });
    expect(ranked.status).toBe(200);
    const ranking = (await ranked.json()) as RankingJson;
    expect(ranking).toMatchObject({ by: 'bucket', draws: 500 });
    expect(ranking.arms.map((arm) => arm.label).sort()).toEqual(['Energy', 'Gut health']);
    const again = (await (
      await host.call('/api/v1/insights/buckets?productId=serum&seed=7&draws=500', { token: owner })
    ).json()) as RankingJson;
    expect(again.arms.map((arm) => arm.pBest)).toEqual(ranking.arms.map((arm) => arm.pBest));

    const suggested = await host.call(
      '/api/v1/insights/suggestions?productId=serum&n=2&seed=3&success=clicks',
      { token: owner },
    );
    expect(suggested.status).toBe(200);
    expect(((await suggested.json()) as unknown[]).length).toBe(2);

    const unknown = await host.call('/api/v1/insights/buckets?productId=nothing', { token: owner });
    expect(unknown.status).toBe(404);
  });

  it('ranks the patterns of creatives with videos by their segments’ results', async () => {
    const none = await host.call('/api/v1/insights/patterns', { token: owner });
    expect(none.status).toBe(404);

    const videoId = await registerVideo(host);
    const ingested = await host.vbuckets.market.ingestBenchmark(
      { orgId: MATRIX_ORG },
      {
        name: 'Question hook',
        productCategory: 'skincare',
        marketCvr: 0.05,
        marketLongevityDays: 30,
        avgDailyClicks: 100,
        hookType: 'question',
        videoId,
      },
    );
    expect(ingested.isOk()).toBe(true);
    const segment = await addSegment(host, videoId);
    await recordUsage(host, segment.id, { platform: 'tiktok', postId: 'q1', views: 100, likes: 9 });

    const ranked = await host.call('/api/v1/insights/patterns?productCategory=skincare&seed=1', {
      token: owner,
    });
    expect(ranked.status).toBe(200);
    const ranking = (await ranked.json()) as RankingJson;
    expect(ranking.arms.find((arm) => arm.label === 'question')).toMatchObject({
      kind: 'pattern',
      segments: 1,
    });
    const next = await host.call('/api/v1/insights/suggestions?by=pattern&seed=2', {
      token: owner,
    });
    expect(((await next.json()) as { kind: string }[])[0]).toMatchObject({ kind: 'pattern' });
  });

  it('answers bad parameters with 400 naming them', async () => {
    const cases: [string, string][] = [
      ['/api/v1/insights/buckets', 'query.productId'],
      ['/api/v1/insights/buckets?productId=serum&draws=50', 'query.draws'],
      ['/api/v1/insights/buckets?productId=serum&seed=abc', 'query.seed'],
      ['/api/v1/insights/buckets?productId=serum&success=likes', 'query.success'],
      ['/api/v1/insights/suggestions?n=3', 'query.productId'],
      ['/api/v1/insights/suggestions?productId=serum&n=0', 'query.n'],
      ['/api/v1/insights/patterns?category=x', 'query'],
    ];
    for (const [path, field] of cases) {
      const response = await host.call(path, { token: owner });
      expect(response.status, path).toBe(400);
      expect((await problemOf(response)).path, path).toBe(field);
    }
  });

  it("keeps rankings inside the org: another org's product has no buckets", async () => {
    await assertMatrix(host, {
      name: 'GET insights buckets',
      setup: async () => undefined,
      request: (current, token) =>
        current.call('/api/v1/insights/buckets?productId=serum&seed=1', {
          ...(token === undefined ? {} : { token }),
        }),
      expected: ORG_SHARED(200),
    });
  });
});
