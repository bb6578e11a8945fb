import { createJwtActorResolver, createVBuckets, type VBuckets } from '@vbuckets/core';
import { createMemoryStore } from '@vbuckets/core/testing';
import { expectErrorCode, expectOk } from '@vbuckets/testkit';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createR2Storage } from '../src/index';
import { REGION, type S3Fixture, startS3Fixture } from './s3-fixture';

// The whole path of seeds 003/004: a client video and a market benchmark registered through
// core into the two R2 buckets, a JWT turned into an actor, and the URLs it gets fetched
// from a real S3 server whose proxy checks every signature.

const PUBLIC = 'market-benchmarks';
const PRIVATE = 'client-assets';
const SECRET = 'a-shared-secret-of-at-least-32-bytes!!';
const ISSUER = 'https://auth.vbuckets.test/';
const AUDIENCE = 'vbuckets-api';

let fixture: S3Fixture;
let vb: VBuckets;

/** An MP4 head (registration checks the content) and distinct bytes per seed. */
function mp4(seed: number, size = 300_000): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set([0, 0, 0, 0x20, ...new TextEncoder().encode('ftypisom'), 0, 0, 2, 0]);
  for (let index = 16; index < size; index += 1) bytes[index] = (index * 31 + seed * 17) % 251;
  return bytes;
}

function token(claims: { sub: string; org_id: string; roles?: string[] }): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(SECRET));
}

const resolver = createJwtActorResolver({ secret: SECRET, issuer: ISSUER, audience: AUDIENCE });

async function actorFor(claims: { sub: string; org_id: string; roles?: string[] }) {
  return expectOk(resolver._unsafeUnwrap().resolve(await token(claims)));
}

async function fetchBytes(url: string): Promise<{ status: number; bytes: Uint8Array }> {
  const response = await fetch(url);
  return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()) };
}

beforeAll(async () => {
  fixture = await startS3Fixture([PUBLIC, PRIVATE]);
  const blobs = createR2Storage({
    endpoint: fixture.proxy.endpoint,
    region: REGION,
    credentials: fixture.server.credentials,
    forcePathStyle: true,
    publicBucket: PUBLIC,
    privateBucket: PRIVATE,
    // s3rver serves objects without credentials, as a public R2 bucket's domain does.
    publicBaseUrl: `${fixture.server.endpoint}/${PUBLIC}`,
  });
  vb = createVBuckets({ store: createMemoryStore(), blobs })._unsafeUnwrap();
});
afterAll(async () => {
  await vb?.close();
  await fixture?.close();
});

describe('registry + R2 + JWT + access', () => {
  it('files a client video in the private bucket and a benchmark in the public one', async () => {
    const privateBytes = mp4(1);
    const { video: clientVideo } = await expectOk(
      vb.videos.register(
        { orgId: 'acme' },
        { filename: 'hook.mp4', body: () => privateBytes, ownerId: 'user-1' },
      ),
    );
    expect(clientVideo.blobKey).toBe(`r2://${PRIVATE}/videos/client_user-1/${clientVideo.id}.mp4`);
    const { video: benchmark } = await expectOk(
      vb.videos.register(
        { orgId: 'market' },
        {
          filename: 'winner.mp4',
          body: () => mp4(2),
          ownerId: 'curator',
          visibility: 'public',
          productCategory: 'language_learning',
        },
      ),
    );
    expect(benchmark.blobKey).toBe(`r2://${PUBLIC}/benchmarks/${benchmark.id}.mp4`);
    expect((await expectOk(vb.videos.verify({ orgId: 'acme' }, clientVideo.id))).status).toBe('ok');

    // The owner gets a presigned URL that the signature-checking server honours.
    const owner = await actorFor({ sub: 'user-1', org_id: 'acme' });
    const access = await expectOk(vb.access.getVideoAccess(owner, clientVideo.id));
    expect(access).toMatchObject({ isPublic: false, expiresIn: 3600 });
    expect(access.url).toContain('X-Amz-Signature=');
    const fetched = await fetchBytes(access.url);
    expect(fetched.status).toBe(200);
    expect(fetched.bytes).toEqual(privateBytes);

    // A tampered URL is refused by the server.
    // Change the id's last character to a different one (an id may already end in '0').
    const last = clientVideo.id.at(-1) === '0' ? '1' : '0';
    const tampered = access.url.replace(clientVideo.id, `${clientVideo.id.slice(0, -1)}${last}`);
    expect(tampered).not.toBe(access.url);
    expect((await fetch(tampered)).status).toBe(403);

    // Nobody else learns the private video exists; anyone signed in may watch the benchmark.
    const colleague = await actorFor({ sub: 'user-2', org_id: 'acme' });
    await expectErrorCode(vb.access.getVideoAccess(colleague, clientVideo.id), 'NOT_FOUND');
    const stranger = await actorFor({ sub: 'user-9', org_id: 'globex' });
    await expectErrorCode(vb.access.getVideoAccess(stranger, clientVideo.id), 'NOT_FOUND');
    const watched = await expectOk(vb.access.getVideoAccess(stranger, benchmark.id));
    expect(watched).toMatchObject({ isPublic: true, expiresIn: null });
    expect(watched.url).toBe(`${fixture.server.endpoint}/${PUBLIC}/benchmarks/${benchmark.id}.mp4`);
    expect((await fetchBytes(watched.url)).bytes).toEqual(mp4(2));
    await expectErrorCode(vb.access.getVideoAccess(null, benchmark.id), 'UNAUTHENTICATED');

    // Listing benchmarks needs no token and never shows private videos.
    const listed = await expectOk(
      vb.access.listBenchmarks({ productCategory: 'language_learning' }),
    );
    expect(listed.map((each) => [each.videoId, each.url])).toEqual([[benchmark.id, watched.url]]);
  });

  it('refuses an expired presigned URL', async () => {
    const { video } = await expectOk(
      vb.videos.register(
        { orgId: 'acme' },
        { filename: 'short-lived.mp4', body: () => mp4(3), ownerId: 'user-1' },
      ),
    );
    const owner = await actorFor({ sub: 'user-1', org_id: 'acme' });
    const access = await expectOk(vb.access.getVideoAccess(owner, video.id, { ttlSec: 60 }));
    expect((await fetch(access.url)).status).toBe(200);
    fixture.clock.offsetMs = 61_000;
    try {
      const expired = await fetch(access.url);
      expect(expired.status).toBe(403);
      expect(await expired.text()).toContain('Request has expired');
    } finally {
      fixture.clock.offsetMs = 0;
    }
  });
});
