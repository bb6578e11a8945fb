import { err, ok, type Result } from 'neverthrow';
import { type VBucketsError, validationError } from '../../errors';

/** What one engine charges: a price and credits per started block of video. */
export interface EnginePrice {
  /** US dollars per block. */
  usdPerBlock: number;
  /** Provider credits per block (a whole number). */
  creditsPerBlock: number;
  /** Seconds of video in one block (default 10). */
  blockSec?: number;
}

/** Prices by engine name (`runway_standard`, …). */
export type TaskPricing = Readonly<Record<string, EnginePrice>>;

/** Seconds in a block when an engine's price does not say. */
export const DEFAULT_BLOCK_SEC = 10;

/**
 * The prices the original system used (seed 002): `runway_standard` at $1.20 and 12 credits
 * per 10 s of video. Only engines with a known price are here; a table given in the settings
 * replaces this one (spread it to extend it).
 */
export const DEFAULT_TASK_PRICING: TaskPricing = Object.freeze({
  runway_standard: Object.freeze({ usdPerBlock: 1.2, creditsPerBlock: 12, blockSec: 10 }),
});

/** What a generation of `durationSec` seconds costs on one engine. */
export interface CostEstimate {
  engine: string;
  durationSec: number;
  /** Blocks billed: every started block counts whole (61 s at 10 s a block is 7). */
  blocks: number;
  blockSec: number;
  /** Dollars, rounded to the cent. */
  costUsd: number;
  credits: number;
}

/**
 * Prices a generation: the duration is billed in whole blocks, a partial block rounded up to
 * the next one (an estimate should never come in under the bill), so 60 s of
 * `runway_standard` is $7.20 and 72 credits and 61 s is $8.40 and 84. An engine missing from
 * the table is `VALIDATION` listing the priced ones.
 */
export function estimateTaskCost(
  pricing: TaskPricing,
  request: { engine: string; durationSec: number },
): Result<CostEstimate, VBucketsError> {
  const price = Object.hasOwn(pricing, request.engine) ? pricing[request.engine] : undefined;
  if (price === undefined) {
    const known = Object.keys(pricing).sort();
    return err(
      validationError(
        `Unknown engine "${request.engine}": priced engines are ${known.length === 0 ? 'none' : known.join(', ')}`,
        { path: 'engine', details: { engine: request.engine, knownEngines: known } },
      ),
    );
  }
  const blockSec = price.blockSec ?? DEFAULT_BLOCK_SEC;
  // A duration a hair over a block boundary from float arithmetic (60.000000001) is not a new block.
  const blocks = Math.ceil(Math.round((request.durationSec / blockSec) * 1e9) / 1e9);
  return ok({
    engine: request.engine,
    durationSec: request.durationSec,
    blocks,
    blockSec,
    costUsd: Math.round(blocks * price.usdPerBlock * 100) / 100,
    credits: blocks * price.creditsPerBlock,
  });
}
