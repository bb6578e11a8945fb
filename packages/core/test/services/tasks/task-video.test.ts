import { describe, expect, it } from 'vitest';
import { sampleVideoBytes } from '../../domain/media-types/sample-video-bytes';
import { acme, globex, setup, summerVibes } from './tasks-setup';

const youtubeFields = {
  youtubeTitle: 'Electric Dreams (Official Video)',
  youtubeDescription: 'Neon city at night.\nMusic: Electric Dreams',
  youtubeTags: ['synthwave', 'neon'],
};

async function completedTask(extra: Record<string, unknown> = youtubeFields) {
  const context = setup();
  (await context.vb.tasks.create(acme, { ...summerVibes, ...extra }))._unsafeUnwrap();
  (
    await context.vb.tasks.updateStatus(acme, 'task_abc123', { status: 'processing' })
  )._unsafeUnwrap();
  (
    await context.vb.tasks.updateStatus(acme, 'task_abc123', { status: 'completed' })
  )._unsafeUnwrap();
  return context;
}

const generated = (seed = 0) => ({
  filename: 'electric-dreams.mp4',
  body: () => sampleVideoBytes('mp4', seed),
  mimeType: 'video/mp4',
});

describe('tasks.attachVideo', () => {
  it('registers the video owned by the task’s user and links it', async () => {
    const { vb } = await completedTask();
    const attached = (await vb.tasks.attachVideo(acme, 'task_abc123', generated()))._unsafeUnwrap();
    expect(attached.created).toBe(true);
    expect(attached.video).toMatchObject({
      ownerId: 'user_1',
      title: 'Electric Dreams (Official Video)',
      visibility: 'private',
    });
    expect(attached.task.videoId).toBe(attached.video.id);
    expect((await vb.tasks.get(acme, 'task_abc123'))._unsafeUnwrap().videoId).toBe(
      attached.video.id,
    );
  });

  it('deduplicates: the same bytes again, or already registered, link the same video', async () => {
    const { vb } = await completedTask();
    const registered = (
      await vb.videos.register(acme, { ...generated(), ownerId: 'user_1' })
    )._unsafeUnwrap();
    const attached = (await vb.tasks.attachVideo(acme, 'task_abc123', generated()))._unsafeUnwrap();
    expect(attached).toMatchObject({ created: false, video: { id: registered.video.id } });
    const again = (await vb.tasks.attachVideo(acme, 'task_abc123', generated()))._unsafeUnwrap();
    expect(again.task.videoId).toBe(registered.video.id);
  });

  it('refuses a video that another task already links (CONFLICT)', async () => {
    const { vb } = await completedTask();
    (await vb.tasks.create(acme, { ...summerVibes, id: 'task_2' }))._unsafeUnwrap();
    (await vb.tasks.attachVideo(acme, 'task_abc123', generated()))._unsafeUnwrap();
    const error = (await vb.tasks.attachVideo(acme, 'task_2', generated()))._unsafeUnwrapErr();
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain('task_abc123');
    expect((await vb.tasks.get(acme, 'task_2'))._unsafeUnwrap().videoId).toBeNull();
  });

  it('is NOT_FOUND for another org’s task and registers nothing', async () => {
    const { vb } = await completedTask();
    const error = (
      await vb.tasks.attachVideo(globex, 'task_abc123', generated())
    )._unsafeUnwrapErr();
    expect(error.code).toBe('NOT_FOUND');
    expect((await vb.videos.list(globex))._unsafeUnwrap()).toEqual([]);
  });

  it.each([
    ['filename', { body: () => new Uint8Array() }],
    ['body', { filename: 'a.mp4', body: new Uint8Array() }],
    ['', { ...generated(), ownerId: 'someone' }],
  ])('refuses a bad video input (VALIDATION at %s)', async (path, input) => {
    const { vb } = await completedTask();
    const error = (
      await vb.tasks.attachVideo(acme, 'task_abc123', input as never)
    )._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe(path);
  });

  it('passes on the registry’s refusal of a file that is not a video', async () => {
    const { vb } = await completedTask();
    const error = (
      await vb.tasks.attachVideo(acme, 'task_abc123', {
        filename: 'notes.mp4',
        body: () => new TextEncoder().encode('not a video at all'),
      })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect((await vb.tasks.get(acme, 'task_abc123'))._unsafeUnwrap().videoId).toBeNull();
  });
});

describe('uploads.upload of a task’s video', () => {
  it('sends the task’s YouTube title, description and tags when the caller gives no metadata', async () => {
    const { vb, uploader } = await completedTask();
    const { video } = (
      await vb.tasks.attachVideo(acme, 'task_abc123', generated())
    )._unsafeUnwrap();
    const upload = (await vb.uploads.upload(acme, video.id, 'youtube'))._unsafeUnwrap();
    expect(upload).toMatchObject({ status: 'SUCCESS', platformPostId: 'yt-1' });
    expect(uploader.calls).toHaveLength(1);
    expect(uploader.calls[0]?.metadata).toEqual({
      title: 'Electric Dreams (Official Video)',
      description: 'Neon city at night.\nMusic: Electric Dreams',
      tags: ['synthwave', 'neon'],
    });
  });

  it('sends the caller’s metadata as given when it gives any', async () => {
    const { vb, uploader } = await completedTask();
    const { video } = (
      await vb.tasks.attachVideo(acme, 'task_abc123', generated())
    )._unsafeUnwrap();
    (await vb.uploads.upload(acme, video.id, 'youtube', { title: 'Mine' }))._unsafeUnwrap();
    expect(uploader.calls[0]?.metadata).toEqual({ title: 'Mine' });
  });

  it('leaves out the task fields that are empty', async () => {
    const { vb, uploader } = await completedTask({ youtubeTitle: 'Only a title' });
    const { video } = (
      await vb.tasks.attachVideo(acme, 'task_abc123', generated())
    )._unsafeUnwrap();
    (await vb.uploads.upload(acme, video.id, 'youtube'))._unsafeUnwrap();
    expect(uploader.calls[0]?.metadata).toEqual({ title: 'Only a title' });
  });

  it('gives other platforms nothing from the task (their fields differ)', async () => {
    const { vb, tiktok } = await completedTask();
    const { video } = (
      await vb.tasks.attachVideo(acme, 'task_abc123', generated())
    )._unsafeUnwrap();
    (await vb.uploads.upload(acme, video.id, 'tiktok'))._unsafeUnwrap();
    expect(tiktok.calls[0]?.metadata).toEqual({});
  });

  it('sends nothing extra for a video no task links', async () => {
    const { vb, uploader } = await completedTask();
    const { video } = (
      await vb.videos.register(acme, { ...generated(7), ownerId: 'user_1' })
    )._unsafeUnwrap();
    (await vb.uploads.upload(acme, video.id, 'youtube'))._unsafeUnwrap();
    expect(uploader.calls[0]?.metadata).toEqual({});
  });

  it('uses the task’s metadata in batches too, and audits what was sent', async () => {
    const { vb, uploader } = await completedTask();
    (await vb.tasks.attachVideo(acme, 'task_abc123', generated()))._unsafeUnwrap();
    const summary = (
      await vb.uploads.uploadAllPending(acme, { platforms: ['youtube'] })
    )._unsafeUnwrap();
    expect(summary.uploaded).toHaveLength(1);
    expect(uploader.calls[0]?.metadata).toMatchObject({
      title: 'Electric Dreams (Official Video)',
    });
  });

  it('keeps the task’s video and uploads when the task is deleted', async () => {
    const { vb } = await completedTask();
    const { video } = (
      await vb.tasks.attachVideo(acme, 'task_abc123', generated())
    )._unsafeUnwrap();
    (await vb.uploads.upload(acme, video.id, 'youtube'))._unsafeUnwrap();
    (await vb.tasks.delete(acme, 'task_abc123'))._unsafeUnwrap();
    expect((await vb.videos.get(acme, video.id)).isOk()).toBe(true);
    expect((await vb.uploads.history(acme, video.id))._unsafeUnwrap()).toHaveLength(1);
  });
});
