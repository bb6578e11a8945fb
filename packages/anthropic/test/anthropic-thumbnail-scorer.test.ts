import { thumbnailQualityScore } from '@vbuckets/core/domain';
import { makeThumbnailCandidate } from '@vbuckets/core/testing';
import {
  expectErrorCode,
  expectOk,
  type FakeAnthropicServer,
  startFakeAnthropicServer,
} from '@vbuckets/testkit';
import { encode } from 'jpeg-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ClaudeThumbnailScorerSettings, createClaudeThumbnailScorer } from '../src/index';

let server: FakeAnthropicServer;
beforeEach(async () => {
  server = await startFakeAnthropicServer();
});
afterEach(() => server.close());

function scorer(settings: Partial<ClaudeThumbnailScorerSettings> = {}) {
  return createClaudeThumbnailScorer({
    apiKey: server.apiKey,
    baseURL: server.baseUrl,
    model: 'claude-test-model',
    maxRetries: 0,
    ...settings,
  });
}

/** A flat 1280×720 JPEG of one grey level. */
function flatJpeg(luma: number): Uint8Array {
  const width = 1280;
  const height = 720;
  const data = new Uint8Array(width * height * 4).fill(luma);
  return new Uint8Array(encode({ data, width, height }, 80).data);
}

const candidates = [
  makeThumbnailCandidate({ timestampSec: 1, jpeg: flatJpeg(40), metrics: { brightness: 0.1 } }),
  makeThumbnailCandidate({ timestampSec: 4.5, jpeg: flatJpeg(120) }),
  makeThumbnailCandidate({ timestampSec: 9, jpeg: flatJpeg(200), metrics: { sharpness: 0.9 } }),
];

interface SentBody {
  model: string;
  messages: {
    content: ({ type: 'text'; text: string } | { type: 'image'; source: { data: string } })[];
  }[];
  tools: { name: string; input_schema: { properties: Record<string, unknown> } }[];
  tool_choice: { type: string; name: string };
}

describe('createClaudeThumbnailScorer', () => {
  it('sends every candidate, scaled down and numbered, in one forced-tool request', async () => {
    const scores = await expectOk(
      scorer().score(candidates, { title: 'Gut reset in 7 days', description: 'A routine.' }),
    );
    const requests = server.requestsTo('messages');
    expect(requests).toHaveLength(1);
    const request = requests[0];
    expect(request?.headers.authorization).toBe(`Bearer ${server.apiKey}`);
    const body = request?.json as SentBody;
    expect(body.model).toBe('claude-test-model');
    expect(body.tool_choice).toMatchObject({ type: 'tool', name: 'rate_thumbnails' });
    expect(body.tools.map((tool) => tool.name)).toEqual(['rate_thumbnails']);
    // 1280×720 fitted into 512×512.
    expect(request?.images.map((image) => [image.width, image.height])).toEqual([
      [512, 288],
      [512, 288],
      [512, 288],
    ]);
    expect(request?.images.map((image) => image.precedingText)).toEqual([
      'Candidate 1 (at 1.0 s):',
      'Candidate 2 (at 4.5 s):',
      'Candidate 3 (at 9.0 s):',
    ]);
    const prompt = body.messages[0]?.content.at(-1);
    expect(prompt?.type === 'text' ? prompt.text : '').toContain('Title: Gut reset in 7 days');
    expect(prompt?.type === 'text' ? prompt.text : '').toContain('Description: A routine.');

    // The fake rates candidate n of 3 at n / 4.
    expect(scores.map((score) => score.clickPrediction)).toEqual([0.25, 0.5, 0.75]);
    expect(scores[1]?.reason).toBe('Fake reason for image 2 of 3.');
    expect(scores.map((score) => score.qualityScore)).toEqual(
      candidates.map((candidate) => thumbnailQualityScore(candidate.metrics)),
    );
  });

  it('sends nothing for no candidates', async () => {
    expect(await expectOk(scorer().score([]))).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it('says so when nothing is known of the video', async () => {
    await expectOk(scorer().score(candidates.slice(0, 1)));
    const body = server.requestsTo('messages')[0]?.json as SentBody;
    const prompt = body.messages[0]?.content.at(-1);
    expect(prompt?.type === 'text' ? prompt.text : '').toContain('Nothing else is known');
  });

  it.each([
    [
      { ratings: [{ candidate: 1, clickPrediction: 0.4, reason: 'ok' }] },
      'candidate 2 is not rated',
    ],
    [
      {
        ratings: [
          { candidate: 1, clickPrediction: 0.4, reason: 'a' },
          { candidate: 1, clickPrediction: 0.5, reason: 'b' },
        ],
      },
      'candidate 1 is rated twice',
    ],
    [{ ratings: [{ candidate: 3, clickPrediction: 0.4, reason: 'x' }] }, 'there is no candidate 3'],
    [
      {
        ratings: [
          { candidate: 1, clickPrediction: 7, reason: 'a' },
          { candidate: 2, clickPrediction: 0.5, reason: 'b' },
        ],
      },
      'ratings.0.clickPrediction',
    ],
    [{ verdict: 'nice' }, 'ratings'],
  ])('refuses the tool input %j as a final PROVIDER error', async (input, message) => {
    server.enqueue({ type: 'tool-input', input });
    const error = await expectErrorCode(scorer().score(candidates.slice(0, 2)), 'PROVIDER');
    expect(error.message).toContain(message);
    expect(error.retryable).toBe(false);
    expect(error).toMatchObject({ adapter: 'anthropic', operation: 'thumbnailScorer.score' });
  });

  it('maps API failures as the analyzer does', async () => {
    server.enqueue({ type: 'unauthorized' });
    await expectErrorCode(scorer().score(candidates), 'UNAUTHENTICATED');
    server.enqueue({ type: 'rate-limit', retryAfter: '7' });
    const limited = await expectErrorCode(scorer().score(candidates), 'RATE_LIMITED');
    expect(limited).toMatchObject({ retryable: true, retryAfterMs: 7_000 });
    server.enqueue({ type: 'refusal', explanation: 'No.' });
    const refused = await expectErrorCode(scorer().score(candidates), 'PROVIDER');
    expect(refused.message).toContain('Claude declined to answer');
  });

  it('is CANCELLED when the signal aborts mid-request', async () => {
    server.switches.messageDelayMs = 5_000;
    const controller = new AbortController();
    const pending = scorer().score(candidates, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expectErrorCode(pending, 'CANCELLED');
  });

  it('refuses invalid settings, too many candidates and a broken JPEG with VALIDATION, sending nothing', async () => {
    const refusing = createClaudeThumbnailScorer({ maxImageWidth: 2 });
    const settingsError = await expectErrorCode(refusing.score(candidates), 'VALIDATION');
    expect(settingsError.message).toContain('maxImageWidth');
    const many = Array.from({ length: 21 }, () => makeThumbnailCandidate());
    const tooMany = await expectErrorCode(scorer().score(many), 'VALIDATION');
    expect(tooMany.path).toBe('candidates');
    const broken = await expectErrorCode(
      scorer().score([makeThumbnailCandidate({ jpeg: new Uint8Array([1, 2, 3]) })]),
      'VALIDATION',
    );
    expect(broken.path).toBe('candidates.0.jpeg');
    expect(server.requests).toHaveLength(0);
  });
});
