import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cancelledError, isSettingsError, type VBucketsError } from '@vbuckets/core';
import { createMediaProbe } from '@vbuckets/media';
import {
  expectErrorCode,
  expectOk,
  type FakeAnthropicBehaviour,
  type FakeAnthropicServer,
  startFakeAnthropicServer,
} from '@vbuckets/testkit';
import { errAsync } from 'neverthrow';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type ClaudeFrameAnalyzerSettings,
  createClaudeFrameAnalyzer,
  DEFAULT_OVERLOADED_RETRY_MS,
  DEFAULT_RATE_LIMIT_RETRY_MS,
} from '../src/index';
import {
  createVideoFixtures,
  fileVideo,
  makeBuckets,
  stalledVideo,
  unopenableVideo,
  type VideoFixtures,
} from './anthropic-test-helpers';

let videos: VideoFixtures;
let server: FakeAnthropicServer;
let scratch: string;
const mediaProbe = createMediaProbe();

beforeAll(() => {
  videos = createVideoFixtures();
});
afterAll(() => videos.remove());

beforeEach(async () => {
  server = await startFakeAnthropicServer();
  scratch = mkdtempSync(join(tmpdir(), 'vbuckets-anthropic-scratch-'));
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
});

function claude(settings: Partial<ClaudeFrameAnalyzerSettings> = {}) {
  return createClaudeFrameAnalyzer({
    apiKey: server.apiKey,
    baseURL: server.baseUrl,
    mediaProbe,
    tempDirectory: scratch,
    ...settings,
  });
}

/** One analyze of the small video after `behaviours` are queued on the fake. */
async function analyzeFailing(
  code: VBucketsError['code'],
  ...behaviours: FakeAnthropicBehaviour[]
): Promise<VBucketsError> {
  server.enqueue(...behaviours);
  const error = await expectErrorCode(
    claude().analyze(fileVideo(videos.small, { filename: 'clip.mp4' })),
    code,
  );
  expect(error.adapter).toBe('anthropic');
  expect(error.operation).toBe('analyzer.analyze');
  // A sentence for people: no [tag] prefix, the adapter is in the error's fields.
  expect(error.message).toMatch(/^Analysing "clip\.mp4"/u);
  return error;
}

describe('HTTP failures', () => {
  it('maps a bad key (401) to UNAUTHENTICATED, not retryable', async () => {
    const error = await analyzeFailing('UNAUTHENTICATED', { type: 'unauthorized' });
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      'Analysing "clip.mp4" failed (Claude answered HTTP 401 authentication_error): invalid x-api-key',
    );
    expect(error.details).toMatchObject({ httpStatus: 401, type: 'authentication_error' });
    expect(error.details?.requestId).toMatch(/^req_/u);
  });

  it('maps a wrong key sent by the SDK to UNAUTHENTICATED', async () => {
    const error = await expectErrorCode(
      claude({ apiKey: 'sk-ant-wrong' }).analyze(fileVideo(videos.small)),
      'UNAUTHENTICATED',
    );
    expect(error.details).toMatchObject({ httpStatus: 401 });
  });

  it('maps 429 to a retryable RATE_LIMITED with the retry-after header, and does not retry it itself', async () => {
    const error = await analyzeFailing('RATE_LIMITED', { type: 'rate-limit', retryAfter: '7' });
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(7_000);
    expect(error.details).toMatchObject({
      httpStatus: 429,
      type: 'rate_limit_error',
      retryAfter: '7',
    });
    expect(error.message).toContain('Claude answered HTTP 429 rate_limit_error');
    expect(server.requestsTo('messages')).toHaveLength(1);
  });

  it('waits a minute after a 429 without retry-after', async () => {
    const error = await analyzeFailing('RATE_LIMITED', { type: 'rate-limit', retryAfter: null });
    expect(error.retryAfterMs).toBe(DEFAULT_RATE_LIMIT_RETRY_MS);
  });

  it('makes the 429 of a spent monthly cap final', async () => {
    const error = await analyzeFailing('RATE_LIMITED', {
      type: 'error',
      status: 429,
      message: 'You have reached your specified API usage limits.',
      details: { error_code: 'enforced_spend_limit_reached' },
    });
    expect(error.retryable).toBe(false);
    expect(error.retryAfterMs).toBeUndefined();
    expect(error.details).toMatchObject({ errorCode: 'enforced_spend_limit_reached' });
  });

  it('maps 529 overloaded to a retryable RATE_LIMITED, with retry-after when given', async () => {
    const withHeader = await analyzeFailing('RATE_LIMITED', {
      type: 'overloaded',
      retryAfter: '3',
    });
    expect(withHeader.retryable).toBe(true);
    expect(withHeader.retryAfterMs).toBe(3_000);
    expect(withHeader.details).toMatchObject({ httpStatus: 529, type: 'overloaded_error' });
    expect(withHeader.message).toContain('Claude answered HTTP 529 overloaded_error): Overloaded');
    const without = await analyzeFailing('RATE_LIMITED', { type: 'overloaded' });
    expect(without.retryAfterMs).toBe(DEFAULT_OVERLOADED_RETRY_MS);
    expect(server.requestsTo('messages')).toHaveLength(2);
  });

  it('maps 500 and 503 to retryable PROVIDER errors, sent once', async () => {
    const internal = await analyzeFailing('PROVIDER', { type: 'server-error' });
    expect(internal.retryable).toBe(true);
    expect(internal.details).toMatchObject({ httpStatus: 500, type: 'api_error' });
    const unavailable = await analyzeFailing('PROVIDER', { type: 'server-error', status: 503 });
    expect(unavailable.retryable).toBe(true);
    expect(server.requestsTo('messages')).toHaveLength(2);
  });

  it('maps other 4xx to final PROVIDER errors; a 413 says to send smaller frames', async () => {
    const invalid = await analyzeFailing('PROVIDER', {
      type: 'error',
      status: 400,
      message: 'messages.0.content.1.image.source.base64: image exceeds 5 MB maximum',
    });
    expect(invalid.retryable).toBe(false);
    expect(invalid.message).toContain('image exceeds 5 MB maximum');
    const tooLarge = await analyzeFailing('PROVIDER', { type: 'error', status: 413 });
    expect(tooLarge.retryable).toBe(false);
    expect(tooLarge.message).toContain('send smaller frames (maxFrameWidth, maxFrameHeight)');
  });

  it('lets the SDK retry only as often as maxRetries says', async () => {
    const retryAtOnce = { 'retry-after-ms': '5' };
    server.enqueue(
      { type: 'error', status: 500, headers: retryAtOnce },
      { type: 'error', status: 500, headers: retryAtOnce },
    );
    await expectOk(claude({ maxRetries: 2 }).analyze(fileVideo(videos.small)));
    expect(server.requestsTo('messages')).toHaveLength(3);
  });
});

describe('network failures', () => {
  it('maps a connection reset to a retryable PROVIDER error', async () => {
    const error = await analyzeFailing('PROVIDER', { type: 'reset' });
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('network error reaching Claude');
    expect(server.requestsTo('messages')).toHaveLength(1);
  });

  it('maps the request time limit to a retryable PROVIDER error', async () => {
    // The answer would come long after the test's time limit: only the request timeout can end the call.
    server.switches.messageDelayMs = 600_000;
    const error = await expectErrorCode(
      claude({ requestTimeoutMs: 300 }).analyze(fileVideo(videos.small)),
      'PROVIDER',
    );
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('timed out after 300 ms waiting for Claude');
    expect(server.requestsTo('messages')).toHaveLength(1);
  });

  it('maps an unreachable server to a retryable PROVIDER error', async () => {
    const closed = server.baseUrl;
    await server.close();
    server = await startFakeAnthropicServer();
    const error = await expectErrorCode(
      claude({ baseURL: closed }).analyze(fileVideo(videos.small)),
      'PROVIDER',
    );
    expect(error.retryable).toBe(true);
  });
});

describe('answers without a usable tool call', () => {
  it('maps a refusal to a final PROVIDER error with the reason', async () => {
    const error = await analyzeFailing('PROVIDER', {
      type: 'refusal',
      explanation: 'This request may violate the usage policy.',
      category: 'general_harms',
    });
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      'Analysing "clip.mp4" failed: Claude declined to answer (This request may violate the usage policy.)',
    );
    expect(error.details).toMatchObject({ stopReason: 'refusal', category: 'general_harms' });
  });

  it('maps an invalid tool input to a final PROVIDER error naming the field', async () => {
    const error = await analyzeFailing('PROVIDER', {
      type: 'tool-input',
      input: { summary: 42, hookType: 'x', emotion: 'y', pacing: 'fast', targetAudiencePain: 'z' },
    });
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      'Analysing "clip.mp4" failed: Claude\'s tool input is invalid: summary: Invalid input: expected string, received number',
    );
    expect(error.path).toBe('summary');
  });

  it('refuses a pacing outside slow, medium and fast', async () => {
    const error = await analyzeFailing('PROVIDER', {
      type: 'tool-input',
      input: {
        summary: 'A demo.',
        hookType: 'question',
        emotion: 'joy',
        pacing: 'frantic',
        targetAudiencePain: 'no_time',
      },
    });
    expect(error.path).toBe('pacing');
  });

  it('maps an answer without the tool call to a final PROVIDER error quoting it', async () => {
    const error = await analyzeFailing('PROVIDER', { type: 'text', text: 'Here is my analysis.' });
    expect(error.message).toBe(
      'Analysing "clip.mp4" failed: Claude did not call the record_video_analysis tool (stop reason end_turn): "Here is my analysis."',
    );
  });

  it('maps a tool call cut off at max_tokens to a final PROVIDER error', async () => {
    const error = await analyzeFailing('PROVIDER', { type: 'max-tokens' });
    expect(error.message).toContain('cut off at max_tokens; raise the maxTokens setting');
  });

  it('tidies the labels Claude gives and reads tags given as one string', async () => {
    server.enqueue({
      type: 'tool-input',
      input: {
        summary: ' A founder talks. ',
        hook: 'A question',
        hookType: 'Problem Agitation',
        emotion: 'Curiosity',
        pacing: 'Medium',
        targetAudiencePain: 'no time',
        tags: 'ugc, founder, ugc',
        onScreenText: '',
      },
    });
    const analysis = await expectOk(claude().analyze(fileVideo(videos.small)));
    expect(analysis.summary).toBe('A founder talks.');
    expect(analysis.topics).toEqual(['ugc', 'founder']);
    expect(analysis.raw).toMatchObject({
      hookType: 'problem_agitation',
      emotion: 'curiosity',
      pacing: 'medium',
      targetAudiencePain: 'no_time',
    });
  });
});

describe('no key, bad settings', () => {
  it('answers UNAUTHENTICATED without a key and sends nothing', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', '');
    const analyzer = createClaudeFrameAnalyzer({ baseURL: server.baseUrl, mediaProbe });
    const error = await expectErrorCode(
      analyzer.analyze(fileVideo(videos.small)),
      'UNAUTHENTICATED',
    );
    expect(error.message).toBe(
      'No API key: pass apiKey or set the ANTHROPIC_API_KEY environment variable',
    );
    expect(error.adapter).toBe('anthropic');
    expect(server.requests).toHaveLength(0);
  });

  it('reads ANTHROPIC_API_KEY at call time', async () => {
    const analyzer = createClaudeFrameAnalyzer({ baseURL: server.baseUrl, mediaProbe });
    vi.stubEnv('ANTHROPIC_API_KEY', server.apiKey);
    await expectOk(analyzer.analyze(fileVideo(videos.small)));
  });

  it.each([
    ['no MediaProbe', { mediaProbe: undefined }, 'mediaProbe'],
    ['a frame width of 0', { maxFrameWidth: 0 }, 'maxFrameWidth'],
    ['a negative timestamp', { timestampsSec: [0, -3] }, 'timestampsSec.1'],
    ['no timestamps', { timestampsSec: [] }, 'timestampsSec'],
    ['an ftp base URL', { baseURL: 'ftp://example.com' }, 'baseURL'],
    ['an unknown option', { maxWidth: 512 }, ''],
  ])(
    'answers every call with a VALIDATION settings error for %s, and throws nothing',
    async (_, bad, path) => {
      const analyzer = createClaudeFrameAnalyzer({
        apiKey: server.apiKey,
        baseURL: server.baseUrl,
        mediaProbe,
        ...bad,
      } as ClaudeFrameAnalyzerSettings);
      const video = fileVideo(videos.small);
      const errors = [
        await expectErrorCode(analyzer.analyze(video), 'VALIDATION'),
        await expectErrorCode(analyzer.analyzeAndCategorize(video, makeBuckets()), 'VALIDATION'),
        await expectErrorCode(
          analyzer.categorizer.categorize(
            { summary: 's', transcript: '', hook: '', topics: [], onScreenText: '', raw: {} },
            makeBuckets(),
          ),
          'VALIDATION',
        ),
      ];
      for (const error of errors) {
        expect(isSettingsError(error)).toBe(true);
        expect(error.path).toBe(path);
        expect(error.adapter).toBe('anthropic');
      }
      expect(errors.map((error) => error.operation)).toEqual([
        'analyzer.analyze',
        'analyzer.analyzeAndCategorize',
        'categorizer.categorize',
      ]);
      expect(analyzer.analyzer).toBe(analyzer);
      expect(server.requests).toHaveLength(0);
    },
  );

  it('answers a settings error for settings that are not an object', async () => {
    const analyzer = createClaudeFrameAnalyzer(undefined as unknown as ClaudeFrameAnalyzerSettings);
    const error = await expectErrorCode(analyzer.analyze(fileVideo(videos.small)), 'VALIDATION');
    expect(isSettingsError(error)).toBe(true);
  });
});

describe('media failures', () => {
  it('passes the MediaProbe error of an unreadable video through, and sends nothing', async () => {
    const error = await expectErrorCode(claude().analyze(fileVideo(videos.corrupt)), 'MEDIA');
    expect(error.adapter).toBe('media');
    expect(server.requests).toHaveLength(0);
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('passes the error of a video that cannot be opened through', async () => {
    const error = await expectErrorCode(claude().analyze(unopenableVideo()), 'NOT_FOUND');
    expect(error.adapter).toBe('memory');
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('removes its temporary copy of the video after a call', async () => {
    await expectOk(claude().analyze(fileVideo(videos.small)));
    server.enqueue({ type: 'server-error' });
    await expectErrorCode(claude().analyze(fileVideo(videos.small)), 'PROVIDER');
    expect(readdirSync(scratch)).toEqual([]);
  });
});

describe('cancellation', () => {
  it('answers CANCELLED at once for a signal already aborted, and sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await expectErrorCode(
      claude().analyze(fileVideo(videos.small), { signal: controller.signal }),
      'CANCELLED',
    );
    expect(error.adapter).toBe('anthropic');
    expect(server.requests).toHaveLength(0);
  });

  it('stops a stalled copy of the video when the signal aborts', async () => {
    const controller = new AbortController();
    const pending = claude().analyze(stalledVideo(), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expectErrorCode(pending, 'CANCELLED');
    expect(server.requests).toHaveLength(0);
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('ends the Messages request when the signal aborts', async () => {
    // The answer would come long after the test's time limit: only the abort can end the call.
    server.switches.messageDelayMs = 600_000;
    const controller = new AbortController();
    const pending = claude().analyzeAndCategorize(fileVideo(videos.small), makeBuckets(), {
      signal: controller.signal,
    });
    await vi.waitFor(() => expect(server.requestsTo('messages')).toHaveLength(1), {
      timeout: 60_000,
      interval: 20,
    });
    controller.abort();
    const error = await expectErrorCode(pending, 'CANCELLED');
    expect(error.operation).toBe('analyzer.analyzeAndCategorize');
    expect(server.requestsTo('messages')).toHaveLength(1);
  });

  it('answers CANCELLED when the signal aborts while waiting for a rate-limit token', async () => {
    const controller = new AbortController();
    const error = await expectErrorCode(
      claude().categorizer.categorize(
        { summary: 's', transcript: '', hook: '', topics: [], onScreenText: '', raw: {} },
        makeBuckets(),
        {
          signal: controller.signal,
          rateLimit: {
            take: () => {
              controller.abort();
              return errAsync(cancelledError('The wait for a token was cancelled'));
            },
          },
        },
      ),
      'CANCELLED',
    );
    expect(error.operation).toBe('categorizer.categorize');
    expect(server.requests).toHaveLength(0);
  });
});
