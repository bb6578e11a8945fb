import type { Thumbnail } from '@vbuckets/core';
import { describe, expect, it } from 'vitest';
import { makeGenerationTask, makeTenant, makeThumbnail, timestamp, uniqueId } from './builders';
import { expectErrorCode, expectOk } from './result-assertions';
import type { StoreConformanceContext } from './store-conformance-context';
import { HOSTILE_STRINGS } from './store-conformance-hostile-strings';
import { range } from './store-conformance-market-helpers';

/** Thumbnails of generation tasks: order, scoping, and at most one selected per task. */
export function describeThumbnailConformance(context: StoreConformanceContext): void {
  const thumbnails = () => context.store().thumbnails;
  const taskOf = async (orgId: string) =>
    expectOk(context.store().tasks.insert(makeGenerationTask({ orgId })));
  const stored = (thumbnail: Thumbnail) => expectOk(thumbnails().insert(thumbnail));

  describe('thumbnails', () => {
    it('keeps every field through insert, get, list and selected', async () => {
      const { orgId, scope } = makeTenant();
      const task = await taskOf(orgId);
      const given = makeThumbnail({
        orgId,
        taskId: task.id,
        variant: 'emotional_face',
        clickPrediction: 0.92,
        qualityScore: 0.61,
        isSelected: true,
        createdAt: timestamp(3),
      });
      const frame = makeThumbnail({
        orgId,
        taskId: task.id,
        imageUrl: null,
        blobKey: `frames/${uniqueId('frame')}.jpg`,
        source: 'frame',
      });

      expect(await stored(given)).toEqual(given);
      expect(await stored(frame)).toEqual(frame);
      expect(await expectOk(thumbnails().get(scope, given.id))).toEqual(given);
      expect(await expectOk(thumbnails().list(scope, task.id))).toEqual([given, frame]);
      expect(await expectOk(thumbnails().selected(scope, task.id))).toEqual(given);
    });

    it('lists by clickPrediction descending with nulls last, then newest, then id', async () => {
      const { orgId, scope } = makeTenant();
      const task = await taskOf(orgId);
      const made = [
        makeThumbnail({ orgId, taskId: task.id, id: `b-${uniqueId('t')}`, clickPrediction: null }),
        makeThumbnail({ orgId, taskId: task.id, id: `a-${uniqueId('t')}`, clickPrediction: null }),
        makeThumbnail({ orgId, taskId: task.id, clickPrediction: null, createdAt: timestamp(9) }),
        makeThumbnail({ orgId, taskId: task.id, clickPrediction: 0.78 }),
        makeThumbnail({ orgId, taskId: task.id, clickPrediction: 0.85, createdAt: timestamp(1) }),
        makeThumbnail({ orgId, taskId: task.id, clickPrediction: 0.85, createdAt: timestamp(2) }),
        makeThumbnail({ orgId, taskId: task.id, clickPrediction: 0 }),
        makeThumbnail({ orgId, taskId: task.id, clickPrediction: 1 }),
      ];
      for (const thumbnail of made) await stored(thumbnail);
      const other = await taskOf(orgId);
      await stored(makeThumbnail({ orgId, taskId: other.id, clickPrediction: 0.99 }));

      const [nullB, nullA, nullNewest, low, older, newer, zero, one] = made;
      expect(await expectOk(thumbnails().list(scope, task.id))).toEqual([
        one,
        newer,
        older,
        low,
        zero,
        nullNewest,
        nullA,
        nullB,
      ]);
      expect(await expectOk(thumbnails().list(scope, uniqueId('missing')))).toEqual([]);
    });

    it('keeps ids per org, refuses a taken id, and a task of another org or none', async () => {
      const first = makeTenant();
      const second = makeTenant();
      const mine = await taskOf(first.orgId);
      const theirs = await taskOf(second.orgId);
      const id = uniqueId('thumb');
      await stored(makeThumbnail({ orgId: first.orgId, taskId: mine.id, id }));
      await stored(makeThumbnail({ orgId: second.orgId, taskId: theirs.id, id }));

      const conflict = await expectErrorCode(
        thumbnails().insert(makeThumbnail({ orgId: first.orgId, taskId: mine.id, id })),
        'CONFLICT',
      );
      expect(conflict.message).toContain(id);
      for (const taskId of [theirs.id, uniqueId('missing')]) {
        await expectErrorCode(
          thumbnails().insert(makeThumbnail({ orgId: first.orgId, taskId })),
          'NOT_FOUND',
        );
        await expectErrorCode(
          thumbnails().insert(makeThumbnail({ orgId: first.orgId, taskId, isSelected: true })),
          'NOT_FOUND',
        );
      }
      expect(await expectOk(thumbnails().list(first.scope, theirs.id))).toEqual([]);
      await expectErrorCode(thumbnails().select(first.scope, theirs.id, id), 'NOT_FOUND');
      expect(await expectOk(thumbnails().selected(second.scope, theirs.id))).toBeNull();
      // Deleting one org's thumbnail leaves the other org's of the same id.
      await expectOk(thumbnails().delete(first.scope, id));
      await expectErrorCode(thumbnails().get(first.scope, id), 'NOT_FOUND');
      await expectErrorCode(thumbnails().delete(first.scope, id), 'NOT_FOUND');
      expect((await expectOk(thumbnails().get(second.scope, id))).taskId).toBe(theirs.id);
    });

    it('refuses a thumbnail with both images or none, and a prediction outside 0..1', async () => {
      const { orgId, scope } = makeTenant();
      const task = await taskOf(orgId);
      for (const fields of [
        { blobKey: 'frames/1.jpg' },
        { imageUrl: null },
        { clickPrediction: 1.5 },
        { qualityScore: -0.1 },
      ]) {
        await expectErrorCode(
          thumbnails().insert(makeThumbnail({ orgId, taskId: task.id, ...fields })),
          'VALIDATION',
        );
      }
      expect(await expectOk(thumbnails().list(scope, task.id))).toEqual([]);
    });

    it('selects one thumbnail and deselects the others', async () => {
      const { orgId, scope } = makeTenant();
      const task = await taskOf(orgId);
      const [first, second, third] = range(3).map((index) =>
        makeThumbnail({ orgId, taskId: task.id, clickPrediction: 0.9 - index / 10 }),
      ) as [Thumbnail, Thumbnail, Thumbnail];
      for (const thumbnail of [first, second, third]) await stored(thumbnail);
      expect(await expectOk(thumbnails().selected(scope, task.id))).toBeNull();

      expect(await expectOk(thumbnails().select(scope, task.id, second.id))).toEqual({
        ...second,
        isSelected: true,
      });
      expect(await expectOk(thumbnails().select(scope, task.id, third.id))).toEqual({
        ...third,
        isSelected: true,
      });
      // Selecting the selected one again changes nothing.
      await expectOk(thumbnails().select(scope, task.id, third.id));
      expect(await expectOk(thumbnails().list(scope, task.id))).toEqual([
        first,
        second,
        { ...third, isSelected: true },
      ]);
      expect(await expectOk(thumbnails().selected(scope, task.id))).toEqual({
        ...third,
        isSelected: true,
      });

      // A thumbnail of another task is NOT_FOUND here, and the selection stays.
      const other = await taskOf(orgId);
      const elsewhere = await stored(makeThumbnail({ orgId, taskId: other.id }));
      await expectErrorCode(thumbnails().select(scope, task.id, elsewhere.id), 'NOT_FOUND');
      await expectErrorCode(thumbnails().select(scope, task.id, uniqueId('missing')), 'NOT_FOUND');
      expect((await expectOk(thumbnails().selected(scope, task.id)))?.id).toBe(third.id);
      expect(await expectOk(thumbnails().selected(scope, other.id))).toBeNull();
    });

    it('refuses a second selected thumbnail of a task with CONFLICT', async () => {
      const { orgId, scope } = makeTenant();
      const task = await taskOf(orgId);
      const selected = await stored(makeThumbnail({ orgId, taskId: task.id, isSelected: true }));

      const error = await expectErrorCode(
        thumbnails().insert(makeThumbnail({ orgId, taskId: task.id, isSelected: true })),
        'CONFLICT',
      );
      expect(error.message).toContain(selected.id);
      expect(await expectOk(thumbnails().list(scope, task.id))).toEqual([selected]);
      // Unselected ones are fine, and another task has a selection of its own.
      await stored(makeThumbnail({ orgId, taskId: task.id }));
      const other = await taskOf(orgId);
      await stored(makeThumbnail({ orgId, taskId: other.id, isSelected: true }));
    });

    it('ends with exactly one selected of 20 concurrent selects of different thumbnails', async () => {
      const { orgId, scope } = makeTenant();
      const task = await taskOf(orgId);
      const made = range(20).map((index) =>
        makeThumbnail({ orgId, taskId: task.id, isSelected: index === 0 }),
      );
      for (const thumbnail of made) await stored(thumbnail);

      const results = await Promise.all(
        made.map((thumbnail) => thumbnails().select(scope, task.id, thumbnail.id)),
      );

      for (const [index, result] of results.entries()) {
        if (result.isOk()) {
          expect(result.value).toEqual({ ...made[index], isSelected: true });
        } else {
          // A refusal must be clean: a typed, retryable error, not a crash.
          expect(['CONFLICT', 'STORAGE']).toContain(result.error.code);
          expect(result.error.retryable).toBe(true);
        }
      }
      expect(results.some((result) => result.isOk())).toBe(true);
      const listed = await expectOk(thumbnails().list(scope, task.id));
      const selected = listed.filter((thumbnail) => thumbnail.isSelected);
      expect(selected).toHaveLength(1);
      expect(await expectOk(thumbnails().selected(scope, task.id))).toEqual(selected[0]);
    });

    it('keeps hostile strings unchanged in every thumbnail text field', async () => {
      const { orgId, scope } = makeTenant();
      const task = await taskOf(orgId);
      for (const text of HOSTILE_STRINGS) {
        for (const image of [{ imageUrl: text }, { imageUrl: null, blobKey: text }]) {
          const thumbnail = makeThumbnail({ orgId, taskId: task.id, variant: text, ...image });
          expect(await stored(thumbnail)).toEqual(thumbnail);
          expect(await expectOk(thumbnails().get(scope, thumbnail.id))).toEqual(thumbnail);
        }
      }
      expect(await expectOk(thumbnails().list(scope, task.id))).toHaveLength(
        HOSTILE_STRINGS.length * 2,
      );
    });
  });
}
