import { describe, expect, it } from 'vitest';
import { makeTenant, makeVideo, randomSha256, timestamp, uniqueId } from './builders';
import { expectErrorCode, expectOk } from './result-assertions';
import type { StoreConformanceContext } from './store-conformance-context';

export function describeVideoConformance(context: StoreConformanceContext): void {
  describe('videos', () => {
    it('inserts a video and reads it back unchanged', async () => {
      const { orgId, scope } = makeTenant();
      const video = makeVideo({
        orgId,
        durationSec: 31.25,
        sizeBytes: 5_000_000_123,
        duplicateAllowed: true,
      });

      expect(await expectOk(context.store().videos.insert(video))).toEqual(video);
      expect(await expectOk(context.store().videos.get(scope, video.id))).toEqual(video);
    });

    it('stores a private video with no product category by default', async () => {
      const { orgId, scope } = makeTenant();
      const video = makeVideo({ orgId });
      await expectOk(context.store().videos.insert(video));

      const stored = await expectOk(context.store().videos.get(scope, video.id));
      expect(stored.visibility).toBe('private');
      expect(stored.productCategory).toBeNull();
    });

    it('reads back a public video and its product category unchanged', async () => {
      const { orgId, scope } = makeTenant();
      const video = makeVideo({
        orgId,
        visibility: 'public',
        productCategory: 'Fitness & Health ✓',
      });

      expect(await expectOk(context.store().videos.insert(video))).toEqual(video);
      expect(await expectOk(context.store().videos.get(scope, video.id))).toEqual(video);
    });

    it('keeps a null duration and a zero size', async () => {
      const { orgId, scope } = makeTenant();
      const video = makeVideo({ orgId, durationSec: null, sizeBytes: 0 });
      await expectOk(context.store().videos.insert(video));

      const stored = await expectOk(context.store().videos.get(scope, video.id));
      expect(stored.durationSec).toBeNull();
      expect(stored.sizeBytes).toBe(0);
    });

    it('refuses a second video with an existing id (CONFLICT)', async () => {
      const { orgId, scope } = makeTenant();
      const video = makeVideo({ orgId, title: 'First' });
      await expectOk(context.store().videos.insert(video));

      await expectErrorCode(
        context.store().videos.insert({ ...video, title: 'Second' }),
        'CONFLICT',
      );
      expect((await expectOk(context.store().videos.get(scope, video.id))).title).toBe('First');
    });

    it('answers NOT_FOUND for an unknown id', async () => {
      const { scope } = makeTenant();
      await expectErrorCode(context.store().videos.get(scope, 'video-missing'), 'NOT_FOUND');
    });

    // Issue 10: two concurrent `videos add` of one file registered two videos.
    it('refuses a second video with the same content in an org (CONFLICT)', async () => {
      const { orgId, scope } = makeTenant();
      const sha256 = randomSha256();
      await expectOk(
        context.store().videos.insert(makeVideo({ orgId, sha256, createdAt: timestamp(1) })),
      );
      await expectErrorCode(
        context.store().videos.insert(makeVideo({ orgId, sha256, createdAt: timestamp(2) })),
        'CONFLICT',
      );
      expect(await expectOk(context.store().videos.list(scope))).toHaveLength(1);
    });

    it('finds the video with a content hash', async () => {
      const { orgId, scope } = makeTenant();
      const sha256 = randomSha256();
      const video = makeVideo({ orgId, sha256, createdAt: timestamp(10) });
      const unrelated = makeVideo({ orgId, createdAt: timestamp(0) });
      for (const each of [video, unrelated]) await expectOk(context.store().videos.insert(each));

      expect(await expectOk(context.store().videos.findBySha256(scope, sha256))).toEqual(video);
    });

    it('register creates a video for new content and returns the existing one for known content', async () => {
      const { orgId, scope } = makeTenant();
      const sha256 = randomSha256();
      const first = makeVideo({ orgId, sha256, createdAt: timestamp(1) });
      expect(await expectOk(context.store().videos.register(first))).toEqual({
        video: first,
        created: true,
      });
      const second = makeVideo({ orgId, sha256, title: 'Second', createdAt: timestamp(2) });
      expect(await expectOk(context.store().videos.register(second))).toEqual({
        video: first,
        created: false,
      });
      expect(await expectOk(context.store().videos.list(scope))).toEqual([first]);
    });

    it('register keeps content separate per org', async () => {
      const sha256 = randomSha256();
      const one = makeTenant();
      const two = makeTenant();
      const mine = makeVideo({ orgId: one.orgId, sha256 });
      const theirs = makeVideo({ orgId: two.orgId, sha256 });
      expect((await expectOk(context.store().videos.register(mine))).created).toBe(true);
      expect((await expectOk(context.store().videos.register(theirs))).created).toBe(true);
      expect(await expectOk(context.store().videos.findBySha256(two.scope, sha256))).toEqual(
        theirs,
      );
    });

    it('register lets exactly one of 25 concurrent registrations of one content create', async () => {
      const { orgId, scope } = makeTenant();
      const sha256 = randomSha256();
      const candidates = Array.from({ length: 25 }, (_, index) =>
        makeVideo({ orgId, sha256, title: `copy ${index}`, createdAt: timestamp(index) }),
      );
      const results = await Promise.all(
        candidates.map((video) => expectOk(context.store().videos.register(video))),
      );
      const created = results.filter((result) => result.created);
      expect(created).toHaveLength(1);
      const winner = created[0]?.video;
      for (const result of results) expect(result.video).toEqual(winner);
      expect(await expectOk(context.store().videos.list(scope))).toEqual([winner]);
    });

    it('register answers CONFLICT when the id is taken by other content', async () => {
      const { orgId } = makeTenant();
      const video = makeVideo({ orgId });
      await expectOk(context.store().videos.insert(video));
      await expectErrorCode(
        context.store().videos.register({ ...video, sha256: randomSha256() }),
        'CONFLICT',
      );
    });

    it('finds null when no video has the content hash', async () => {
      const { orgId, scope } = makeTenant();
      await expectOk(context.store().videos.insert(makeVideo({ orgId })));
      expect(await expectOk(context.store().videos.findBySha256(scope, randomSha256()))).toBeNull();
    });

    it('lists videos newest first', async () => {
      const { orgId, scope } = makeTenant();
      const offsets = [20, 5, 40, 10, 30];
      for (const offset of offsets) {
        await expectOk(
          context
            .store()
            .videos.insert(makeVideo({ orgId, title: `t${offset}`, createdAt: timestamp(offset) })),
        );
      }

      const listed = await expectOk(context.store().videos.list(scope));
      expect(listed.map((video) => video.title)).toEqual(['t40', 't30', 't20', 't10', 't5']);
    });

    it('pages the list with limit and offset', async () => {
      const { orgId, scope } = makeTenant();
      for (let offset = 1; offset <= 5; offset += 1) {
        await expectOk(
          context
            .store()
            .videos.insert(makeVideo({ orgId, title: `t${offset}`, createdAt: timestamp(offset) })),
        );
      }

      const titles = async (options: { limit?: number; offset?: number }) =>
        (await expectOk(context.store().videos.list(scope, options))).map((video) => video.title);
      expect(await titles({ limit: 2 })).toEqual(['t5', 't4']);
      expect(await titles({ limit: 2, offset: 2 })).toEqual(['t3', 't2']);
      expect(await titles({ limit: 10, offset: 4 })).toEqual(['t1']);
      expect(await titles({ limit: 10, offset: 5 })).toEqual([]);
    });

    it('updates title, duplicateAllowed and durationSec and keeps the rest', async () => {
      const { orgId, scope } = makeTenant();
      const video = makeVideo({
        orgId,
        title: 'Before',
        durationSec: null,
        duplicateAllowed: false,
      });
      await expectOk(context.store().videos.insert(video));

      const updated = await expectOk(
        context.store().videos.update(scope, video.id, {
          title: 'After',
          duplicateAllowed: true,
          durationSec: 9.75,
        }),
      );
      const expected = { ...video, title: 'After', duplicateAllowed: true, durationSec: 9.75 };
      expect(updated).toEqual(expected);
      expect(await expectOk(context.store().videos.get(scope, video.id))).toEqual(expected);
    });

    it('updates only the fields in the patch', async () => {
      const { orgId, scope } = makeTenant();
      const video = makeVideo({ orgId, title: 'Kept', durationSec: 3 });
      await expectOk(context.store().videos.insert(video));

      await expectOk(context.store().videos.update(scope, video.id, { duplicateAllowed: true }));
      expect(await expectOk(context.store().videos.get(scope, video.id))).toEqual({
        ...video,
        duplicateAllowed: true,
      });
    });

    it('updates visibility and productCategory, and clears the category with null', async () => {
      const { orgId, scope } = makeTenant();
      const video = makeVideo({ orgId, title: 'Kept' });
      await expectOk(context.store().videos.insert(video));

      const published = await expectOk(
        context.store().videos.update(scope, video.id, {
          visibility: 'public',
          productCategory: 'language_learning',
        }),
      );
      expect(published).toEqual({
        ...video,
        visibility: 'public',
        productCategory: 'language_learning',
      });

      await expectOk(
        context
          .store()
          .videos.update(scope, video.id, { visibility: 'private', productCategory: null }),
      );
      expect(await expectOk(context.store().videos.get(scope, video.id))).toEqual(video);
    });

    it('answers NOT_FOUND when updating an unknown video', async () => {
      const { scope } = makeTenant();
      await expectErrorCode(
        context.store().videos.update(scope, 'video-missing', { title: 'X' }),
        'NOT_FOUND',
      );
    });

    it('deletes a video, after which get and a second delete are NOT_FOUND', async () => {
      const { orgId, scope } = makeTenant();
      const kept = makeVideo({ orgId });
      const removed = makeVideo({ orgId });
      await expectOk(context.store().videos.insert(kept));
      await expectOk(context.store().videos.insert(removed));

      await expectOk(context.store().videos.delete(scope, removed.id));

      await expectErrorCode(context.store().videos.get(scope, removed.id), 'NOT_FOUND');
      await expectErrorCode(context.store().videos.delete(scope, removed.id), 'NOT_FOUND');
      expect(await expectOk(context.store().videos.list(scope))).toEqual([kept]);
      expect(await expectOk(context.store().videos.findBySha256(scope, removed.sha256))).toBeNull();
    });
  });

  describe('public videos (the only reads across orgs)', () => {
    it('getPublic returns a public video of any org', async () => {
      const { orgId } = makeTenant();
      const video = makeVideo({ orgId, visibility: 'public', productCategory: 'fitness' });
      await expectOk(context.store().videos.insert(video));

      expect(await expectOk(context.store().videos.getPublic(video.id))).toEqual(video);
    });

    it('getPublic answers NOT_FOUND for a private video and for an unknown id', async () => {
      const { orgId } = makeTenant();
      const video = makeVideo({ orgId, productCategory: 'fitness' });
      await expectOk(context.store().videos.insert(video));

      await expectErrorCode(context.store().videos.getPublic(video.id), 'NOT_FOUND');
      await expectErrorCode(context.store().videos.getPublic(uniqueId('video')), 'NOT_FOUND');
    });

    it('getPublic answers NOT_FOUND once a public video is made private', async () => {
      const { orgId, scope } = makeTenant();
      const video = makeVideo({ orgId, visibility: 'public' });
      await expectOk(context.store().videos.insert(video));
      await expectOk(context.store().videos.update(scope, video.id, { visibility: 'private' }));

      await expectErrorCode(context.store().videos.getPublic(video.id), 'NOT_FOUND');
    });

    it('keeps a public video out of reach of another org’s scope', async () => {
      const owner = makeTenant();
      const other = makeTenant();
      const video = makeVideo({ orgId: owner.orgId, visibility: 'public' });
      await expectOk(context.store().videos.insert(video));
      const videos = context.store().videos;

      await expectErrorCode(videos.get(other.scope, video.id), 'NOT_FOUND');
      expect(await expectOk(videos.list(other.scope))).toEqual([]);
      expect(await expectOk(videos.findBySha256(other.scope, video.sha256))).toBeNull();
      await expectErrorCode(videos.update(other.scope, video.id, { title: 'Taken' }), 'NOT_FOUND');
      await expectErrorCode(videos.delete(other.scope, video.id), 'NOT_FOUND');
      expect(await expectOk(videos.get(owner.scope, video.id))).toEqual(video);
    });

    it('listPublic lists public videos of every org in a category, newest first', async () => {
      const first = makeTenant();
      const second = makeTenant();
      const category = uniqueId('category');
      const inCategory = (orgId: string, offset: number, visibility: 'public' | 'private') =>
        makeVideo({
          orgId,
          title: `t${offset}`,
          visibility,
          productCategory: category,
          createdAt: timestamp(offset),
        });
      const videos = [
        inCategory(first.orgId, 10, 'public'),
        inCategory(second.orgId, 30, 'public'),
        inCategory(first.orgId, 20, 'public'),
        inCategory(second.orgId, 40, 'private'),
        inCategory(first.orgId, 50, 'private'),
        makeVideo({
          orgId: first.orgId,
          visibility: 'public',
          productCategory: `${category}-other`,
        }),
        makeVideo({
          orgId: second.orgId,
          visibility: 'public',
          productCategory: category.toUpperCase(),
        }),
        makeVideo({ orgId: second.orgId, visibility: 'public', productCategory: null }),
      ];
      for (const video of videos) await expectOk(context.store().videos.insert(video));

      const listed = await expectOk(
        context.store().videos.listPublic({ productCategory: category }),
      );
      expect(listed.map((video) => video.title)).toEqual(['t30', 't20', 't10']);
      expect(listed.map((video) => video.orgId)).toEqual([second.orgId, first.orgId, first.orgId]);
      expect(listed[0]).toEqual(videos[1]);
    });

    it('listPublic without a category lists every public video and no private one', async () => {
      const first = makeTenant();
      const second = makeTenant();
      const videos = [
        makeVideo({
          orgId: first.orgId,
          visibility: 'public',
          productCategory: uniqueId('category'),
          createdAt: timestamp(3),
        }),
        makeVideo({
          orgId: second.orgId,
          visibility: 'public',
          productCategory: null,
          createdAt: timestamp(1),
        }),
        makeVideo({
          orgId: second.orgId,
          visibility: 'public',
          productCategory: uniqueId('category'),
          createdAt: timestamp(2),
        }),
        makeVideo({ orgId: first.orgId, visibility: 'private', createdAt: timestamp(4) }),
        makeVideo({
          orgId: second.orgId,
          visibility: 'private',
          productCategory: 'fitness',
          createdAt: timestamp(5),
        }),
      ];
      for (const video of videos) await expectOk(context.store().videos.insert(video));
      const ours = new Set(videos.map((video) => video.id));

      // The database may hold other tests' videos: only this test's are compared.
      const listed = (await expectOk(context.store().videos.listPublic())).filter((video) =>
        ours.has(video.id),
      );
      expect(listed).toEqual([videos[0], videos[2], videos[1]]);
      const all = await expectOk(context.store().videos.listPublic());
      expect(all.every((video) => video.visibility === 'public')).toBe(true);
    });

    it('listPublic breaks ties in createdAt by id, in code-point order, as list does', async () => {
      const { orgId, scope } = makeTenant();
      const category = uniqueId('category');
      const suffix = uniqueId('');
      const videos = ['b', 'B', 'a', '_'].map((letter) =>
        makeVideo({
          orgId,
          id: `${letter}${suffix}`,
          visibility: 'public',
          productCategory: category,
          createdAt: timestamp(7),
        }),
      );
      for (const video of videos) await expectOk(context.store().videos.insert(video));

      const ids = (
        await expectOk(context.store().videos.listPublic({ productCategory: category }))
      ).map((video) => video.id);
      expect(ids).toEqual(['B', '_', 'a', 'b'].map((letter) => `${letter}${suffix}`));
      expect((await expectOk(context.store().videos.list(scope))).map((video) => video.id)).toEqual(
        ids,
      );
    });

    it('pages listPublic with limit and offset', async () => {
      const category = uniqueId('category');
      for (let offset = 1; offset <= 5; offset += 1) {
        const { orgId } = makeTenant();
        await expectOk(
          context.store().videos.insert(
            makeVideo({
              orgId,
              title: `t${offset}`,
              visibility: 'public',
              productCategory: category,
              createdAt: timestamp(offset),
            }),
          ),
        );
      }

      const titles = async (options: { limit?: number; offset?: number }) =>
        (
          await expectOk(
            context.store().videos.listPublic({ productCategory: category, ...options }),
          )
        ).map((video) => video.title);
      expect(await titles({ limit: 2 })).toEqual(['t5', 't4']);
      expect(await titles({ limit: 2, offset: 2 })).toEqual(['t3', 't2']);
      expect(await titles({ offset: 3 })).toEqual(['t2', 't1']);
      expect(await titles({ limit: 10, offset: 4 })).toEqual(['t1']);
      expect(await titles({ limit: 10, offset: 5 })).toEqual([]);
      expect(await titles({ limit: 0 })).toEqual([]);
    });

    it('listPublic finds nothing in a category no public video has', async () => {
      expect(
        await expectOk(
          context.store().videos.listPublic({ productCategory: uniqueId('category') }),
        ),
      ).toEqual([]);
    });
  });
}
