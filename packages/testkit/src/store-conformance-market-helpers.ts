import type { Creative } from '@vbuckets/core';
import { expect } from 'vitest';
import { timestamp } from './builders';
import { expectOk } from './result-assertions';
import type { StoreConformanceContext } from './store-conformance-context';

export const range = (count: number) => Array.from({ length: count }, (_, index) => index);

/** A performance delta; impressions default to ten per click. */
export const delta = (clicks: number, conversions: number, impressions = clicks * 10) => ({
  impressions,
  clicks,
  conversions,
});

/** The options of a `recordPerformance` call: its idempotency key and time. */
export const event = (idempotencyKey: string, offset = 1) => ({
  idempotencyKey,
  at: timestamp(offset),
});

/** Inserts a creative that must be new, and returns it as stored. */
export async function insertNew(
  context: StoreConformanceContext,
  creative: Creative,
): Promise<Creative> {
  const { created, creative: inserted } = await expectOk(
    context.store().creatives.insert(creative),
  );
  expect(created).toBe(true);
  return inserted;
}
