import { isSettingsError } from '@vbuckets/core';
import type { VideoAnalysis } from '@vbuckets/core/adapter-kit';
import { describe, expect, it } from 'vitest';
import { createGemini, type GeminiSettings } from '../src/index';
import { makeBuckets, makeVideo } from './gemini-test-helpers';

const ANALYSIS: VideoAnalysis = {
  summary: 's',
  transcript: '',
  hook: '',
  topics: [],
  onScreenText: '',
  raw: {},
};

/** The `path` of the VALIDATION error a call answers, or undefined when the settings are fine. */
async function validationPath(settings: unknown): Promise<string | undefined> {
  // Throws nothing: bad settings are answered by every call (no request is sent).
  const provider = createGemini(settings as GeminiSettings);
  const answer = await provider.categorizer.categorize(ANALYSIS, []);
  if (answer.isOk()) return undefined;
  const error = answer.error;
  expect(error.code).toBe('VALIDATION');
  expect(isSettingsError(error)).toBe(true);
  expect(error).toMatchObject({ adapter: 'gemini', operation: 'categorizer.categorize' });
  return error.path;
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

  it("takes core's Infinity for no rate limit, as the pipeline's limiter does", () => {
    const provider = createGemini({ requestsPerMinute: Number.POSITIVE_INFINITY });
    expect(provider.requestsPerMinute).toBe(Number.POSITIVE_INFINITY);
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
  ])('refuses %j with VALIDATION naming the field, from every call', async (settings, path) => {
    expect(await validationPath(settings)).toBe(path);
  });

  it('takes an upload chunk size in multiples of 256 KiB', async () => {
    expect(await validationPath({ uploadChunkBytes: 512 * 1024 })).toBeUndefined();
  });

  it('answers the analyzer calls with the same VALIDATION error, naming each call', async () => {
    const { analyzer } = createGemini({ mode: 'both' } as unknown as GeminiSettings);
    const analysed = (await analyzer.analyze(makeVideo(new Uint8Array(10))))._unsafeUnwrapErr();
    expect(analysed).toMatchObject({ path: 'mode', operation: 'analyzer.analyze' });
    expect(analysed.message).toMatch(/^Invalid gemini settings\.mode: /u);
    const both = await analyzer.analyzeAndCategorize?.(
      makeVideo(new Uint8Array(10)),
      makeBuckets(),
    );
    expect(both?._unsafeUnwrapErr()).toMatchObject({
      path: 'mode',
      operation: 'analyzer.analyzeAndCategorize',
    });
  });
});
