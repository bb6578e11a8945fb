import { describe, expect, it } from 'vitest';
import { acme, globex, START, setup, summerVibes } from './tasks-setup';

async function created() {
  const context = setup();
  (await context.vb.tasks.create(acme, summerVibes))._unsafeUnwrap();
  context.clock.advance(60_000);
  return context;
}

describe('tasks.updateStatus', () => {
  it('moves pending → processing → completed, setting completedAt to now and the video URL', async () => {
    const { vb } = await created();
    const processing = (
      await vb.tasks.updateStatus(acme, 'task_abc123', { status: 'processing' })
    )._unsafeUnwrap();
    expect(processing).toMatchObject({ status: 'processing', completedAt: null });
    const completed = (
      await vb.tasks.updateStatus(acme, 'task_abc123', {
        status: 'completed',
        videoUrl: 'https://storage.runway.com/video_001.mp4',
      })
    )._unsafeUnwrap();
    expect(completed).toMatchObject({
      status: 'completed',
      videoUrl: 'https://storage.runway.com/video_001.mp4',
      completedAt: '2026-03-01T10:01:00.000Z',
      updatedAt: '2026-03-01T10:01:00.000Z',
      createdAt: START,
    });
  });

  it('keeps a given completedAt, and the video URL already set when none is given', async () => {
    const { vb } = await created();
    (await vb.tasks.update(acme, 'task_abc123', { videoUrl: 'https://x/v.mp4' }))._unsafeUnwrap();
    (await vb.tasks.updateStatus(acme, 'task_abc123', { status: 'processing' }))._unsafeUnwrap();
    const completed = (
      await vb.tasks.updateStatus(acme, 'task_abc123', {
        status: 'completed',
        completedAt: '2026-03-01T09:59:00.000Z',
      })
    )._unsafeUnwrap();
    expect(completed).toMatchObject({
      videoUrl: 'https://x/v.mp4',
      completedAt: '2026-03-01T09:59:00.000Z',
    });
  });

  it('keeps the error message of a failed task', async () => {
    const { vb } = await created();
    (await vb.tasks.updateStatus(acme, 'task_abc123', { status: 'processing' }))._unsafeUnwrap();
    const failed = (
      await vb.tasks.updateStatus(acme, 'task_abc123', {
        status: 'failed',
        errorMessage: 'Runway: content policy',
      })
    )._unsafeUnwrap();
    expect(failed).toMatchObject({
      status: 'failed',
      errorMessage: 'Runway: content policy',
      completedAt: null,
    });
    expect((await vb.tasks.get(acme, 'task_abc123'))._unsafeUnwrap().errorMessage).toBe(
      'Runway: content policy',
    );
  });

  it.each([
    ['pending', 'completed'],
    ['pending', 'failed'],
    ['pending', 'pending'],
  ] as const)('refuses %s → %s with CONFLICT naming the status', async (_from, to) => {
    const { vb } = await created();
    const error = (
      await vb.tasks.updateStatus(acme, 'task_abc123', { status: to } as never)
    )._unsafeUnwrapErr();
    expect(error.code).toBe(to === 'pending' ? 'VALIDATION' : 'CONFLICT');
    if (to !== 'pending') {
      expect(error.message).toContain('is pending');
      expect(error.details).toMatchObject({ status: 'pending', to });
    } else {
      expect(error.message).toContain('retry');
    }
  });

  it('refuses to move a finished task, naming its status', async () => {
    const { vb } = await created();
    (await vb.tasks.updateStatus(acme, 'task_abc123', { status: 'processing' }))._unsafeUnwrap();
    (await vb.tasks.updateStatus(acme, 'task_abc123', { status: 'completed' }))._unsafeUnwrap();
    for (const status of ['processing', 'completed', 'failed'] as const) {
      const error = (
        await vb.tasks.updateStatus(acme, 'task_abc123', { status })
      )._unsafeUnwrapErr();
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toContain('is completed');
    }
    expect((await vb.tasks.retry(acme, 'task_abc123'))._unsafeUnwrapErr().message).toContain(
      'is completed',
    );
  });

  it('refuses processing → processing (a second worker starting the same task)', async () => {
    const { vb } = await created();
    (await vb.tasks.updateStatus(acme, 'task_abc123', { status: 'processing' }))._unsafeUnwrap();
    const error = (
      await vb.tasks.updateStatus(acme, 'task_abc123', { status: 'processing' })
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: 'CONFLICT', details: { status: 'processing' } });
  });

  it('of 20 concurrent completions exactly one wins; the others are CONFLICT naming completed', async () => {
    const { vb } = await created();
    (await vb.tasks.updateStatus(acme, 'task_abc123', { status: 'processing' }))._unsafeUnwrap();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        vb.tasks.updateStatus(
          acme,
          'task_abc123',
          index % 2 === 0
            ? { status: 'completed', videoUrl: `https://x/${index}.mp4` }
            : { status: 'failed', errorMessage: `worker ${index}` },
        ),
      ),
    );
    const winners = results.filter((result) => result.isOk());
    expect(winners).toHaveLength(1);
    const winner = winners[0]!._unsafeUnwrap();
    for (const result of results.filter((each) => each.isErr())) {
      const error = result._unsafeUnwrapErr();
      expect(error.code).toBe('CONFLICT');
      expect(error.details).toMatchObject({ status: winner.status });
    }
    expect((await vb.tasks.get(acme, 'task_abc123'))._unsafeUnwrap()).toEqual(winner);
  });

  it.each([
    ['videoUrl', { status: 'processing', videoUrl: 'https://x/v.mp4' }],
    ['completedAt', { status: 'failed', completedAt: START }],
    ['errorMessage', { status: 'completed', errorMessage: 'no' }],
    ['completedAt', { status: 'completed', completedAt: 'yesterday' }],
    ['status', { status: 'done' }],
    ['status', {}],
    ['', { status: 'processing', reason: 'x' }],
  ])('refuses a bad change (VALIDATION at %s)', async (path, change) => {
    const { vb } = await created();
    const error = (
      await vb.tasks.updateStatus(acme, 'task_abc123', change as never)
    )._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe(path);
    expect((await vb.tasks.get(acme, 'task_abc123'))._unsafeUnwrap().status).toBe('pending');
  });

  it('is NOT_FOUND for an unknown task or another org’s', async () => {
    const { vb } = await created();
    const unknown = (
      await vb.tasks.updateStatus(acme, 'nope', { status: 'processing' })
    )._unsafeUnwrapErr();
    expect(unknown.code).toBe('NOT_FOUND');
    const foreign = (
      await vb.tasks.updateStatus(globex, 'task_abc123', { status: 'processing' })
    )._unsafeUnwrapErr();
    expect(foreign.code).toBe('NOT_FOUND');
  });
});

describe('tasks.retry', () => {
  it('sends a failed task back to pending, clearing its error, for a re-run', async () => {
    const { vb } = await created();
    (await vb.tasks.updateStatus(acme, 'task_abc123', { status: 'processing' }))._unsafeUnwrap();
    (
      await vb.tasks.updateStatus(acme, 'task_abc123', { status: 'failed', errorMessage: 'boom' })
    )._unsafeUnwrap();
    const error = (
      await vb.tasks.updateStatus(acme, 'task_abc123', { status: 'processing' })
    )._unsafeUnwrapErr();
    expect(error.message).toContain('is failed');
    expect(error.message).toContain('retry');
    const retried = (await vb.tasks.retry(acme, 'task_abc123'))._unsafeUnwrap();
    expect(retried).toMatchObject({ status: 'pending', errorMessage: null, completedAt: null });
    (await vb.tasks.updateStatus(acme, 'task_abc123', { status: 'processing' }))._unsafeUnwrap();
    const done = (
      await vb.tasks.updateStatus(acme, 'task_abc123', { status: 'completed' })
    )._unsafeUnwrap();
    expect(done.status).toBe('completed');
  });

  it('refuses a task that has not failed (CONFLICT naming its status)', async () => {
    const { vb } = await created();
    const error = (await vb.tasks.retry(acme, 'task_abc123'))._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: 'CONFLICT', details: { status: 'pending' } });
  });

  it('lets one of 20 concurrent retries win', async () => {
    const { vb } = await created();
    (await vb.tasks.updateStatus(acme, 'task_abc123', { status: 'processing' }))._unsafeUnwrap();
    (await vb.tasks.updateStatus(acme, 'task_abc123', { status: 'failed' }))._unsafeUnwrap();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => vb.tasks.retry(acme, 'task_abc123')),
    );
    expect(results.filter((result) => result.isOk())).toHaveLength(1);
  });
});
