import { err, ok, type Result } from 'neverthrow';
import { analysisStatusError, performanceInputError } from '../domain/market/market-store-input';
import { conflictError, notFoundError, type VBucketsError, withErrorSource } from '../errors';
import type { CreativePatch, CreativeRepository } from '../ports/market-store';
import type { Scope } from '../schemas/common';
import type { Creative } from '../schemas/market';
import type { MemoryStoreAccess } from './memory-store-access';
import {
  applyPatch,
  compareText,
  compareTimestamps,
  copyJsonObject,
  type MemoryStoreState,
  ownedBy,
  pageOf,
} from './memory-store-state';

const PATCHABLE: ReadonlyArray<keyof CreativePatch> = [
  'name',
  'isPublic',
  'videoId',
  'hookType',
  'emotion',
  'pacing',
  'targetAudiencePain',
  'extraTags',
  'analysisStatus',
  'analysis',
  'analysisError',
  'analyzedAt',
  'updatedAt',
];

export function copyCreative(creative: Creative): Creative {
  return {
    id: creative.id,
    orgId: creative.orgId,
    ownerId: creative.ownerId,
    name: creative.name,
    productCategory: creative.productCategory,
    source: creative.source,
    isPublic: creative.isPublic,
    videoId: creative.videoId,
    sourcePlatform: creative.sourcePlatform,
    sourceUrl: creative.sourceUrl,
    marketCvr: creative.marketCvr,
    marketLongevityDays: creative.marketLongevityDays,
    avgDailyClicks: creative.avgDailyClicks,
    hookType: creative.hookType,
    emotion: creative.emotion,
    pacing: creative.pacing,
    targetAudiencePain: creative.targetAudiencePain,
    extraTags: [...creative.extraTags],
    impressions: creative.impressions,
    clicks: creative.clicks,
    conversions: creative.conversions,
    analysisStatus: creative.analysisStatus,
    analysis: copyJsonObject(creative.analysis),
    analysisError: creative.analysisError,
    analyzedAt: creative.analyzedAt,
    createdAt: creative.createdAt,
    updatedAt: creative.updatedAt,
  };
}

const creativeNotFound = (id: string, operation: string) =>
  notFoundError(`No creative "${id}"`, {
    adapter: 'memory',
    operation,
    details: { entity: 'creative', id },
  });

/** A public benchmark: what every org may list (`CreativeFilter.includePublic`). */
const isPublicBenchmark = (creative: Creative) =>
  creative.isPublic && creative.source === 'benchmark';

/** The slot of an applied idempotency key, as the SQL primary key (org_id, creative_id, key). */
const performanceKeySlot = (orgId: string, creativeId: string, key: string) =>
  JSON.stringify([orgId, creativeId, key]);

function ownedCreative(
  state: MemoryStoreState,
  scope: Scope,
  id: string,
  operation: string,
): Result<Creative, VBucketsError> {
  const creative = state.creatives.get(id);
  return creative !== undefined && ownedBy(scope, creative)
    ? ok(creative)
    : err(creativeNotFound(id, operation));
}

/** Creatives in memory; each method is one synchronous step, so conditional writes are atomic. */
export function createMemoryCreativeRepository(access: MemoryStoreAccess): CreativeRepository {
  return {
    // The org's creative of this source URL wins over the id check, as the SQL insert's
    // ON CONFLICT (org_id, source_url) DO NOTHING decides before the primary key does.
    insert: (creative) =>
      access.write((state) => {
        if (creative.sourceUrl !== null) {
          for (const existing of state.creatives.values()) {
            if (existing.orgId === creative.orgId && existing.sourceUrl === creative.sourceUrl) {
              return ok({ creative: copyCreative(existing), created: false });
            }
          }
        }
        if (state.creatives.has(creative.id)) {
          return err(
            conflictError(`A creative with id "${creative.id}" already exists`, {
              adapter: 'memory',
              operation: 'creatives.insert',
              details: { id: creative.id },
            }),
          );
        }
        const stored = copyCreative(creative);
        state.creatives.set(stored.id, stored);
        return ok({ creative: copyCreative(stored), created: true });
      }),

    get: (scope, id) =>
      access.read((state) => {
        const creative = state.creatives.get(id);
        return creative !== undefined && (ownedBy(scope, creative) || creative.isPublic)
          ? ok(copyCreative(creative))
          : err(creativeNotFound(id, 'creatives.get'));
      }),

    list: (scope, filter = {}, page = undefined) =>
      access.read((state) => {
        const creatives = [...state.creatives.values()]
          .filter(
            (creative) =>
              (ownedBy(scope, creative) ||
                (filter.includePublic === true && isPublicBenchmark(creative))) &&
              (filter.productCategory === undefined ||
                creative.productCategory === filter.productCategory) &&
              (filter.source === undefined || creative.source === filter.source),
          )
          .sort(
            (left, right) =>
              compareTimestamps(right.createdAt, left.createdAt) || compareText(left.id, right.id),
          );
        return pageOf(creatives, page, 'creatives.list').map((found) => found.map(copyCreative));
      }),

    update: (scope, id, patch) =>
      access.write((state) =>
        ownedCreative(state, scope, id, 'creatives.update').map((current) => {
          const next = copyCreative(applyPatch(current, patch, PATCHABLE));
          state.creatives.set(id, next);
          return copyCreative(next);
        }),
      ),

    transitionAnalysis: (scope, id, change) =>
      access.write((state) => {
        const invalid = analysisStatusError(change.to, 'to');
        if (invalid !== undefined) {
          return err(
            withErrorSource(invalid, {
              adapter: 'memory',
              operation: 'creatives.transitionAnalysis',
            }),
          );
        }
        return ownedCreative(state, scope, id, 'creatives.transitionAnalysis').map((current) => {
          if (!change.from.includes(current.analysisStatus)) return null;
          const patched = applyPatch(current, change.patch ?? {}, PATCHABLE);
          const next = copyCreative({
            ...patched,
            analysisStatus: change.to,
            updatedAt: change.updatedAt,
          });
          state.creatives.set(id, next);
          return copyCreative(next);
        });
      }),

    recordPerformance: (scope, id, delta, options) =>
      access.write((state) => {
        const invalid = performanceInputError(delta, options);
        if (invalid !== undefined) {
          return err(
            withErrorSource(invalid, {
              adapter: 'memory',
              operation: 'creatives.recordPerformance',
            }),
          );
        }
        return ownedCreative(state, scope, id, 'creatives.recordPerformance').map((current) => {
          const slot = performanceKeySlot(scope.orgId, id, options.idempotencyKey);
          if (state.creativePerformanceKeys.has(slot)) {
            return {
              creative: copyCreative(current),
              applied: false,
              conversionsBefore: current.conversions,
            };
          }
          const next = copyCreative({
            ...current,
            impressions: current.impressions + delta.impressions,
            clicks: current.clicks + delta.clicks,
            conversions: current.conversions + delta.conversions,
            updatedAt: options.at,
          });
          state.creatives.set(id, next);
          state.creativePerformanceKeys.set(slot, options.at);
          return {
            creative: copyCreative(next),
            applied: true,
            conversionsBefore: current.conversions,
          };
        });
      }),
  };
}
