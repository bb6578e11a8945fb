import {
  expectErrorCode,
  expectOk,
  type FakeGeminiServer,
  startFakeGeminiServer,
} from '@vbuckets/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGemini, type GeminiSettings } from '../src/index';
import { makeVideo, patternBytes, recordingSleep, unopenableVideo } from './gemini-test-helpers';

const KIB = 1024;
const CHUNK = 256 * KIB;

let server: FakeGeminiServer;

beforeEach(async () => {
  server = await startFakeGeminiServer();
});
afterEach(() => server.close());

function analyzer(settings: GeminiSettings = {}) {
  const sleeper = recordingSleep();
  return createGemini({
    apiKey: server.apiKey,
    baseURL: server.baseUrl,
    sleep: sleeper.sleep,
    clock: sleeper.clock,
    uploadChunkBytes: CHUNK,
    ...settings,
  }).analyzer;
}

function uploadedFile() {
  const files = [...server.files.values()];
  expect(files).toHaveLength(1);
  return files[0]!;
}

describe('resumable upload', () => {
  it('starts a session with the size, type and display name, as the SDK does', async () => {
    await expectOk(
      analyzer().analyze(
        makeVideo(patternBytes(5000), { filename: 'ad.webm', mimeType: 'video/webm' }),
      ),
    );
    const [start] = server.requestsTo('upload-start');
    expect(start?.path).toBe('/upload/v1beta/files');
    expect(start?.headers).toMatchObject({
      'x-goog-api-key': server.apiKey,
      'x-goog-upload-protocol': 'resumable',
      'x-goog-upload-command': 'start',
      'x-goog-upload-header-content-length': '5000',
      'x-goog-upload-header-content-type': 'video/webm',
      'content-type': 'application/json',
    });
    expect(start?.json).toEqual({
      file: { displayName: 'ad.webm', mimeType: 'video/webm', sizeBytes: '5000' },
    });
    expect(uploadedFile()).toMatchObject({ displayName: 'ad.webm', mimeType: 'video/webm' });
  });

  it('sends the bytes in chunks with the right offsets, finalizing with the last one', async () => {
    const bytes = patternBytes(3 * CHUNK + 1234, 7);
    await expectOk(analyzer().analyze(makeVideo(bytes)));

    const chunks = server.requestsTo('upload-chunk');
    expect(chunks.map((chunk) => chunk.headers['x-goog-upload-offset'])).toEqual([
      '0',
      String(CHUNK),
      String(2 * CHUNK),
      String(3 * CHUNK),
    ]);
    expect(chunks.map((chunk) => chunk.headers['x-goog-upload-command'])).toEqual([
      'upload',
      'upload',
      'upload',
      'upload, finalize',
    ]);
    expect(chunks.map((chunk) => chunk.bodyBytes)).toEqual([CHUNK, CHUNK, CHUNK, 1234]);
    expect(Buffer.from(uploadedFile().bytes).equals(Buffer.from(bytes))).toBe(true);
  });

  it('finalizes with a full chunk when the size is a multiple of the chunk size', async () => {
    const bytes = patternBytes(2 * CHUNK, 3);
    await expectOk(analyzer().analyze(makeVideo(bytes)));
    const chunks = server.requestsTo('upload-chunk');
    expect(chunks.map((chunk) => chunk.headers['x-goog-upload-command'])).toEqual([
      'upload',
      'upload, finalize',
    ]);
    expect(Buffer.from(uploadedFile().bytes).equals(Buffer.from(bytes))).toBe(true);
  });

  it('cuts stream chunks larger than an upload chunk', async () => {
    const bytes = patternBytes(2 * CHUNK + 99, 5);
    await expectOk(analyzer().analyze(makeVideo(bytes, { streamChunkBytes: 600 * KIB })));
    expect(server.requestsTo('upload-chunk').map((chunk) => chunk.bodyBytes)).toEqual([
      CHUNK,
      CHUNK,
      99,
    ]);
    expect(Buffer.from(uploadedFile().bytes).equals(Buffer.from(bytes))).toBe(true);
  });

  it('keeps no more than one upload chunk of the video in memory', async () => {
    const bytes = patternBytes(2 * 1024 * KIB, 9);
    const video = makeVideo(bytes, { streamChunkBytes: 64 * KIB });
    let largestLead = 0;
    video.onPull = (bytesPulled) => {
      const uploaded = server
        .requestsTo('upload-chunk')
        .reduce((sum, chunk) => sum + chunk.bodyBytes, 0);
      largestLead = Math.max(largestLead, bytesPulled - uploaded);
    };
    await expectOk(analyzer().analyze(video));
    // Pulled but not yet sent: at most the chunk being filled (reading it all first would be 2 MiB).
    expect(largestLead).toBeLessThanOrEqual(CHUNK);
    expect(largestLead).toBeGreaterThan(0);
    expect(video.bytesPulled).toBe(bytes.byteLength);
  });

  it('uploads an empty file as a single finalize', async () => {
    await expectOk(analyzer().analyze(makeVideo(new Uint8Array(0))));
    const chunks = server.requestsTo('upload-chunk');
    expect(
      chunks.map((chunk) => [chunk.headers['x-goog-upload-command'], chunk.bodyBytes]),
    ).toEqual([['upload, finalize', 0]]);
  });

  it('points the session URL at baseURL, as the SDK does behind a proxy', async () => {
    const rewriting: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const sessionUrl = response.headers.get('x-goog-upload-url');
      if (sessionUrl === null) return response;
      const headers = new Headers(response.headers);
      headers.set(
        'x-goog-upload-url',
        sessionUrl.replace(server.baseUrl, 'https://upload.example.invalid'),
      );
      return new Response(null, { status: response.status, headers });
    };
    await expectOk(analyzer({ fetch: rewriting }).analyze(makeVideo(patternBytes(10))));
    expect(server.requestsTo('upload-chunk')).toHaveLength(1);
  });
});

describe('upload failures', () => {
  it('refuses a stream shorter than sizeBytes without finalizing', async () => {
    const error = await expectErrorCode(
      analyzer().analyze(makeVideo(patternBytes(CHUNK + 10), { sizeBytes: CHUNK + 500 })),
      'VALIDATION',
    );
    expect(error.message).toContain('ended after 262154 bytes');
    expect(
      server.requestsTo('upload-chunk').map((chunk) => chunk.headers['x-goog-upload-command']),
    ).toEqual(['upload']);
    expect(server.files.size).toBe(0);
  });

  it('refuses a stream longer than sizeBytes without finalizing', async () => {
    const error = await expectErrorCode(
      analyzer().analyze(makeVideo(patternBytes(1000), { sizeBytes: 600 })),
      'VALIDATION',
    );
    expect(error.path).toBe('sizeBytes');
    expect(server.requestsTo('upload-chunk')).toHaveLength(0);
    expect(server.files.size).toBe(0);
  });

  it('passes on the error of a video that cannot be opened', async () => {
    await expectErrorCode(analyzer().analyze(unopenableVideo()), 'NOT_FOUND');
    expect(server.files.size).toBe(0);
  });

  it('reports a 5xx on a chunk as a retryable PROVIDER error', async () => {
    server.enqueue('upload-chunk', { type: 'server-error', status: 503 });
    const error = await expectErrorCode(
      analyzer().analyze(makeVideo(patternBytes(2 * CHUNK))),
      'PROVIDER',
    );
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(
      /^Uploading "clip.mp4" \(bytes 0\.\.262144 of 524288\) failed \(Gemini answered HTTP 503 UNAVAILABLE\)/,
    );
    expect(error).toMatchObject({ adapter: 'gemini', operation: 'analyzer.analyze' });
    expect(server.files.size).toBe(0);
  });

  it('reports a reset during the upload as a retryable PROVIDER error', async () => {
    server.enqueue('upload-start', { type: 'reset' });
    const error = await expectErrorCode(
      analyzer().analyze(makeVideo(patternBytes(10))),
      'PROVIDER',
    );
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('network error');
  });
});
