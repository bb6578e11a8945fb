import type { VBucketsError } from '@vbuckets/core';
import {
  expectErrorCode,
  expectOk,
  type FakeGeminiServer,
  startFakeGeminiServer,
} from '@vbuckets/testkit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createGemini, type GeminiSettings } from '../src/index';
import {
  makeBuckets,
  makeVideo,
  patternBytes,
  type RecordingSleep,
  recordingSleep,
} from './gemini-test-helpers';

let server: FakeGeminiServer;
let sleeper: RecordingSleep;

beforeEach(async () => {
  server = await startFakeGeminiServer({ bucketsByFilename: { 'clip.mp4': 'Gut Health' } });
  sleeper = recordingSleep();
});
afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await server.close();
});

function gemini(settings: GeminiSettings = {}) {
  return createGemini({
    apiKey: server.apiKey,
    baseURL: server.baseUrl,
    sleep: sleeper.sleep,
    clock: sleeper.clock,
    ...settings,
  });
}

function categorizeOnce(settings: GeminiSettings = {}, signal?: AbortSignal) {
  return gemini(settings).analyzer.analyzeAndCategorize!(
    makeVideo(patternBytes(2000)),
    makeBuckets(),
    signal === undefined ? undefined : { signal },
  );
}

/** The one uploaded file was deleted with a DELETE of its name. */
function expectRemoteFileDeleted() {
  const files = [...server.files.values()];
  expect(files).toHaveLength(1);
  expect(server.liveFiles()).toEqual([]);
  expect(server.requestsTo('file-delete').map((request) => request.path)).toEqual([
    `/v1beta/${files[0]!.name}`,
  ]);
}

describe('file state polling', () => {
  it('polls every 3 s by default until the file is ACTIVE', async () => {
    server.switches.processingPolls = 2;
    await expectOk(categorizeOnce());
    expect(sleeper.waits).toEqual([3000, 3000, 3000]);
    expect(server.requestsTo('file-get')).toHaveLength(3);
    expectRemoteFileDeleted();
  });

  it('polls at the configured interval', async () => {
    server.switches.processingPolls = 1;
    await expectOk(categorizeOnce({ pollIntervalMs: 500 }));
    expect(sleeper.waits).toEqual([500, 500]);
  });

  it('fails with the reason when the file ends FAILED, without analysing, and deletes it', async () => {
    server.switches.fileOutcome = { state: 'FAILED', message: 'Unsupported video codec' };
    const error = await expectErrorCode(categorizeOnce(), 'PROVIDER');
    expect(error.message).toMatch(
      /^Gemini could not process "clip.mp4" \(files\/\w+ is FAILED\): Unsupported video codec$/,
    );
    expect(error.retryable).toBe(false);
    expect(server.requestsTo('generate-content')).toHaveLength(0);
    expectRemoteFileDeleted();
  });

  it('gives up after 180 s by default while the file is still PROCESSING, and deletes it', async () => {
    server.switches.processingPolls = Number.POSITIVE_INFINITY;
    const error = await expectErrorCode(categorizeOnce(), 'PROVIDER');
    expect(error.message).toMatch(/still PROCESSING after 180 s/);
    expect(error.retryable).toBe(true);
    expect(sleeper.waits).toHaveLength(60);
    expect(sleeper.waits.reduce((sum, wait) => sum + wait, 0)).toBe(180_000);
    expect(server.requestsTo('generate-content')).toHaveLength(0);
    expectRemoteFileDeleted();
  });

  it('honours a configured poll timeout, never sleeping past it', async () => {
    server.switches.processingPolls = Number.POSITIVE_INFINITY;
    const error = await expectErrorCode(categorizeOnce({ pollTimeoutMs: 10_000 }), 'PROVIDER');
    expect(error.message).toMatch(/still PROCESSING after 10 s/);
    expect(sleeper.waits).toEqual([3000, 3000, 3000, 1000]);
    expectRemoteFileDeleted();
  });

  it('reports a 5xx while polling as a retryable PROVIDER error and deletes the file', async () => {
    server.enqueue('file-get', { type: 'server-error', status: 500 });
    const error = await expectErrorCode(categorizeOnce(), 'PROVIDER');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(
      /Checking the state of files\/\w+ \("clip.mp4"\) failed \(Gemini answered HTTP 500 INTERNAL\)/,
    );
    expectRemoteFileDeleted();
  });
});

describe('authentication', () => {
  it('maps a key the server refuses to UNAUTHENTICATED', async () => {
    const error = await expectErrorCode(
      categorizeOnce({ apiKey: 'not-the-key' }),
      'UNAUTHENTICATED',
    );
    expect(error.message).toContain('API key not valid');
    expect(error.retryable).toBe(false);
    expect(server.files.size).toBe(0);
  });

  it('maps a key refused by the SDK calls to UNAUTHENTICATED too', async () => {
    server.enqueue('generate-content', {
      type: 'error',
      status: 400,
      message: 'API key expired. Please renew the API key.',
      details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }],
    });
    await expectErrorCode(categorizeOnce(), 'UNAUTHENTICATED');
    expectRemoteFileDeleted();
  });

  it('fails each call with UNAUTHENTICATED naming GEMINI_API_KEY when no key is set', async () => {
    vi.stubEnv('GEMINI_API_KEY', '');
    vi.stubEnv('GOOGLE_API_KEY', '');
    const { analyzer, categorizer } = createGemini({ baseURL: server.baseUrl });
    const error = await expectErrorCode(
      analyzer.analyze(makeVideo(patternBytes(10))),
      'UNAUTHENTICATED',
    );
    expect(error.message).toContain('GEMINI_API_KEY');
    await expectErrorCode(
      categorizer.categorize(
        { summary: 's', transcript: '', hook: '', topics: [], onScreenText: '', raw: {} },
        makeBuckets(),
      ),
      'UNAUTHENTICATED',
    );
    expect(server.requests).toHaveLength(0);
  });

  it.each(['GEMINI_API_KEY', 'GOOGLE_API_KEY'])(
    'reads the key from %s at call time',
    async (name) => {
      vi.stubEnv('GEMINI_API_KEY', '');
      vi.stubEnv('GOOGLE_API_KEY', '');
      const { analyzer } = createGemini({
        baseURL: server.baseUrl,
        sleep: sleeper.sleep,
        clock: sleeper.clock,
      });
      vi.stubEnv(name, server.apiKey);
      await expectOk(analyzer.analyze(makeVideo(patternBytes(10))));
      expect(
        server.requests.every(
          (request) =>
            request.route === 'upload-chunk' || request.headers['x-goog-api-key'] === server.apiKey,
        ),
      ).toBe(true);
    },
  );

  it('prefers GEMINI_API_KEY over GOOGLE_API_KEY', async () => {
    // The SDK's constructor warns about the pair (naming GOOGLE_API_KEY) even for an explicit key.
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.stubEnv('GEMINI_API_KEY', server.apiKey);
    vi.stubEnv('GOOGLE_API_KEY', 'some-other-key');
    const { analyzer } = createGemini({
      baseURL: server.baseUrl,
      sleep: sleeper.sleep,
      clock: sleeper.clock,
    });
    await expectOk(analyzer.analyze(makeVideo(patternBytes(10))));
  });
});

describe('rate limits and server failures', () => {
  it('maps a 429 to RATE_LIMITED with the RetryInfo delay, and deletes the file', async () => {
    server.enqueue('generate-content', { type: 'rate-limit', retryDelay: '7s' });
    const error = await expectErrorCode(categorizeOnce(), 'RATE_LIMITED');
    expect(error.retryAfterMs).toBe(7000);
    expect(error.retryable).toBe(true);
    expect(error.details).toMatchObject({ httpStatus: 429, status: 'RESOURCE_EXHAUSTED' });
    expectRemoteFileDeleted();
  });

  it('reads a fractional retry delay', async () => {
    server.enqueue('generate-content', { type: 'rate-limit', retryDelay: '1.5s' });
    const error = await expectErrorCode(categorizeOnce(), 'RATE_LIMITED');
    expect(error.retryAfterMs).toBe(1500);
  });

  it('falls back to a Retry-After header where the response is seen (the upload)', async () => {
    server.enqueue('upload-start', { type: 'rate-limit', retryAfterHeader: '12' });
    const error = await expectErrorCode(categorizeOnce(), 'RATE_LIMITED');
    expect(error.retryAfterMs).toBe(12_000);
  });

  it('waits a minute when a 429 gives no delay', async () => {
    server.enqueue('generate-content', { type: 'rate-limit' });
    const error = await expectErrorCode(categorizeOnce(), 'RATE_LIMITED');
    expect(error.retryAfterMs).toBe(60_000);
  });

  it('weathers a 429 storm: every video fails RATE_LIMITED, every file is deleted, then it recovers', async () => {
    server.enqueue(
      'generate-content',
      ...Array.from({ length: 5 }, (_, index) => ({
        type: 'rate-limit' as const,
        retryDelay: `${index + 1}s`,
      })),
    );
    const { analyzer } = gemini();
    const buckets = makeBuckets();
    const errors: VBucketsError[] = [];
    for (let index = 0; index < 5; index += 1) {
      const result = await analyzer.analyzeAndCategorize!(
        makeVideo(patternBytes(100, index)),
        buckets,
      );
      expect(result.isErr()).toBe(true);
      if (result.isErr()) errors.push(result.error);
    }
    expect(errors.map((error) => [error.code, error.retryAfterMs])).toEqual([
      ['RATE_LIMITED', 1000],
      ['RATE_LIMITED', 2000],
      ['RATE_LIMITED', 3000],
      ['RATE_LIMITED', 4000],
      ['RATE_LIMITED', 5000],
    ]);
    expect(server.files.size).toBe(5);
    expect(server.liveFiles()).toEqual([]);
    await expectOk(analyzer.analyzeAndCategorize!(makeVideo(patternBytes(100)), buckets));
    expect(server.liveFiles()).toEqual([]);
  });

  it('turns a per-minute quota into RATE_LIMITED with the time until a slot frees', async () => {
    server.switches.perMinuteQuota = 2;
    const { analyzer } = gemini();
    const buckets = makeBuckets();
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        analyzer.analyzeAndCategorize!(makeVideo(patternBytes(100, index)), buckets),
      ),
    );
    const limited = results.filter((result) => result.isErr());
    expect(results.filter((result) => result.isOk())).toHaveLength(2);
    expect(limited).toHaveLength(3);
    for (const result of limited) {
      const error = result._unsafeUnwrapErr();
      expect(error.code).toBe('RATE_LIMITED');
      expect(error.retryAfterMs).toBeGreaterThan(50_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
    }
    expect(server.liveFiles()).toEqual([]);
  });

  it.each([500, 503, 504])(
    'maps a %i from generateContent to a retryable PROVIDER error',
    async (status) => {
      server.enqueue('generate-content', { type: 'server-error', status });
      const error = await expectErrorCode(categorizeOnce(), 'PROVIDER');
      expect(error.retryable).toBe(true);
      expect(error.details).toMatchObject({ httpStatus: status });
      expectRemoteFileDeleted();
    },
  );

  it('maps another 4xx to a final PROVIDER error', async () => {
    server.enqueue('generate-content', {
      type: 'error',
      status: 400,
      message: 'Request contains an invalid argument.',
    });
    const error = await expectErrorCode(categorizeOnce(), 'PROVIDER');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('Request contains an invalid argument.');
    expectRemoteFileDeleted();
  });

  it('maps a connection reset on generateContent to a retryable PROVIDER error', async () => {
    server.enqueue('generate-content', { type: 'reset' });
    const error = await expectErrorCode(categorizeOnce(), 'PROVIDER');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('network error');
    expectRemoteFileDeleted();
  });

  it('maps a slow answer past requestTimeoutMs to a retryable PROVIDER timeout', async () => {
    server.switches.generateDelayMs = 3000;
    const error = await expectErrorCode(categorizeOnce({ requestTimeoutMs: 400 }), 'PROVIDER');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/timed out$/);
    expectRemoteFileDeleted();
  });

  it('waits for a slow answer within requestTimeoutMs', async () => {
    server.enqueue('generate-content', { type: 'delay', ms: 150 });
    await expectOk(categorizeOnce({ requestTimeoutMs: 5000 }));
  });
});

describe('cancellation', () => {
  it('is CANCELLED without a request when the signal has already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expectErrorCode(categorizeOnce({}, controller.signal), 'CANCELLED');
    expect(server.requests).toHaveLength(0);
  });

  it('is CANCELLED when aborted during generateContent, and still deletes the file', async () => {
    server.switches.generateDelayMs = 5000;
    const controller = new AbortController();
    const pending = categorizeOnce({}, controller.signal);
    await vi.waitFor(() => expect(server.requestsTo('generate-content')).toHaveLength(1));
    controller.abort();
    const error = await expectErrorCode(pending, 'CANCELLED');
    expect(error.message).toMatch(/^Analysing .* was cancelled$/);
    expect(error.adapter).toBe('gemini');
    expectRemoteFileDeleted();
  });

  it('is CANCELLED when aborted while waiting for processing, and still deletes the file', async () => {
    server.switches.processingPolls = Number.POSITIVE_INFINITY;
    const controller = new AbortController();
    const sleepThenAbort: GeminiSettings['sleep'] = async (milliseconds, signal) => {
      await sleeper.sleep(milliseconds, signal);
      if (sleeper.waits.length === 2) controller.abort();
      signal?.throwIfAborted();
    };
    await expectErrorCode(
      categorizeOnce({ sleep: sleepThenAbort }, controller.signal),
      'CANCELLED',
    );
    expect(server.requestsTo('file-get')).toHaveLength(1);
    expectRemoteFileDeleted();
  });

  it('is CANCELLED when aborted during the upload, leaving no file', async () => {
    const controller = new AbortController();
    const video = makeVideo(patternBytes(4 * 256 * 1024), { streamChunkBytes: 64 * 1024 });
    video.onPull = (bytesPulled) => {
      if (bytesPulled >= 300 * 1024) controller.abort();
    };
    const result = gemini({ uploadChunkBytes: 256 * 1024 }).analyzer.analyze(video, {
      signal: controller.signal,
    });
    await expectErrorCode(result, 'CANCELLED');
    expect(server.requestsTo('upload-chunk').length).toBeLessThan(4);
    expect(server.files.size).toBe(0);
  });
});

describe('remote file clean-up', () => {
  it('reports a failed delete through onWarning and keeps the real result', async () => {
    server.enqueue('file-delete', { type: 'server-error', status: 503 });
    const warnings: VBucketsError[] = [];
    const result = await expectOk(
      categorizeOnce({ onWarning: (warning) => warnings.push(warning) }),
    );
    expect(result.answer.bucketName).toBe('Gut Health');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(
      /^Deleting the remote file files\/\w+ of "clip.mp4" failed \(Gemini answered HTTP 503/,
    );
    expect(warnings[0]).toMatchObject({ adapter: 'gemini', operation: 'files.delete' });
  });

  it('warns on the console by default', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    server.enqueue('file-delete', { type: 'server-error', status: 500 });
    await expectOk(categorizeOnce());
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^Deleting the remote file/));
  });

  it('keeps the real error when the delete fails too', async () => {
    server.enqueue('generate-content', { type: 'rate-limit', retryDelay: '3s' });
    server.enqueue('file-delete', { type: 'reset' });
    const warnings: VBucketsError[] = [];
    const error = await expectErrorCode(
      categorizeOnce({ onWarning: (warning) => warnings.push(warning) }),
      'RATE_LIMITED',
    );
    expect(error.retryAfterMs).toBe(3000);
    expect(warnings.map((warning) => warning.code)).toEqual(['PROVIDER']);
  });
});
