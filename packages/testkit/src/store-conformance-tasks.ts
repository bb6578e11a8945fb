import type { GenerationTask } from '@vbuckets/core';
import { describe, expect, it } from 'vitest';
import { makeGenerationTask, makeTenant, makeThumbnail, timestamp, uniqueId } from './builders';
import { expectErrorCode, expectOk } from './result-assertions';
import type { StoreConformanceContext } from './store-conformance-context';
import { HOSTILE_STRINGS } from './store-conformance-hostile-strings';
import { range } from './store-conformance-market-helpers';
import { describeThumbnailConformance } from './store-conformance-tasks-thumbnails';

const ids = (tasks: readonly GenerationTask[]) => tasks.map((task) => task.id);

/** Newest first, then id in code-point order: the order `tasks.list` promises. */
function newestFirst(tasks: readonly GenerationTask[]): GenerationTask[] {
  return [...tasks].sort((left, right) => {
    const byTime = Date.parse(right.createdAt) - Date.parse(left.createdAt);
    if (byTime !== 0) return byTime;
    return left.id < right.id ? -1 : left.id > right.id ? 1 : 0;
  });
}

/** Generation tasks (seed 002); their thumbnails in a file of their own. */
export function describeTaskConformance(context: StoreConformanceContext): void {
  const tasks = () => context.store().tasks;
  const thumbnails = () => context.store().thumbnails;
  const stored = (task: GenerationTask) => expectOk(tasks().insert(task));

  describe('generation tasks', () => {
    it('keeps every field of a task unchanged through insert, get and list', async () => {
      const { orgId, scope } = makeTenant();
      const task = makeGenerationTask({
        orgId,
        id: `task_${uniqueId('abc')}`,
        status: 'completed',
        videoUrl: 'https://storage.example/video_001.mp4',
        videoId: uniqueId('video'),
        youtubeTitle: 'Electric Dreams (Official Video)',
        youtubeDescription: 'Line one\nline two',
        youtubeTags: ['synthwave', 'neon', 'synthwave'],
        cost: 12.5,
        creditsUsed: 250,
        durationSec: 180.25,
        errorMessage: 'a previous attempt failed',
        createdAt: timestamp(1),
        updatedAt: timestamp(5),
        completedAt: timestamp(5),
      });
      const bare = makeGenerationTask({
        orgId,
        songTitle: null,
        musicFile: null,
        genre: null,
        bpm: null,
      });

      expect(await expectOk(tasks().insert(task))).toEqual(task);
      expect(await expectOk(tasks().insert(bare))).toEqual(bare);
      expect(await expectOk(tasks().get(scope, task.id))).toEqual(task);
      expect(await expectOk(tasks().list(scope))).toEqual(newestFirst([task, bare]));
    });

    it('keeps ids per org: the same id in two orgs is two tasks, twice in one org CONFLICT', async () => {
      const first = makeTenant();
      const second = makeTenant();
      const id = `task_${uniqueId('shared')}`;
      const mine = await stored(makeGenerationTask({ orgId: first.orgId, id }));
      const theirs = await stored(
        makeGenerationTask({ orgId: second.orgId, id, projectName: 'Theirs' }),
      );

      const error = await expectErrorCode(
        tasks().insert(makeGenerationTask({ orgId: first.orgId, id, projectName: 'Again' })),
        'CONFLICT',
      );
      expect(error.message).toContain(id);
      expect(await expectOk(tasks().get(first.scope, id))).toEqual(mine);
      expect(await expectOk(tasks().get(second.scope, id))).toEqual(theirs);
      // A write of one org never reaches the other's task of the same id.
      await expectOk(tasks().update(first.scope, id, { cost: 3, updatedAt: timestamp(2) }));
      await expectOk(tasks().delete(first.scope, id));
      expect(await expectOk(tasks().get(second.scope, id))).toEqual(theirs);
      await expectErrorCode(tasks().get(first.scope, id), 'NOT_FOUND');
    });

    it("answers NOT_FOUND for another org's task to every method, and never lists it", async () => {
      const owner = makeTenant();
      const other = makeTenant();
      const task = await stored(makeGenerationTask({ orgId: owner.orgId }));

      for (const id of [task.id, uniqueId('missing')]) {
        await expectErrorCode(tasks().get(other.scope, id), 'NOT_FOUND');
        await expectErrorCode(
          tasks().update(other.scope, id, { projectName: 'Taken', updatedAt: timestamp(2) }),
          'NOT_FOUND',
        );
        await expectErrorCode(
          tasks().transitionStatus(other.scope, id, {
            from: ['pending'],
            to: 'processing',
            updatedAt: timestamp(2),
          }),
          'NOT_FOUND',
        );
        const error = await expectErrorCode(tasks().delete(other.scope, id), 'NOT_FOUND');
        expect(error.message).toBe(`No generation task "${id}"`);
      }
      expect(await expectOk(tasks().list(other.scope))).toEqual([]);
      expect((await expectOk(tasks().stats(other.scope))).totalTasks).toBe(0);
      expect(await expectOk(tasks().get(owner.scope, task.id))).toEqual(task);
    });

    it('refuses values the schema refuses with VALIDATION naming the field, storing nothing', async () => {
      const { orgId, scope } = makeTenant();
      for (const [fields, path] of [
        [{ bpm: 120.5 }, 'bpm'],
        [{ creditsUsed: -1 }, 'creditsUsed'],
        [{ cost: Number.POSITIVE_INFINITY }, 'cost'],
        [{ status: 'done' }, 'status'],
      ] as const) {
        const error = await expectErrorCode(
          tasks().insert(makeGenerationTask({ orgId, ...(fields as Partial<GenerationTask>) })),
          'VALIDATION',
        );
        expect(error.path).toBe(path);
      }
      expect(await expectOk(tasks().list(scope))).toEqual([]);
      const task = await stored(makeGenerationTask({ orgId }));
      const error = await expectErrorCode(
        tasks().update(scope, task.id, { bpm: 0, updatedAt: timestamp(1) }),
        'VALIDATION',
      );
      expect(error.path).toBe('bpm');
      expect(await expectOk(tasks().get(scope, task.id))).toEqual(task);
    });

    it('lists newest first, then by id, filtered by user and status, paged by offset', async () => {
      const { orgId, scope } = makeTenant();
      const made = [
        makeGenerationTask({ orgId, id: `b-${uniqueId('t')}`, createdAt: timestamp(5) }),
        makeGenerationTask({ orgId, id: `a-${uniqueId('t')}`, createdAt: timestamp(5) }),
        makeGenerationTask({ orgId, userId: 'user_2', createdAt: timestamp(9) }),
        makeGenerationTask({ orgId, status: 'completed', createdAt: timestamp(1) }),
        makeGenerationTask({ orgId, userId: 'user_2', status: 'failed', createdAt: timestamp(3) }),
      ];
      for (const task of made) await stored(task);
      const expected = (keep: (task: GenerationTask) => boolean) => newestFirst(made.filter(keep));

      expect(await expectOk(tasks().list(scope))).toEqual(newestFirst(made));
      expect(await expectOk(tasks().list(scope, { userId: 'user_2' }))).toEqual(
        expected((task) => task.userId === 'user_2'),
      );
      expect(await expectOk(tasks().list(scope, { status: 'pending' }))).toEqual(
        expected((task) => task.status === 'pending'),
      );
      expect(await expectOk(tasks().list(scope, { userId: 'user_2', status: 'failed' }))).toEqual(
        expected((task) => task.userId === 'user_2' && task.status === 'failed'),
      );
      expect(await expectOk(tasks().list(scope, { userId: 'nobody' }))).toEqual([]);

      const whole = ids(newestFirst(made));
      expect(ids(await expectOk(tasks().list(scope, {}, { limit: 2, offset: 0 })))).toEqual(
        whole.slice(0, 2),
      );
      expect(ids(await expectOk(tasks().list(scope, {}, { limit: 2, offset: 2 })))).toEqual(
        whole.slice(2, 4),
      );
      expect(ids(await expectOk(tasks().list(scope, {}, { offset: 3 })))).toEqual(whole.slice(3));
      expect(await expectOk(tasks().list(scope, {}, { offset: 10 }))).toEqual([]);
      for (const page of [{ offset: -1 }, { offset: 1.5 }, { offset: 1, after: whole[0] ?? '' }]) {
        expect((await expectErrorCode(tasks().list(scope, {}, page), 'VALIDATION')).path).toBe(
          'offset',
        );
      }
    });

    it('pages the list by keyset in any page size; an unknown after is VALIDATION', async () => {
      const { orgId, scope } = makeTenant();
      const other = makeTenant();
      const foreign = await stored(makeGenerationTask({ orgId: other.orgId }));
      const made = range(11).map((index) =>
        makeGenerationTask({
          orgId,
          createdAt: timestamp(index % 3),
          status: index % 2 === 0 ? 'pending' : 'failed',
        }),
      );
      for (const task of made) await stored(task);
      const whole = await expectOk(tasks().list(scope));
      expect(whole).toEqual(newestFirst(made));

      for (const limit of [1, 3, 11, 12]) {
        const seen: GenerationTask[] = [];
        for (;;) {
          const after = seen.at(-1)?.id;
          const page = await expectOk(
            tasks().list(scope, {}, { limit, ...(after === undefined ? {} : { after }) }),
          );
          seen.push(...page);
          if (page.length < limit) break;
        }
        expect(ids(seen)).toEqual(ids(whole));
      }
      const failed = made.find((task) => task.status === 'failed');
      for (const [filter, after] of [
        [{}, 'no-such-task'],
        [{}, foreign.id],
        [{ status: 'pending' as const }, failed?.id ?? ''],
      ] as const) {
        const error = await expectErrorCode(tasks().list(scope, filter, { after }), 'VALIDATION');
        expect(error.path).toBe('after');
      }
    });

    it('applies a patch and keeps every field it does not name', async () => {
      const { orgId, scope } = makeTenant();
      const task = await stored(makeGenerationTask({ orgId, youtubeTags: ['a'] }));
      const patch = {
        cost: 12.5,
        creditsUsed: 250,
        youtubeDescription: 'Updated description',
        youtubeTags: ['b', 'c'],
        videoId: uniqueId('video'),
        songTitle: null,
        updatedAt: timestamp(7),
      };

      const expected = { ...task, ...patch };
      expect(await expectOk(tasks().update(scope, task.id, patch))).toEqual(expected);
      expect(await expectOk(tasks().get(scope, task.id))).toEqual(expected);
      const again = await expectOk(
        tasks().update(scope, task.id, { genre: undefined, updatedAt: timestamp(8) }),
      );
      expect(again).toEqual({ ...expected, updatedAt: timestamp(8) });
    });

    it('finds the task linked to a video, and links a video to one task of the org only', async () => {
      const { orgId, scope } = makeTenant();
      const other = makeTenant();
      const videoId = uniqueId('video');
      const first = await stored(makeGenerationTask({ orgId }));
      const second = await stored(makeGenerationTask({ orgId }));
      expect(await expectOk(tasks().findByVideoId(scope, videoId))).toBeNull();

      const linked = await expectOk(
        tasks().update(scope, first.id, { videoId, updatedAt: timestamp(5) }),
      );
      expect(await expectOk(tasks().findByVideoId(scope, videoId))).toEqual(linked);
      // Another org never sees it, and may link its own task to a video of the same id.
      expect(await expectOk(tasks().findByVideoId(other.scope, videoId))).toBeNull();
      const foreign = await stored(makeGenerationTask({ orgId: other.orgId }));
      await expectOk(tasks().update(other.scope, foreign.id, { videoId, updatedAt: timestamp(5) }));

      // The database decides: concurrent links of one video to two tasks, one wins.
      await expectErrorCode(
        tasks().update(scope, second.id, { videoId, updatedAt: timestamp(6) }),
        'CONFLICT',
      );
      expect((await expectOk(tasks().get(scope, second.id))).videoId).toBeNull();
      const third = await stored(makeGenerationTask({ orgId }));
      const fourth = await stored(makeGenerationTask({ orgId }));
      const fresh = uniqueId('video');
      const results = await Promise.all(
        [third, fourth].map((task) =>
          tasks().update(scope, task.id, { videoId: fresh, updatedAt: timestamp(7) }),
        ),
      );
      expect(results.filter((result) => result.isOk())).toHaveLength(1);
      expect(
        results.filter((result) => result.isErr() && result.error.code === 'CONFLICT'),
      ).toHaveLength(1);
    });

    it('moves the status only from the given statuses, with the fields that go with it', async () => {
      const { orgId, scope } = makeTenant();
      const task = await stored(makeGenerationTask({ orgId }));

      const processing = await expectOk(
        tasks().transitionStatus(scope, task.id, {
          from: ['pending'],
          to: 'processing',
          updatedAt: timestamp(1),
        }),
      );
      expect(processing).toEqual({ ...task, status: 'processing', updatedAt: timestamp(1) });
      for (const from of [['pending'], []] as const) {
        expect(
          await expectOk(
            tasks().transitionStatus(scope, task.id, {
              from,
              to: 'completed',
              updatedAt: timestamp(2),
            }),
          ),
        ).toBeNull();
      }
      const completed = await expectOk(
        tasks().transitionStatus(scope, task.id, {
          from: ['processing'],
          to: 'completed',
          patch: { videoUrl: 'https://storage.example/v.mp4', completedAt: timestamp(3) },
          updatedAt: timestamp(3),
        }),
      );
      expect(completed).toEqual({
        ...processing,
        status: 'completed',
        videoUrl: 'https://storage.example/v.mp4',
        completedAt: timestamp(3),
        updatedAt: timestamp(3),
      });
      expect(await expectOk(tasks().get(scope, task.id))).toEqual(completed);
      const invalid = await expectErrorCode(
        tasks().transitionStatus(scope, task.id, {
          from: ['completed'],
          to: 'finished' as never,
          updatedAt: timestamp(4),
        }),
        'VALIDATION',
      );
      expect(invalid.path).toBe('to');
      expect(await expectOk(tasks().get(scope, task.id))).toEqual(completed);
    });

    it('lets exactly one of 20 concurrent pending → processing transitions win', async () => {
      const { orgId, scope } = makeTenant();
      const task = await stored(makeGenerationTask({ orgId }));

      const results = await Promise.all(
        range(20).map((index) =>
          tasks().transitionStatus(scope, task.id, {
            from: ['pending'],
            to: 'processing',
            patch: { errorMessage: `worker ${index}` },
            updatedAt: timestamp(index + 1),
          }),
        ),
      );

      const values = results.map((result) => {
        expect(result.isOk(), result.isErr() ? result.error.message : '').toBe(true);
        return result.isOk() ? result.value : undefined;
      });
      const winners = values.filter((value) => value !== null);
      expect(winners).toHaveLength(1);
      expect(values.filter((value) => value === null)).toHaveLength(19);
      expect(await expectOk(tasks().get(scope, task.id))).toEqual(winners[0]);
    });

    it('deletes a task with its thumbnails in one step and returns them', async () => {
      const { orgId, scope } = makeTenant();
      const task = await stored(makeGenerationTask({ orgId }));
      const kept = await stored(makeGenerationTask({ orgId }));
      const made = [
        makeThumbnail({ orgId, taskId: task.id, clickPrediction: 0.5 }),
        makeThumbnail({
          orgId,
          taskId: task.id,
          isSelected: true,
          imageUrl: null,
          blobKey: 'f/1.jpg',
          source: 'frame',
        }),
      ];
      for (const thumbnail of made) await expectOk(thumbnails().insert(thumbnail));
      const other = await expectOk(thumbnails().insert(makeThumbnail({ orgId, taskId: kept.id })));

      const { thumbnails: deleted } = await expectOk(tasks().delete(scope, task.id));

      const byId = (left: { id: string }, right: { id: string }) =>
        left.id < right.id ? -1 : left.id > right.id ? 1 : 0;
      expect([...deleted].sort(byId)).toEqual([...made].sort(byId));
      await expectErrorCode(tasks().get(scope, task.id), 'NOT_FOUND');
      expect(await expectOk(thumbnails().list(scope, task.id))).toEqual([]);
      for (const thumbnail of made) {
        await expectErrorCode(thumbnails().get(scope, thumbnail.id), 'NOT_FOUND');
      }
      expect(await expectOk(thumbnails().list(scope, kept.id))).toEqual([other]);
      expect(await expectOk(tasks().delete(scope, kept.id))).toEqual({ thumbnails: [other] });
      await expectErrorCode(tasks().delete(scope, task.id), 'NOT_FOUND');
    });

    it('computes exact stats for the org and for one user', async () => {
      const { orgId, scope } = makeTenant();
      const other = makeTenant();
      const made = [
        makeGenerationTask({ orgId, status: 'completed', cost: 12.5, creditsUsed: 250 }),
        makeGenerationTask({ orgId, status: 'completed', cost: 0.25, creditsUsed: 5 }),
        makeGenerationTask({ orgId, status: 'processing', cost: null, creditsUsed: null }),
        makeGenerationTask({
          orgId,
          userId: 'user_2',
          status: 'pending',
          cost: 3,
          creditsUsed: 60,
        }),
      ];
      for (const task of made) await stored(task);
      await stored(makeGenerationTask({ orgId: other.orgId, cost: 1000, creditsUsed: 1 }));
      for (const [index, task] of made.entries()) {
        for (const _ of range(index + 1)) {
          await expectOk(thumbnails().insert(makeThumbnail({ orgId, taskId: task.id })));
        }
      }

      expect(await expectOk(tasks().stats(scope))).toEqual({
        totalTasks: 4,
        byStatus: { pending: 1, processing: 1, completed: 2, failed: 0 },
        totalCost: 15.75,
        totalCreditsUsed: 315,
        totalThumbnails: 10,
      });
      expect(await expectOk(tasks().stats(scope, { userId: 'user_1' }))).toEqual({
        totalTasks: 3,
        byStatus: { pending: 0, processing: 1, completed: 2, failed: 0 },
        totalCost: 12.75,
        totalCreditsUsed: 255,
        totalThumbnails: 6,
      });
      expect(await expectOk(tasks().stats(scope, { userId: 'nobody' }))).toEqual({
        totalTasks: 0,
        byStatus: { pending: 0, processing: 0, completed: 0, failed: 0 },
        totalCost: 0,
        totalCreditsUsed: 0,
        totalThumbnails: 0,
      });
    });

    it('keeps hostile strings unchanged in every task text field', async () => {
      const { orgId, scope } = makeTenant();
      for (const text of HOSTILE_STRINGS) {
        const task = makeGenerationTask({
          orgId,
          userId: uniqueId('user'),
          projectName: text,
          songTitle: text,
          musicFile: text,
          genre: text,
          engine: text,
          prompt: text,
          videoUrl: text,
          youtubeTitle: text,
          youtubeDescription: text,
          youtubeTags: [text, text],
          errorMessage: text,
        });
        expect(await expectOk(tasks().insert(task))).toEqual(task);
        expect(await expectOk(tasks().get(scope, task.id))).toEqual(task);
        expect(await expectOk(tasks().list(scope, { userId: task.userId }))).toEqual([task]);
      }
    });

    it('leaves nothing behind when a transaction that wrote tasks and thumbnails rolls back', async () => {
      const { orgId, scope } = makeTenant();
      const task = makeGenerationTask({ orgId });
      const thumbnail = makeThumbnail({ orgId, taskId: task.id, isSelected: true });
      const failure = await context.store().transaction((tx) =>
        tx.tasks
          .insert(task)
          .andThen(() => tx.thumbnails.insert(thumbnail))
          .andThen(() => tx.tasks.insert(makeGenerationTask({ orgId, id: task.id }))),
      );
      expect(failure.isErr() && failure.error.code).toBe('CONFLICT');

      await expectErrorCode(tasks().get(scope, task.id), 'NOT_FOUND');
      await expectErrorCode(thumbnails().get(scope, thumbnail.id), 'NOT_FOUND');
      expect(await expectOk(tasks().stats(scope))).toMatchObject({
        totalTasks: 0,
        totalThumbnails: 0,
      });
    });

    it('is not changed by mutating an inserted or returned task', async () => {
      const { orgId, scope } = makeTenant();
      const task = makeGenerationTask({ orgId, youtubeTags: ['one'] });
      const expected = structuredClone(task);
      const returned = await expectOk(tasks().insert(task));
      task.youtubeTags.push('input');
      returned.youtubeTags.push('result');
      const [listed] = await expectOk(tasks().list(scope));
      listed?.youtubeTags.push('listed');
      expect(await expectOk(tasks().get(scope, task.id))).toEqual(expected);
    });

    it.skipIf(!context.canClose)(
      'fails task and thumbnail calls with STORAGE after close',
      async () => {
        const { orgId, scope } = makeTenant();
        const task = await stored(makeGenerationTask({ orgId }));
        const store = context.store();
        await context.close();

        await expectErrorCode(store.tasks.get(scope, task.id), 'STORAGE');
        await expectErrorCode(store.tasks.insert(makeGenerationTask({ orgId })), 'STORAGE');
        await expectErrorCode(store.tasks.stats(scope), 'STORAGE');
        await expectErrorCode(store.thumbnails.list(scope, task.id), 'STORAGE');
      },
    );
  });

  describeThumbnailConformance(context);
}
