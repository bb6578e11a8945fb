import { describe, expect, it } from 'vitest';
import { acme, createFlakyBlobStore, globex, START, setup, summerVibes } from './tasks-setup';

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);

async function withTask(options: Parameters<typeof setup>[0] = {}) {
  const context = setup(options);
  (await context.vb.tasks.create(acme, summerVibes))._unsafeUnwrap();
  return context;
}

describe('thumbnails.add', () => {
  it('saves a given image URL as a `given` thumbnail (seed 002 save_thumbnail)', async () => {
    const { vb } = await withTask();
    const thumbnail = (
      await vb.thumbnails.add(acme, 'task_abc123', {
        id: 'thumb_001',
        variant: 'bold_text',
        imageUrl: 'https://storage.recraft.com/thumb_001.jpg',
        clickPrediction: 0.85,
      })
    )._unsafeUnwrap();
    expect(thumbnail).toEqual({
      id: 'thumb_001',
      orgId: 'acme',
      taskId: 'task_abc123',
      variant: 'bold_text',
      imageUrl: 'https://storage.recraft.com/thumb_001.jpg',
      blobKey: null,
      clickPrediction: 0.85,
      qualityScore: null,
      source: 'given',
      isSelected: false,
      createdAt: START,
    });
  });

  it('stores image bytes in the blob store under thumbnails/org_…/task_…/', async () => {
    const { vb, blobs } = await withTask();
    const thumbnail = (
      await vb.thumbnails.add(acme, 'task_abc123', {
        variant: 'emotional_face',
        image: { body: JPEG },
      })
    )._unsafeUnwrap();
    expect(thumbnail).toMatchObject({ id: 'id-1', imageUrl: null, clickPrediction: null });
    expect(thumbnail.blobKey).toBe('thumbnails/org_acme/task_task_abc123/id-1.jpg');
    const head = (await blobs.head(thumbnail.blobKey!))._unsafeUnwrap();
    expect(head).toMatchObject({ sizeBytes: JPEG.length, contentType: 'image/jpeg' });
    const png = (
      await vb.thumbnails.add(acme, 'task_abc123', {
        id: 'mine',
        variant: 'action_shot',
        image: { body: JPEG, contentType: 'image/png' },
      })
    )._unsafeUnwrap();
    // A caller-chosen id never names the blob: a refused duplicate could overwrite another's image.
    expect(png.blobKey).toBe('thumbnails/org_acme/task_task_abc123/id-2.png');
  });

  it('leaves no image behind when the row is refused (a taken id)', async () => {
    const { vb, blobs } = await withTask();
    (
      await vb.thumbnails.add(acme, 'task_abc123', {
        id: 'thumb_1',
        variant: 'a',
        image: { body: JPEG },
      })
    )._unsafeUnwrap();
    const before = blobs.keys();
    const error = (
      await vb.thumbnails.add(acme, 'task_abc123', {
        id: 'thumb_1',
        variant: 'b',
        image: { body: JPEG },
      })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('CONFLICT');
    expect(blobs.keys()).toEqual(before);
  });

  it('selects an image added with isSelected, deselecting the others', async () => {
    const { vb } = await withTask();
    (
      await vb.thumbnails.add(acme, 'task_abc123', {
        id: 'a',
        variant: 'a',
        imageUrl: 'a.jpg',
        isSelected: true,
      })
    )._unsafeUnwrap();
    const second = (
      await vb.thumbnails.add(acme, 'task_abc123', {
        id: 'b',
        variant: 'b',
        imageUrl: 'b.jpg',
        isSelected: true,
      })
    )._unsafeUnwrap();
    expect(second.isSelected).toBe(true);
    expect((await vb.thumbnails.selected(acme, 'task_abc123'))._unsafeUnwrap()?.id).toBe('b');
    const all = (await vb.thumbnails.list(acme, 'task_abc123'))._unsafeUnwrap();
    expect(all.filter((each) => each.isSelected).map((each) => each.id)).toEqual(['b']);
  });

  it('is NOT_FOUND for an unknown task or another org’s, and writes no image', async () => {
    const { vb, blobs } = await withTask();
    for (const [scope, taskId] of [
      [acme, 'nope'],
      [globex, 'task_abc123'],
    ] as const) {
      const error = (
        await vb.thumbnails.add(scope, taskId, { variant: 'a', image: { body: JPEG } })
      )._unsafeUnwrapErr();
      expect(error.code).toBe('NOT_FOUND');
    }
    expect(blobs.keys()).toEqual([]);
  });

  it.each([
    ['imageUrl', { variant: 'a' }],
    ['imageUrl', { variant: 'a', imageUrl: 'a.jpg', image: { body: JPEG } }],
    ['variant', { imageUrl: 'a.jpg' }],
    ['variant', { variant: ' ', imageUrl: 'a.jpg' }],
    ['clickPrediction', { variant: 'a', imageUrl: 'a.jpg', clickPrediction: 1.2 }],
    ['clickPrediction', { variant: 'a', imageUrl: 'a.jpg', clickPrediction: -0.1 }],
    ['isSelected', { variant: 'a', imageUrl: 'a.jpg', isSelected: 'yes' }],
    ['image.body', { variant: 'a', image: { body: 'bytes' } }],
    ['image.contentType', { variant: 'a', image: { body: JPEG, contentType: 'image/gif' } }],
    ['', { variant: 'a', imageUrl: 'a.jpg', source: 'frame' }],
  ])('refuses a bad thumbnail (VALIDATION at %s)', async (path, input) => {
    const { vb, blobs } = await withTask();
    const error = (await vb.thumbnails.add(acme, 'task_abc123', input as never))._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe(path);
    expect(blobs.keys()).toEqual([]);
  });
});

describe('thumbnails.list, select, selected', () => {
  async function three() {
    const context = await withTask();
    const { vb, clock } = context;
    for (const [id, clickPrediction] of [
      ['thumb_001', 0.85],
      ['thumb_002', 0.92],
      ['thumb_003', 0.78],
      ['thumb_004', null],
    ] as const) {
      clock.advance(1000);
      (
        await vb.thumbnails.add(acme, 'task_abc123', {
          id,
          variant: id,
          imageUrl: `${id}.jpg`,
          clickPrediction,
        })
      )._unsafeUnwrap();
    }
    return context;
  }

  it('lists by click prediction, highest first, nulls last', async () => {
    const { vb } = await three();
    const listed = (await vb.thumbnails.list(acme, 'task_abc123'))._unsafeUnwrap();
    expect(listed.map((each) => each.id)).toEqual([
      'thumb_002',
      'thumb_001',
      'thumb_003',
      'thumb_004',
    ]);
  });

  it('selects one and deselects the others; selected answers it', async () => {
    const { vb } = await three();
    expect((await vb.thumbnails.selected(acme, 'task_abc123'))._unsafeUnwrap()).toBeNull();
    (await vb.thumbnails.select(acme, 'task_abc123', 'thumb_001'))._unsafeUnwrap();
    const chosen = (await vb.thumbnails.select(acme, 'task_abc123', 'thumb_002'))._unsafeUnwrap();
    expect(chosen).toMatchObject({ id: 'thumb_002', isSelected: true });
    expect((await vb.thumbnails.selected(acme, 'task_abc123'))._unsafeUnwrap()?.id).toBe(
      'thumb_002',
    );
    const listed = (await vb.thumbnails.list(acme, 'task_abc123'))._unsafeUnwrap();
    expect(listed.filter((each) => each.isSelected)).toHaveLength(1);
  });

  it('ends 20 concurrent selects of different thumbnails with exactly one selected', async () => {
    const { vb, clock } = await three();
    for (let index = 0; index < 16; index += 1) {
      clock.advance(1);
      (
        await vb.thumbnails.add(acme, 'task_abc123', {
          id: `extra_${index}`,
          variant: 'x',
          imageUrl: 'x.jpg',
        })
      )._unsafeUnwrap();
    }
    const ids = (await vb.thumbnails.list(acme, 'task_abc123'))._unsafeUnwrap().map((t) => t.id);
    expect(ids).toHaveLength(20);
    await Promise.all(ids.map((id) => vb.thumbnails.select(acme, 'task_abc123', id)));
    const listed = (await vb.thumbnails.list(acme, 'task_abc123'))._unsafeUnwrap();
    expect(listed.filter((each) => each.isSelected)).toHaveLength(1);
  });

  it('is NOT_FOUND for another task’s thumbnail, an unknown task, or another org', async () => {
    const { vb } = await three();
    (await vb.tasks.create(acme, { ...summerVibes, id: 'other' }))._unsafeUnwrap();
    expect((await vb.thumbnails.select(acme, 'other', 'thumb_001'))._unsafeUnwrapErr().code).toBe(
      'NOT_FOUND',
    );
    expect((await vb.thumbnails.list(acme, 'nope'))._unsafeUnwrapErr().code).toBe('NOT_FOUND');
    expect((await vb.thumbnails.selected(acme, 'nope'))._unsafeUnwrapErr().code).toBe('NOT_FOUND');
    expect((await vb.thumbnails.list(globex, 'task_abc123'))._unsafeUnwrapErr().code).toBe(
      'NOT_FOUND',
    );
    expect(
      (await vb.thumbnails.select(globex, 'task_abc123', 'thumb_001'))._unsafeUnwrapErr().code,
    ).toBe('NOT_FOUND');
    expect((await vb.thumbnails.select(acme, 'task_abc123', ''))._unsafeUnwrapErr().path).toBe('');
  });
});

describe('thumbnails.remove', () => {
  it('deletes the row and its stored image', async () => {
    const { vb, blobs } = await withTask();
    const stored = (
      await vb.thumbnails.add(acme, 'task_abc123', { variant: 'a', image: { body: JPEG } })
    )._unsafeUnwrap();
    const removed = (await vb.thumbnails.remove(acme, stored.id))._unsafeUnwrap();
    expect(removed).toEqual({ thumbnail: stored, imageLeft: null });
    expect(blobs.keys()).toEqual([]);
    expect((await vb.thumbnails.list(acme, 'task_abc123'))._unsafeUnwrap()).toEqual([]);
    expect((await vb.thumbnails.remove(acme, stored.id))._unsafeUnwrapErr().code).toBe('NOT_FOUND');
  });

  it('reports an image whose delete failed without failing, the row being gone', async () => {
    const blobs = createFlakyBlobStore();
    const { vb, warnings } = await withTask({ blobs });
    const stored = (
      await vb.thumbnails.add(acme, 'task_abc123', { variant: 'a', image: { body: JPEG } })
    )._unsafeUnwrap();
    blobs.failDeletes = true;
    const removed = (await vb.thumbnails.remove(acme, stored.id))._unsafeUnwrap();
    expect(removed.imageLeft).toBe(stored.blobKey);
    expect(warnings).toEqual([
      `Thumbnail image ${stored.blobKey} could not be deleted; its row is gone`,
    ]);
    expect((await vb.thumbnails.list(acme, 'task_abc123'))._unsafeUnwrap()).toEqual([]);
  });
});

describe('tasks.delete', () => {
  async function withThumbnails(options: Parameters<typeof setup>[0] = {}) {
    const context = await withTask(options);
    for (const variant of ['a', 'b']) {
      (
        await context.vb.thumbnails.add(acme, 'task_abc123', { variant, image: { body: JPEG } })
      )._unsafeUnwrap();
    }
    (
      await context.vb.thumbnails.add(acme, 'task_abc123', { variant: 'c', imageUrl: 'c.jpg' })
    )._unsafeUnwrap();
    return context;
  }

  it('deletes the task, its thumbnails and their stored images', async () => {
    const { vb, blobs } = await withThumbnails();
    expect(blobs.keys()).toHaveLength(2);
    const deleted = (await vb.tasks.delete(acme, 'task_abc123'))._unsafeUnwrap();
    expect(deleted).toEqual({ taskId: 'task_abc123', thumbnailsDeleted: 3, imagesLeft: [] });
    expect(blobs.keys()).toEqual([]);
    expect((await vb.tasks.get(acme, 'task_abc123'))._unsafeUnwrapErr().code).toBe('NOT_FOUND');
    expect((await vb.tasks.stats(acme))._unsafeUnwrap().totalThumbnails).toBe(0);
  });

  it('with a failing blob delete, still deletes every row and reports the images left', async () => {
    const blobs = createFlakyBlobStore();
    const { vb, warnings, store } = await withThumbnails({ blobs });
    const keys = blobs.keys();
    blobs.failDeletes = true;
    const deleted = (await vb.tasks.delete(acme, 'task_abc123'))._unsafeUnwrap();
    expect(deleted.thumbnailsDeleted).toBe(3);
    expect([...deleted.imagesLeft].sort()).toEqual(keys);
    expect(warnings).toHaveLength(2);
    // Nothing half-deleted: no task, no thumbnail row pointing at an image.
    expect((await vb.tasks.get(acme, 'task_abc123'))._unsafeUnwrapErr().code).toBe('NOT_FOUND');
    expect((await store.thumbnails.list(acme, 'task_abc123'))._unsafeUnwrap()).toEqual([]);
    // The images left are unreferenced objects a host may sweep.
    blobs.failDeletes = false;
    for (const key of deleted.imagesLeft) (await blobs.delete(key))._unsafeUnwrap();
    expect(blobs.keys()).toEqual([]);
  });

  it('is NOT_FOUND for an unknown task or another org’s, and deletes nothing', async () => {
    const { vb, blobs } = await withThumbnails();
    expect((await vb.tasks.delete(acme, 'nope'))._unsafeUnwrapErr().code).toBe('NOT_FOUND');
    expect((await vb.tasks.delete(globex, 'task_abc123'))._unsafeUnwrapErr().code).toBe(
      'NOT_FOUND',
    );
    expect(blobs.keys()).toHaveLength(2);
  });
});
