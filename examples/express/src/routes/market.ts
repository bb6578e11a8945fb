import {
  BenchmarkFieldsSchema,
  ChooseQuerySchema,
  ClientCreativeFieldsSchema,
  CreativeSchema,
  notFoundError,
  PerformanceInputSchema,
  RankQuerySchema,
  validationError,
  vbucketsError,
} from '@vbuckets/core';
import { errAsync } from 'neverthrow';
import { z } from 'zod';
import type { HostInfo } from '../host-info';
import {
  BenchmarkQuerySchema,
  BenchmarkVideoSchema,
  CreativeListQuerySchema,
  CreativeParams,
  CreativeVideoAccessSchema,
  IngestedBenchmarkSchema,
  MarketArmSchema,
  MarketRankingSchema,
  PerformanceResultSchema,
} from '../market-http-schemas';
import { defineRoute, type Route } from '../route-kit';
import { AccessQuerySchema, RegisteredVideoSchema } from '../video-http-schemas';
import { BenchmarkVideoFormSchema, registerVideoFromForm } from '../video-register';

const TAG = 'market';

/** Market intelligence (seed 003): benchmarks, client creatives, results, Thompson ranking. */
export function marketRoutes(host: HostInfo): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/benchmarks',
      tag: TAG,
      operationId: 'listBenchmarks',
      summary: "Every org's public benchmark videos, newest first (no sign-in needed)",
      access: 'public',
      query: BenchmarkQuerySchema,
      response: { description: 'The benchmark videos', schema: z.array(BenchmarkVideoSchema) },
      handle: ({ vbuckets, query }) => vbuckets.access.listBenchmarks(query),
    }),
    defineRoute({
      method: 'post',
      path: '/benchmarks',
      tag: TAG,
      operationId: 'ingestBenchmark',
      summary:
        'Ingests a market winner as a public benchmark with a capped Bayesian prior (admins)',
      description:
        'Admins only: a benchmark is public to every org. The caller is recorded as who ingested it. The same `sourceUrl` again answers 200 with the first benchmark and changes nothing; a new one answers 201. `videoId` names a video registered before (`POST /videos`).',
      access: 'admin',
      body: BenchmarkFieldsSchema.omit({ ownerId: true }),
      response: {
        description: 'The benchmark (201 when new, 200 when this sourceUrl was ingested before)',
        schema: IngestedBenchmarkSchema,
      },
      handle: ({ vbuckets, scope, actor, body, response }) =>
        vbuckets.market
          .ingestBenchmark(scope, { ...body, ownerId: actor?.userId ?? '' })
          .map((ingested) => {
            if (ingested.created) response.status(201);
            return ingested;
          }),
    }),
    defineRoute({
      method: 'post',
      path: '/benchmarks/videos',
      tag: TAG,
      operationId: 'registerBenchmarkVideo',
      summary: "Registers a benchmark's video, public to every org (admins)",
      description:
        'The `POST /videos` form (fields first, then the `video` file part, streamed to the public benchmarks area), plus `productCategory`. Ingest the benchmark next with its `videoId`. Content the org already registered answers 200 with that video as it is.',
      access: 'admin',
      bodyType: 'multipart',
      multipartSchema: BenchmarkVideoFormSchema,
      response: { status: 201, description: 'The new public video', schema: RegisteredVideoSchema },
      handle: (context) => registerVideoFromForm(context, host, 'public'),
    }),
    defineRoute({
      method: 'post',
      path: '/creatives',
      tag: TAG,
      operationId: 'addClientCreative',
      summary: "Adds a client creative: private, the caller's own",
      access: 'member',
      body: ClientCreativeFieldsSchema,
      response: { status: 201, description: 'The new creative', schema: CreativeSchema },
      handle: ({ vbuckets, actor, body }) =>
        actor === null
          ? errAsync(vbucketsError('UNAUTHENTICATED', 'Sign in first'))
          : vbuckets.market.addClientCreative(actor, body),
    }),
    defineRoute({
      method: 'get',
      path: '/creatives',
      tag: TAG,
      operationId: 'listCreatives',
      summary: "A page of the org's creatives (and every org's public benchmarks), newest first",
      access: 'member',
      query: CreativeListQuerySchema,
      response: { description: 'The creatives', schema: z.array(CreativeSchema) },
      handle: ({ vbuckets, scope, query }) => {
        const { limit, after, ...filter } = query;
        return vbuckets.market.list(scope, filter, {
          ...(limit === undefined ? {} : { limit }),
          ...(after === undefined ? {} : { after }),
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/creatives/:creativeId',
      tag: TAG,
      operationId: 'getCreative',
      summary: "One creative of the org, or any org's public benchmark",
      access: 'member',
      params: CreativeParams,
      response: { description: 'The creative', schema: CreativeSchema },
      handle: ({ vbuckets, scope, params }) => vbuckets.market.get(scope, params.creativeId),
    }),
    defineRoute({
      method: 'get',
      path: '/creatives/video-access/:creativeId',
      tag: TAG,
      operationId: 'getCreativeVideoAccess',
      summary: "A URL that plays a creative's video (seed 003)",
      description:
        "A benchmark's video plays for any signed-in caller; a client creative's private video for its owner (and the org's admins) only: anyone else gets 404, as for a creative that does not exist. Presigned URLs last an hour unless `ttlSec` says otherwise.",
      access: 'member',
      params: CreativeParams,
      query: AccessQuerySchema,
      response: { description: 'The URL and when it expires', schema: CreativeVideoAccessSchema },
      handle: ({ vbuckets, scope, actor, params, query }) =>
        vbuckets.market.get(scope, params.creativeId).andThen((creative) =>
          creative.videoId === null
            ? errAsync(notFoundError(`Creative ${creative.id} has no video`))
            : vbuckets.access
                .getVideoAccess(
                  actor,
                  creative.videoId,
                  query.ttlSec === undefined ? {} : { ttlSec: query.ttlSec },
                )
                .map((access) => ({
                  creativeId: creative.id,
                  creativeName: creative.name,
                  ...access,
                })),
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/creatives/:creativeId/performance',
      tag: TAG,
      operationId: 'recordCreativePerformance',
      summary: 'Adds results to a creative, once per Idempotency-Key',
      description:
        'Requires an `Idempotency-Key` header (1..200 characters): a retry with the same key adds nothing and answers `applied: false`. Crossing 5 conversions queues the analysis of a client creative once.',
      access: 'member',
      params: CreativeParams,
      body: PerformanceInputSchema,
      response: { description: 'The creative after the results', schema: PerformanceResultSchema },
      handle: ({ vbuckets, scope, params, body, request }) => {
        const idempotencyKey = request.get('idempotency-key');
        if (idempotencyKey === undefined || idempotencyKey.trim() === '') {
          return errAsync(
            validationError(
              'Send an Idempotency-Key header (any unique string per batch of results), so a retried request is counted once',
              { path: 'headers.idempotency-key' },
            ),
          );
        }
        return vbuckets.market.recordPerformance(scope, params.creativeId, body, {
          idempotencyKey,
        });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/creatives/:creativeId/force-analyze',
      tag: TAG,
      operationId: 'forceAnalyzeCreative',
      summary: "Runs a creative's vision analysis now, whatever the triggers say (admins)",
      access: 'admin',
      params: CreativeParams,
      response: { description: 'The creative with its analysis', schema: CreativeSchema },
      handle: ({ vbuckets, actor, params, signal }) =>
        actor === null
          ? errAsync(vbucketsError('UNAUTHENTICATED', 'Sign in first'))
          : vbuckets.market.forceAnalyze(actor, params.creativeId, { signal }),
    }),
    defineRoute({
      method: 'post',
      path: '/market/rank',
      tag: TAG,
      operationId: 'rankMarket',
      summary: 'Ranks creatives (or the values of one tag) by Thompson sampling',
      description:
        "Each arm's posterior mean, 95% interval, evidence and P(best) from `draws` Thompson draws; `seed` makes it reproducible. A POST because the query is a typed JSON document; it changes nothing.",
      access: 'member',
      body: RankQuerySchema,
      response: { description: 'The arms, most likely best first', schema: MarketRankingSchema },
      handle: ({ vbuckets, scope, body }) => vbuckets.market.rank(scope, body),
    }),
    defineRoute({
      method: 'post',
      path: '/market/choose',
      tag: TAG,
      operationId: 'chooseMarket',
      summary: 'The next n arms to produce: one Thompson draw per arm, the n highest',
      access: 'member',
      body: ChooseQuerySchema,
      response: { description: 'The chosen arms', schema: z.array(MarketArmSchema) },
      handle: ({ vbuckets, scope, body }) => vbuckets.market.choose(scope, body),
    }),
  ];
}
