import { afterEach, describe, expect, it } from 'vitest';
import { imageTokens, readJpegSize } from '../../src/fake-anthropic/fake-anthropic-images';
import { startFakeAnthropicServer } from '../../src/fake-anthropic/fake-anthropic-server';
import type {
  FakeAnthropicServer,
  FakeAnthropicServerOptions,
} from '../../src/fake-anthropic/fake-anthropic-types';

let server: FakeAnthropicServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: FakeAnthropicServerOptions = {}): Promise<FakeAnthropicServer> {
  server = await startFakeAnthropicServer(options);
  return server;
}

/** The headers of a JPEG, enough for its size to be read: SOI, APP0, SOF0 and EOI. */
function jpegHeader(width: number, height: number): Uint8Array {
  return new Uint8Array([
    0xff,
    0xd8,
    0xff,
    0xe0,
    0x00,
    0x10,
    0x4a,
    0x46,
    0x49,
    0x46,
    0x00,
    0x01,
    0x01,
    0x00,
    0x00,
    0x01,
    0x00,
    0x01,
    0x00,
    0x00,
    0xff,
    0xc0,
    0x00,
    0x11,
    0x08,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    0x03,
    0x01,
    0x22,
    0x00,
    0x02,
    0x11,
    0x01,
    0x03,
    0x11,
    0x01,
    0xff,
    0xd9,
  ]);
}

const analysisTool = {
  name: 'record_analysis',
  description: 'Records the analysis.',
  input_schema: {
    type: 'object',
    properties: {
      summary: { type: 'string' },
      pacing: { type: 'string', enum: ['slow', 'medium', 'fast'] },
      tags: { type: 'array', items: { type: 'string' } },
      unknownField: { type: 'number' },
      bucketName: { type: 'string', enum: ['Gut Health', 'none'] },
    },
    required: ['summary'],
  },
};

function messagesBody(options: { images?: Uint8Array[]; text?: string; mediaType?: string } = {}) {
  const content: unknown[] = [];
  for (const [index, image] of (options.images ?? []).entries()) {
    content.push({ type: 'text', text: `Frame ${index + 1}` });
    content.push({
      type: 'image',
      source: {
        type: 'base64',
        media_type: options.mediaType ?? 'image/jpeg',
        data: Buffer.from(image).toString('base64'),
      },
    });
  }
  content.push({ type: 'text', text: options.text ?? 'Describe gut.mp4.' });
  return {
    model: 'claude-test',
    max_tokens: 512,
    messages: [{ role: 'user', content }],
    tools: [analysisTool],
    tool_choice: { type: 'tool', name: 'record_analysis' },
  };
}

function post(
  fake: FakeAnthropicServer,
  body: unknown,
  headers: Record<string, string> = { 'x-api-key': fake.apiKey },
) {
  return fetch(`${fake.baseUrl}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
    body: JSON.stringify(body),
  });
}

describe('fake Anthropic Messages API', () => {
  it('answers a forced tool with a tool_use block filled from its schema, stop_reason and usage', async () => {
    const fake = await start({ bucketsByFilename: { 'gut.mp4': 'Gut Health' } });
    const response = await post(fake, messagesBody({ images: [jpegHeader(768, 432)] }));
    expect(response.status).toBe(200);
    expect(response.headers.get('request-id')).toMatch(/^req_/u);
    const message = (await response.json()) as {
      type: string;
      role: string;
      model: string;
      content: { type: string; id: string; name: string; input: Record<string, unknown> }[];
      stop_reason: string;
      usage: { input_tokens: number; output_tokens: number };
    };
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      stop_reason: 'tool_use',
    });
    expect(message.content).toHaveLength(1);
    expect(message.content[0]).toMatchObject({ type: 'tool_use', name: 'record_analysis' });
    expect(message.content[0]?.id).toMatch(/^toolu_/u);
    expect(message.content[0]?.input).toEqual({
      summary: 'Fake summary of gut.mp4 from 1 frames.',
      pacing: 'fast',
      tags: ['fake tag', 'gut.mp4'],
      unknownField: 0,
      bucketName: 'Gut Health',
    });
    expect(message.usage.input_tokens).toBeGreaterThanOrEqual(imageTokens(768, 432));
    expect(message.usage.output_tokens).toBeGreaterThan(0);
  });

  it('records each request with its headers, body and decoded images', async () => {
    const fake = await start();
    await post(fake, messagesBody({ images: [jpegHeader(160, 120), jpegHeader(320, 240)] }), {
      authorization: `Bearer ${fake.apiKey}`,
    });
    const [request] = fake.requestsTo('messages');
    expect(request?.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(request?.headers['anthropic-version']).toBe('2023-06-01');
    expect(request?.json).toMatchObject({ model: 'claude-test', max_tokens: 512 });
    expect(
      request?.images.map((image) => [image.width, image.height, image.precedingText]),
    ).toEqual([
      [160, 120, 'Frame 1'],
      [320, 240, 'Frame 2'],
    ]);
  });

  it('refuses a missing or wrong key with 401 authentication_error, and a missing version with 400', async () => {
    const fake = await start();
    const missing = await post(fake, messagesBody(), {});
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error', message: 'x-api-key header is required' },
    });
    const wrong = await post(fake, messagesBody(), { 'x-api-key': 'nope' });
    expect(wrong.status).toBe(401);
    const unversioned = await fetch(`${fake.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': fake.apiKey },
      body: JSON.stringify(messagesBody()),
    });
    expect(unversioned.status).toBe(400);
    expect(await unversioned.json()).toMatchObject({
      error: { type: 'invalid_request_error' },
    });
  });

  it('checks image blocks like the API: a JPEG declared as PNG is a 400', async () => {
    const fake = await start();
    const response = await post(
      fake,
      messagesBody({ images: [jpegHeader(10, 10)], mediaType: 'image/png' }),
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      'Image does not match the provided media type image/png',
    );
  });

  it('answers scripted 429, 529 and 500 with the API error body, status and retry-after', async () => {
    const fake = await start();
    fake.enqueue(
      { type: 'rate-limit', retryAfter: '7' },
      { type: 'overloaded', retryAfter: '3' },
      { type: 'server-error' },
      { type: 'unauthorized' },
    );
    const limited = await post(fake, messagesBody());
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await limited.json()).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error' },
    });
    const overloaded = await post(fake, messagesBody());
    expect(overloaded.status).toBe(529);
    expect(overloaded.headers.get('retry-after')).toBe('3');
    expect(await overloaded.json()).toMatchObject({
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
    const failed = await post(fake, messagesBody());
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ error: { type: 'api_error' } });
    expect((await post(fake, messagesBody())).status).toBe(401);
    expect((await post(fake, messagesBody())).status).toBe(200);
  });

  it('answers a refusal, a cut-off tool call, a text answer and a given tool input', async () => {
    const fake = await start();
    fake.enqueue(
      { type: 'refusal', explanation: 'Not this one.', category: 'general_harms' },
      { type: 'max-tokens' },
      { type: 'text', text: 'I would rather talk.' },
      { type: 'tool-input', input: { summary: 42 } },
    );
    const read = async () =>
      (await (await post(fake, messagesBody())).json()) as Record<string, unknown>;
    expect(await read()).toMatchObject({
      stop_reason: 'refusal',
      stop_details: { type: 'refusal', category: 'general_harms', explanation: 'Not this one.' },
    });
    expect(await read()).toMatchObject({
      stop_reason: 'max_tokens',
      content: [{ type: 'tool_use', input: {} }],
      usage: { output_tokens: 512 },
    });
    expect(await read()).toMatchObject({
      stop_reason: 'end_turn',
      content: [{ type: 'text', text: 'I would rather talk.' }],
    });
    expect(await read()).toMatchObject({ content: [{ type: 'tool_use', input: { summary: 42 } }] });
  });

  it('resets the connection when told to', async () => {
    const fake = await start();
    fake.enqueue({ type: 'reset' });
    await expect(post(fake, messagesBody())).rejects.toThrow();
    expect(fake.requestsTo('messages')).toHaveLength(1);
  });
});

describe('readJpegSize', () => {
  it('reads the size from the frame header and refuses what is not a JPEG', () => {
    expect(readJpegSize(jpegHeader(1280, 720))).toEqual({ width: 1280, height: 720 });
    expect(readJpegSize(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBeUndefined();
    expect(readJpegSize(jpegHeader(10, 10).subarray(0, 22))).toBeUndefined();
  });
});
