import { describe, expect, it } from 'vitest';
import { makeTenant, makeVideo, randomSha256, timestamp } from './builders';
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

    it('allows several videos with the same content hash', async () => {
      const { orgId, scope } = makeTenant();
      const sha256 = randomSha256();
      await expectOk(
        context.store().videos.insert(makeVideo({ orgId, sha256, createdAt: timestamp(1) })),
      );
      await expectOk(
        context.store().videos.insert(makeVideo({ orgId, sha256, createdAt: timestamp(2) })),
      );
      expect(await expectOk(context.store().videos.list(scope))).toHaveLength(2);
    });

    it('finds the oldest video with a content hash', async () => {
      const { orgId, scope } = makeTenant();
      const sha256 = randomSha256();
      const newer = makeVideo({ orgId, sha256, createdAt: timestamp(20) });
      const oldest = makeVideo({ orgId, sha256, createdAt: timestamp(10) });
      const newest = makeVideo({ orgId, sha256, createdAt: timestamp(30) });
      const unrelated = makeVideo({ orgId, createdAt: timestamp(0) });
      for (const video of [newer, oldest, newest, unrelated]) {
        await expectOk(context.store().videos.insert(video));
      }

      expect(await expectOk(context.store().videos.findBySha256(scope, sha256))).toEqual(oldest);
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
}
