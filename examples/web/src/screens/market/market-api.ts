// Types only (erased from the bundle): the dashboard speaks the SDK's own shapes.
import type {
  BenchmarkVideo,
  Creative,
  MarketArm,
  MarketRanking,
  PerformanceInput,
  PerformanceResult,
} from '@vbuckets/core';
import { type ApiClient, segment } from '../../api';

export type {
  BenchmarkVideo,
  Creative,
  MarketArm,
  MarketRanking,
  PerformanceInput,
  PerformanceResult,
};

/** How many suggestions the screen asks `choose` for. */
export const SUGGESTIONS = 3;

/** The most creatives the screen reads for a category (the host's page limit). */
const CREATIVES_LIMIT = 1000;

/** The host's market routes (seed 003). */
export function marketApi(api: ApiClient) {
  return {
    /** The public benchmark videos of every org; no token needed. */
    benchmarks: () =>
      api.get<BenchmarkVideo[]>('/benchmarks', { authenticated: false, query: { limit: 1000 } }),
    /** The org's creatives (and the public benchmarks), of one category or all. */
    creatives: (productCategory?: string) =>
      api.get<Creative[]>('/creatives', {
        query: { productCategory, limit: CREATIVES_LIMIT },
      }),
    /** Each creative of the category: posterior mean, 95% interval and P(best). */
    rank: (productCategory: string) => api.post<MarketRanking>('/market/rank', { productCategory }),
    /** The next creatives to produce: one Thompson draw each, the highest. */
    choose: (productCategory: string, n = SUGGESTIONS) =>
      api.post<MarketArm[]>('/market/choose', { productCategory, n }),
    addCreative: (productCategory: string, name: string) =>
      api.post<Creative>('/creatives', { productCategory, name }),
    /** Counted once per `key`: a retried submission adds nothing. */
    recordPerformance: (creativeId: string, input: PerformanceInput, key: string) =>
      api.post<PerformanceResult>(`/creatives/${segment(creativeId)}/performance`, input, {
        headers: { 'idempotency-key': key },
      }),
    /** Admins only: the vision analysis now, whatever the triggers say. */
    forceAnalyze: (creativeId: string) =>
      api.post<Creative>(`/creatives/${segment(creativeId)}/force-analyze`),
  };
}

export type MarketApi = ReturnType<typeof marketApi>;

/** A rate as a percentage with two decimals: 0.04567 → "4.57%". */
export const percent = (value: number) => `${(value * 100).toFixed(2)}%`;

/** A probability as a percentage with one decimal: 0.7312 → "73.1%". */
export const probability = (value: number) => `${(value * 100).toFixed(1)}%`;

/** The analysis's one-line summary, when the creative has one. */
export function summaryOf(creative: Creative): string | undefined {
  const summary = creative.analysis?.summary;
  return typeof summary === 'string' && summary.trim() !== '' ? summary : undefined;
}
