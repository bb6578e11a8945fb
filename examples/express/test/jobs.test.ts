import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatrix, MATRIX_ORG, MATRIX_USERS, type MatrixActor } from './auth-matrix';
import { problemOf, STORES, startTestHost, type TestHost, tokenFor } from './host';
import { runJob } from './jobs-helpers';
import { createTask } from './tasks-helpers';

interface JobJson {
  kind: string;
  id: string;
  state: string;
  failedReason: string | null;
  payload: { orgId: string };
}

const ADMIN_ONLY: Record<MatrixActor, number> = {
  anonymous: 401,
  owner: 403,
  member: 403,
  admin: 200,
  otherOrg: 200,
};

/** A host without a media probe: a queued candidate generation fails for good (a settings error). */
async function failedGenerateJob(host: TestHost, ownerToken: string): Promise<JobJson> {
  const task = await createTask(host, ownerToken);
  const queued = await host.call(`/api/v1/tasks/${task.id}/thumbnails/generate`, {
    method: 'POST',
    token: ownerToken,
    json: { queue: true },
  });
  const job = (await queued.json()) as JobJson;
  expect((await runJob(host, job.kind, job.id)).type).toBe('job-failed');
  return job;
}

describe.each(STORES)('job routes on %s', (kind) => {
  let host: TestHost;
  let owner: string;
  let admin: string;
  let otherAdmin: string;
  let failedJob: JobJson;
  beforeAll(async () => {
    host = await startTestHost(kind);
    owner = await tokenFor(MATRIX_USERS.owner);
    admin = await tokenFor(MATRIX_USERS.admin);
    otherAdmin = await tokenFor(MATRIX_USERS.otherOrg);
    failedJob = await failedGenerateJob(host, owner);
  });
  afterAll(() => host.close());

  const jobPath = (job: { kind: string; id: string }) =>
    `/api/v1/jobs/${encodeURIComponent(job.kind)}/${encodeURIComponent(job.id)}`;

  it("lists counts, the org's failed jobs with their reasons, and one job", async () => {
    const counts = await host.call('/api/v1/jobs/counts', { token: admin });
    expect(counts.status).toBe(200);
    expect(await counts.json()).toMatchObject({
      engine: 'embedded',
      counts: expect.arrayContaining([{ kind: 'thumbnails.generate', state: 'failed', count: 1 }]),
    });

    const failed = (await (
      await host.call('/api/v1/jobs/failed?kind=thumbnails.generate&limit=10', { token: admin })
    ).json()) as JobJson[];
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      id: failedJob.id,
      state: 'failed',
      payload: { orgId: MATRIX_ORG },
    });
    expect(failed[0]?.failedReason).toMatch(/MediaProbe/);
    expect(await (await host.call('/api/v1/jobs/failed', { token: otherAdmin })).json()).toEqual(
      [],
    );

    const one = await host.call(jobPath(failedJob), { token: admin });
    expect(await one.json()).toMatchObject({ id: failedJob.id, state: 'failed' });
    expect((await host.call(jobPath(failedJob), { token: otherAdmin })).status).toBe(404);
    const bad = await host.call('/api/v1/jobs/failed?limit=0', { token: admin });
    expect((await problemOf(bad)).path).toBe('query.limit');
  });

  it("lists the org's schedules only", async () => {
    const scheduled = await host.vbuckets.jobs.schedule({
      name: 'acme-metrics',
      kind: 'segments.syncMetrics',
      payload: { orgId: MATRIX_ORG },
      everyMs: 3_600_000,
    });
    expect(scheduled.isOk()).toBe(true);
    const mine = await host.call('/api/v1/jobs/schedules', { token: admin });
    expect(await mine.json()).toEqual([
      {
        name: 'acme-metrics',
        kind: 'segments.syncMetrics',
        payload: { orgId: MATRIX_ORG },
        everyMs: 3_600_000,
      },
    ]);
    expect(await (await host.call('/api/v1/jobs/schedules', { token: otherAdmin })).json()).toEqual(
      [],
    );
  });

  it('refuses members with 403 on every job route and lets admins in', async () => {
    for (const path of ['/api/v1/jobs/counts', '/api/v1/jobs/failed', '/api/v1/jobs/schedules']) {
      await assertMatrix(host, {
        name: `GET ${path}`,
        setup: async () => undefined,
        request: (current, token) => current.call(path, token === undefined ? {} : { token }),
        expected: ADMIN_ONLY,
      });
    }
    await assertMatrix(host, {
      name: 'GET one job',
      setup: async () => undefined,
      request: (current, token) =>
        current.call(jobPath(failedJob), token === undefined ? {} : { token }),
      expected: { ...ADMIN_ONLY, otherOrg: 404 },
    });
    await assertMatrix(host, {
      name: 'POST job retry',
      setup: failedGenerateJob,
      request: (current, token, job) =>
        current.call(`${jobPath(job)}/retry`, {
          method: 'POST',
          ...(token === undefined ? {} : { token }),
        }),
      expected: { ...ADMIN_ONLY, otherOrg: 404 },
    });
  });

  it('retries a failed job of the org once: 409 when it has not failed, 404 for another org', async () => {
    const foreign = await host.call(`${jobPath(failedJob)}/retry`, {
      method: 'POST',
      token: otherAdmin,
    });
    expect(foreign.status).toBe(404);
    const member = await host.call(`${jobPath(failedJob)}/retry`, { method: 'POST', token: owner });
    expect(member.status).toBe(403);
    const retried = await host.call(`${jobPath(failedJob)}/retry`, {
      method: 'POST',
      token: admin,
    });
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ id: failedJob.id, state: 'waiting' });
    const again = await host.call(`${jobPath(failedJob)}/retry`, { method: 'POST', token: admin });
    expect(again.status).toBe(409);
    const missing = await host.call('/api/v1/jobs/thumbnails.generate/nothing/retry', {
      method: 'POST',
      token: admin,
    });
    expect(missing.status).toBe(404);
  });
});
