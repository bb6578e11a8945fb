import { err, ok } from 'neverthrow';
import { patternEvidenceError } from '../domain/market/market-store-input';
import { conflictError, withErrorSource } from '../errors';
import type { PatternKey, PatternPerformanceRepository } from '../ports/market-store';
import type { PatternPerformance } from '../schemas/market';
import type { MemoryStoreAccess } from './memory-store-access';
import { compareText, ownedBy } from './memory-store-state';

export function copyPattern(pattern: PatternPerformance): PatternPerformance {
  return {
    id: pattern.id,
    orgId: pattern.orgId,
    productCategory: pattern.productCategory,
    dimension: pattern.dimension,
    value: pattern.value,
    source: pattern.source,
    weight: pattern.weight,
    alpha: pattern.alpha,
    beta: pattern.beta,
    clicks: pattern.clicks,
    conversions: pattern.conversions,
    marketLongevityDays: pattern.marketLongevityDays,
    updatedAt: pattern.updatedAt,
  };
}

/** Where a row lives: the SQL unique key (org_id, product_category, dimension, value, source). */
const patternSlot = (orgId: string, key: PatternKey) =>
  JSON.stringify([orgId, key.productCategory, key.dimension, key.value, key.source]);

/** The longer of two market runs, a missing one counting as none. */
function longest(left: number | null, right: number | null): number | null {
  if (left === null) return right;
  if (right === null) return left;
  return right > left ? right : left;
}

/** Pattern rows in memory; `addEvidence` checks and plans every row before it writes any. */
export function createMemoryPatternRepository(
  access: MemoryStoreAccess,
): PatternPerformanceRepository {
  return {
    addEvidence: (scope, rows, at) =>
      access.write((state) => {
        const invalid = patternEvidenceError(rows, at);
        if (invalid !== undefined) {
          return err(
            withErrorSource(invalid, { adapter: 'memory', operation: 'patterns.addEvidence' }),
          );
        }
        const bySlot = new Map<string, PatternPerformance>();
        for (const pattern of state.patterns.values()) {
          bySlot.set(patternSlot(pattern.orgId, pattern), pattern);
        }
        const changed = new Map<string, PatternPerformance>();
        for (const { key, evidence, id } of rows) {
          const slot = patternSlot(scope.orgId, key);
          const current = bySlot.get(slot);
          let next: PatternPerformance;
          if (current === undefined) {
            if (state.patterns.has(id) || changed.has(id)) {
              return err(
                conflictError(`A pattern row with id "${id}" already exists`, {
                  adapter: 'memory',
                  operation: 'patterns.addEvidence',
                  details: { id },
                }),
              );
            }
            next = {
              id,
              orgId: scope.orgId,
              productCategory: key.productCategory,
              dimension: key.dimension,
              value: key.value,
              source: key.source,
              weight: evidence.weight,
              alpha: 1 + evidence.alpha,
              beta: 1 + evidence.beta,
              clicks: evidence.clicks,
              conversions: evidence.conversions,
              marketLongevityDays: evidence.marketLongevityDays,
              updatedAt: at,
            };
          } else {
            next = {
              ...current,
              weight: evidence.weight,
              alpha: current.alpha + evidence.alpha,
              beta: current.beta + evidence.beta,
              clicks: current.clicks + evidence.clicks,
              conversions: current.conversions + evidence.conversions,
              marketLongevityDays: longest(
                current.marketLongevityDays,
                evidence.marketLongevityDays,
              ),
              updatedAt: at,
            };
          }
          bySlot.set(slot, next);
          changed.set(next.id, next);
        }
        for (const pattern of changed.values())
          state.patterns.set(pattern.id, copyPattern(pattern));
        return ok(undefined);
      }),

    list: (scope, filter) =>
      access.read((state) =>
        ok(
          [...state.patterns.values()]
            .filter(
              (pattern) =>
                (ownedBy(scope, pattern) ||
                  (filter.includePublic === true && pattern.source === 'benchmark')) &&
                pattern.productCategory === filter.productCategory &&
                (filter.dimension === undefined || pattern.dimension === filter.dimension) &&
                (filter.source === undefined || pattern.source === filter.source),
            )
            .sort(
              (left, right) =>
                compareText(left.dimension, right.dimension) ||
                compareText(left.value, right.value) ||
                compareText(left.source, right.source) ||
                compareText(left.orgId, right.orgId),
            )
            .map(copyPattern),
        ),
      ),
  };
}
