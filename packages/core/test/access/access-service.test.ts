import { describe, expect, it } from 'vitest';
import { createVBuckets, type VBucketsOptions } from '../../src/create-vbuckets';
import type { BlobStore } from '../../src/ports/blob-store';
import type { Actor } from '../../src/schemas/actor';
import {
  createManualClock,
  createMemoryBlobStore,
  createMemoryStore,
  createSequentialIdGenerator,
  type MemoryBlobStoreSettings,
} from '../../src/testing/index';
import { sampleVideoBytes } from '../domain/media-types/sample-video-bytes';

const START = '2026-03-01T12:00:00.000Z';
const START_SEC = Date.parse(START) / 1000;
const URLS: MemoryBlobStoreSettings = {
  presignBaseUrl: 'https://blobs.test/signed',
  publicBaseUrl: 'https://cdn.test',
};

async function setup(
  blobSettings: MemoryBlobStoreSettings = URLS,
  options: Partial<VBucketsOptions> = {},
) {
  const clock = createManualClock(START);
  const blobs = createMemoryBlobStore({ ...blobSettings, clock });
  const store = createMemoryStore();
  const sdk = createVBuckets({
    store,
    blobs,
    clock,
    ids: createSequentialIdGenerator('video'),
    ...options,
  })._unsafeUnwrap();
  const register = async (
    orgId: string,
    ownerId: string,
    visibility: 'public' | 'private',
    seed: number,
    productCategory?: string,
  ) => {
    const registered = await sdk.videos.register(
      { orgId },
      {
        filename: `clip-${seed}.mp4`,
        body: () => sampleVideoBytes('mp4', seed, 2048),
        ownerId,
        visibility,
        ...(productCategory === undefined ? {} : { productCategory }),
      },
    );
    clock.advance(1000);
    return registered._unsafeUnwrap().video;
  };
  const videos = {
    publicOwnOrg: await register('org-a', 'owner', 'public', 1, 'fitness'),
    publicOtherOrg: await register('org-b', 'user-b', 'public', 2, 'language_learning'),
    privateOfOwner: await register('org-a', 'owner', 'private', 3),
  };
  return { sdk, store, blobs, clock, videos };
}

const actors = {
  owner: { userId: 'owner', orgId: 'org-a', roles: [] },
  otherUserSameOrg: { userId: 'colleague', orgId: 'org-a', roles: ['editor'] },
  userOfAnotherOrg: { userId: 'user-b', orgId: 'org-b', roles: [] },
  adminOfSameOrg: { userId: 'boss-a', orgId: 'org-a', roles: ['admin'] },
  adminOfAnotherOrg: { userId: 'boss-b', orgId: 'org-b', roles: ['admin'] },
  anonymous: null,
} satisfies Record<string, Actor | null>;
type ActorName = keyof typeof actors;
type VideoName = 'publicOwnOrg' | 'publicOtherOrg' | 'privateOfOwner' | 'missing';

/** `public`: the permanent CDN URL; `presigned`: a one-hour signed URL; else the error code. */
type Outcome = 'public' | 'presigned' | 'NOT_FOUND' | 'UNAUTHENTICATED';

const authenticated = (privateOutcome: Outcome): Record<VideoName, Outcome> => ({
  publicOwnOrg: 'public',
  publicOtherOrg: 'public',
  privateOfOwner: privateOutcome,
  missing: 'NOT_FOUND',
});

const MATRIX: Record<ActorName, Record<VideoName, Outcome>> = {
  owner: authenticated('presigned'),
  otherUserSameOrg: authenticated('NOT_FOUND'),
  userOfAnotherOrg: authenticated('NOT_FOUND'),
  adminOfSameOrg: authenticated('presigned'),
  adminOfAnotherOrg: authenticated('NOT_FOUND'),
  anonymous: {
    publicOwnOrg: 'UNAUTHENTICATED',
    publicOtherOrg: 'UNAUTHENTICATED',
    privateOfOwner: 'UNAUTHENTICATED',
    missing: 'UNAUTHENTICATED',
  },
};

const cells = Object.entries(MATRIX).flatMap(([actor, row]) =>
  Object.entries(row).map(([video, outcome]) => [actor, video, outcome] as const),
);

describe('access.getVideoAccess: the access matrix', () => {
  it.each(cells)('%s × %s → %s', async (actorName, videoName, outcome) => {
    const { sdk, videos } = await setup();
    const video =
      videoName === 'missing' ? null : videos[videoName as Exclude<VideoName, 'missing'>];
    const videoId = video?.id ?? 'video-404';
    const result = await sdk.access.getVideoAccess(actors[actorName as ActorName], videoId);
    if (outcome === 'public') {
      expect(result._unsafeUnwrap()).toEqual({
        videoId,
        url: `https://cdn.test/${video?.blobKey}`,
        expiresIn: null,
        expiresAt: null,
        isPublic: true,
      });
    } else if (outcome === 'presigned') {
      expect(result._unsafeUnwrap()).toEqual({
        videoId,
        url: `https://blobs.test/signed/${video?.blobKey}?expires=${START_SEC + 3 + 3600}`,
        expiresIn: 3600,
        expiresAt: new Date(Date.parse(START) + 3000 + 3_600_000).toISOString(),
        isPublic: false,
      });
    } else {
      const error = result._unsafeUnwrapErr();
      expect(error.code).toBe(outcome);
      // "Not yours" reads exactly like "absent": no hint that a private video exists.
      if (outcome === 'NOT_FOUND') expect(error.message).toBe(`Video ${videoId} not found`);
    }
  });
});

describe('access.getVideoAccess: URLs and TTL', () => {
  it('presigns a public video when the blob store has no public URL for it', async () => {
    const { sdk, videos } = await setup({ presignBaseUrl: 'https://blobs.test/signed' });
    const access = (
      await sdk.access.getVideoAccess(actors.userOfAnotherOrg, videos.publicOwnOrg.id)
    )._unsafeUnwrap();
    expect(access).toMatchObject({ isPublic: true, expiresIn: 3600 });
    expect(access.url).toMatch(/^https:\/\/blobs\.test\/signed\/benchmarks\//);
  });

  it('presigns a private video even when its bytes sit in a public place', async () => {
    const { sdk, videos } = await setup();
    const access = (
      await sdk.access.getVideoAccess(actors.owner, videos.privateOfOwner.id)
    )._unsafeUnwrap();
    expect(access.url.startsWith('https://blobs.test/signed/videos/client_owner/')).toBe(true);
  });

  it('honours ttlSec up to 7 days and refuses more, zero or fractions with VALIDATION', async () => {
    const { sdk, videos } = await setup();
    const id = videos.privateOfOwner.id;
    const short = (
      await sdk.access.getVideoAccess(actors.owner, id, { ttlSec: 60 })
    )._unsafeUnwrap();
    expect(short.expiresIn).toBe(60);
    expect(short.url).toContain(`expires=${START_SEC + 3 + 60}`);
    const week = (
      await sdk.access.getVideoAccess(actors.owner, id, { ttlSec: 604_800 })
    )._unsafeUnwrap();
    expect(week.expiresIn).toBe(604_800);
    for (const ttlSec of [604_801, 0, -5, 1.5]) {
      const error = (
        await sdk.access.getVideoAccess(actors.owner, id, { ttlSec })
      )._unsafeUnwrapErr();
      expect(error.code).toBe('VALIDATION');
      expect(error.path).toBe('ttlSec');
    }
  });

  it('says STORAGE (not retryable) when a private video needs a URL the blob store cannot presign', async () => {
    const { sdk, videos } = await setup({ publicBaseUrl: 'https://cdn.test' });
    const error = (
      await sdk.access.getVideoAccess(actors.owner, videos.privateOfOwner.id)
    )._unsafeUnwrapErr();
    expect(error.code).toBe('STORAGE');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/^The blob store cannot presign URLs/);
    expect(error).toMatchObject({ adapter: 'access', operation: 'getVideoAccess' });
    // Public videos still work through the permanent URL.
    const open = await sdk.access.getVideoAccess(actors.owner, videos.publicOwnOrg.id);
    expect(open._unsafeUnwrap().url).toMatch(/^https:\/\/cdn\.test\//);
  });

  it('turns admin reads off with access.adminRole null, and honours another role name', async () => {
    const off = await setup(URLS, { access: { adminRole: null } });
    const refused = await off.sdk.access.getVideoAccess(
      actors.adminOfSameOrg,
      off.videos.privateOfOwner.id,
    );
    expect(refused._unsafeUnwrapErr().code).toBe('NOT_FOUND');
    const renamed = await setup(URLS, { access: { adminRole: 'owner-admin' } });
    const auditor = { userId: 'auditor', orgId: 'org-a', roles: ['owner-admin'] };
    const allowed = await renamed.sdk.access.getVideoAccess(
      auditor,
      renamed.videos.privateOfOwner.id,
    );
    expect(allowed.isOk()).toBe(true);
    const plainAdmin = await renamed.sdk.access.getVideoAccess(
      actors.adminOfSameOrg,
      renamed.videos.privateOfOwner.id,
    );
    expect(plainAdmin._unsafeUnwrapErr().code).toBe('NOT_FOUND');
  });

  it('refuses a malformed actor or video id with VALIDATION naming the field', async () => {
    const { sdk, videos } = await setup();
    const badActor = { userId: '', orgId: 'org-a', roles: [] };
    const actorError = (
      await sdk.access.getVideoAccess(badActor, videos.publicOwnOrg.id)
    )._unsafeUnwrapErr();
    expect(actorError).toMatchObject({ code: 'VALIDATION', path: 'userId' });
    const idError = (await sdk.access.getVideoAccess(actors.owner, ''))._unsafeUnwrapErr();
    expect(idError.code).toBe('VALIDATION');
  });
});

describe('access.listBenchmarks', () => {
  it('lists public videos of every org for anyone, newest first, with their public URL and no internals', async () => {
    const { sdk, videos } = await setup();
    const listed = (await sdk.access.listBenchmarks())._unsafeUnwrap();
    expect(listed.map((video) => video.videoId)).toEqual([
      videos.publicOtherOrg.id,
      videos.publicOwnOrg.id,
    ]);
    expect(listed[0]).toEqual({
      videoId: videos.publicOtherOrg.id,
      title: 'clip-2',
      filename: 'clip-2.mp4',
      mimeType: 'video/mp4',
      sizeBytes: videos.publicOtherOrg.sizeBytes,
      durationSec: null,
      productCategory: 'language_learning',
      createdAt: videos.publicOtherOrg.createdAt,
      url: `https://cdn.test/${videos.publicOtherOrg.blobKey}`,
    });
  });

  it('filters by product category and pages', async () => {
    const { sdk, videos } = await setup();
    const fitness = (
      await sdk.access.listBenchmarks({ productCategory: 'fitness' })
    )._unsafeUnwrap();
    expect(fitness.map((video) => video.videoId)).toEqual([videos.publicOwnOrg.id]);
    const second = (await sdk.access.listBenchmarks({ limit: 1, offset: 1 }))._unsafeUnwrap();
    expect(second.map((video) => video.videoId)).toEqual([videos.publicOwnOrg.id]);
    const error = (await sdk.access.listBenchmarks({ limit: 0 }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: 'VALIDATION', path: 'limit' });
    // A NUL in the category was a query that found nothing; it is a mistake to report.
    const nul = (
      await sdk.access.listBenchmarks({ productCategory: 'fit\u0000ness' })
    )._unsafeUnwrapErr();
    expect(nul).toMatchObject({ code: 'VALIDATION', path: 'productCategory' });
  });

  it('gives a null URL, never a presigned one, when the blob store serves no public URLs', async () => {
    const { sdk, blobs } = await setup({ presignBaseUrl: 'https://blobs.test/signed' });
    let presigned = 0;
    const presignGet = blobs.presignGet?.bind(blobs);
    (blobs as BlobStore).presignGet = (key, ttlSec) => {
      presigned += 1;
      return presignGet?.(key, ttlSec) as ReturnType<NonNullable<BlobStore['presignGet']>>;
    };
    const listed = (await sdk.access.listBenchmarks())._unsafeUnwrap();
    expect(listed).toHaveLength(2);
    expect(listed.every((video) => video.url === null)).toBe(true);
    expect(presigned).toBe(0);
  });

  it('asks the store for at most 100 videos when no limit is given', async () => {
    const { sdk, store } = await setup();
    const limits: Array<number | undefined> = [];
    const listPublic = store.videos.listPublic.bind(store.videos);
    store.videos.listPublic = (filter) => {
      limits.push(filter?.limit);
      return listPublic(filter);
    };
    (await sdk.access.listBenchmarks())._unsafeUnwrap();
    expect(limits).toEqual([100]);
  });
});
