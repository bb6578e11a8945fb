import { readFileSync } from 'node:fs';
import { createVBuckets } from '@vbuckets/core';
import { createMemoryBlobStore, createMemoryStore } from '@vbuckets/core/testing';
import { createMediaProbe } from '@vbuckets/media';
import { expectOk, type FakeAnthropicServer, startFakeAnthropicServer } from '@vbuckets/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClaudeFrameAnalyzer } from '../src/index';
import { createVideoFixtures, type VideoFixtures } from './anthropic-test-helpers';

let videos: VideoFixtures;
let server: FakeAnthropicServer;

beforeAll(() => {
  videos = createVideoFixtures();
});
afterAll(() => videos.remove());
beforeEach(async () => {
  server = await startFakeAnthropicServer({ bucketsByFilename: { 'gut.mp4': 'Gut Health' } });
});
afterEach(() => server.close());

const scope = { orgId: 'acme' };

describe('as a categorization provider', () => {
  it('categorizes a batch through createVBuckets with one Messages request per video, the sidecar text included', async () => {
    const claude = createClaudeFrameAnalyzer({
      apiKey: server.apiKey,
      baseURL: server.baseUrl,
      mediaProbe: createMediaProbe(),
      requestsPerMinute: Number.POSITIVE_INFINITY,
    });
    // Regression: Infinity (core's "no limit") was refused as not a number.
    expect(claude.requestsPerMinute).toBe(Number.POSITIVE_INFINITY);
    const vbuckets = createVBuckets({
      store: createMemoryStore(),
      blobs: createMemoryBlobStore(),
      providers: { claude },
    })._unsafeUnwrap();
    for (const name of ['Gut Health', 'Energy & Focus']) {
      await expectOk(vbuckets.buckets.create(scope, { productId: 'product-1', name }));
    }
    const { rows } = await expectOk(
      vbuckets.categorize.run(scope, {
        productId: 'product-1',
        provider: 'claude',
        files: [
          {
            filename: 'gut.mp4',
            body: () => readFileSync(videos.small),
            knownText: 'My bloating is finally gone.',
          },
          { filename: 'cat.mp4', body: () => readFileSync(videos.vertical) },
        ],
      }),
    );

    expect(rows.map((row) => [row.filename, row.status, row.bucketName])).toEqual([
      ['gut.mp4', 'categorized', 'Gut Health'],
      ['cat.mp4', 'analyzed', null],
    ]);
    expect(rows[0]?.summary).toBe('Fake summary of gut.mp4 from 2 frames.');
    expect(rows[0]?.analysis).toMatchObject({
      raw: { hookType: 'problem_agitation', pacing: 'fast' },
    });
    const requests = server.requestsTo('messages');
    expect(requests).toHaveLength(2);
    // The two videos go concurrently: the requests arrive in either order.
    expect(requests.map((request) => request.images.length).sort()).toEqual([2, 3]);
    const prompts = requests.map((request) => JSON.stringify(request.json));
    expect(
      prompts.filter((prompt) => prompt.includes('My bloating is finally gone.')),
    ).toHaveLength(1);
  });
});

describe('as the market analyzer', () => {
  it('analyses a benchmark through vb.market: one request, tags filled, usage stored', async () => {
    const claude = createClaudeFrameAnalyzer({
      apiKey: server.apiKey,
      baseURL: server.baseUrl,
      mediaProbe: createMediaProbe(),
    });
    const vbuckets = createVBuckets({
      store: createMemoryStore(),
      blobs: createMemoryBlobStore(),
      analyzers: { market: claude },
    })._unsafeUnwrap();
    const { creative } = await expectOk(
      vbuckets.market.ingestBenchmark(scope, {
        name: 'Gut winner',
        productCategory: 'supplements',
        marketCvr: 0.04,
        marketLongevityDays: 20,
        avgDailyClicks: 500,
        sourceUrl: 'https://facebook.com/ads/library/video/9',
        emotion: 'relief',
        video: { filename: 'gut.mp4', body: () => readFileSync(videos.small) },
      }),
    );
    expect(creative.analysisStatus).toBe('queued');

    const analysed = await expectOk(vbuckets.market.analyze(scope, creative.id));

    expect(server.requestsTo('messages')).toHaveLength(1);
    expect(analysed).toMatchObject({
      analysisStatus: 'done',
      // From the fake model's answer, into the empty fields only.
      hookType: 'problem_agitation',
      pacing: 'fast',
      targetAudiencePain: 'no_time',
      emotion: 'relief',
      analysis: { provider: 'claude', summary: 'Fake summary of gut.mp4 from 2 frames.' },
    });
    const usage = (analysed.analysis as { usage?: { inputTokens: number } }).usage;
    expect(usage?.inputTokens).toBeGreaterThan(0);
  });
});
