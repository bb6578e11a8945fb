import { createMemoryBlobStore, type FakeVideoAnalyzer } from '@vbuckets/core/testing';
import { expect } from 'vitest';
import { type StoreKind, startTestHost, type TestHost } from './host';
import { mp4Bytes, nextSeed, registerVideo } from './videos-helpers';

export interface CreativeJson {
  id: string;
  orgId: string;
  ownerId: string | null;
  name: string;
  productCategory: string;
  source: 'benchmark' | 'client';
  isPublic: boolean;
  videoId: string | null;
  clicks: number;
  conversions: number;
  analysisStatus: string;
}

export const CATEGORY = 'language_learning';

export const PRESIGN_BASE = 'https://blobs.test/presigned';
export const PUBLIC_BASE = 'https://cdn.test';

/** A host whose blob store presigns and serves public objects, with a fake market analyzer. */
export async function startMarketHost(kind: StoreKind, analyzer: FakeVideoAnalyzer) {
  return startTestHost(kind, {
    vbucketsOptions: {
      blobs: createMemoryBlobStore({ presignBaseUrl: PRESIGN_BASE, publicBaseUrl: PUBLIC_BASE }),
      analyzers: { market: analyzer },
    },
  });
}

/** A market winner as the benchmark ingest takes it. */
export function benchmarkBody(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Too busy to learn?',
    productCategory: CATEGORY,
    marketCvr: 0.05,
    marketLongevityDays: 30,
    avgDailyClicks: 1000,
    hookType: 'problem_agitation',
    sourceUrl: `https://www.facebook.com/ads/library/?id=${nextSeed()}`,
    ...overrides,
  };
}

/**
 * A public benchmark with its video, ingested through the SDK: the REST host takes benchmark
 * fields as JSON (a video registered before is private), so public bytes come from the SDK.
 */
export async function ingestPublicBenchmark(
  host: TestHost,
  orgId: string,
  productCategory = CATEGORY,
) {
  const ingested = await host.vbuckets.market.ingestBenchmark(
    { orgId },
    {
      ...benchmarkBody({ productCategory }),
      video: { filename: 'winner.mp4', body: () => mp4Bytes(nextSeed()) },
    },
  );
  return ingested._unsafeUnwrap().creative;
}

/** A client creative of the token's user with a private video registered over HTTP. */
export async function clientCreative(
  host: TestHost,
  token: string,
  fields: Record<string, unknown> = {},
): Promise<CreativeJson> {
  const video = await registerVideo(host, token, nextSeed());
  const response = await host.call('/api/v1/creatives', {
    method: 'POST',
    token,
    json: { name: 'Our hook', productCategory: CATEGORY, videoId: video.id, ...fields },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as CreativeJson;
}

/** Records results under a fresh (or given) idempotency key. */
export function recordPerformance(
  host: TestHost,
  token: string | undefined,
  creativeId: string,
  json: unknown,
  key: string | null = `key-${nextSeed()}`,
) {
  return host.call(`/api/v1/creatives/${creativeId}/performance`, {
    method: 'POST',
    token,
    json,
    ...(key === null ? {} : { headers: { 'idempotency-key': key } }),
  });
}
