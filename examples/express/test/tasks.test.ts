import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MATRIX_USERS, ORG_SHARED } from './auth-matrix';
import { problemOf, STORES, startTestHost, type TestHost, tokenFor } from './host';
import { createTask, type TaskJson } from './tasks-helpers';
import { assertMatrixRows, type MatrixRow } from './tasks-matrix';

describe.each(STORES)('tasks routes on %s', (kind) => {
  let host: TestHost;
  let owner: string;
  let other: string;
  beforeAll(async () => {
    host = await startTestHost(kind);
    owner = await tokenFor(MATRIX_USERS.owner);
    other = await tokenFor(MATRIX_USERS.otherOrg);
  });
  afterAll(() => host.close());

  it('creates, reads, lists, updates and deletes a task of the caller org', async () => {
    const task = await createTask(host, owner, {
      id: 'task_abc123',
      bpm: 128,
      genre: 'Electronic',
    });
    expect(task).toMatchObject({ id: 'task_abc123', orgId: 'acme', status: 'pending', bpm: 128 });

    const read = await host.call('/api/v1/tasks/task_abc123', { token: owner });
    expect(await read.json()).toMatchObject({ id: 'task_abc123', genre: 'Electronic' });

    const patched = await host.call('/api/v1/tasks/task_abc123', {
      method: 'PATCH',
      token: owner,
      json: { cost: 12.5, creditsUsed: 250, youtubeTags: ['edm', 'neon'], genre: null },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ cost: 12.5, creditsUsed: 250, genre: null });

    const listed = (await (
      await host.call('/api/v1/tasks?userId=ana&status=pending&limit=100', { token: owner })
    ).json()) as TaskJson[];
    expect(listed.map((each) => each.id)).toContain('task_abc123');
    expect(await (await host.call('/api/v1/tasks', { token: other })).json()).toEqual([]);

    const deleted = await host.call('/api/v1/tasks/task_abc123', {
      method: 'DELETE',
      token: owner,
    });
    expect(await deleted.json()).toEqual({
      taskId: 'task_abc123',
      thumbnailsDeleted: 0,
      imagesLeft: [],
    });
    expect((await host.call('/api/v1/tasks/task_abc123', { token: owner })).status).toBe(404);
  });

  it('moves a task through its statuses, refuses a wrong move with 409 and retries a failure', async () => {
    const task = await createTask(host, owner);
    const move = (json: unknown) =>
      host.call(`/api/v1/tasks/${task.id}/status`, { method: 'POST', token: owner, json });
    expect(await (await move({ status: 'processing' })).json()).toMatchObject({
      status: 'processing',
    });
    const failed = await move({ status: 'failed', errorMessage: 'engine timed out' });
    expect(await failed.json()).toMatchObject({
      status: 'failed',
      errorMessage: 'engine timed out',
    });

    const wrong = await move({ status: 'completed' });
    expect(wrong.status).toBe(409);
    expect((await problemOf(wrong)).detail).toMatch(/failed/);

    const retried = await host.call(`/api/v1/tasks/${task.id}/retry`, {
      method: 'POST',
      token: owner,
    });
    expect(await retried.json()).toMatchObject({ status: 'pending', errorMessage: null });
    const again = await host.call(`/api/v1/tasks/${task.id}/retry`, {
      method: 'POST',
      token: owner,
    });
    expect(again.status).toBe(409);

    await move({ status: 'processing' });
    const done = await move({ status: 'completed', videoUrl: 'https://cdn.example/v.mp4' });
    expect(await done.json()).toMatchObject({
      status: 'completed',
      videoUrl: 'https://cdn.example/v.mp4',
    });

    const misplaced = await move({ status: 'processing', videoUrl: 'https://cdn.example/v.mp4' });
    expect(misplaced.status).toBe(400);
    expect((await problemOf(misplaced)).path).toBe('body.videoUrl');
  });

  it('totals the tasks of the org and of one user, and prices a generation', async () => {
    const stats = await host.call('/api/v1/tasks/stats?userId=zed', { token: owner });
    expect(await stats.json()).toMatchObject({ totalTasks: 0, totalCost: 0 });
    await createTask(host, owner, { userId: 'zed', cost: 3.5, creditsUsed: 30 });
    await createTask(host, owner, { userId: 'zed', cost: 1.5 });
    const after = await host.call('/api/v1/tasks/stats?userId=zed', { token: owner });
    expect(await after.json()).toMatchObject({
      totalTasks: 2,
      totalCost: 5,
      totalCreditsUsed: 30,
      byStatus: { pending: 2 },
    });

    const estimate = await host.call(
      '/api/v1/tasks/cost-estimate?engine=runway_standard&durationSec=61',
      { token: owner },
    );
    expect(await estimate.json()).toMatchObject({ engine: 'runway_standard', blocks: 7 });
    const unpriced = await host.call('/api/v1/tasks/cost-estimate?engine=sora&durationSec=10', {
      token: owner,
    });
    expect(unpriced.status).toBe(400);
    expect((await problemOf(unpriced)).detail).toMatch(/runway_standard/);
  });

  it('answers bad fields and query values with 400 naming them, and a taken id with 409', async () => {
    const cases: [string, RequestInit & { json?: unknown }, string][] = [
      ['/api/v1/tasks?limit=many', {}, 'query.limit'],
      ['/api/v1/tasks?limit=0', {}, 'query.limit'],
      ['/api/v1/tasks?status=done', {}, 'query.status'],
      ['/api/v1/tasks?owner=ana', {}, 'query'],
      ['/api/v1/tasks?offset=10&after=task_x', {}, 'query.after'],
      ['/api/v1/tasks/cost-estimate?engine=runway_standard', {}, 'query.durationSec'],
      [
        '/api/v1/tasks',
        {
          method: 'POST',
          json: { userId: 'ana', projectName: 'p', engine: 'e', prompt: 'x', bpm: 1.5 },
        },
        'body.bpm',
      ],
      [
        '/api/v1/tasks',
        {
          method: 'POST',
          json: { userId: 'ana', projectName: 'p', engine: 'e', prompt: 'x', status: 'completed' },
        },
        'body',
      ],
    ];
    for (const [path, init, field] of cases) {
      const response = await host.call(path, { ...init, token: owner });
      expect(response.status, path).toBe(400);
      expect((await problemOf(response)).path, path).toBe(field);
    }
    await createTask(host, owner, { id: 'task_taken' });
    const taken = await host.call('/api/v1/tasks', {
      method: 'POST',
      token: owner,
      json: { id: 'task_taken', userId: 'ana', projectName: 'p', engine: 'e', prompt: 'x' },
    });
    expect(taken.status).toBe(409);
    expect((await problemOf(taken)).code).toBe('CONFLICT');
  });

  it('keeps tasks inside their org: the auth matrix of every task route', async () => {
    const setup = (current: TestHost, token: string) => createTask(current, token);
    const rows: MatrixRow<TaskJson>[] = [
      {
        name: 'GET task',
        request: (task) => [`/api/v1/tasks/${task.id}`, {}],
        expected: ORG_SHARED(200),
      },
      {
        name: 'PATCH task',
        request: (task) => [
          `/api/v1/tasks/${task.id}`,
          { method: 'PATCH', json: { prompt: 'Sunset beach' } },
        ],
        expected: ORG_SHARED(200),
      },
      {
        name: 'DELETE task',
        request: (task) => [`/api/v1/tasks/${task.id}`, { method: 'DELETE' }],
        expected: ORG_SHARED(200),
      },
      {
        name: 'POST task status',
        request: (task) => [
          `/api/v1/tasks/${task.id}/status`,
          { method: 'POST', json: { status: 'processing' } },
        ],
        expected: ORG_SHARED(200),
      },
      {
        name: 'POST task retry (pending: 409 inside the org)',
        request: (task) => [`/api/v1/tasks/${task.id}/retry`, { method: 'POST' }],
        expected: ORG_SHARED(409),
      },
    ];
    await assertMatrixRows(host, setup, rows);
    // Lists and creates act in the caller's own org: another org gets its own (empty) list.
    const ownOrg = (status: number) => ({ ...ORG_SHARED(status), otherOrg: status });
    await assertMatrixRows(host, async () => undefined, [
      { name: 'GET tasks (list)', request: () => ['/api/v1/tasks', {}], expected: ownOrg(200) },
      { name: 'GET task stats', request: () => ['/api/v1/tasks/stats', {}], expected: ownOrg(200) },
      {
        name: 'POST task',
        request: () => [
          '/api/v1/tasks',
          { method: 'POST', json: { userId: 'ana', projectName: 'p', engine: 'e', prompt: 'x' } },
        ],
        expected: ownOrg(201),
      },
    ]);
  });
});
