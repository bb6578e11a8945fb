import { createMediaProbe } from '@vbuckets/media';
import {
  expectOk,
  type FakeAnthropicServer,
  imageTokens,
  readJpegSize,
  startFakeAnthropicServer,
} from '@vbuckets/testkit';
import { okAsync } from 'neverthrow';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ClaudeAnalysisRaw,
  type ClaudeFrameAnalyzerSettings,
  createClaudeFrameAnalyzer,
} from '../src/index';
import {
  createVideoFixtures,
  fileVideo,
  LUMA_PER_SECOND,
  makeBuckets,
  meanLuma,
  type VideoFixtures,
} from './anthropic-test-helpers';

let videos: VideoFixtures;
let server: FakeAnthropicServer;
const mediaProbe = createMediaProbe();

beforeAll(() => {
  videos = createVideoFixtures();
});
afterAll(() => videos.remove());

beforeEach(async () => {
  server = await startFakeAnthropicServer({
    bucketsByFilename: { 'gut.mp4': 'Gut Health', 'focus.mp4': 'Energy & Focus' },
  });
});
afterEach(() => server.close());

function claude(settings: Partial<ClaudeFrameAnalyzerSettings> = {}) {
  return createClaudeFrameAnalyzer({
    apiKey: server.apiKey,
    baseURL: server.baseUrl,
    model: 'claude-test-model',
    mediaProbe,
    ...settings,
  });
}

interface SentBody {
  model: string;
  max_tokens: number;
  messages: {
    role: string;
    content: (
      | { type: 'text'; text: string }
      | { type: 'image'; source: { type: string; media_type: string; data: string } }
    )[];
  }[];
  tools: {
    name: string;
    description: string;
    input_schema: {
      type: string;
      properties: Record<string, { type: string; enum?: string[] }>;
      required: string[];
      additionalProperties: boolean;
    };
  }[];
  tool_choice: { type: string; name: string; disable_parallel_tool_use?: boolean };
}

function sentBodies(): SentBody[] {
  return server.requestsTo('messages').map((request) => request.json as SentBody);
}

function promptOf(body: SentBody): string {
  const last = body.messages[0]?.content.at(-1);
  return last?.type === 'text' ? last.text : '';
}

/** The second of the timeline video a frame was taken at, read from its brightness. */
function secondsOf(jpeg: Uint8Array): number {
  return meanLuma(jpeg) / LUMA_PER_SECOND;
}

describe('analyze', () => {
  it('sends one request with three labelled, downscaled JPEG frames at 0, 3 and 10 s and a forced tool', async () => {
    const { analyzer } = claude();
    const analysis = await expectOk(
      analyzer.analyze(fileVideo(videos.landscape, { filename: 'gut.mp4' })),
    );

    const requests = server.requestsTo('messages');
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.path).toBe('/v1/messages');
    // @anthropic-ai/sdk 1.x sends the key as a bearer token, with its API version header.
    expect(request?.headers.authorization).toBe(`Bearer ${server.apiKey}`);
    expect(request?.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/u);

    const images = request?.images ?? [];
    expect(images).toHaveLength(3);
    for (const image of images) {
      expect(image.mediaType).toBe('image/jpeg');
      expect([...image.bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
      expect([...image.bytes.subarray(-2)]).toEqual([0xff, 0xd9]);
      // 960×540 fitted into the default 768×768 box.
      expect(readJpegSize(image.bytes)).toEqual({ width: 768, height: 432 });
    }
    const seconds = images.map((image) => secondsOf(image.bytes));
    expect(seconds[0]).toBeCloseTo(0, 0);
    expect(seconds[1]).toBeCloseTo(3, 0);
    expect(seconds[2]).toBeCloseTo(10, 0);
    expect(images.map((image) => image.precedingText)).toEqual([
      'Frame 1 of 3: Hook at 0 s',
      'Frame 2 of 3: Body at 3 s',
      'Frame 3 of 3: CTA at 10 s',
    ]);

    const body = sentBodies()[0]!;
    expect(body.model).toBe('claude-test-model');
    expect(body.max_tokens).toBe(1024);
    expect(body.messages).toHaveLength(1);
    expect(body.messages[0]?.role).toBe('user');
    expect(promptOf(body)).toContain(
      'Analyze this UGC video from 3 key frames (Hook at 0 s, Body at 3 s, CTA at 10 s).',
    );
    expect(promptOf(body)).toContain('Video file: "gut.mp4"');
    expect(body.tools).toHaveLength(1);
    const tool = body.tools[0]!;
    expect(tool.name).toBe('record_video_analysis');
    expect(tool.input_schema).toMatchObject({ type: 'object', additionalProperties: false });
    expect(tool.input_schema.required).toEqual([
      'summary',
      'hook',
      'hookType',
      'emotion',
      'pacing',
      'targetAudiencePain',
      'tags',
      'onScreenText',
    ]);
    expect(tool.input_schema.properties.pacing?.enum).toEqual(['slow', 'medium', 'fast']);
    expect(tool.input_schema.properties.tags?.type).toBe('array');
    expect(body.tool_choice).toEqual({
      type: 'tool',
      name: 'record_video_analysis',
      disable_parallel_tool_use: true,
    });

    expect(analysis).toMatchObject({
      summary: 'Fake summary of gut.mp4 from 3 frames.',
      transcript: '',
      hook: 'Fake hook of gut.mp4.',
      topics: ['fake tag', 'gut.mp4'],
      onScreenText: 'Fake on-screen text of gut.mp4.',
    });
    const raw = analysis.raw as unknown as ClaudeAnalysisRaw;
    expect(raw).toMatchObject({
      provider: 'claude',
      hookType: 'problem_agitation',
      emotion: 'frustration',
      pacing: 'fast',
      targetAudiencePain: 'no_time',
      tags: ['fake tag', 'gut.mp4'],
      model: 'claude-test-model',
      durationSec: 12,
    });
    expect(raw.messageId).toMatch(/^msg_/u);
    expect(
      raw.frames.map(({ label, timestampSec, width, height }) => [
        label,
        timestampSec,
        width,
        height,
      ]),
    ).toEqual([
      ['Hook', 0, 768, 432],
      ['Body', 3, 768, 432],
      ['CTA', 10, 768, 432],
    ]);
    // The fake counts each image as width × height / 750, as Anthropic documents.
    expect(raw.usage.inputTokens).toBeGreaterThan(3 * imageTokens(768, 432));
    expect(raw.usage.outputTokens).toBeGreaterThan(0);
    expect(raw.usage).toMatchObject({ cacheCreationInputTokens: 0, cacheReadInputTokens: 0 });
    // What vb.market reads: seed 003's tags and the token usage, outside `raw`.
    expect(analysis.tags).toEqual({
      hookType: 'problem_agitation',
      emotion: 'frustration',
      pacing: 'fast',
      targetAudiencePain: 'no_time',
      extra: ['fake tag', 'gut.mp4'],
    });
    expect(analysis.usage).toEqual({
      inputTokens: raw.usage.inputTokens,
      outputTokens: raw.usage.outputTokens,
    });
  });

  it('clamps the timestamps into a 4 s vertical video: 0, 3 and 3.9 s, fitted to 432×768', async () => {
    const { analyzer } = claude();
    const analysis = await expectOk(analyzer.analyze(fileVideo(videos.vertical)));
    const images = server.requestsTo('messages')[0]?.images ?? [];
    expect(images.map((image) => image.precedingText)).toEqual([
      'Frame 1 of 3: Hook at 0 s',
      'Frame 2 of 3: Body at 3 s',
      'Frame 3 of 3: CTA at 3.9 s',
    ]);
    for (const image of images) {
      expect(readJpegSize(image.bytes)).toEqual({ width: 432, height: 768 });
    }
    const seconds = images.map((image) => secondsOf(image.bytes));
    expect(seconds[0]).toBeCloseTo(0, 0);
    expect(seconds[1]).toBeCloseTo(3, 0);
    expect(seconds[2]).toBeGreaterThan(3.7);
    expect(seconds[2]).toBeLessThan(4);
    expect(promptOf(sentBodies()[0]!)).toContain('(Hook at 0 s, Body at 3 s, CTA at 3.9 s)');
    const raw = analysis.raw as unknown as ClaudeAnalysisRaw;
    expect(raw.durationSec).toBe(4);
    expect(raw.frames.map((frame) => frame.timestampSec)).toEqual([0, 3, 3.9]);
  });

  it('takes the configured timestamps and frame size', async () => {
    const { analyzer } = claude({ timestampsSec: [5, 1], maxFrameWidth: 320 });
    await expectOk(analyzer.analyze(fileVideo(videos.landscape)));
    const images = server.requestsTo('messages')[0]?.images ?? [];
    expect(images.map((image) => image.precedingText)).toEqual([
      'Frame 1 of 2: Hook at 1 s',
      'Frame 2 of 2: CTA at 5 s',
    ]);
    expect(images.map((image) => readJpegSize(image.bytes))).toEqual([
      { width: 320, height: 180 },
      { width: 320, height: 180 },
    ]);
    expect(images.map((image) => Math.round(secondsOf(image.bytes)))).toEqual([1, 5]);
  });

  it('sends a frame that already fits as ffmpeg extracted it', async () => {
    const { analyzer } = claude();
    await expectOk(analyzer.analyze(fileVideo(videos.small)));
    const images = server.requestsTo('messages')[0]?.images ?? [];
    expect(images.map((image) => image.precedingText)).toEqual([
      'Frame 1 of 2: Hook at 0 s',
      'Frame 2 of 2: CTA at 1.9 s',
    ]);
    const extracted = (await mediaProbe.extractFrames(videos.small, [0, 1.9]))._unsafeUnwrap();
    expect(images.map((image) => Buffer.from(image.bytes))).toEqual(
      extracted.map((bytes) => Buffer.from(bytes)),
    );
  });

  it('puts the sidecar transcript in the prompt when the video has one, and only then', async () => {
    const { analyzer } = claude();
    await expectOk(
      analyzer.analyze(
        fileVideo(videos.small, { filename: 'talk.mp4', knownText: 'Too busy to learn Spanish?' }),
      ),
    );
    await expectOk(analyzer.analyze(fileVideo(videos.small, { filename: 'quiet.mp4' })));
    const [withText, without] = sentBodies();
    expect(promptOf(withText!)).toContain(
      'Transcript and captions known for this video (sidecar file, container tags):\nToo busy to learn Spanish?',
    );
    expect(promptOf(without!)).not.toContain('Transcript');
  });

  it('reports the processing stage before returning, then analyzing', async () => {
    const { analyzer } = claude();
    const stages: string[] = [];
    const pending = analyzer.analyze(fileVideo(videos.small), {
      onStage: (stage) => stages.push(stage),
    });
    expect(stages).toEqual(['processing']);
    await expectOk(pending);
    expect(stages).toEqual(['processing', 'analyzing']);
  });

  it('takes one rate-limit token, right before the request', async () => {
    const { analyzer } = claude();
    const taken: number[] = [];
    await expectOk(
      analyzer.analyze(fileVideo(videos.small), {
        rateLimit: {
          take: () => {
            taken.push(server.requestsTo('messages').length);
            return okAsync(undefined);
          },
        },
      }),
    );
    expect(taken).toEqual([0]);
    expect(server.requestsTo('messages')).toHaveLength(1);
  });
});

describe('analyzeAndCategorize', () => {
  it('analyses and picks the bucket in one request whose tool lists the bucket names', async () => {
    const analyzer = claude();
    const buckets = makeBuckets();
    const result = await expectOk(
      analyzer.analyzeAndCategorize(
        fileVideo(videos.landscape, { filename: 'gut.mp4', knownText: 'My bloating is gone.' }),
        buckets,
      ),
    );
    expect(result.answer).toEqual({
      bucketName: 'Gut Health',
      confidence: 0.9,
      reasoning: 'gut.mp4 fits "Gut Health" (fake reasoning).',
    });
    expect(result.analysis.summary).toBe('Fake summary of gut.mp4 from 3 frames.');
    expect(result.analysis.raw).toMatchObject({
      hookType: 'problem_agitation',
      bucketName: 'Gut Health',
      confidence: 0.9,
    });

    expect(server.requestsTo('messages')).toHaveLength(1);
    expect(server.requestsTo('messages')[0]?.images).toHaveLength(3);
    const body = sentBodies()[0]!;
    const tool = body.tools[0]!;
    expect(tool.name).toBe('record_video_analysis_and_bucket');
    expect(body.tool_choice.name).toBe('record_video_analysis_and_bucket');
    expect(tool.input_schema.properties.bucketName?.enum).toEqual([
      'Gut Health',
      'Energy & Focus',
      'none',
    ]);
    expect(tool.input_schema.required).toEqual(
      expect.arrayContaining(['hookType', 'emotion', 'reasoning', 'bucketName', 'confidence']),
    );
    const prompt = promptOf(body);
    expect(prompt).toContain('My bloating is gone.');
    for (const bucket of buckets) {
      expect(prompt).toContain(JSON.stringify(bucket.name));
      expect(prompt).toContain(bucket.bestFor);
      expect(prompt).toContain(bucket.avatar);
      for (const phrase of [...bucket.painPoints, ...bucket.keyCopyHooks]) {
        expect(prompt).toContain(phrase);
      }
    }
  });

  it('gives a null bucket when Claude says none fits', async () => {
    const analyzer = claude();
    const result = await expectOk(
      analyzer.analyzeAndCategorize(
        fileVideo(videos.small, { filename: 'cat.mp4' }),
        makeBuckets(),
      ),
    );
    expect(result.answer.bucketName).toBeNull();
    expect(result.analysis.raw.bucketName).toBeNull();
  });
});

describe('categorizer', () => {
  it('files a saved analysis with one text-only request that shows its tags', async () => {
    const analyzer = claude();
    const analysis = await expectOk(
      analyzer.analyze(fileVideo(videos.small, { filename: 'focus.mp4' })),
    );
    const answer = await expectOk(analyzer.categorizer.categorize(analysis, makeBuckets()));
    expect(answer).toEqual({
      bucketName: 'Energy & Focus',
      confidence: 0.9,
      reasoning: 'focus.mp4 fits "Energy & Focus" (fake reasoning).',
    });
    const requests = server.requestsTo('messages');
    expect(requests).toHaveLength(2);
    expect(requests[1]?.images).toEqual([]);
    const body = sentBodies()[1]!;
    expect(body.tools.map((tool) => tool.name)).toEqual(['record_bucket_choice']);
    expect(body.tool_choice).toMatchObject({ type: 'tool', name: 'record_bucket_choice' });
    const prompt = promptOf(body);
    expect(prompt).toContain('Hook type: problem_agitation');
    expect(prompt).toContain('Target audience pain: no_time');
    expect(prompt).toContain('Summary: Fake summary of focus.mp4 from 2 frames.');
  });

  it('sends nothing when there are no buckets to choose from', async () => {
    const analyzer = claude();
    const answer = await expectOk(
      analyzer.categorizer.categorize(
        { summary: 's', transcript: '', hook: '', topics: [], onScreenText: '', raw: {} },
        [],
      ),
    );
    expect(answer.bucketName).toBeNull();
    expect(server.requests).toHaveLength(0);
  });
});
