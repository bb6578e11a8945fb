import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MATRIX_USERS, ORG_SHARED } from './auth-matrix';
import { problemOf, STORES, startTestHost, type TestHost, tokenFor } from './host';
import { runJob } from './jobs-helpers';
import { addThumbnail, createTask, type TaskJson } from './tasks-helpers';
import { assertMatrixRows, type MatrixRow } from './tasks-matrix';
import { createTestClip, realMediaOptions, type TestClip, uploadForm } from './tasks-media';

interface ThumbnailJson {
  id: string;
  variant: string;
  clickPrediction: number | null;
  isSelected: boolean;
  source: string;
  blobKey: string | null;
}

describe.each(STORES)('thumbnail routes on %s', (kind) => {
  let host: TestHost;
  let clip: TestClip;
  let owner: string;
  let other: string;
  beforeAll(async () => {
    clip = createTestClip();
    host = await startTestHost(kind, { vbucketsOptions: realMediaOptions() });
    owner = await tokenFor(MATRIX_USERS.owner);
    other = await tokenFor(MATRIX_USERS.otherOrg);
  });
  afterAll(async () => {
    await host.close();
    clip.remove();
  });

  const attachClip = (taskId: string, token = owner) =>
    host.call(`/api/v1/tasks/${taskId}/video`, {
      method: 'PUT',
      token,
      body: uploadForm({ field: 'file', bytes: clip.variant(), filename: 'generated.mp4' }),
    });

  it('lists thumbnails by click prediction, selects one at a time and removes one', async () => {
    const task = await createTask(host, owner);
    const bold = await addThumbnail(host, owner, task.id, {
      variant: 'bold_text',
      clickPrediction: 0.85,
    });
    const face = await addThumbnail(host, owner, task.id, {
      variant: 'emotional_face',
      clickPrediction: 0.92,
    });
    await addThumbnail(host, owner, task.id, { variant: 'no_guess' });
    const action = await addThumbnail(host, owner, task.id, {
      variant: 'action_shot',
      clickPrediction: 0.78,
    });

    const listed = (await (
      await host.call(`/api/v1/tasks/${task.id}/thumbnails`, { token: owner })
    ).json()) as ThumbnailJson[];
    expect(listed.map((each) => each.variant)).toEqual([
      'emotional_face',
      'bold_text',
      'action_shot',
      'no_guess',
    ]);
    const none = await host.call(`/api/v1/tasks/${task.id}/thumbnails/selected`, { token: owner });
    expect(await none.json()).toBeNull();

    const select = (id: string) =>
      host.call(`/api/v1/tasks/${task.id}/thumbnails/${id}/select`, {
        method: 'POST',
        token: owner,
      });
    expect(await (await select(face.id)).json()).toMatchObject({ id: face.id, isSelected: true });
    await select(bold.id);
    const selected = await host.call(`/api/v1/tasks/${task.id}/thumbnails/selected`, {
      token: owner,
    });
    expect(await selected.json()).toMatchObject({ id: bold.id, variant: 'bold_text' });
    const after = (await (
      await host.call(`/api/v1/tasks/${task.id}/thumbnails`, { token: owner })
    ).json()) as ThumbnailJson[];
    expect(after.filter((each) => each.isSelected).map((each) => each.id)).toEqual([bold.id]);

    const removed = await host.call(`/api/v1/thumbnails/${action.id}`, {
      method: 'DELETE',
      token: owner,
    });
    expect(await removed.json()).toMatchObject({ thumbnail: { id: action.id }, imageLeft: null });
    expect(
      (await host.call(`/api/v1/thumbnails/${action.id}`, { method: 'DELETE', token: owner }))
        .status,
    ).toBe(404);

    const stats = await host.call('/api/v1/tasks/stats', { token: owner });
    expect(
      ((await stats.json()) as { totalThumbnails: number }).totalThumbnails,
    ).toBeGreaterThanOrEqual(3);
  });

  it('refuses a bad thumbnail with 400 naming the field and a taken id with 409', async () => {
    const task = await createTask(host, owner);
    const post = (json: unknown) =>
      host.call(`/api/v1/tasks/${task.id}/thumbnails`, { method: 'POST', token: owner, json });
    const tooHigh = await post({
      variant: 'v',
      imageUrl: 'https://i.example/a.jpg',
      clickPrediction: 1.5,
    });
    expect((await problemOf(tooHigh)).path).toBe('body.clickPrediction');
    const noUrl = await post({ variant: 'v' });
    expect((await problemOf(noUrl)).path).toBe('body.imageUrl');
    await addThumbnail(host, owner, task.id, { id: 'thumb_once' });
    const taken = await post({
      id: 'thumb_once',
      variant: 'v',
      imageUrl: 'https://i.example/a.jpg',
    });
    expect(taken.status).toBe(409);
    const unknownTask = await host.call('/api/v1/tasks/nope/thumbnails', { token: owner });
    expect(unknownTask.status).toBe(404);
  });

  it('attaches the generated video and cuts scored candidates from it with the real ffmpeg', async () => {
    const task = await createTask(host, owner);
    const noVideo = await host.call(`/api/v1/tasks/${task.id}/thumbnails/generate`, {
      method: 'POST',
      token: owner,
      json: {},
    });
    expect(noVideo.status).toBe(400);

    const attached = await attachClip(task.id);
    expect(attached.status, await attached.clone().text()).toBe(200);
    const { video, task: linked } = (await attached.json()) as {
      video: { id: string; durationSec: number | null; mimeType: string };
      task: TaskJson;
    };
    expect(linked.videoId).toBe(video.id);
    expect(video.durationSec).toBeCloseTo(6, 0);

    const generated = await host.call(`/api/v1/tasks/${task.id}/thumbnails/generate`, {
      method: 'POST',
      token: owner,
      json: { count: 3, maxWidth: 160 },
    });
    expect(generated.status, await generated.clone().text()).toBe(201);
    const candidates = (await generated.json()) as {
      thumbnail: ThumbnailJson;
      timestampSec: number;
      width: number;
    }[];
    expect(candidates.length).toBeGreaterThan(0);
    expect(candidates.length).toBeLessThanOrEqual(3);
    for (const candidate of candidates) {
      expect(candidate.thumbnail).toMatchObject({ source: 'frame', isSelected: false });
      expect(candidate.thumbnail.blobKey).not.toBeNull();
      expect(candidate.width).toBeLessThanOrEqual(160);
    }
    const listed = (await (
      await host.call(`/api/v1/tasks/${task.id}/thumbnails`, { token: owner })
    ).json()) as ThumbnailJson[];
    expect(listed).toHaveLength(candidates.length);

    const first = candidates[0]?.thumbnail.id as string;
    const imagePath = (id: string) => `/api/v1/tasks/${task.id}/thumbnails/${id}/image`;
    const image = await host.call(imagePath(first), { token: owner });
    expect(image.status, await image.clone().text()).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    const jpeg = new Uint8Array(await image.arrayBuffer());
    expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8]);
    expect(Number(image.headers.get('content-length'))).toBe(jpeg.length);
    expect((await host.call(imagePath(first), { token: other })).status).toBe(404);
    expect((await host.call(imagePath(first))).status).toBe(401);
    const given = await addThumbnail(host, owner, task.id, { variant: 'by_url' });
    const external = await problemOf(await host.call(imagePath(given.id), { token: owner }));
    expect(external.detail).toMatch(/given by URL/);
    expect((await host.call(imagePath('thumb_none'), { token: owner })).status).toBe(404);

    const badCount = await host.call(`/api/v1/tasks/${task.id}/thumbnails/generate`, {
      method: 'POST',
      token: owner,
      json: { count: 50 },
    });
    expect((await problemOf(badCount)).path).toBe('body.count');
    const wrongType = await host.call(`/api/v1/tasks/${task.id}/video`, {
      method: 'PUT',
      token: owner,
      json: {},
    });
    expect(wrongType.status).toBe(415);
  });

  it('queues candidate generation as a thumbnails.generate job that a worker runs', async () => {
    const task = await createTask(host, owner);
    expect((await attachClip(task.id)).status).toBe(200);
    const queued = await host.call(`/api/v1/tasks/${task.id}/thumbnails/generate`, {
      method: 'POST',
      token: owner,
      json: { count: 2, queue: true },
    });
    expect(queued.status).toBe(202);
    const job = (await queued.json()) as { kind: string; id: string; created: boolean };
    expect(job).toMatchObject({ kind: 'thumbnails.generate', created: true });

    expect((await runJob(host, 'thumbnails.generate', job.id)).type).toBe('job-completed');
    const listed = (await (
      await host.call(`/api/v1/tasks/${task.id}/thumbnails`, { token: owner })
    ).json()) as ThumbnailJson[];
    expect(listed.length).toBeGreaterThan(0);

    const foreign = await host.call(`/api/v1/tasks/${task.id}/thumbnails/generate`, {
      method: 'POST',
      token: other,
      json: { queue: true },
    });
    expect(foreign.status).toBe(404);
  });

  it('keeps thumbnails inside their org: the auth matrix of every thumbnail route', async () => {
    const setup = async (current: TestHost, token: string) => {
      const task = await createTask(current, token);
      const thumbnail = await addThumbnail(current, token, task.id, { clickPrediction: 0.5 });
      return { task, thumbnail };
    };
    type Context = Awaited<ReturnType<typeof setup>>;
    const rows: MatrixRow<Context>[] = [
      {
        name: 'GET thumbnails',
        request: (c) => [`/api/v1/tasks/${c.task.id}/thumbnails`, {}],
        expected: ORG_SHARED(200),
      },
      {
        name: 'POST thumbnail',
        request: (c) => [
          `/api/v1/tasks/${c.task.id}/thumbnails`,
          { method: 'POST', json: { variant: 'v', imageUrl: 'https://i.example/b.jpg' } },
        ],
        expected: ORG_SHARED(201),
      },
      {
        name: 'POST select',
        request: (c) => [
          `/api/v1/tasks/${c.task.id}/thumbnails/${c.thumbnail.id}/select`,
          { method: 'POST' },
        ],
        expected: ORG_SHARED(200),
      },
      {
        name: 'GET selected',
        request: (c) => [`/api/v1/tasks/${c.task.id}/thumbnails/selected`, {}],
        expected: ORG_SHARED(200),
      },
      {
        name: 'DELETE thumbnail',
        request: (c) => [`/api/v1/thumbnails/${c.thumbnail.id}`, { method: 'DELETE' }],
        expected: ORG_SHARED(200),
      },
      {
        name: 'POST generate, queued',
        request: (c) => [
          `/api/v1/tasks/${c.task.id}/thumbnails/generate`,
          { method: 'POST', json: { queue: true } },
        ],
        expected: ORG_SHARED(202),
      },
      {
        name: 'PUT task video',
        request: (c) => [
          `/api/v1/tasks/${c.task.id}/video`,
          {
            method: 'PUT',
            body: uploadForm({ field: 'file', bytes: clip.variant(), filename: 'g.mp4' }),
          },
        ],
        expected: ORG_SHARED(200),
      },
    ];
    await assertMatrixRows(host, setup, rows);
  });
});
