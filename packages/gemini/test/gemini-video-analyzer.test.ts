import { GoogleGenAI } from '@google/genai';
import {
  expectErrorCode,
  expectOk,
  type FakeGeminiServer,
  startFakeGeminiServer,
} from '@vbuckets/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGemini, type GeminiSettings } from '../src/index';
import { makeBuckets, makeVideo, patternBytes, recordingSleep } from './gemini-test-helpers';

let server: FakeGeminiServer;

beforeEach(async () => {
  server = await startFakeGeminiServer({
    bucketsByFilename: { 'gut.mp4': 'Gut Health', 'focus.mov': 'Energy & Focus' },
  });
});
afterEach(() => server.close());

function gemini(settings: GeminiSettings = {}) {
  const sleeper = recordingSleep();
  return createGemini({
    apiKey: server.apiKey,
    baseURL: server.baseUrl,
    sleep: sleeper.sleep,
    clock: sleeper.clock,
    ...settings,
  });
}

interface GenerateBody {
  contents: {
    role: string;
    parts: { text?: string; fileData?: { fileUri: string; mimeType: string } }[];
  }[];
  generationConfig: {
    responseMimeType: string;
    responseSchema: { properties: Record<string, { enum?: string[] }>; required: string[] };
  };
}

function generateBodies(): GenerateBody[] {
  return server.requestsTo('generate-content').map((request) => request.json as GenerateBody);
}

describe('combined mode (the default)', () => {
  it('analyses and picks the bucket in exactly one generateContent, with the uploaded file and a response schema', async () => {
    const { analyzer } = gemini();
    const buckets = makeBuckets();
    const result = await expectOk(
      analyzer.analyzeAndCategorize!(
        makeVideo(patternBytes(1000), { filename: 'gut.mp4' }),
        buckets,
      ),
    );

    expect(result.answer).toEqual({
      bucketName: 'Gut Health',
      confidence: 0.9,
      reasoning: 'gut.mp4 fits "Gut Health" (fake reasoning).',
    });
    expect(result.analysis).toMatchObject({
      summary: 'Fake summary of gut.mp4.',
      transcript: 'Fake transcript of gut.mp4.',
      hook: 'Fake hook of gut.mp4.',
      topics: ['fake topic', 'gut.mp4'],
      onScreenText: 'Fake on-screen text of gut.mp4.',
    });
    expect(result.analysis.raw).toMatchObject({ bucketName: 'Gut Health', confidence: 0.9 });

    const [file] = [...server.files.values()];
    const requests = server.requestsTo('generate-content');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(requests[0]?.headers['x-goog-api-key']).toBe(server.apiKey);
    const body = generateBodies()[0]!;
    const parts = body.contents[0]!.parts;
    expect(parts[0]).toEqual({ fileData: { fileUri: file!.uri, mimeType: 'video/mp4' } });
    const prompt = parts[1]!.text!;
    for (const bucket of buckets) {
      expect(prompt).toContain(JSON.stringify(bucket.name));
      expect(prompt).toContain(bucket.bestFor);
      expect(prompt).toContain(bucket.angle);
      expect(prompt).toContain(bucket.avatar);
      for (const phrase of [
        ...bucket.painPoints,
        ...bucket.solutionMechanism,
        ...bucket.keyCopyHooks,
      ]) {
        expect(prompt).toContain(phrase);
      }
    }
    expect(body.generationConfig.responseMimeType).toBe('application/json');
    const schema = body.generationConfig.responseSchema;
    expect(schema.properties.bucketName?.enum).toEqual(['Gut Health', 'Energy & Focus', 'none']);
    expect(schema.required).toEqual(
      expect.arrayContaining([
        'summary',
        'transcript',
        'hook',
        'topics',
        'onScreenText',
        'bucketName',
        'confidence',
        'reasoning',
      ]),
    );
  });

  it('gives a null bucket when the model says none fits', async () => {
    const { analyzer } = gemini();
    const result = await expectOk(
      analyzer.analyzeAndCategorize!(
        makeVideo(patternBytes(10), { filename: 'cat.mp4' }),
        makeBuckets(),
      ),
    );
    expect(result.answer.bucketName).toBeNull();
  });

  it('passes the model on and puts known text about the video into the prompt', async () => {
    const { analyzer } = gemini({ model: 'gemini-2.5-pro' });
    const video = makeVideo(patternBytes(10), {
      filename: 'gut.mp4',
      knownText: 'Sidecar caption: three foods that calm bloating',
    });
    await expectOk(analyzer.analyzeAndCategorize!(video, makeBuckets()));
    expect(server.requestsTo('generate-content')[0]?.path).toBe(
      '/v1beta/models/gemini-2.5-pro:generateContent',
    );
    expect(generateBodies()[0]?.contents[0]?.parts[1]?.text).toContain(
      'three foods that calm bloating',
    );
  });

  it('reports the stages it reaches: uploading, processing, analyzing', async () => {
    const stages: string[] = [];
    const stageAtRequest: Record<string, string | undefined> = {};
    const { analyzer } = gemini();
    const video = makeVideo(patternBytes(10), { filename: 'gut.mp4' });
    video.onPull = () => {
      stageAtRequest.upload ??= stages.at(-1);
    };
    await expectOk(
      analyzer.analyzeAndCategorize!(video, makeBuckets(), {
        onStage: (stage) => {
          stages.push(stage);
          if (stage === 'analyzing')
            stageAtRequest.polls = String(server.requestsTo('file-get').length);
        },
      }),
    );
    expect(stages).toEqual(['uploading', 'processing', 'analyzing']);
    expect(stageAtRequest.upload).toBe('uploading');
    // Analysing starts once polling is over (the fake answers PROCESSING once, then ACTIVE).
    expect(stageAtRequest.polls).toBe('2');
  });

  it('analyze alone asks for the analysis fields only', async () => {
    const { analyzer } = gemini();
    const analysis = await expectOk(
      analyzer.analyze(makeVideo(patternBytes(10), { filename: 'gut.mp4' })),
    );
    expect(analysis.summary).toBe('Fake summary of gut.mp4.');
    const schema = generateBodies()[0]!.generationConfig.responseSchema;
    expect(Object.keys(schema.properties).sort()).toEqual([
      'hook',
      'onScreenText',
      'summary',
      'topics',
      'transcript',
    ]);
  });
});

describe('separate mode', () => {
  it('offers no combined call and categorizes with a second, text-only request', async () => {
    const { analyzer, categorizer } = gemini({ mode: 'separate' });
    expect(analyzer.analyzeAndCategorize).toBeUndefined();
    expect(analyzer.mode).toBe('separate');
    const buckets = makeBuckets();

    const analysis = await expectOk(
      analyzer.analyze(
        makeVideo(patternBytes(10), { filename: 'focus.mov', mimeType: 'video/quicktime' }),
      ),
    );
    const answer = await expectOk(categorizer.categorize(analysis, buckets));

    expect(answer).toEqual({
      bucketName: 'Energy & Focus',
      confidence: 0.9,
      reasoning: 'focus.mov fits "Energy & Focus" (fake reasoning).',
    });
    const [first, second] = generateBodies();
    expect(generateBodies()).toHaveLength(2);
    expect(first?.contents[0]?.parts[0]?.fileData?.mimeType).toBe('video/quicktime');
    expect(first?.generationConfig.responseSchema.properties.bucketName).toBeUndefined();
    const secondParts = second!.contents[0]!.parts;
    expect(secondParts.every((part) => part.fileData === undefined)).toBe(true);
    const prompt = secondParts.map((part) => part.text).join('\n');
    expect(prompt).toContain(analysis.summary);
    expect(prompt).toContain(analysis.transcript);
    expect(prompt).toContain('"Energy & Focus"');
    expect(prompt).toContain('Skip the 3 pm slump');
    expect(Object.keys(second!.generationConfig.responseSchema.properties).sort()).toEqual([
      'bucketName',
      'confidence',
      'reasoning',
    ]);
  });

  it('answers "no bucket" without a request when there are no buckets', async () => {
    const { categorizer } = gemini({ mode: 'separate' });
    const answer = await expectOk(
      categorizer.categorize(
        { summary: 's', transcript: '', hook: '', topics: [], onScreenText: '', raw: {} },
        [],
      ),
    );
    expect(answer.bucketName).toBeNull();
    expect(server.requests).toHaveLength(0);
  });
});

describe('model answers', () => {
  it('reads fenced JSON', async () => {
    server.switches.answerFormat = 'fenced';
    const result = await expectOk(
      gemini().analyzer.analyzeAndCategorize!(
        makeVideo(patternBytes(10), { filename: 'gut.mp4' }),
        makeBuckets(),
      ),
    );
    expect(result.answer.bucketName).toBe('Gut Health');
  });

  it('reads JSON wrapped in prose', async () => {
    server.switches.answerFormat = 'prose';
    const result = await expectOk(
      gemini().analyzer.analyzeAndCategorize!(
        makeVideo(patternBytes(10), { filename: 'gut.mp4' }),
        makeBuckets(),
      ),
    );
    expect(result.analysis.summary).toBe('Fake summary of gut.mp4.');
  });

  it('fails with a final PROVIDER error on malformed JSON, and still deletes the file', async () => {
    server.switches.answerFormat = 'malformed';
    const error = await expectErrorCode(
      gemini().analyzer.analyzeAndCategorize!(
        makeVideo(patternBytes(10), { filename: 'gut.mp4' }),
        makeBuckets(),
      ),
      'PROVIDER',
    );
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/^Model answer/);
    expect(error).toMatchObject({ adapter: 'gemini', operation: 'analyzer.analyzeAndCategorize' });
    expect(server.liveFiles()).toEqual([]);
  });

  it('fails with a PROVIDER error naming the field when the summary is missing', async () => {
    server.enqueue('generate-content', { type: 'answer', text: '{"topics": ["x"]}' });
    const error = await expectErrorCode(
      gemini().analyzer.analyze(makeVideo(patternBytes(10))),
      'PROVIDER',
    );
    expect(error.path).toBe('summary');
  });

  it('fails with a final PROVIDER error when the prompt is blocked', async () => {
    server.enqueue('generate-content', { type: 'blocked', reason: 'SAFETY' });
    const error = await expectErrorCode(
      gemini().analyzer.analyze(makeVideo(patternBytes(10))),
      'PROVIDER',
    );
    expect(error.message).toContain('blocked (SAFETY)');
    expect(error.retryable).toBe(false);
  });

  it('reads a percentage confidence and a snake_case bucket name', async () => {
    server.enqueue('generate-content', {
      type: 'answer',
      text: '{"summary": "s", "bucket_name": "Gut Health", "confidence": "85%", "reasoning": "r"}',
    });
    const result = await expectOk(
      gemini().analyzer.analyzeAndCategorize!(makeVideo(patternBytes(10)), makeBuckets()),
    );
    expect(result.answer).toEqual({ bucketName: 'Gut Health', confidence: 0.85, reasoning: 'r' });
  });
});

describe('a ready client', () => {
  it('sends the SDK calls through the given client and the upload with the settings', async () => {
    const client = new GoogleGenAI({
      apiKey: server.apiKey,
      vertexai: false,
      httpOptions: { baseUrl: server.baseUrl, headers: { 'x-from-client': 'yes' } },
    });
    const { analyzer } = gemini({ client, headers: { 'x-from-settings': 'yes' } });
    await expectOk(analyzer.analyze(makeVideo(patternBytes(10))));
    for (const route of ['file-get', 'generate-content', 'file-delete'] as const) {
      expect(server.requestsTo(route)[0]?.headers['x-from-client']).toBe('yes');
    }
    expect(server.requestsTo('upload-start')[0]?.headers['x-from-settings']).toBe('yes');
    expect(server.requestsTo('upload-start')[0]?.headers['x-from-client']).toBeUndefined();
  });

  it('sends the headers setting with the SDK calls of its own client too', async () => {
    const { analyzer } = gemini({ headers: { 'x-team': 'growth' } });
    await expectOk(analyzer.analyze(makeVideo(patternBytes(10))));
    expect(server.requests.every((request) => request.headers['x-team'] === 'growth')).toBe(true);
  });
});
