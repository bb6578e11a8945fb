import { describe, expect, it } from 'vitest';
import {
  analysisStatusError,
  patternEvidenceError,
  performanceInputError,
} from '../../../src/domain/market/market-store-input';
import type { PatternEvidence, PatternKey } from '../../../src/ports/market-store';

const at = '2026-02-18T10:00:00.000Z';
const options = { idempotencyKey: 'event-1', at };
const key: PatternKey = {
  productCategory: 'fitness',
  dimension: 'hookType',
  value: 'question',
  source: 'client',
};
const evidence: PatternEvidence = {
  alpha: 2,
  beta: 8,
  clicks: 10,
  conversions: 2,
  weight: 1,
  marketLongevityDays: null,
};

describe('performanceInputError', () => {
  it('accepts zero and positive integer counts with conversions up to the clicks', () => {
    expect(performanceInputError({ impressions: 0, clicks: 0, conversions: 0 }, options)).toBe(
      undefined,
    );
    expect(performanceInputError({ impressions: 9, clicks: 3, conversions: 3 }, options)).toBe(
      undefined,
    );
  });

  it.each([
    [{ impressions: -1, clicks: 0, conversions: 0 }, options, 'impressions'],
    [{ impressions: 0, clicks: 1.5, conversions: 0 }, options, 'clicks'],
    [{ impressions: 0, clicks: 1, conversions: Number.NaN }, options, 'conversions'],
    [{ impressions: 0, clicks: 1, conversions: 2 }, options, 'conversions'],
    [
      { impressions: 0, clicks: 0, conversions: 0 },
      { ...options, idempotencyKey: '' },
      'idempotencyKey',
    ],
    [{ impressions: 0, clicks: 0, conversions: 0 }, { ...options, at: 'yesterday' }, 'at'],
  ])('refuses %j with %j naming %s', (delta, given, path) => {
    const error = performanceInputError(delta, given);
    expect(error?.code).toBe('VALIDATION');
    expect(error?.path).toBe(path);
  });
});

describe('analysisStatusError', () => {
  it('accepts every analysis status and names the field of anything else', () => {
    for (const status of ['none', 'queued', 'running', 'done', 'failed']) {
      expect(analysisStatusError(status, 'to')).toBe(undefined);
    }
    expect(analysisStatusError('finished', 'to')?.path).toBe('to');
  });
});

describe('patternEvidenceError', () => {
  it('accepts rows of non-negative evidence, and no rows at all', () => {
    expect(patternEvidenceError([{ id: 'p-1', key, evidence }], at)).toBe(undefined);
    expect(
      patternEvidenceError(
        [{ id: 'p-1', key, evidence: { ...evidence, weight: 0, marketLongevityDays: 30 } }],
        at,
      ),
    ).toBe(undefined);
    expect(patternEvidenceError([], at)).toBe(undefined);
  });

  it.each([
    [{ id: '', key, evidence }, 'rows.0.id'],
    [{ id: 'p', key: { ...key, dimension: 'colour' as never }, evidence }, 'rows.0.key.dimension'],
    [{ id: 'p', key: { ...key, source: 'rumour' as never }, evidence }, 'rows.0.key.source'],
    [{ id: 'p', key: { ...key, value: '' }, evidence }, 'rows.0.key.value'],
    [{ id: 'p', key, evidence: { ...evidence, alpha: -1 } }, 'rows.0.evidence.alpha'],
    [{ id: 'p', key, evidence: { ...evidence, beta: Infinity } }, 'rows.0.evidence.beta'],
    [{ id: 'p', key, evidence: { ...evidence, weight: -2 } }, 'rows.0.evidence.weight'],
    [
      { id: 'p', key, evidence: { ...evidence, marketLongevityDays: 0 } },
      'rows.0.evidence.marketLongevityDays',
    ],
  ])('refuses %j naming %s', (row, path) => {
    const error = patternEvidenceError([row], at);
    expect(error?.code).toBe('VALIDATION');
    expect(error?.path).toBe(path);
  });

  it('names the index of the bad row and checks the time', () => {
    const bad = { id: 'p-2', key, evidence: { ...evidence, clicks: -1 } };
    expect(patternEvidenceError([{ id: 'p-1', key, evidence }, bad], at)?.path).toBe(
      'rows.1.evidence.clicks',
    );
    expect(patternEvidenceError([], 'not a time')?.path).toBe('at');
  });
});
