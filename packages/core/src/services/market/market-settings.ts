import type { Result } from 'neverthrow';
import { z } from 'zod';
import { DEFAULT_EVIDENCE_WEIGHTS } from '../../domain/market/evidence-weights';
import { DEFAULT_MAX_PRIOR_CLICKS } from '../../domain/market/market-prior';
import type { RandomSource } from '../../domain/market/random';
import type { VBucketsError } from '../../errors';
import { parseInput } from '../parse-input';
import type { EvidenceRules } from './market-arms';
import type { MarketSettings } from './market-types';

const SettingsSchema = z.strictObject({
  maxPriorClicks: z.number().nonnegative().optional(),
  weights: z
    .strictObject({
      benchmark: z.number().nonnegative().finite().optional(),
      client: z.number().nonnegative().finite().optional(),
    })
    .optional(),
  conversionThreshold: z.number().int().min(1).optional(),
  adminRole: z.string().min(1).optional(),
  random: z.custom<RandomSource>((value) => typeof value === 'function').optional(),
});

/** The market settings checked, with their defaults. */
export interface ResolvedMarketSettings {
  rules: EvidenceRules;
  conversionThreshold: number;
  adminRole: string;
  random: RandomSource;
}

/**
 * The market settings with their defaults, or the VALIDATION error naming the bad one. Shared
 * by the market service and `vb.insights`, which ranks with the same weights and randomness.
 */
export function resolveMarketSettings(
  settings: MarketSettings | undefined,
): Result<ResolvedMarketSettings, VBucketsError> {
  return parseInput(SettingsSchema, settings ?? {}, 'market settings').map((parsed) => ({
    rules: {
      maxPriorClicks: parsed.maxPriorClicks ?? DEFAULT_MAX_PRIOR_CLICKS,
      weights: { ...DEFAULT_EVIDENCE_WEIGHTS, ...parsed.weights },
    },
    conversionThreshold: parsed.conversionThreshold ?? 5,
    adminRole: parsed.adminRole ?? 'admin',
    random: parsed.random ?? Math.random,
  }));
}
