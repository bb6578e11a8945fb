import { describe, expect, it } from 'vitest';
import { acme, globex, START, setup, summerVibes } from './tasks-setup';

describe('tasks.create', () => {
  it('keeps a caller-chosen id and every seed 002 field, pending with seed defaults', async () => {
    const { vb } = setup();
    const task = (
      await vb.tasks.create(acme, {
        ...summerVibes,
        youtubeTitle: 'Electric Dreams (Official Video)',
        youtubeDescription: 'Neon city at night',
        youtubeTags: ['synthwave', 'neon', 'synthwave'],
        durationSec: 180,
      })
    )._unsafeUnwrap();
    expect(task).toEqual({
      id: 'task_abc123',
      orgId: 'acme',
      userId: 'user_1',
      projectName: 'Summer Vibes 2025',
      songTitle: 'Electric Dreams',
      musicFile: 'https://drive.google.com/file/123',
      genre: 'Electronic',
      bpm: 128,
      engine: 'runway_gen3',
      prompt: 'Cinematic neon city at night',
      status: 'pending',
      videoUrl: null,
      videoId: null,
      youtubeTitle: 'Electric Dreams (Official Video)',
      youtubeDescription: 'Neon city at night',
      youtubeTags: ['synthwave', 'neon'],
      cost: null,
      creditsUsed: null,
      durationSec: 180,
      errorMessage: null,
      createdAt: START,
      updatedAt: START,
      completedAt: null,
    });
    expect((await vb.tasks.get(acme, 'task_abc123'))._unsafeUnwrap()).toEqual(task);
  });

  it('generates an id when none is given, with only the required fields', async () => {
    const { vb } = setup();
    const task = (
      await vb.tasks.create(acme, {
        userId: 'user_1',
        projectName: 'P',
        engine: 'runway_standard',
        prompt: 'Beach party at sunset',
      })
    )._unsafeUnwrap();
    expect(task).toMatchObject({ id: 'id-1', status: 'pending', youtubeTags: [], bpm: null });
  });

  it('refuses a taken id in the org (CONFLICT) but not in another org', async () => {
    const { vb } = setup();
    (await vb.tasks.create(acme, summerVibes))._unsafeUnwrap();
    expect((await vb.tasks.create(acme, summerVibes))._unsafeUnwrapErr().code).toBe('CONFLICT');
    expect((await vb.tasks.create(globex, summerVibes)).isOk()).toBe(true);
  });

  it.each([
    ['userId', { userId: undefined }],
    ['projectName', { projectName: '  ' }],
    ['engine', { engine: '' }],
    ['prompt', { prompt: undefined }],
    ['bpm', { bpm: 120.5 }],
    ['bpm', { bpm: 0 }],
    ['cost', { cost: -1 }],
    ['creditsUsed', { creditsUsed: 1.5 }],
    ['creditsUsed', { creditsUsed: -3 }],
    ['durationSec', { durationSec: -1 }],
    ['youtubeTags', { youtubeTags: 'a,b' }],
    ['youtubeTags.1', { youtubeTags: ['ok', 7] }],
    ['youtubeTitle', { youtubeTitle: 'x'.repeat(101) }],
    ['youtubeTitle', { youtubeTitle: 'Best <video>' }],
    ['youtubeDescription', { youtubeDescription: 'a > b' }],
    ['status', { status: 'completed' }],
    ['colour', { colour: 'red' }],
  ])('refuses a bad %s (VALIDATION naming it)', async (path, change) => {
    const { vb } = setup();
    const error = (
      await vb.tasks.create(acme, { ...summerVibes, ...change } as never)
    )._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe(path);
    expect(error.message).toContain(path.split('.')[0]);
  });

  it('refuses a cross-org scope for writes', async () => {
    const { vb } = setup();
    const error = (
      await vb.tasks.create({ orgId: 'acme', allOrgs: true }, summerVibes)
    )._unsafeUnwrapErr();
    expect(error.code).toBe('FORBIDDEN');
  });
});

describe('tasks.get', () => {
  it('is NOT_FOUND for an unknown id and for another org’s task', async () => {
    const { vb } = setup();
    (await vb.tasks.create(acme, summerVibes))._unsafeUnwrap();
    expect((await vb.tasks.get(acme, 'nope'))._unsafeUnwrapErr().code).toBe('NOT_FOUND');
    expect((await vb.tasks.get(globex, 'task_abc123'))._unsafeUnwrapErr().code).toBe('NOT_FOUND');
    expect((await vb.tasks.get(acme, ''))._unsafeUnwrapErr().code).toBe('VALIDATION');
  });
});

describe('tasks.list', () => {
  async function seeded() {
    const context = setup();
    for (let index = 1; index <= 60; index += 1) {
      context.clock.advance(1000);
      (
        await context.vb.tasks.create(acme, {
          id: `t${String(index).padStart(2, '0')}`,
          userId: index % 2 === 0 ? 'user_1' : 'user_2',
          projectName: `Project ${index}`,
          engine: 'runway_standard',
          prompt: 'p',
        })
      )._unsafeUnwrap();
    }
    (await context.vb.tasks.updateStatus(acme, 't01', { status: 'processing' }))._unsafeUnwrap();
    (await context.vb.tasks.updateStatus(acme, 't03', { status: 'processing' }))._unsafeUnwrap();
    return context;
  }

  it('answers 50 tasks newest first by default', async () => {
    const { vb } = await seeded();
    const tasks = (await vb.tasks.list(acme))._unsafeUnwrap();
    expect(tasks).toHaveLength(50);
    expect(tasks[0]?.id).toBe('t60');
    expect(tasks[49]?.id).toBe('t11');
  });

  it('filters by user and status', async () => {
    const { vb } = await seeded();
    const user = (await vb.tasks.list(acme, { userId: 'user_1', limit: 1000 }))._unsafeUnwrap();
    expect(user).toHaveLength(30);
    expect(user.every((task) => task.userId === 'user_1')).toBe(true);
    const processing = (await vb.tasks.list(acme, { status: 'processing' }))._unsafeUnwrap();
    expect(processing.map((task) => task.id)).toEqual(['t03', 't01']);
    const both = (
      await vb.tasks.list(acme, { userId: 'user_2', status: 'processing' })
    )._unsafeUnwrap();
    expect(both.map((task) => task.id)).toEqual(['t03', 't01']);
    expect((await vb.tasks.list(globex))._unsafeUnwrap()).toEqual([]);
  });

  it('pages by offset (seed 002) and by after', async () => {
    const { vb } = await seeded();
    const page2 = (await vb.tasks.list(acme, { limit: 10, offset: 10 }))._unsafeUnwrap();
    expect(page2.map((task) => task.id)).toEqual(
      Array.from({ length: 10 }, (_, index) => `t${50 - index}`),
    );
    const after = (await vb.tasks.list(acme, { limit: 3, after: 't41' }))._unsafeUnwrap();
    expect(after.map((task) => task.id)).toEqual(['t40', 't39', 't38']);
  });

  it.each([
    ['limit', { limit: 0 }],
    ['limit', { limit: 1001 }],
    ['limit', { limit: 2.5 }],
    ['offset', { offset: -1 }],
    ['after', { offset: 1, after: 't01' }],
    ['status', { status: 'done' }],
    ['', { sort: 'asc' }],
  ])('refuses a bad %s', async (path, query) => {
    const { vb } = setup();
    const error = (await vb.tasks.list(acme, query as never))._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe(path);
  });

  it('allows the largest page of 1000', async () => {
    const { vb } = await seeded();
    expect((await vb.tasks.list(acme, { limit: 1000 }))._unsafeUnwrap()).toHaveLength(60);
  });
});

describe('tasks.update', () => {
  it('changes the seed 002 fields (and clears nullable ones with null)', async () => {
    const { vb, clock } = setup();
    (await vb.tasks.create(acme, summerVibes))._unsafeUnwrap();
    clock.advance(5000);
    const task = (
      await vb.tasks.update(acme, 'task_abc123', {
        cost: 12.5,
        creditsUsed: 250,
        youtubeDescription: 'Updated description',
        youtubeTags: ['a', 'b'],
        durationSec: 60,
        prompt: 'Neon rain',
        engine: 'runway_standard',
        videoUrl: 'https://storage.runway.com/video_001.mp4',
        bpm: 90,
        genre: null,
      })
    )._unsafeUnwrap();
    expect(task).toMatchObject({
      cost: 12.5,
      creditsUsed: 250,
      youtubeDescription: 'Updated description',
      youtubeTags: ['a', 'b'],
      durationSec: 60,
      prompt: 'Neon rain',
      engine: 'runway_standard',
      videoUrl: 'https://storage.runway.com/video_001.mp4',
      bpm: 90,
      genre: null,
      songTitle: 'Electric Dreams',
      status: 'pending',
      updatedAt: '2026-03-01T10:00:05.000Z',
      createdAt: START,
    });
  });

  it.each([
    ['cost', { cost: -0.01 }, 'at least 0'],
    ['cost', { cost: Number.POSITIVE_INFINITY }, ''],
    ['creditsUsed', { creditsUsed: 2.5 }, 'integer'],
    ['creditsUsed', { creditsUsed: -1 }, 'at least 0'],
    ['youtubeTags', { youtubeTags: null }, ''],
    ['youtubeTags.0', { youtubeTags: [1] }, 'string'],
    ['bpm', { bpm: -120 }, 'positive'],
    ['bpm', { bpm: 99.9 }, 'integer'],
    ['durationSec', { durationSec: -5 }, 'at least 0'],
    ['projectName', { projectName: null }, ''],
    ['status', { status: 'completed' }, 'updateStatus'],
    ['errorMessage', { errorMessage: 'x' }, 'updateStatus'],
    ['completedAt', { completedAt: START }, 'updateStatus'],
    ['videoId', { videoId: 'v1' }, 'attachVideo'],
    ['userId', { userId: 'someone_else' }, 'not a field'],
    ['createdAt', { createdAt: START }, 'not a field'],
    ['orgId', { orgId: 'globex' }, 'not a field'],
  ])('refuses %s (VALIDATION naming it)', async (path, patch, words) => {
    const { vb } = setup();
    (await vb.tasks.create(acme, summerVibes))._unsafeUnwrap();
    const error = (await vb.tasks.update(acme, 'task_abc123', patch as never))._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe(path);
    expect(error.message).toContain(path.split('.')[0]);
    expect(error.message).toContain(words);
    expect((await vb.tasks.get(acme, 'task_abc123'))._unsafeUnwrap().updatedAt).toBe(START);
  });

  it('is NOT_FOUND for another org’s task', async () => {
    const { vb } = setup();
    (await vb.tasks.create(acme, summerVibes))._unsafeUnwrap();
    const error = (await vb.tasks.update(globex, 'task_abc123', { cost: 1 }))._unsafeUnwrapErr();
    expect(error.code).toBe('NOT_FOUND');
  });
});

describe('tasks.stats', () => {
  it('totals the org’s tasks, or one user’s, with their thumbnails', async () => {
    const { vb } = setup();
    (await vb.tasks.create(acme, { ...summerVibes, cost: 10, creditsUsed: 100 }))._unsafeUnwrap();
    (
      await vb.tasks.create(acme, {
        ...summerVibes,
        id: 'task_2',
        userId: 'user_2',
        cost: 2.5,
        creditsUsed: 25,
      })
    )._unsafeUnwrap();
    (await vb.tasks.create(globex, { ...summerVibes, cost: 99 }))._unsafeUnwrap();
    (await vb.tasks.updateStatus(acme, 'task_2', { status: 'processing' }))._unsafeUnwrap();
    for (const variant of ['bold_text', 'action_shot']) {
      (
        await vb.thumbnails.add(acme, 'task_abc123', { variant, imageUrl: `${variant}.jpg` })
      )._unsafeUnwrap();
    }
    expect((await vb.tasks.stats(acme))._unsafeUnwrap()).toEqual({
      totalTasks: 2,
      byStatus: { pending: 1, processing: 1, completed: 0, failed: 0 },
      totalCost: 12.5,
      totalCreditsUsed: 125,
      totalThumbnails: 2,
    });
    expect((await vb.tasks.stats(acme, { userId: 'user_2' }))._unsafeUnwrap()).toEqual({
      totalTasks: 1,
      byStatus: { pending: 0, processing: 1, completed: 0, failed: 0 },
      totalCost: 2.5,
      totalCreditsUsed: 25,
      totalThumbnails: 0,
    });
    const error = (await vb.tasks.stats(acme, { user: 'x' } as never))._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
  });
});
