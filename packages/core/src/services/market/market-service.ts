import { err, ok, okAsync, type Result } from 'neverthrow';
import { z } from 'zod';
import { decideAnalysis } from '../../domain/market/analysis-trigger';
import { createSeededRandom } from '../../domain/market/random';
import { notFoundError, type VBucketsError, vbucketsError } from '../../errors';
import type { StoreRepositories } from '../../ports/store';
import { type Actor, ActorSchema } from '../../schemas/actor';
import { IdSchema, type Scope } from '../../schemas/common';
import type { Creative } from '../../schemas/market';
import { isoNow } from '../iso-now';
import { jobIdOf } from '../jobs/job-kinds';
import { parseInput } from '../parse-input';
import { readScope, recordScope, writeScope } from '../scope';
import { contextRunner, fromAsync } from '../with-context';
import { runCreativeAnalysis } from './market-analysis';
import { type ArmInput, chooseArms, creativeArm, patternArms, rankArms } from './market-arms';
import { type MarketContext, patternRows, tagsOf } from './market-context';
import { findCreative } from './market-find-creative';
import {
  BenchmarkFieldsSchema,
  ChooseQuerySchema,
  ClientCreativeFieldsSchema,
  CreativeListFilterSchema,
  CreativeListPageSchema,
  PerformanceInputSchema,
  RankQuerySchema,
} from './market-input-schemas';
import { resolveMarketSettings } from './market-settings';
import type { CreativeVideoInput, MarketService, MarketServiceDependencies } from './market-types';

/** Arms a ranking reads at most: the creatives of one category, or its pattern values. */
const MAX_ARMS = 1000;
const SYSTEM_OWNER = 'system';

const VideoInputSchema = z.strictObject({
  filename: z.string().trim().min(1).max(255),
  body: z.custom<CreativeVideoInput['body']>((value) => typeof value === 'function', {
    message: 'must be a function that opens the bytes',
  }),
  mimeType: z.string().min(1).max(200).optional(),
  probePath: z.string().min(1).optional(),
});

const oneVideo = (input: { video?: unknown; videoId?: unknown }) =>
  input.video === undefined || input.videoId === undefined;
const ONE_VIDEO = { message: 'Give video or videoId, not both', path: ['videoId'] };

const BenchmarkSchema = BenchmarkFieldsSchema.extend({ video: VideoInputSchema.optional() }).refine(
  oneVideo,
  ONE_VIDEO,
);

const ClientCreativeSchema = ClientCreativeFieldsSchema.extend({
  video: VideoInputSchema.optional(),
}).refine(oneVideo, ONE_VIDEO);

const PerformanceOptionsSchema = z.strictObject({
  idempotencyKey: z.string().trim().min(1).max(200),
});

/** A creative as people name it: an id, its start, or `latest`. */
const ReferenceSchema = z.strictObject({
  reference: z.string().trim().min(1, 'Give a creative id, the start of one, or "latest"').max(200),
});

/**
 * Queues the analysis an ingest or a crossing just queued in the store, as a job named by the creative and
 * the moment it was queued (a later re-queue is a new job). A failed enqueue is a warning, not
 * a failure: the recorded performance stands, and `jobs.recover` queues it from the store.
 */
function queueAnalysis<Outcome extends { creative: Creative }>(
  context: MarketContext,
  result: Outcome,
  queued: boolean,
) {
  const jobs = context.jobs;
  if (!queued || jobs === undefined) return okAsync(result);
  const { creative } = result;
  return jobs(
    'market.analyze',
    { orgId: creative.orgId, creativeId: creative.id },
    { jobId: jobIdOf(creative.orgId, creative.id, creative.updatedAt) },
  )
    .map(() => result)
    .orElse((error) => {
      context.onWarning?.(error);
      return okAsync(result);
    });
}

export function createMarketService(
  dependencies: Omit<MarketContext, 'rules' | 'conversionThreshold' | 'adminRole' | 'random'> &
    Pick<MarketServiceDependencies, 'settings'>,
): MarketService {
  // Bad settings are reported by every call rather than thrown from the constructor.
  const built: Result<MarketContext, VBucketsError> = resolveMarketSettings(
    dependencies.settings,
  ).map((resolved) => ({ ...dependencies, ...resolved }));
  const withContext = contextRunner(built);

  return {
    ingestBenchmark: (scopeInput, input) =>
      withContext((context) =>
        writeScope(scopeInput)
          .andThen((scope) =>
            parseInput(BenchmarkSchema, input, 'benchmark').map((parsed) => ({ scope, parsed })),
          )
          .asyncAndThen(({ scope, parsed }) =>
            fromAsync(() => ingestBenchmark(context, scope, parsed)),
          )
          .andThen((result) =>
            queueAnalysis(
              context,
              result,
              result.created && result.creative.analysisStatus === 'queued',
            ),
          ),
      ),

    addClientCreative: (actorInput, input) =>
      withContext((context) =>
        parseInput(ActorSchema, actorInput, 'actor')
          .andThen((actor) =>
            parseInput(ClientCreativeSchema, input, 'creative').map((parsed) => ({
              actor,
              parsed,
            })),
          )
          .asyncAndThen(({ actor, parsed }) =>
            fromAsync(() => addClientCreative(context, actor, parsed)),
          ),
      ),

    recordPerformance: (scopeInput, creativeId, performance, options) =>
      withContext((context) =>
        writeScope(scopeInput)
          .andThen((scope) =>
            parseInput(IdSchema, creativeId, 'creativeId').andThen((id) =>
              parseInput(PerformanceInputSchema, performance, 'performance').andThen((delta) =>
                parseInput(PerformanceOptionsSchema, options, 'options').map((parsed) => ({
                  scope,
                  id,
                  delta,
                  key: parsed.idempotencyKey,
                })),
              ),
            ),
          )
          .asyncAndThen(({ scope, id, delta, key }) =>
            fromAsync(() => recordPerformance(context, scope, id, delta, key)),
          )
          .andThen((result) => queueAnalysis(context, result, result.analysisQueued)),
      ),

    get: (scopeInput, creativeId) =>
      withContext((context) =>
        readScope(scopeInput)
          .andThen((scope) =>
            parseInput(IdSchema, creativeId, 'creativeId').map((id) => ({ scope, id })),
          )
          .asyncAndThen(({ scope, id }) => context.store.creatives.get(scope, id)),
      ),

    findCreative: (scopeInput, reference) =>
      withContext((context) =>
        recordScope(scopeInput)
          .andThen((scope) =>
            parseInput(ReferenceSchema, { reference }, 'creative reference').map((parsed) => ({
              scope,
              wanted: parsed.reference,
            })),
          )
          .asyncAndThen(({ scope, wanted }) =>
            fromAsync(() => findCreative(context, scope, wanted)),
          ),
      ),

    list: (scopeInput, filter = {}, page = {}) =>
      withContext((context) =>
        readScope(scopeInput)
          .andThen((scope) =>
            parseInput(CreativeListFilterSchema, filter, 'filter').andThen((parsedFilter) =>
              parseInput(CreativeListPageSchema, page, 'page').map((parsedPage) => ({
                scope,
                parsedFilter,
                parsedPage,
              })),
            ),
          )
          .asyncAndThen(({ scope, parsedFilter, parsedPage }) =>
            context.store.creatives.list(scope, parsedFilter, parsedPage),
          ),
      ),

    analyze: (scopeInput, creativeId, options = {}) =>
      withContext((context) =>
        writeScope(scopeInput)
          .andThen((scope) =>
            parseInput(IdSchema, creativeId, 'creativeId').map((id) => ({ scope, id })),
          )
          .asyncAndThen(({ scope, id }) =>
            fromAsync(() =>
              runCreativeAnalysis(context, scope, id, {
                from:
                  options.resumeRunning === true
                    ? ['queued', 'failed', 'running']
                    : ['queued', 'failed'],
                ...(options.signal === undefined ? {} : { signal: options.signal }),
              }),
            ),
          ),
      ),

    forceAnalyze: (actorInput, creativeId, options = {}) =>
      withContext((context) =>
        parseInput(ActorSchema, actorInput, 'actor')
          .andThen((actor) =>
            parseInput(IdSchema, creativeId, 'creativeId').andThen((id) =>
              actor.roles.includes(context.adminRole)
                ? ok({ actor, id })
                : err(
                    vbucketsError('FORBIDDEN', 'Only an admin may force an analysis', {
                      details: { role: context.adminRole },
                    }),
                  ),
            ),
          )
          .asyncAndThen(({ actor, id }) =>
            fromAsync(() =>
              runCreativeAnalysis(context, { orgId: actor.orgId }, id, {
                from: ['none', 'queued', 'done', 'failed'],
                ...options,
              }),
            ),
          ),
      ),

    rank: (scopeInput, query) =>
      withContext((context) =>
        readScope(scopeInput)
          .andThen((scope) =>
            parseInput(RankQuerySchema, query, 'rank query').map((parsed) => ({ scope, parsed })),
          )
          .asyncAndThen(({ scope, parsed }) =>
            fromAsync(async () => {
              const arms = await armInputs(context, scope, parsed);
              if (arms.isErr()) return err(arms.error);
              const random =
                parsed.seed === undefined ? context.random : createSeededRandom(parsed.seed);
              return rankArms(arms.value, parsed.draws, random).map((ranked) => ({
                productCategory: parsed.productCategory,
                dimension: parsed.dimension ?? null,
                draws: parsed.draws,
                arms: ranked,
              }));
            }),
          ),
      ),

    choose: (scopeInput, query) =>
      withContext((context) =>
        readScope(scopeInput)
          .andThen((scope) =>
            parseInput(ChooseQuerySchema, query, 'choose query').map((parsed) => ({
              scope,
              parsed,
            })),
          )
          .asyncAndThen(({ scope, parsed }) =>
            fromAsync(async () => {
              const arms = await armInputs(context, scope, parsed);
              if (arms.isErr()) return err(arms.error);
              const random =
                parsed.seed === undefined ? context.random : createSeededRandom(parsed.seed);
              // P(best) is not needed to choose: rank with no draws, then one draw per arm.
              return rankArms(arms.value, 0, random).map((ranked) =>
                chooseArms(ranked, parsed.n, random),
              );
            }),
          ),
      ),
  };
}

type ParsedBenchmark = z.infer<typeof BenchmarkSchema>;
type ParsedClientCreative = z.infer<typeof ClientCreativeSchema>;

/** Registers the given bytes (or checks the given id) and returns the video id, or null. */
async function creativeVideo(
  context: MarketContext,
  scope: Scope,
  input: { video?: ParsedClientCreative['video']; videoId?: string; productCategory: string },
  owner: { ownerId: string; visibility: 'public' | 'private' },
): Promise<Result<string | null, VBucketsError>> {
  if (input.videoId !== undefined) {
    return (await context.store.videos.get(scope, input.videoId)).map((video) => video.id);
  }
  if (input.video === undefined) return ok(null);
  const registered = await context.videos.register(scope, {
    ...input.video,
    ownerId: owner.ownerId,
    visibility: owner.visibility,
    ...(owner.visibility === 'public' ? { productCategory: input.productCategory } : {}),
  });
  return registered.map(({ video }) => video.id);
}

function newCreative(
  context: MarketContext,
  scope: Scope,
  input: ParsedClientCreative,
  fields: Pick<
    Creative,
    | 'ownerId'
    | 'source'
    | 'isPublic'
    | 'videoId'
    | 'sourceUrl'
    | 'marketCvr'
    | 'marketLongevityDays'
    | 'avgDailyClicks'
    | 'analysisStatus'
  >,
): Creative {
  const now = isoNow(context.clock);
  return {
    id: context.ids.next(),
    orgId: scope.orgId,
    name: input.name,
    productCategory: input.productCategory,
    sourcePlatform: input.sourcePlatform ?? null,
    hookType: input.hookType ?? null,
    emotion: input.emotion ?? null,
    pacing: input.pacing ?? null,
    targetAudiencePain: input.targetAudiencePain ?? null,
    extraTags: [...new Set(input.tags ?? [])],
    impressions: 0,
    clicks: 0,
    conversions: 0,
    analysis: null,
    analysisError: null,
    analyzedAt: null,
    createdAt: now,
    updatedAt: now,
    ...fields,
  };
}

async function ingestBenchmark(
  context: MarketContext,
  scope: Scope,
  input: ParsedBenchmark,
): Promise<Result<{ creative: Creative; created: boolean }, VBucketsError>> {
  const ownerId = input.ownerId ?? SYSTEM_OWNER;
  const draft = newCreative(context, scope, input, {
    ownerId,
    source: 'benchmark',
    isPublic: true,
    videoId: null,
    sourceUrl: input.sourceUrl ?? null,
    marketCvr: input.marketCvr,
    marketLongevityDays: input.marketLongevityDays,
    avgDailyClicks: input.avgDailyClicks,
    // Seed 003: a benchmark is analysed as soon as it arrives.
    analysisStatus: 'queued',
  });
  // The prior is checked before anything is stored.
  const rows = patternRows(context, draft, tagsOf(draft), 'prior');
  if (rows.isErr()) return err(rows.error);
  const videoId = await creativeVideo(context, scope, input, { ownerId, visibility: 'public' });
  if (videoId.isErr()) return err(videoId.error);
  const creative = { ...draft, videoId: videoId.value };
  return context.store.transaction((tx) =>
    tx.creatives
      .insert(creative)
      .andThen((inserted) =>
        inserted.created
          ? tx.patterns.addEvidence(scope, rows.value, creative.createdAt).map(() => inserted)
          : ok(inserted),
      ),
  );
}

async function addClientCreative(
  context: MarketContext,
  actor: Actor,
  input: ParsedClientCreative,
): Promise<Result<Creative, VBucketsError>> {
  const scope = { orgId: actor.orgId };
  const videoId = await creativeVideo(context, scope, input, {
    ownerId: actor.userId,
    visibility: 'private',
  });
  if (videoId.isErr()) return err(videoId.error);
  const creative = newCreative(context, scope, input, {
    ownerId: actor.userId,
    source: 'client',
    isPublic: false,
    videoId: videoId.value,
    sourceUrl: null,
    marketCvr: null,
    marketLongevityDays: null,
    avgDailyClicks: null,
    analysisStatus: 'none',
  });
  return context.store.creatives.insert(creative).map((inserted) => inserted.creative);
}

async function recordPerformance(
  context: MarketContext,
  scope: Scope,
  id: string,
  delta: z.infer<typeof PerformanceInputSchema>,
  idempotencyKey: string,
): Promise<
  Result<{ creative: Creative; applied: boolean; analysisQueued: boolean }, VBucketsError>
> {
  const at = isoNow(context.clock);
  return context.store.transaction((tx: StoreRepositories) =>
    tx.creatives
      .recordPerformance(
        scope,
        id,
        {
          impressions: delta.impressions ?? 0,
          clicks: delta.clicks,
          conversions: delta.conversions,
        },
        { idempotencyKey, at },
      )
      .andThen((record) => {
        if (!record.applied) {
          return ok({ creative: record.creative, applied: false, analysisQueued: false });
        }
        const rows = patternRows(context, record.creative, tagsOf(record.creative), delta);
        if (rows.isErr()) return err(rows.error);
        const crossed =
          record.creative.source === 'client' &&
          record.conversionsBefore < context.conversionThreshold &&
          record.creative.conversions >= context.conversionThreshold;
        const wanted = crossed
          ? decideAnalysis(record.creative, { conversionThreshold: context.conversionThreshold })
          : ok({ analyze: false, reason: 'below-threshold' as const });
        if (wanted.isErr()) return err(wanted.error);
        return tx.patterns.addEvidence(scope, rows.value, at).andThen(() =>
          wanted.value.analyze
            ? // Of two increments crossing together only one saw the crossing; the conditional
              // move from `none` keeps a re-queue after an analysis from happening twice.
              tx.creatives
                .transitionAnalysis(scope, id, { from: ['none'], to: 'queued', updatedAt: at })
                .map((queued) => ({
                  creative: queued ?? record.creative,
                  applied: true,
                  analysisQueued: queued !== null,
                }))
            : ok({ creative: record.creative, applied: true, analysisQueued: false }),
        );
      }),
  );
}

/** The arms of a ranking: the category's creatives, or the values of one dimension. */
async function armInputs(
  context: MarketContext,
  scope: Scope,
  query: Pick<z.infer<typeof RankQuerySchema>, 'productCategory' | 'dimension' | 'source'>,
): Promise<Result<ArmInput[], VBucketsError>> {
  if (query.dimension !== undefined) {
    const rows = await context.store.patterns.list(scope, {
      productCategory: query.productCategory,
      dimension: query.dimension,
      includePublic: true,
      ...(query.source === undefined ? {} : { source: query.source }),
    });
    if (rows.isErr()) return err(rows.error);
    const arms = patternArms(rows.value, query.dimension);
    return arms.length === 0
      ? err(noArms(query.productCategory, `no ${query.dimension} values`))
      : ok(arms.slice(0, MAX_ARMS));
  }
  const creatives = await context.store.creatives.list(
    scope,
    {
      productCategory: query.productCategory,
      includePublic: true,
      ...(query.source === undefined ? {} : { source: query.source }),
    },
    { limit: MAX_ARMS },
  );
  if (creatives.isErr()) return err(creatives.error);
  if (creatives.value.length === 0) return err(noArms(query.productCategory, 'no creatives'));
  const arms: ArmInput[] = [];
  for (const creative of creatives.value) {
    const arm = creativeArm(creative, context.rules, query.source);
    if (arm.isErr()) return err(arm.error);
    arms.push(arm.value);
  }
  return ok(arms);
}

function noArms(productCategory: string, what: string): VBucketsError {
  return notFoundError(
    `Category "${productCategory}" has ${what} to rank yet: ingest a benchmark or add a creative first`,
    { details: { productCategory } },
  );
}
