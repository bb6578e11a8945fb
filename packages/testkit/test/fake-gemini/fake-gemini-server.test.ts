import { afterEach, describe, expect, it } from 'vitest';
import { formatRetryDelay } from '../../src/fake-gemini/fake-gemini-errors';
import { startFakeGeminiServer } from '../../src/fake-gemini/fake-gemini-server';
import type {
  FakeGeminiServer,
  FakeGeminiServerOptions,
} from '../../src/fake-gemini/fake-gemini-types';

let server: FakeGeminiServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: FakeGeminiServerOptions = {}): Promise<FakeGeminiServer> {
  server = await startFakeGeminiServer(options);
  return server;
}

function call(
  fake: FakeGeminiServer,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array } = {},
) {
  return fetch(`${fake.baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'x-goog-api-key': fake.apiKey, ...init.headers },
    body: init.body,
  });
}

async function startUpload(fake: FakeGeminiServer, size: number, displayName = 'a.mp4') {
  const response = await call(fake, '/upload/v1beta/files', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-goog-upload-protocol': 'resumable',
      'x-goog-upload-command': 'start',
      'x-goog-upload-header-content-length': String(size),
      'x-goog-upload-header-content-type': 'video/mp4',
    },
    body: JSON.stringify({ file: { displayName } }),
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('x-goog-upload-status')).toBe('active');
  return response.headers.get('x-goog-upload-url')!;
}

function sendChunk(url: string, bytes: Uint8Array, offset: number, command: string) {
  return fetch(url, {
    method: 'POST',
    headers: { 'x-goog-upload-command': command, 'x-goog-upload-offset': String(offset) },
    body: bytes,
  });
}

async function uploadFile(fake: FakeGeminiServer, bytes: Uint8Array, displayName = 'a.mp4') {
  const url = await startUpload(fake, bytes.byteLength, displayName);
  const response = await sendChunk(url, bytes, 0, 'upload, finalize');
  expect(response.headers.get('x-goog-upload-status')).toBe('final');
  return ((await response.json()) as { file: { name: string; uri: string; state: string } }).file;
}

function generate(fake: FakeGeminiServer, body: unknown, model = 'gemini-2.5-flash') {
  return call(fake, `/v1beta/models/${model}:generateContent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const textRequest = { contents: [{ role: 'user', parts: [{ text: 'hello' }] }] };

describe('fake Gemini Files API', () => {
  it('reassembles chunks, checks offsets and granularity, and reports PROCESSING then ACTIVE', async () => {
    const fake = await start({ processingPolls: 1, chunkGranularity: 4 });
    const url = await startUpload(fake, 10);
    expect((await sendChunk(url, new Uint8Array([1, 2, 3]), 0, 'upload')).status).toBe(400);
    expect((await sendChunk(url, new Uint8Array([1, 2, 3, 4]), 4, 'upload')).status).toBe(400);
    const first = await sendChunk(url, new Uint8Array([1, 2, 3, 4]), 0, 'upload');
    expect(first.headers.get('x-goog-upload-size-received')).toBe('4');
    const last = await sendChunk(url, new Uint8Array([5, 6, 7, 8, 9, 10]), 4, 'upload, finalize');
    const { file } = (await last.json()) as {
      file: { name: string; state: string; sizeBytes: string };
    };
    expect(file).toMatchObject({ state: 'PROCESSING', sizeBytes: '10' });
    expect([...fake.files.get(file.name)!.bytes]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    const states: string[] = [];
    for (let poll = 0; poll < 2; poll += 1) {
      states.push(
        ((await (await call(fake, `/v1beta/${file.name}`)).json()) as { state: string }).state,
      );
    }
    expect(states).toEqual(['PROCESSING', 'ACTIVE']);
  });

  it('refuses a finalize whose size differs from the announced one', async () => {
    const fake = await start();
    const url = await startUpload(fake, 10);
    expect((await sendChunk(url, new Uint8Array(5), 0, 'upload, finalize')).status).toBe(400);
    expect(fake.files.size).toBe(0);
  });

  it('ends processing FAILED with the error when told to', async () => {
    const fake = await start({
      processingPolls: 0,
      fileOutcome: { state: 'FAILED', message: 'bad codec' },
    });
    const file = await uploadFile(fake, new Uint8Array(3));
    const polled = (await (await call(fake, `/v1beta/${file.name}`)).json()) as Record<
      string,
      unknown
    >;
    expect(polled).toMatchObject({ state: 'FAILED', error: { message: 'bad codec' } });
  });

  it('deletes files, after which they are gone', async () => {
    const fake = await start();
    const file = await uploadFile(fake, new Uint8Array(3));
    expect((await call(fake, `/v1beta/${file.name}`, { method: 'DELETE' })).status).toBe(200);
    expect(fake.liveFiles()).toEqual([]);
    expect((await call(fake, `/v1beta/${file.name}`)).status).toBe(403);
    expect((await call(fake, `/v1beta/${file.name}`, { method: 'DELETE' })).status).toBe(403);
  });

  it('checks the API key like Google does', async () => {
    const fake = await start();
    const wrong = await call(fake, '/v1beta/files/x', { headers: { 'x-goog-api-key': 'nope' } });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({
      error: {
        status: 'INVALID_ARGUMENT',
        details: expect.arrayContaining([expect.objectContaining({ reason: 'API_KEY_INVALID' })]),
      },
    });
    const missing = await fetch(`${fake.baseUrl}/v1beta/files/x`);
    expect(missing.status).toBe(403);
  });
});

describe('fake generateContent', () => {
  it('answers the schema properties for the file, and refuses a file that is not ACTIVE', async () => {
    const fake = await start({ processingPolls: 0, bucketsByFilename: { 'gut.mp4': 'Gut' } });
    const file = await uploadFile(fake, new Uint8Array(3), 'gut.mp4');
    const request = {
      contents: [
        {
          role: 'user',
          parts: [{ fileData: { fileUri: file.uri, mimeType: 'video/mp4' } }, { text: 'go' }],
        },
      ],
      generationConfig: {
        responseMimeType: 'application/json',
        responseSchema: {
          type: 'OBJECT',
          properties: {
            summary: { type: 'STRING' },
            bucketName: { type: 'STRING' },
            extra: { type: 'NUMBER' },
          },
        },
      },
    };
    expect((await generate(fake, request)).status).toBe(400);
    await call(fake, `/v1beta/${file.name}`);
    const answer = (await (await generate(fake, request)).json()) as {
      candidates: { content: { parts: { text: string }[] } }[];
    };
    expect(JSON.parse(answer.candidates[0]!.content.parts[0]!.text)).toEqual({
      summary: 'Fake summary of gut.mp4.',
      bucketName: 'Gut',
      extra: 0,
    });
  });

  it('replays scripted behaviours in order, then answers normally', async () => {
    const fake = await start();
    fake.enqueue(
      'generate-content',
      { type: 'rate-limit', retryDelay: '7s' },
      { type: 'server-error' },
      { type: 'answer', text: 'plain words' },
    );
    const limited = await generate(fake, textRequest);
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({
      error: {
        code: 429,
        status: 'RESOURCE_EXHAUSTED',
        details: expect.arrayContaining([
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' },
        ]),
      },
    });
    expect((await generate(fake, textRequest)).status).toBe(503);
    const scripted = (await (await generate(fake, textRequest)).json()) as {
      candidates: { content: { parts: { text: string }[] } }[];
    };
    expect(scripted.candidates[0]!.content.parts[0]!.text).toBe('plain words');
    expect((await generate(fake, textRequest)).status).toBe(200);
    expect(fake.requestsTo('generate-content')).toHaveLength(4);
  });

  it('drops the connection on a scripted reset', async () => {
    const fake = await start();
    fake.enqueue('generate-content', { type: 'reset' });
    await expect(generate(fake, textRequest)).rejects.toThrow();
  });

  it('enforces a per-minute quota over a rolling window, with the delay until a slot frees', async () => {
    let now = 1_000_000;
    const fake = await start({ perMinuteQuota: 2, now: () => now });
    expect((await generate(fake, textRequest)).status).toBe(200);
    now += 20_000;
    expect((await generate(fake, textRequest)).status).toBe(200);
    now += 10_000;
    const limited = await generate(fake, textRequest);
    expect(limited.status).toBe(429);
    const body = (await limited.json()) as { error: { details: Record<string, unknown>[] } };
    // The first call leaves the window 60 s after it: 30 s from now.
    expect(body.error.details).toContainEqual({
      '@type': 'type.googleapis.com/google.rpc.RetryInfo',
      retryDelay: '30s',
    });
    now += 30_000;
    expect((await generate(fake, textRequest)).status).toBe(200);
    expect((await generate(fake, textRequest)).status).toBe(429);
  });

  it('scales the quota window down for benchmarks', async () => {
    let now = 0;
    const fake = await start({ perMinuteQuota: 1, quotaWindowMs: 1000, now: () => now });
    expect((await generate(fake, textRequest)).status).toBe(200);
    now = 250;
    const body = (await (await generate(fake, textRequest)).json()) as {
      error: { details: Record<string, unknown>[] };
    };
    expect(body.error.details).toContainEqual(expect.objectContaining({ retryDelay: '0.75s' }));
  });
});

describe('formatRetryDelay', () => {
  it('writes whole and fractional seconds as a protobuf Duration', () => {
    expect(formatRetryDelay(7000)).toBe('7s');
    expect(formatRetryDelay(1500)).toBe('1.5s');
    expect(formatRetryDelay(250)).toBe('0.25s');
  });
});
