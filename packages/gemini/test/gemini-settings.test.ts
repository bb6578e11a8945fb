import { isVBucketsError } from '@vbuckets/core';
import { describe, expect, it } from 'vitest';
import { createGemini, type GeminiSettings } from '../src/index';

function validationPath(settings: unknown): string | undefined {
  try {
    createGemini(settings as GeminiSettings);
  } catch (error) {
    if (isVBucketsError(error) && error.code === 'VALIDATION') return error.path;
    throw error;
  }
  return undefined;
}

describe('createGemini settings', () => {
  it('accepts no settings at all (the key is looked up at call time)', () => {
    const provider = createGemini();
    expect(provider.analyzer.provider).toBe('gemini');
    expect(provider.analyzer.mode).toBe('combined');
    expect(provider.analyzer.analyzeAndCategorize).toBeTypeOf('function');
    expect(provider.categorizer.provider).toBe('gemini');
    expect(provider.requestsPerMinute).toBeUndefined();
  });

  it('hands requestsPerMinute and burst on to the pipeline', () => {
    const provider = createGemini({ requestsPerMinute: 9, burst: 2 });
    expect(provider.requestsPerMinute).toBe(9);
    expect(provider.burst).toBe(2);
  });

  it.each([
    [{ colour: 'blue' }, ''],
    [{ uploadChunkBytes: 1_000_000 }, 'uploadChunkBytes'],
    [{ uploadChunkBytes: 0 }, 'uploadChunkBytes'],
    [{ pollIntervalMs: -1 }, 'pollIntervalMs'],
    [{ pollTimeoutMs: 1.5 }, 'pollTimeoutMs'],
    [{ mode: 'both' }, 'mode'],
    [{ baseURL: 'ftp://example.com' }, 'baseURL'],
    [{ apiKey: '' }, 'apiKey'],
    [{ sleep: 5 }, 'sleep'],
    [{ client: {} }, 'client'],
    [{ burst: 0 }, 'burst'],
  ])('refuses %j with VALIDATION naming the field', (settings, path) => {
    expect(validationPath(settings)).toBe(path);
  });

  it('takes an upload chunk size in multiples of 256 KiB', () => {
    expect(validationPath({ uploadChunkBytes: 512 * 1024 })).toBeUndefined();
  });
});
