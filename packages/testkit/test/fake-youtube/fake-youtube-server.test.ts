import { afterEach, describe, expect, it } from 'vitest';
import { startFakeYouTubeServer } from '../../src/fake-youtube/fake-youtube-server';
import type { FakeYouTubeServer } from '../../src/fake-youtube/fake-youtube-types';

const KIB256 = 256 * 1024;
let server: FakeYouTubeServer;

afterEach(async () => {
  await server?.close();
});

async function start(total: number, token = 'fake-youtube-token'): Promise<Response> {
  return fetch(
    `${server.baseUrl}/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'x-upload-content-length': String(total),
        'x-upload-content-type': 'video/mp4',
      },
      body: JSON.stringify({ snippet: { title: 'T' }, status: { privacyStatus: 'private' } }),
    },
  );
}

const put = (uri: string, range: string, body?: Uint8Array) =>
  fetch(uri, { method: 'PUT', headers: { 'content-range': range }, body: body ?? null });

describe('fake YouTube resumable upload', () => {
  it('opens a session, answers 308 with Range and finishes with the video resource', async () => {
    server = await startFakeYouTubeServer();
    const total = KIB256 + 10;
    const opened = await start(total);
    expect(opened.status).toBe(200);
    const uri = opened.headers.get('location') as string;
    expect(uri).toMatch(/upload_id=/u);
    const empty = await put(uri, `bytes */${total}`);
    expect(empty.status).toBe(308);
    expect(empty.headers.get('range')).toBeNull();
    const first = await put(uri, `bytes 0-${KIB256 - 1}/${total}`, new Uint8Array(KIB256));
    expect(first.status).toBe(308);
    expect(first.headers.get('range')).toBe(`bytes=0-${KIB256 - 1}`);
    const last = await put(
      uri,
      `bytes ${KIB256}-${total - 1}/${total}`,
      new Uint8Array(10).fill(7),
    );
    expect(last.status).toBe(200);
    const video = (await last.json()) as { id: string; snippet: unknown; status: unknown };
    expect(video.snippet).toEqual({ title: 'T' });
    expect(video.status).toEqual({ uploadStatus: 'uploaded', privacyStatus: 'private' });
    expect(server.videos.get(video.id)?.bytes.byteLength).toBe(total);
    const query = await put(uri, `bytes */${total}`);
    expect(query.status).toBe(200);
    expect(((await query.json()) as { id: string }).id).toBe(video.id);
    expect(server.acceptedBytes()).toBe(total);
  });

  it('refuses unaligned chunks, gaps, a bad token and unknown or expired sessions', async () => {
    server = await startFakeYouTubeServer();
    expect((await start(10, 'wrong')).status).toBe(401);
    const total = 3 * KIB256;
    const uri = (await start(total)).headers.get('location') as string;
    expect((await put(uri, `bytes 0-99/${total}`, new Uint8Array(100))).status).toBe(400);
    const gap = await put(
      uri,
      `bytes ${KIB256}-${2 * KIB256 - 1}/${total}`,
      new Uint8Array(KIB256),
    );
    expect(gap.status).toBe(400);
    const body = (await gap.json()) as {
      error: { code: number; errors: Array<{ reason: string }> };
    };
    expect(body.error.code).toBe(400);
    expect(body.error.errors[0]?.reason).toBe('badRequest');
    const unknown = uri.replace(/upload_id=[^&]+/u, 'upload_id=nope');
    expect((await put(unknown, `bytes */${total}`)).status).toBe(404);
    server.expireSession(new URL(uri).searchParams.get('upload_id') as string);
    expect((await put(uri, `bytes */${total}`)).status).toBe(404);
    expect(server.acceptedBytes()).toBe(0);
  });

  it('serves scripted failures once, in the Google error shape', async () => {
    server = await startFakeYouTubeServer();
    server.script({ route: 'start', failure: { kind: 'rate-limit', retryAfterSeconds: 9 } });
    const limited = await start(10);
    expect(limited.status).toBe(403);
    expect(limited.headers.get('retry-after')).toBe('9');
    const body = (await limited.json()) as {
      error: { errors: Array<{ reason: string; domain: string }> };
    };
    expect(body.error.errors[0]).toMatchObject({
      reason: 'quotaExceeded',
      domain: 'youtube.quota',
    });
    expect((await start(10)).status).toBe(200);
    expect(server.requests.map((request) => request.route)).toEqual(['start', 'start']);
  });

  it('injects random rate limits and transient failures with chaos, recording each', async () => {
    // Draws: 0.05 < rateLimitRate → 429; 0.2 → a failure, kind draw 0 → server-error;
    // 0.2 → a failure, kind draw 0.5 → reset; 0.9 → served normally.
    const draws = [0.05, 0.2, 0, 0.2, 0.5, 0.9];
    server = await startFakeYouTubeServer({
      chaos: {
        rateLimitRate: 0.1,
        failureRate: 0.2,
        retryAfterSeconds: 2,
        random: () => draws.shift() ?? 0.99,
      },
    });
    const limited = await start(10);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    const body = (await limited.json()) as { error: { errors: Array<{ reason: string }> } };
    expect(body.error.errors[0]?.reason).toBe('rateLimitExceeded');
    expect((await start(10)).status).toBe(503);
    await expect(start(10)).rejects.toThrow();
    expect((await start(10)).status).toBe(200);
    expect(server.requests.map((request) => request.injected)).toEqual([
      'rate-limit',
      'server-error',
      'reset',
      undefined,
    ]);
    expect(server.sessions.size).toBe(1);
  });

  it('a lost response still did the work: the video is finished, a status query finds it', async () => {
    let injectNext = false;
    server = await startFakeYouTubeServer({
      chaos: {
        failureRate: 0.5,
        failureKinds: ['lost-response'],
        random: () => (injectNext ? 0 : 0.9),
      },
    });
    const total = 10;
    const uri = (await start(total)).headers.get('location') as string;
    injectNext = true;
    await expect(put(uri, `bytes 0-9/${total}`, new Uint8Array(10).fill(3))).rejects.toThrow();
    injectNext = false;
    expect(server.videos.size).toBe(1);
    const query = await put(uri, `bytes */${total}`);
    expect(query.status).toBe(200);
    const [video] = [...server.videos.values()];
    expect(((await query.json()) as { id: string }).id).toBe(video?.id);
    expect(server.requests.map((request) => request.injected)).toEqual([
      undefined,
      'lost-response',
      undefined,
    ]);
  });

  it('answers every request latencyMs late, and refuses a negative latency', async () => {
    server = await startFakeYouTubeServer({ latencyMs: 120 });
    const started = performance.now();
    const opened = await start(10);
    expect(opened.status).toBe(200);
    const last = await put(
      opened.headers.get('location') as string,
      'bytes 0-9/10',
      new Uint8Array(10),
    );
    expect(last.status).toBe(200);
    // Two requests, each held 120 ms (timers may fire a millisecond early).
    expect(performance.now() - started).toBeGreaterThanOrEqual(2 * 120 - 2);
    await expect(startFakeYouTubeServer({ latencyMs: -1 })).rejects.toThrow(/latencyMs/u);
  });

  it('refuses chaos rates outside [0, 1]', async () => {
    await expect(startFakeYouTubeServer({ chaos: { failureRate: 1.5 } })).rejects.toThrow(
      /failureRate/u,
    );
    await expect(
      startFakeYouTubeServer({ chaos: { failureRate: 0.6, rateLimitRate: 0.6 } }),
    ).rejects.toThrow(/at most 1/u);
    // Valid chaos starts; afterEach closes it (and the previous test's server is closed).
    server = await startFakeYouTubeServer({ chaos: { failureRate: 0.05, rateLimitRate: 0.02 } });
    expect(server.baseUrl).toMatch(/^http:/u);
  });

  it('holds a scripted request until released, or for good without `until`', async () => {
    server = await startFakeYouTubeServer();
    const total = 2 * KIB256;
    const uri = (await start(total)).headers.get('location') as string;
    let release = () => {};
    const until = new Promise<void>((resolve) => {
      release = resolve;
    });
    server.script({ route: 'chunk', fromOffset: 1, failure: { kind: 'hold', until } });
    expect((await put(uri, `bytes 0-${KIB256 - 1}/${total}`, new Uint8Array(KIB256))).status).toBe(
      308,
    );
    const held = put(uri, `bytes ${KIB256}-${total - 1}/${total}`, new Uint8Array(KIB256).fill(1));
    let answered = false;
    void held.then(() => {
      answered = true;
    });
    while (server.requests.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answered).toBe(false);
    expect(server.acceptedBytes()).toBe(KIB256);
    release();
    expect((await held).status).toBe(200);
    expect(server.videos.size).toBe(1);

    server.script({ route: 'start', failure: { kind: 'hold' } });
    await expect(
      fetch(`${server.baseUrl}/upload/youtube/v3/videos?uploadType=resumable`, {
        method: 'POST',
        headers: { authorization: 'Bearer fake-youtube-token', 'x-upload-content-length': '1' },
        body: JSON.stringify({ snippet: { title: 'T' } }),
        signal: AbortSignal.timeout(200),
      }),
    ).rejects.toThrow();
    expect(server.sessions.size).toBe(1);
    expect((await start(10)).status).toBe(200);
    expect(server.sessions.size).toBe(2);
  });
});
