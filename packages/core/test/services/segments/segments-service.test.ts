import { errAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { isSettingsError, storageError } from '../../../src/errors';
import { createMemoryBlobStore, createMemoryStore } from '../../../src/testing/index';
import {
  acme,
  bytes,
  createSegment,
  globex,
  registerVideo,
  START,
  setUsage,
  setup,
} from './segments-setup';

const readBytes = async (context: ReturnType<typeof setup>, key: string) =>
  new Uint8Array(
    await new Response((await context.blobs.get(key))._unsafeUnwrap().body).arrayBuffer(),
  );

describe('segments.create', () => {
  it('stores the bytes under a segment key, counts their size and inserts the row', async () => {
    const context = setup();
    const video = await registerVideo(context);
    const segment = await createSegment(context, video.id, {
      body: () => bytes(9, 8, 7, 6),
      durationSec: 12.5,
      title: 'Hook',
      description: 'The first beat',
      tags: ['hook', 'neon', 'hook'],
    });
    expect(segment).toMatchObject({
      orgId: 'acme',
      ownerId: 'user_1',
      videoId: video.id,
      segmentType: 'processed',
      segmentNumber: 1,
      durationSec: 12.5,
      sizeBytes: 4,
      contentType: 'video/mp4',
      title: 'Hook',
      description: 'The first beat',
      tags: ['hook', 'neon'],
      socialUsage: [],
      createdAt: START,
      updatedAt: START,
    });
    expect(segment.blobKey).toMatch(
      new RegExp(`^segments/org_acme/video_${video.id}/[^/]+\\.mp4$`, 'u'),
    );
    expect(await readBytes(context, segment.blobKey)).toEqual(bytes(9, 8, 7, 6));
    expect((await context.vb.segments.get(acme, segment.id))._unsafeUnwrap()).toEqual(segment);
  });

  it('numbers segments after the highest of their type and honours a given number, id and owner', async () => {
    const context = setup();
    const video = await registerVideo(context);
    await createSegment(context, video.id);
    const second = await createSegment(context, video.id);
    expect(second.segmentNumber).toBe(2);
    const audio = await createSegment(context, video.id, {
      id: 'seg_audio',
      segmentType: 'audio',
      segmentNumber: 7,
      ownerId: 'user_2',
      contentType: 'audio/mpeg',
    });
    expect(audio).toMatchObject({ id: 'seg_audio', segmentNumber: 7, ownerId: 'user_2' });
    // No video extension for a type that is not a video.
    expect(audio.blobKey).not.toContain('seg_audio');
    expect(audio.blobKey).not.toMatch(/\.\w+$/u);
  });

  it('is NOT_FOUND for another org’s video and stores nothing', async () => {
    const context = setup();
    const video = await registerVideo(context);
    const before = context.blobs.keys();
    const error = (
      await context.vb.segments.create(globex, {
        videoId: video.id,
        body: () => bytes(1),
        durationSec: 1,
      })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('NOT_FOUND');
    expect(context.blobs.keys()).toEqual(before);
  });

  it('deletes the stored bytes when the insert is refused (a taken type and number)', async () => {
    const context = setup();
    const video = await registerVideo(context);
    await createSegment(context, video.id, { segmentNumber: 3 });
    const before = context.blobs.keys();
    const error = (
      await context.vb.segments.create(acme, {
        videoId: video.id,
        body: () => bytes(4, 4),
        durationSec: 1,
        segmentNumber: 3,
      })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('CONFLICT');
    expect(context.blobs.keys()).toEqual(before);
  });

  it.each([
    ['durationSec', { durationSec: -1 }],
    ['segmentType', { segmentType: 'trailer' }],
    ['tags.0', { tags: [' '] }],
    ['body', { body: bytes(1) }],
    ['blobKey', { blobKey: 'elsewhere.mp4' }],
  ])('refuses bad input naming %s', async (path, fields) => {
    const context = setup();
    const video = await registerVideo(context);
    const error = (
      await context.vb.segments.create(acme, {
        videoId: video.id,
        body: () => bytes(1),
        durationSec: 1,
        ...(fields as object),
      })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe(path);
    expect(error.message).toContain(path.split('.')[0]);
  });

  it('refuses a cross-org scope for writes', async () => {
    const context = setup();
    const video = await registerVideo(context);
    const error = (
      await context.vb.segments.create(
        { orgId: 'acme', allOrgs: true },
        { videoId: video.id, body: () => bytes(1), durationSec: 1 },
      )
    )._unsafeUnwrapErr();
    expect(error.code).toBe('FORBIDDEN');
  });
});

describe('segments.get and listByVideo', () => {
  it('hides other orgs’ segments as NOT_FOUND', async () => {
    const context = setup();
    const video = await registerVideo(context);
    const segment = await createSegment(context, video.id);
    expect((await context.vb.segments.get(globex, segment.id))._unsafeUnwrapErr().code).toBe(
      'NOT_FOUND',
    );
    expect((await context.vb.segments.listByVideo(globex, video.id))._unsafeUnwrapErr().code).toBe(
      'NOT_FOUND',
    );
    expect((await context.vb.segments.get(acme, ''))._unsafeUnwrapErr().path).toBe('');
  });

  it('lists every segment of the video by type, then number', async () => {
    const context = setup();
    const video = await registerVideo(context);
    const other = await registerVideo(context, { seed: 1 });
    await createSegment(context, video.id, { segmentNumber: 2 });
    await createSegment(context, video.id, { segmentType: 'audio', segmentNumber: 1 });
    await createSegment(context, video.id, { segmentNumber: 1 });
    await createSegment(context, other.id);
    const listed = (await context.vb.segments.listByVideo(acme, video.id))._unsafeUnwrap();
    expect(listed.map((segment) => [segment.segmentType, segment.segmentNumber])).toEqual([
      ['audio', 1],
      ['processed', 1],
      ['processed', 2],
    ]);
  });
});

describe('segments.list', () => {
  async function catalogue() {
    const context = setup();
    const video = await registerVideo(context);
    const short = await createSegment(context, video.id, { durationSec: 3, tags: ['hook'] });
    context.clock.advance(1000);
    const long = await createSegment(context, video.id, {
      durationSec: 30,
      tags: ['hook', 'story'],
    });
    context.clock.advance(1000);
    const mid = await createSegment(context, video.id, { durationSec: 10, ownerId: 'user_2' });
    await setUsage(context, short.id, [{ platform: 'tiktok', views: 5000, likes: 10 }]);
    await setUsage(context, long.id, [
      { platform: 'youtube', views: 100, likes: 60, shares: 20, comments: 20 },
    ]);
    return { context, short, long, mid };
  }

  it('sorts by the field and order asked, not always by creation (seed 004 ignored sortBy)', async () => {
    const { context, short, long, mid } = await catalogue();
    const ids = async (query: object) =>
      (await context.vb.segments.list(acme, query))._unsafeUnwrap().map((segment) => segment.id);
    expect(await ids({})).toEqual([mid.id, long.id, short.id]);
    expect(await ids({ sortBy: 'createdAt', sortOrder: 'asc' })).toEqual([
      short.id,
      long.id,
      mid.id,
    ]);
    expect(await ids({ sortBy: 'durationSec', sortOrder: 'desc' })).toEqual([
      long.id,
      mid.id,
      short.id,
    ]);
    expect(await ids({ sortBy: 'views' })).toEqual([short.id, long.id, mid.id]);
    expect(await ids({ sortBy: 'engagement' })).toEqual([long.id, short.id, mid.id]);
  });

  it('keeps only segments without usage for hasSocialMedia false (seed 004 ignored false)', async () => {
    const { context, short, long, mid } = await catalogue();
    const listed = async (hasSocialMedia: boolean) =>
      (await context.vb.segments.list(acme, { hasSocialMedia, sortOrder: 'asc' }))
        ._unsafeUnwrap()
        .map((segment) => segment.id);
    expect(await listed(false)).toEqual([mid.id]);
    expect(await listed(true)).toEqual([short.id, long.id]);
  });

  it('filters by duration, tags, platform, owner and type, and pages with limit and after', async () => {
    const { context, short, long, mid } = await catalogue();
    const ids = async (query: object) =>
      (await context.vb.segments.list(acme, { sortOrder: 'asc', ...query }))
        ._unsafeUnwrap()
        .map((segment) => segment.id);
    expect(await ids({ minDurationSec: 5, maxDurationSec: 10 })).toEqual([mid.id]);
    expect(await ids({ tags: ['hook', 'story'] })).toEqual([long.id]);
    expect(await ids({ platform: 'tiktok' })).toEqual([short.id]);
    expect(await ids({ ownerId: 'user_2' })).toEqual([mid.id]);
    expect(await ids({ segmentType: 'audio' })).toEqual([]);
    expect(await ids({ limit: 2 })).toEqual([short.id, long.id]);
    expect(await ids({ limit: 2, after: long.id })).toEqual([mid.id]);
    expect((await context.vb.segments.list(globex, {}))._unsafeUnwrap()).toEqual([]);
  });

  it.each([
    ['maxDurationSec', { minDurationSec: 10, maxDurationSec: 5 }],
    ['sortBy', { sortBy: 'likes' }],
    ['sortOrder', { sortOrder: 'up' }],
    ['hasSocialMedia', { hasSocialMedia: 'no' }],
    ['limit', { limit: 0 }],
    ['platform', { platform: 'myspace' }],
  ])('refuses a bad query naming %s', async (path, query) => {
    const { context } = await catalogue();
    const error = (await context.vb.segments.list(acme, query as object))._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe(path);
    expect(error.message).toContain(`query.${path}`);
  });
});

describe('segments.update', () => {
  it('changes every editable field and writes the usage entries (seed 004 lost usage updates)', async () => {
    const context = setup();
    const video = await registerVideo(context);
    const segment = await createSegment(context, video.id);
    context.clock.advance(60_000);
    const updated = (
      await context.vb.segments.update(acme, segment.id, {
        segmentType: 'thumbnail',
        segmentNumber: 4,
        title: 'Cold open',
        description: 'Neon',
        tags: ['intro'],
        usage: [
          {
            platform: 'instagram',
            postId: 'ig-1',
            postUrl: 'https://instagram.com/p/ig-1',
            postedAt: '2026-04-01T08:00:00.000Z',
            views: 200,
            likes: 30,
            shares: 5,
            comments: 5,
          },
          { platform: 'tiktok', views: 1000 },
        ],
      })
    )._unsafeUnwrap();
    expect(updated).toMatchObject({
      segmentType: 'thumbnail',
      segmentNumber: 4,
      title: 'Cold open',
      description: 'Neon',
      tags: ['intro'],
      updatedAt: '2026-04-01T09:01:00.000Z',
    });
    expect(updated.socialUsage).toMatchObject([
      {
        platform: 'instagram',
        postId: 'ig-1',
        postUrl: 'https://instagram.com/p/ig-1',
        postedAt: '2026-04-01T08:00:00.000Z',
        views: 200,
        likes: 30,
        shares: 5,
        comments: 5,
        engagementRate: 0.2,
        lastSyncedAt: null,
      },
      { platform: 'tiktok', views: 1000, likes: 0, postId: null, engagementRate: 0 },
    ]);
    // Persisted, not only answered.
    expect((await context.vb.segments.get(acme, segment.id))._unsafeUnwrap()).toEqual(updated);
  });

  it('keeps what an entry does not give: other platforms, other counts, the post', async () => {
    const context = setup();
    const video = await registerVideo(context);
    const segment = await createSegment(context, video.id);
    await setUsage(context, segment.id, [
      { platform: 'youtube', postId: 'yt-9', views: 100, likes: 10, clicks: 4 },
      { platform: 'tiktok', views: 50 },
    ]);
    const updated = await setUsage(context, segment.id, [{ platform: 'youtube', likes: 12 }]);
    expect(updated.socialUsage).toMatchObject([
      { platform: 'tiktok', views: 50 },
      { platform: 'youtube', postId: 'yt-9', views: 100, likes: 12, clicks: 4 },
    ]);
    const cleared = (
      await context.vb.segments.update(acme, segment.id, { title: null, description: null })
    )._unsafeUnwrap();
    expect(cleared.socialUsage).toEqual(updated.socialUsage);
  });

  it('writes nothing when any part fails (one transaction)', async () => {
    const context = setup();
    const video = await registerVideo(context);
    const segment = await createSegment(context, video.id, { title: 'Before' });
    await createSegment(context, video.id, { segmentNumber: 9 });
    const error = (
      await context.vb.segments.update(acme, segment.id, {
        title: 'After',
        usage: [{ platform: 'youtube', views: 10 }],
        segmentNumber: 9,
      })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('CONFLICT');
    const stored = (await context.vb.segments.get(acme, segment.id))._unsafeUnwrap();
    expect(stored.title).toBe('Before');
    expect(stored.socialUsage).toEqual([]);
  });

  it.each([
    ['videoId', { videoId: 'v2' }, 'changes only through create'],
    ['sizeBytes', { sizeBytes: 3 }, 'changes only through create or split'],
    ['ownerId', { ownerId: 'u' }, 'not a field update accepts'],
    ['usage.0.views', { usage: [{ platform: 'youtube', views: -1 }] }, 'at least 0'],
    ['usage.1.platform', { usage: [{ platform: 'tiktok' }, { platform: 'tiktok' }] }, 'tiktok'],
    ['usage.0.postedAt', { usage: [{ platform: 'tiktok', postedAt: 'yesterday' }] }, ''],
    ['segmentType', { segmentType: 'trailer' }, ''],
  ])('refuses %s naming it', async (path, patch, words) => {
    const context = setup();
    const video = await registerVideo(context);
    const segment = await createSegment(context, video.id);
    const error = (
      await context.vb.segments.update(acme, segment.id, patch as object)
    )._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe(path);
    expect(error.message).toContain(`update.${path}`);
    expect(error.message).toContain(words);
  });

  it('is NOT_FOUND for another org’s segment', async () => {
    const context = setup();
    const video = await registerVideo(context);
    const segment = await createSegment(context, video.id);
    const error = (
      await context.vb.segments.update(globex, segment.id, { title: 'x' })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('NOT_FOUND');
    expect((await context.vb.segments.get(acme, segment.id))._unsafeUnwrap().title).toBeNull();
  });
});

describe('segments.delete', () => {
  it('deletes the row and its usage, then its bytes', async () => {
    const context = setup();
    const video = await registerVideo(context);
    const segment = await createSegment(context, video.id);
    await setUsage(context, segment.id, [{ platform: 'youtube', views: 3 }]);
    const deleted = (await context.vb.segments.delete(acme, segment.id))._unsafeUnwrap();
    expect(deleted).toMatchObject({ blobLeft: null, blobKept: false });
    expect(deleted.segment.id).toBe(segment.id);
    expect(context.blobs.keys()).not.toContain(segment.blobKey);
    expect((await context.vb.segments.get(acme, segment.id))._unsafeUnwrapErr().code).toBe(
      'NOT_FOUND',
    );
  });

  it('never deletes the video’s bytes for its original segment', async () => {
    const context = setup();
    const video = await registerVideo(context);
    (await context.vb.uploads.upload(acme, video.id, 'youtube'))._unsafeUnwrap();
    const [original] = (await context.vb.segments.listByVideo(acme, video.id))._unsafeUnwrap();
    expect(original).toMatchObject({ segmentType: 'original', blobKey: video.blobKey });
    const deleted = (await context.vb.segments.delete(acme, original!.id))._unsafeUnwrap();
    expect(deleted).toMatchObject({ blobKept: true, blobLeft: null });
    expect(context.blobs.keys()).toContain(video.blobKey);
    expect((await context.vb.videos.verify(acme, video.id))._unsafeUnwrap()).toMatchObject({
      status: 'ok',
    });
  });

  it('keeps the row deleted and reports the bytes when their delete fails', async () => {
    const blobs = createMemoryBlobStore();
    let failDeletes = false;
    const flaky = {
      ...blobs,
      delete: (key: string) =>
        failDeletes ? errAsync(storageError(`delete of ${key} failed`)) : blobs.delete(key),
    };
    const context = setup({ blobs: flaky });
    const video = await registerVideo(context);
    const segment = await createSegment(context, video.id);
    failDeletes = true;
    const deleted = (await context.vb.segments.delete(acme, segment.id))._unsafeUnwrap();
    expect(deleted.blobLeft).toBe(segment.blobKey);
    expect(context.warnings.join('\n')).toContain(segment.blobKey);
    expect((await context.vb.segments.get(acme, segment.id))._unsafeUnwrapErr().code).toBe(
      'NOT_FOUND',
    );
  });

  it('deletes nothing of another org’s segment', async () => {
    const context = setup();
    const video = await registerVideo(context);
    const segment = await createSegment(context, video.id);
    expect((await context.vb.segments.delete(globex, segment.id))._unsafeUnwrapErr().code).toBe(
      'NOT_FOUND',
    );
    expect(context.blobs.keys()).toContain(segment.blobKey);
  });
});

describe('segments.downloadUrl', () => {
  async function owned() {
    const context = setup();
    const video = await registerVideo(context, { ownerId: 'user_1' });
    const segment = await createSegment(context, video.id);
    return { context, segment };
  }

  it('presigns the bytes for the owner, with the expiry', async () => {
    const { context, segment } = await owned();
    const download = (
      await context.vb.segments.downloadUrl(
        { userId: 'user_1', orgId: 'acme', roles: [] },
        segment.id,
        { ttlSec: 600 },
      )
    )._unsafeUnwrap();
    expect(download).toMatchObject({
      segmentId: segment.id,
      expiresIn: 600,
      expiresAt: '2026-04-01T09:10:00.000Z',
    });
    expect(download.url).toContain(segment.blobKey);
  });

  it('serves an admin of the org, and nobody else (NOT_FOUND, as for a missing segment)', async () => {
    const { context, segment } = await owned();
    const admin = { userId: 'boss', orgId: 'acme', roles: ['admin'] };
    expect((await context.vb.segments.downloadUrl(admin, segment.id)).isOk()).toBe(true);
    const answers = await Promise.all([
      context.vb.segments.downloadUrl({ userId: 'user_2', orgId: 'acme', roles: [] }, segment.id),
      context.vb.segments.downloadUrl(
        { userId: 'user_1', orgId: 'globex', roles: ['admin'] },
        segment.id,
      ),
      context.vb.segments.downloadUrl(admin, 'missing'),
    ]);
    for (const answer of answers) {
      expect(answer._unsafeUnwrapErr().code).toBe('NOT_FOUND');
    }
    expect(answers[0]!._unsafeUnwrapErr().message).toBe(answers[1]!._unsafeUnwrapErr().message);
  });

  it('is UNAUTHENTICATED without an actor and STORAGE when the blob store cannot presign', async () => {
    const { context, segment } = await owned();
    expect((await context.vb.segments.downloadUrl(null, segment.id))._unsafeUnwrapErr().code).toBe(
      'UNAUTHENTICATED',
    );
    const local = setup({ blobs: createMemoryBlobStore() });
    const video = await registerVideo(local);
    const other = await createSegment(local, video.id);
    const error = (
      await local.vb.segments.downloadUrl({ userId: 'user_1', orgId: 'acme', roles: [] }, other.id)
    )._unsafeUnwrapErr();
    expect(error.code).toBe('STORAGE');
  });

  it('follows access.adminRole (null: owners only)', async () => {
    const context = setup({ access: { adminRole: null } });
    const video = await registerVideo(context);
    const segment = await createSegment(context, video.id);
    const error = (
      await context.vb.segments.downloadUrl(
        { userId: 'boss', orgId: 'acme', roles: ['admin'] },
        segment.id,
      )
    )._unsafeUnwrapErr();
    expect(error.code).toBe('NOT_FOUND');
  });
});

describe('segments.open', () => {
  it('streams the bytes to the owner and an admin, with the segment, even where nothing presigns', async () => {
    const context = setup({ blobs: createMemoryBlobStore() });
    const video = await registerVideo(context, { ownerId: 'user_1' });
    const segment = await createSegment(context, video.id, { body: () => bytes(4, 5, 6) });
    for (const reader of [
      { userId: 'user_1', orgId: 'acme', roles: [] },
      { userId: 'boss', orgId: 'acme', roles: ['admin'] },
    ]) {
      const opened = (await context.vb.segments.open(reader, segment.id))._unsafeUnwrap();
      expect(opened.segment).toEqual(segment);
      expect(opened.object.sizeBytes).toBe(3);
      expect(new Uint8Array(await new Response(opened.object.body).arrayBuffer())).toEqual(
        bytes(4, 5, 6),
      );
    }
  });

  it('hides the segment from anyone else (NOT_FOUND) and needs an actor', async () => {
    const context = setup();
    const video = await registerVideo(context, { ownerId: 'user_1' });
    const segment = await createSegment(context, video.id);
    const refused = await Promise.all([
      context.vb.segments.open({ userId: 'user_2', orgId: 'acme', roles: [] }, segment.id),
      context.vb.segments.open({ userId: 'user_1', orgId: 'globex', roles: ['admin'] }, segment.id),
    ]);
    for (const answer of refused) expect(answer._unsafeUnwrapErr().code).toBe('NOT_FOUND');
    expect((await context.vb.segments.open(null, segment.id))._unsafeUnwrapErr().code).toBe(
      'UNAUTHENTICATED',
    );
  });
});

describe('segments.analytics and analyticsBy', () => {
  it('analyses a segment’s usage, its top platform the most engaged one (seed 004 took the most viewed)', async () => {
    const context = setup();
    const video = await registerVideo(context);
    const segment = await createSegment(context, video.id);
    await setUsage(context, segment.id, [
      { platform: 'youtube', views: 10_000, likes: 5 },
      { platform: 'tiktok', views: 800, likes: 120, shares: 30, comments: 40 },
    ]);
    const analytics = (await context.vb.segments.analytics(acme, segment.id))._unsafeUnwrap();
    expect(analytics.topPlatform).toBe('tiktok');
    expect(analytics.totals).toEqual({ views: 10_800, likes: 125, shares: 30, comments: 40 });
    expect(analytics.platformCount).toBe(2);
  });

  it('answers the empty shape for a segment never posted', async () => {
    const context = setup();
    const video = await registerVideo(context);
    const segment = await createSegment(context, video.id);
    expect((await context.vb.segments.analytics(acme, segment.id))._unsafeUnwrap()).toEqual({
      totals: { views: 0, likes: 0, shares: 0, comments: 0 },
      engagementRate: null,
      averageEngagementRate: null,
      platforms: [],
      topPlatform: null,
      platformCount: 0,
    });
    expect((await context.vb.segments.analytics(globex, segment.id))._unsafeUnwrapErr().code).toBe(
      'NOT_FOUND',
    );
  });

  it('groups usage by platform and tag, filtered like a list', async () => {
    const context = setup();
    const video = await registerVideo(context);
    const first = await createSegment(context, video.id, { tags: ['hook'] });
    const second = await createSegment(context, video.id, { tags: ['hook', 'story'] });
    await setUsage(context, first.id, [{ platform: 'youtube', views: 100, likes: 10 }]);
    await setUsage(context, second.id, [
      { platform: 'youtube', views: 50, likes: 5 },
      { platform: 'tiktok', views: 20, comments: 2 },
    ]);
    const byPlatform = (await context.vb.segments.analyticsBy(acme, 'platform'))._unsafeUnwrap();
    expect(byPlatform).toMatchObject([
      { key: 'tiktok', segments: 1, views: 20, comments: 2 },
      { key: 'youtube', segments: 2, views: 150, likes: 15 },
    ]);
    const byTag = (
      await context.vb.segments.analyticsBy(acme, 'tag', { tags: ['story'] })
    )._unsafeUnwrap();
    expect(byTag).toMatchObject([
      { key: 'hook', segments: 1, views: 70 },
      { key: 'story', segments: 1, views: 70 },
    ]);
  });

  it('needs productId to group by bucket, and names bad arguments', async () => {
    const context = setup();
    const missing = (await context.vb.segments.analyticsBy(acme, 'bucket'))._unsafeUnwrapErr();
    expect(missing).toMatchObject({ code: 'VALIDATION', path: 'productId' });
    const group = (await context.vb.segments.analyticsBy(acme, 'mood' as 'tag'))._unsafeUnwrapErr();
    expect(group.message).toContain('groupBy');
    const filter = (
      await context.vb.segments.analyticsBy(acme, 'platform', { hasSocialMedia: 1 as never })
    )._unsafeUnwrapErr();
    expect(filter).toMatchObject({ code: 'VALIDATION', path: 'hasSocialMedia' });
  });
});

describe('segments settings', () => {
  it('answers every call with a settings error for two metrics sources of one platform', async () => {
    const source = {
      specificationVersion: 'v1' as const,
      platform: 'youtube',
      maxPostsPerCall: 50,
      fetch: () => errAsync(storageError('unused')),
    };
    const context = setup({ metricsSources: [source, { ...source }] });
    const error = (await context.vb.segments.get(acme, 'any'))._unsafeUnwrapErr();
    expect(isSettingsError(error)).toBe(true);
    expect(error.path).toBe('metricsSources.1.platform');
    expect(error.message).toContain('second MetricsSource for youtube');
  });

  it.each([
    ['metricsSources.0.platform', { metricsSources: [{ platform: 'myspace' }] }],
    ['metricsSources.0.maxPostsPerCall', { metricsSources: [{ maxPostsPerCall: 0 }] }],
    ['maxRateLimitRetries', { segments: { maxRateLimitRetries: 99 } }],
    ['requestsPerMinute.youtube', { segments: { requestsPerMinute: { youtube: -1 } } }],
  ])('names the bad setting %s', async (path, options) => {
    const base = {
      specificationVersion: 'v1' as const,
      platform: 'tiktok',
      maxPostsPerCall: 10,
      fetch: () => errAsync(storageError('unused')),
    };
    const given = options as { metricsSources?: object[]; segments?: object };
    const context = setup({
      store: createMemoryStore(),
      ...(given.metricsSources === undefined
        ? {}
        : { metricsSources: given.metricsSources.map((each) => ({ ...base, ...each })) as never }),
      ...(given.segments === undefined ? {} : { segments: given.segments as never }),
    });
    const error = (await context.vb.segments.list(acme))._unsafeUnwrapErr();
    expect(isSettingsError(error)).toBe(true);
    expect(error.path).toBe(path);
  });
});
