import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isSettingsError } from '@vbuckets/core';
import {
  expectErrorCode,
  expectOk,
  listenOnLoopback,
  type ResultThenable,
} from '@vbuckets/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3BlobStore, MAX_PRESIGN_TTL_SEC } from '../src/index';
import { REGION, type S3Fixture, startS3Fixture } from './s3-fixture';

const MiB = 1024 * 1024;
const BUCKET = 'blobs';
let fixture: S3Fixture;

beforeAll(async () => {
  fixture = await startS3Fixture([BUCKET]);
});
afterAll(async () => {
  await fixture?.close();
});

/** Deterministic, incompressible-looking bytes made 1 MiB at a time. */
async function* generated(totalBytes: number, seed: number): AsyncGenerator<Uint8Array> {
  let state = seed * 2_654_435_761;
  for (let offset = 0; offset < totalBytes; offset += MiB) {
    const chunk = new Uint8Array(Math.min(MiB, totalBytes - offset));
    for (let index = 0; index < chunk.length; index += 4) {
      state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
      chunk[index] = state & 0xff;
      chunk[index + 1] = (state >>> 8) & 0xff;
      chunk[index + 2] = (state >>> 16) & 0xff;
      chunk[index + 3] = (state >>> 24) & 0xff;
    }
    yield chunk;
  }
}

async function digestOf(source: AsyncIterable<Uint8Array>) {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of source) {
    hash.update(chunk);
    size += chunk.byteLength;
  }
  return { size, sha256: hash.digest('hex') };
}

function requestsSince(start: number) {
  return fixture.proxy.requests.slice(start);
}

describe('multipart upload', () => {
  it('streams a ~20 MB body in 5 MiB parts and reports its size and SHA-256', async () => {
    const store = fixture.storeFor(BUCKET, { partSizeBytes: 5 * MiB, queueSize: 2 });
    const key = 'multipart/twenty.bin';
    const totalBytes = 20 * MiB + 123;
    const expected = await digestOf(generated(totalBytes, 7));
    const start = fixture.proxy.requests.length;

    const put = await expectOk(
      store.put(key, generated(totalBytes, 7), { contentType: 'video/mp4' }),
    );

    expect(put).toEqual({ key, sizeBytes: totalBytes, sha256: expected.sha256 });
    const seen = requestsSince(start);
    const parts = seen.filter((each) => each.method === 'PUT' && 'partNumber' in each.query);
    expect(parts.map((each) => Number(each.query.partNumber)).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(seen.filter((each) => each.method === 'POST' && 'uploads' in each.query)).toHaveLength(
      1,
    );
    expect(seen.filter((each) => each.method === 'POST' && 'uploadId' in each.query)).toHaveLength(
      1,
    );
    // Every request was header-signed and passed the proxy's own SigV4 check.
    expect(
      seen.every((each) => each.authorization === 'header' && each.outcome === 'forwarded'),
    ).toBe(true);

    const object = await expectOk(store.get(key));
    expect(object.sizeBytes).toBe(totalBytes);
    expect(object.contentType).toBe('video/mp4');
    expect(await digestOf(object.body)).toEqual({ size: totalBytes, sha256: expected.sha256 });
  });

  it('aborts the multipart upload when the put is aborted mid-stream, leaving nothing', async () => {
    const store = fixture.storeFor(BUCKET, { partSizeBytes: 5 * MiB, queueSize: 1 });
    const key = 'multipart/aborted.bin';
    const controller = new AbortController();
    let sent = 0;
    async function* stallsAfterTwelveMiB() {
      for await (const chunk of generated(12 * MiB, 3)) {
        sent += chunk.byteLength;
        yield chunk;
      }
      setTimeout(() => controller.abort(new Error('user cancelled')), 50);
      await new Promise(() => undefined);
    }
    const start = fixture.proxy.requests.length;
    await expectErrorCode(
      store.put(key, stallsAfterTwelveMiB(), { signal: controller.signal }),
      'CANCELLED',
    );
    expect(sent).toBe(12 * MiB);
    const seen = requestsSince(start);
    expect(seen.some((each) => each.method === 'PUT' && 'partNumber' in each.query)).toBe(true);
    expect(
      seen.filter((each) => each.method === 'DELETE' && 'uploadId' in each.query),
    ).toHaveLength(1);
    expect(seen.some((each) => each.method === 'POST' && 'uploadId' in each.query)).toBe(false);
    expect(await expectOk(store.head(key))).toBeNull();
  });

  it('aborts the multipart upload when the body fails after some parts', async () => {
    const store = fixture.storeFor(BUCKET, { partSizeBytes: 5 * MiB });
    const key = 'multipart/broken.bin';
    async function* failsAfterElevenMiB() {
      yield* generated(11 * MiB, 4);
      throw new Error('disk read failed');
    }
    const start = fixture.proxy.requests.length;
    const error = await expectErrorCode(store.put(key, failsAfterElevenMiB()), 'STORAGE');
    expect(error.message).toMatch(
      /^(Writing blobs\/multipart\/broken\.bin|Reading the body of "multipart\/broken\.bin") failed: /u,
    );
    expect(error).toMatchObject({ adapter: 's3', operation: 'blobs.put' });
    expect(
      requestsSince(start).filter((each) => each.method === 'DELETE' && 'uploadId' in each.query),
    ).toHaveLength(1);
    expect(await expectOk(store.head(key))).toBeNull();
  });
});

describe('presigned GET through the SigV4-verifying proxy', () => {
  const key = 'videos/client_7/a clip ü (1).mp4';
  const bytes = new TextEncoder().encode('presigned bytes');
  let store: ReturnType<S3Fixture['storeFor']>;

  beforeAll(async () => {
    store = fixture.storeFor(BUCKET);
    await expectOk(store.put(key, bytes, { contentType: 'video/mp4' }));
  });

  it('serves the bytes to a valid URL', async () => {
    const url = await expectOk(store.presignGet(key, 60));
    expect(url.startsWith(`${fixture.proxy.endpoint}/${BUCKET}/`)).toBe(true);
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('60');
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
    expect(fixture.proxy.requests.at(-1)).toMatchObject({
      authorization: 'presigned',
      outcome: 'forwarded',
    });
  });

  it('defaults to one hour', async () => {
    const url = await expectOk(store.presignGet(key));
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('3600');
  });

  it('refuses a URL whose key was changed with 403 SignatureDoesNotMatch', async () => {
    const url = await expectOk(store.presignGet(key, 60));
    const tampered = url.replace('client_7', 'client_8');
    expect(tampered).not.toBe(url);
    const response = await fetch(tampered);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('refuses a URL whose signature was changed with 403', async () => {
    const url = new URL(await expectOk(store.presignGet(key, 60)));
    const signature = url.searchParams.get('X-Amz-Signature')!;
    const flipped = (signature[0] === 'a' ? 'b' : 'a') + signature.slice(1);
    url.searchParams.set('X-Amz-Signature', flipped);
    const response = await fetch(url);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('refuses a URL whose expiry was stretched', async () => {
    const url = new URL(await expectOk(store.presignGet(key, 60)));
    url.searchParams.set('X-Amz-Expires', '600');
    expect((await fetch(url)).status).toBe(403);
  });

  it('refuses an expired URL with 403 AccessDenied "Request has expired"', async () => {
    const url = await expectOk(store.presignGet(key, 60));
    fixture.clock.offsetMs = 61_000;
    try {
      const response = await fetch(url);
      expect(response.status).toBe(403);
      const text = await response.text();
      expect(text).toContain('<Code>AccessDenied</Code>');
      expect(text).toContain('Request has expired');
    } finally {
      fixture.clock.offsetMs = 0;
    }
  });

  it('refuses a one-second URL two seconds later (real time)', async () => {
    const url = await expectOk(store.presignGet(key, 1));
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await fetch(url)).status).toBe(403);
  });

  it.each([0, -1, 1.5, Number.NaN, MAX_PRESIGN_TTL_SEC + 1])(
    'refuses ttlSec %s with VALIDATION',
    async (ttl) => {
      const error = await expectErrorCode(store.presignGet(key, ttl), 'VALIDATION');
      expect(error.path).toBe('ttlSec');
    },
  );

  it('accepts the 7-day maximum', async () => {
    const url = await expectOk(store.presignGet(key, MAX_PRESIGN_TTL_SEC));
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('604800');
  });

  it('refuses a hostile key with VALIDATION', async () => {
    await expectErrorCode(store.presignGet('../etc/passwd', 60), 'VALIDATION');
  });
});

describe('publicUrl', () => {
  it('is the public base URL plus the encoded key when the bucket is served publicly', () => {
    const store = fixture.storeFor(BUCKET, { publicBaseUrl: 'https://cdn.example.com/media/' });
    expect(store.publicUrl('benchmarks/a b ü#1.mp4')).toBe(
      'https://cdn.example.com/media/benchmarks/a%20b%20%C3%BC%231.mp4',
    );
    expect(store.publicUrl('../x')).toBeNull();
  });

  it('is null without a public base URL', () => {
    expect(fixture.storeFor(BUCKET).publicUrl('benchmarks/a.mp4')).toBeNull();
  });
});

describe('error mapping', () => {
  it('answers a missing object with NOT_FOUND on get and null on head', async () => {
    const store = fixture.storeFor(BUCKET);
    const error = await expectErrorCode(store.get('missing/nothing.bin'), 'NOT_FOUND');
    expect(error.message).toBe(`No object "missing/nothing.bin" in ${BUCKET}`);
    expect(error).toMatchObject({ adapter: 's3', operation: 'blobs.get' });
    expect(await expectOk(store.head('missing/nothing.bin'))).toBeNull();
  });

  it('answers a missing bucket with NOT_FOUND', async () => {
    await expectErrorCode(fixture.storeFor('no-such-bucket').get('a.bin'), 'NOT_FOUND');
  });

  it('maps a wrong secret (SignatureDoesNotMatch) to FORBIDDEN on every method', async () => {
    const store = fixture.storeFor(BUCKET, {
      credentials: {
        accessKeyId: fixture.server.credentials.accessKeyId,
        secretAccessKey: 'wrong',
      },
    });
    const results: ResultThenable<unknown>[] = [
      store.put('forbidden/a.bin', new Uint8Array(10)),
      store.get('forbidden/a.bin'),
      store.head('forbidden/a.bin'),
      store.delete('forbidden/a.bin'),
    ];
    for (const result of results) {
      const error = await expectErrorCode(result, 'FORBIDDEN');
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(
        /^(Writing|Reading|Reading the metadata of|Deleting) \S+ failed: access denied \(/u,
      );
      expect(error.adapter).toBe('s3');
      expect(error.operation).toMatch(/^blobs\.(put|get|head|delete)$/u);
    }
  });

  it('maps an unknown access key (InvalidAccessKeyId) to FORBIDDEN', async () => {
    const store = fixture.storeFor(BUCKET, {
      credentials: { accessKeyId: 'SOMEONE-ELSE', secretAccessKey: 'whatever' },
    });
    const error = await expectErrorCode(store.get('a.bin'), 'FORBIDDEN');
    expect(error.details?.s3Code).toBe('InvalidAccessKeyId');
  });

  describe('against a server answering S3 XML errors', () => {
    let server: Server;
    let endpoint: string;
    const answers: Array<{ status: number; code: string; headers?: Record<string, string> }> = [];

    beforeAll(async () => {
      server = createServer((request, response) => {
        request.resume();
        const answer = answers.shift() ?? { status: 500, code: 'InternalError' };
        response.writeHead(answer.status, { 'content-type': 'application/xml', ...answer.headers });
        response.end(
          request.method === 'HEAD'
            ? undefined
            : `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${answer.code}</Code><Message>fake ${answer.code}</Message></Error>`,
        );
      });
      endpoint = await listenOnLoopback(server);
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    const store = () =>
      createS3BlobStore({
        endpoint,
        region: REGION,
        bucket: BUCKET,
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
        forcePathStyle: true,
        maxAttempts: 1,
      });

    it('maps 503 SlowDown to retryable RATE_LIMITED with the Retry-After delay', async () => {
      answers.push({ status: 503, code: 'SlowDown', headers: { 'retry-after': '7' } });
      const error = await expectErrorCode(store().get('a.bin'), 'RATE_LIMITED');
      expect(error.retryable).toBe(true);
      expect(error.retryAfterMs).toBe(7_000);
    });

    it('maps 429 to RATE_LIMITED', async () => {
      answers.push({ status: 429, code: 'TooManyRequests' });
      const error = await expectErrorCode(store().put('a.bin', new Uint8Array(3)), 'RATE_LIMITED');
      expect(error.retryable).toBe(true);
    });

    it('maps 403 AccessDenied to FORBIDDEN, also on a bodiless HEAD', async () => {
      answers.push({ status: 403, code: 'AccessDenied' }, { status: 403, code: 'AccessDenied' });
      await expectErrorCode(store().get('a.bin'), 'FORBIDDEN');
      await expectErrorCode(store().head('a.bin'), 'FORBIDDEN');
    });

    it('maps a 500 to retryable STORAGE', async () => {
      answers.push({ status: 500, code: 'InternalError' });
      const error = await expectErrorCode(store().delete('a.bin'), 'STORAGE');
      expect(error.retryable).toBe(true);
    });

    it('maps a 400 to STORAGE that is not retryable', async () => {
      answers.push({ status: 400, code: 'InvalidArgument' });
      const error = await expectErrorCode(store().get('a.bin'), 'STORAGE');
      expect(error.retryable).toBe(false);
    });
  });

  it('maps an unreachable endpoint to retryable STORAGE', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const store = createS3BlobStore({
      endpoint: `http://127.0.0.1:${port}`,
      region: REGION,
      bucket: BUCKET,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      forcePathStyle: true,
      maxAttempts: 1,
    });
    const results: ResultThenable<unknown>[] = [
      store.get('a.bin'),
      store.put('a.bin', new Uint8Array(5)),
    ];
    for (const result of results) {
      const error = await expectErrorCode(result, 'STORAGE');
      expect(error.retryable).toBe(true);
      expect(error.details?.networkCode).toBe('ECONNREFUSED');
    }
  });
});

describe('prefix', () => {
  it('keeps every object under the prefix and hands keys back without it', async () => {
    const prefixed = fixture.storeFor(BUCKET, {
      prefix: '/tenant-a/',
      publicBaseUrl: 'https://cdn.example.com',
    });
    const root = fixture.storeFor(BUCKET);
    const key = `videos/${Date.now()}-prefixed.mp4`;
    const put = await expectOk(prefixed.put(key, new TextEncoder().encode('in a folder')));
    expect(put.key).toBe(key);
    expect(await expectOk(root.head(`tenant-a/${key}`))).toMatchObject({ sizeBytes: 11 });
    expect(await expectOk(root.head(key))).toBeNull();
    const object = await expectOk(prefixed.get(key));
    expect(object.key).toBe(key);
    expect(await new Response(object.body).text()).toBe('in a folder');
    expect(await expectOk(prefixed.head(key))).toMatchObject({ key, sizeBytes: 11 });
    const url = await expectOk(prefixed.presignGet(key, 60));
    expect((await fetch(url)).status).toBe(200);
    expect(prefixed.publicUrl(key)).toBe(`https://cdn.example.com/tenant-a/${key}`);
    await expectOk(prefixed.delete(key));
    expect(await expectOk(root.head(`tenant-a/${key}`))).toBeNull();
    // A key cannot climb out of the prefix, and a prefix must itself be a valid key.
    await expectErrorCode(prefixed.get('../outside.mp4'), 'VALIDATION');
    const climbing = fixture.storeFor(BUCKET, { prefix: 'a/../b' });
    const refused = await expectErrorCode(climbing.get(key), 'VALIDATION');
    expect(refused).toMatchObject({ path: 'prefix', adapter: 's3', operation: 'blobs.get' });
    expect(refused.message).toMatch(/^Invalid S3 blob store settings\.prefix "a\/\.\.\/b": /u);
  });
});

describe('settings', () => {
  const base = { region: REGION, bucket: BUCKET };

  it('throws nothing for a part size under 5 MiB: every call answers VALIDATION naming it', async () => {
    const start = fixture.proxy.requests.length;
    const store = createS3BlobStore({ ...base, partSizeBytes: MiB });
    const put = await expectErrorCode(store.put('a.bin', new Uint8Array(1)), 'VALIDATION');
    expect(put).toMatchObject({ path: 'partSizeBytes', adapter: 's3', operation: 'blobs.put' });
    expect(put.message).toMatch(/^Invalid S3 blob store settings\.partSizeBytes: /u);
    expect(isSettingsError(put)).toBe(true);
    const calls: Array<[string, ResultThenable<unknown>]> = [
      ['blobs.get', store.get('a.bin')],
      ['blobs.head', store.head('a.bin')],
      ['blobs.delete', store.delete('a.bin')],
      ['blobs.presignGet', store.presignGet('a.bin')],
    ];
    for (const [operation, call] of calls) {
      expect(await expectErrorCode(call, 'VALIDATION')).toMatchObject({ operation });
    }
    expect(store.publicUrl('a.bin')).toBeNull();
    expect(store.bucket).toBe(BUCKET);
    store.client.destroy();
    expect(fixture.proxy.requests.length).toBe(start);
  });

  it('refuses unknown options and a bad endpoint from every call', async () => {
    const unknown = createS3BlobStore({ ...base, bukket: 'x' } as never);
    expect((await expectErrorCode(unknown.head('a.bin'), 'VALIDATION')).path).toBe('');
    const ftp = createS3BlobStore({ ...base, endpoint: 'ftp://example.com' });
    expect((await expectErrorCode(ftp.get('a.bin'), 'VALIDATION')).path).toBe('endpoint');
  });

  it('sets the checksum options R2 and S3-compatible servers accept', async () => {
    const store = createS3BlobStore({
      ...base,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    expect(await store.client.config.requestChecksumCalculation()).toBe('WHEN_REQUIRED');
    expect(await store.client.config.responseChecksumValidation()).toBe('WHEN_REQUIRED');
  });
});

describe('a put the server refuses', () => {
  // lib-storage's other part uploaders kept reading (and waiting on) the body after the first
  // request failed, so a refused put on a stalled body never settled.
  it('fails at once and cancels the caller’s body, even when the body stalls', async () => {
    const store = fixture.storeFor(BUCKET, {
      partSizeBytes: 5 * MiB,
      queueSize: 4,
      credentials: {
        accessKeyId: fixture.server.credentials.accessKeyId,
        secretAccessKey: 'wrong',
      },
    });
    let cancelled = false;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent >= 6 * MiB) {
          await new Promise(() => undefined);
          return;
        }
        sent += MiB;
        controller.enqueue(new Uint8Array(MiB));
      },
      cancel() {
        cancelled = true;
      },
    });
    await expectErrorCode(store.put('refused/stalled.bin', body), 'FORBIDDEN');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(cancelled).toBe(true);
  });
});
