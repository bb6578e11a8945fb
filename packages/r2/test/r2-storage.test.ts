import { isSettingsError } from '@vbuckets/core';
import { expectErrorCode, expectOk } from '@vbuckets/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createR2Storage, type R2Storage } from '../src/index';
import { REGION, type S3Fixture, startS3Fixture } from './s3-fixture';

const PUBLIC = 'market-benchmarks';
const PRIVATE = 'client-assets';
let fixture: S3Fixture;
let storage: R2Storage;

beforeAll(async () => {
  fixture = await startS3Fixture([PUBLIC, PRIVATE]);
  storage = createR2Storage({
    endpoint: fixture.proxy.endpoint,
    region: REGION,
    credentials: fixture.server.credentials,
    forcePathStyle: true,
    publicBucket: PUBLIC,
    privateBucket: PRIVATE,
    publicBaseUrl: 'https://benchmarks.example.com',
  });
});
afterAll(async () => {
  await fixture?.close();
});

const bytes = (text: string) => new TextEncoder().encode(text);

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe('createR2Storage routing', () => {
  it('writes a public benchmark to the public bucket and answers its r2:// ref', async () => {
    const key = 'benchmarks/bench-1.mp4';
    const put = await expectOk(
      storage.put(key, bytes('benchmark'), { contentType: 'video/mp4', visibility: 'public' }),
    );
    expect(put.key).toBe(`r2://${PUBLIC}/${key}`);
    expect(put.sizeBytes).toBe(9);
    expect(await expectOk(storage.publicStore.head(key))).toMatchObject({ visibility: 'public' });
    expect(await expectOk(storage.privateStore.head(key))).toBeNull();

    expect(await expectOk(storage.head(put.key))).toEqual({
      key: put.key,
      sizeBytes: 9,
      contentType: 'video/mp4',
      visibility: 'public',
    });
    const object = await expectOk(storage.get(put.key));
    expect(object.key).toBe(put.key);
    expect(await text(object.body)).toBe('benchmark');
    expect(storage.publicUrl(put.key)).toBe(
      'https://benchmarks.example.com/benchmarks/bench-1.mp4',
    );
  });

  it('writes a client video to the private bucket by default', async () => {
    const key = 'videos/client_42/clip one ü.mov';
    const put = await expectOk(storage.put(key, bytes('client video')));
    expect(put.key).toBe(`r2://${PRIVATE}/${key}`);
    expect(await expectOk(storage.privateStore.head(key))).toMatchObject({ visibility: 'private' });
    expect(await expectOk(storage.publicStore.head(key))).toBeNull();
    expect(storage.publicUrl(put.key)).toBeNull();

    // A plain key means the private bucket.
    expect(await text((await expectOk(storage.get(key))).body)).toBe('client video');
    expect((await expectOk(storage.head(key)))?.key).toBe(key);
  });

  it('serves a private object through a presigned URL that the verifying proxy accepts', async () => {
    const put = await expectOk(storage.put('videos/client_7/presigned.mp4', bytes('secret')));
    const url = await expectOk(storage.presignGet(put.key, 120));
    expect(url).toContain(`/${PRIVATE}/videos/client_7/presigned.mp4?`);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('secret');
  });

  it('deletes by ref, and deleting again is not an error', async () => {
    const put = await expectOk(
      storage.put('benchmarks/gone.mp4', bytes('x'), { visibility: 'public' }),
    );
    await expectOk(storage.delete(put.key));
    await expectOk(storage.delete(put.key));
    expect(await expectOk(storage.head(put.key))).toBeNull();
    await expectErrorCode(storage.get(put.key), 'NOT_FOUND');
  });

  it('puts to the bucket a ref names, and refuses a visibility that contradicts it', async () => {
    const ref = `r2://${PUBLIC}/benchmarks/by-ref.mp4`;
    expect((await expectOk(storage.put(ref, bytes('r')))).key).toBe(ref);
    expect((await expectOk(storage.head(ref)))?.visibility).toBe('public');
    await expectErrorCode(storage.put(ref, bytes('r'), { visibility: 'private' }), 'VALIDATION');
  });

  it('refuses a ref to another bucket and a malformed ref with VALIDATION', async () => {
    await expectErrorCode(storage.get('r2://someone-elses/videos/a.mp4'), 'VALIDATION');
    await expectErrorCode(storage.head(`r2://${PRIVATE}/../a.mp4`), 'VALIDATION');
    await expectErrorCode(storage.presignGet('r2://nope', 60), 'VALIDATION');
    expect(storage.publicUrl('r2://someone-elses/a.mp4')).toBeNull();
  });

  it('keeps the presign limits of the bucket stores', async () => {
    await expectErrorCode(storage.presignGet(`r2://${PRIVATE}/a.mp4`, 604_801), 'VALIDATION');
  });
});

describe('createR2Storage settings', () => {
  const credentials = { accessKeyId: 'key', secretAccessKey: 'secret' };

  it('derives the R2 endpoint from the account id and presigns for it (no network)', async () => {
    const r2 = createR2Storage({
      accountId: 'abc123',
      credentials,
      publicBucket: PUBLIC,
      privateBucket: PRIVATE,
    });
    const url = new URL(await expectOk(r2.presignGet('videos/client_1/a.mp4')));
    expect(url.hostname).toBe(`${PRIVATE}.abc123.r2.cloudflarestorage.com`);
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(
      /^key\/\d{8}\/auto\/s3\/aws4_request$/u,
    );
    expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
  });

  it('throws nothing for the same bucket twice, a missing endpoint or unknown options: every call answers VALIDATION', async () => {
    const previous = process.env.R2_ENDPOINT_URL;
    delete process.env.R2_ENDPOINT_URL;
    try {
      const same = createR2Storage({
        accountId: 'abc',
        credentials,
        publicBucket: 'same',
        privateBucket: 'same',
      });
      const put = await expectErrorCode(same.put('a.mp4', new Uint8Array(1)), 'VALIDATION');
      expect(put).toMatchObject({ path: 'privateBucket', adapter: 'r2', operation: 'blobs.put' });
      expect(put.message).toMatch(/^Invalid R2 storage settings\.privateBucket: /u);
      expect(isSettingsError(put)).toBe(true);
      expect(await expectErrorCode(same.get('a.mp4'), 'VALIDATION')).toMatchObject({
        operation: 'blobs.get',
      });
      expect(await expectErrorCode(same.publicStore.head('a.mp4'), 'VALIDATION')).toMatchObject({
        path: 'privateBucket',
        adapter: 'r2',
        operation: 'blobs.head',
      });
      expect(same.publicUrl('a.mp4')).toBeNull();
      const noEndpoint = createR2Storage({
        credentials,
        publicBucket: PUBLIC,
        privateBucket: PRIVATE,
      });
      const missing = await expectErrorCode(noEndpoint.presignGet('a.mp4'), 'VALIDATION');
      expect(missing).toMatchObject({ path: 'endpoint', operation: 'blobs.presignGet' });
      expect(missing.message).toMatch(/^Invalid R2 storage settings\.endpoint: give accountId/u);
      const unknown = createR2Storage({
        accountId: 'abc',
        publicBucket: PUBLIC,
        privateBucket: PRIVATE,
        bucket: 'x',
      } as never);
      await expectErrorCode(unknown.delete('a.mp4'), 'VALIDATION');
    } finally {
      if (previous !== undefined) process.env.R2_ENDPOINT_URL = previous;
    }
  });
});
