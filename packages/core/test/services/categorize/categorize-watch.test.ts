import { describe, expect, it } from 'vitest';
import type { CategorizeProgressEvent } from '../../../src/services/categorize/categorize-types';
import { acme, globex, PRODUCT, setup, videoFile } from './categorize-test-setup';

/** A session stored and queued by `start`, not yet worked. */
async function started(context: Awaited<ReturnType<typeof setup>>) {
  return (
    await context.vb.categorize.start(acme, {
      productId: PRODUCT,
      files: [videoFile('gut.mp4'), videoFile('energy.mp4'), videoFile('notes.txt')],
      provider: 'fake',
    })
  )._unsafeUnwrap();
}

describe('categorize.watch', () => {
  it('hears the stages of work it did not start (a resume, as the queue job runs it)', async () => {
    const context = await setup();
    const { session, rows } = await started(context);
    const heard: CategorizeProgressEvent[] = [];
    const strangers: CategorizeProgressEvent[] = [];
    const stop = context.vb.categorize
      .watch(acme, session.id, (event) => heard.push(event))
      ._unsafeUnwrap();
    // Same session id, another org: hears nothing.
    context.vb.categorize
      .watch(globex, session.id, (event) => strangers.push(event))
      ._unsafeUnwrap();
    (await context.vb.categorize.resume(acme, session.id, { provider: 'fake' }))._unsafeUnwrap();

    const stagesOf = (filename: string) =>
      heard.filter((event) => event.filename === filename).map((event) => event.stage);
    expect(stagesOf('gut.mp4')).toEqual(['analyzing', 'categorizing', 'done']);
    expect(stagesOf('energy.mp4')).toEqual(['analyzing', 'categorizing', 'done']);
    const done = heard.find((event) => event.filename === 'gut.mp4' && event.stage === 'done');
    expect(done).toMatchObject({
      sessionId: session.id,
      rowId: rows[0]?.id,
      index: 0,
      total: 3,
      result: { status: 'categorized', bucketName: 'Gut Health' },
    });
    expect(strangers).toEqual([]);

    // Stopped: a retry is not heard.
    stop();
    stop();
    const before = heard.length;
    (
      await context.vb.categorize.retry(acme, session.id, {
        provider: 'fake',
        filenames: ['energy.mp4'],
      })
    )._unsafeUnwrap();
    expect(heard).toHaveLength(before);
  });

  it('keeps a batch going when a watcher throws, and refuses a bad session id', async () => {
    const context = await setup();
    const { session } = await started(context);
    context.vb.categorize
      .watch(acme, session.id, () => {
        throw new Error('broken display');
      })
      ._unsafeUnwrap();
    const result = (
      await context.vb.categorize.resume(acme, session.id, { provider: 'fake' })
    )._unsafeUnwrap();
    expect(result.session.counts).toMatchObject({ pending: 0, categorized: 2, error: 1 });
    expect(context.vb.categorize.watch(acme, '', () => undefined)._unsafeUnwrapErr()).toMatchObject(
      { code: 'VALIDATION', message: expect.stringMatching(/sessionId/) },
    );
  });
});

describe('categorize.sessionSummary', () => {
  it('gives one session with counts by status and bucket, NOT_FOUND for another org', async () => {
    const context = await setup();
    const { session, rows } = await started(context);
    (await context.vb.categorize.resume(acme, session.id, { provider: 'fake' }))._unsafeUnwrap();
    (await context.vb.categorize.markUploaded(acme, [rows[0]!.id]))._unsafeUnwrap();
    const summary = (await context.vb.categorize.sessionSummary(acme, session.id))._unsafeUnwrap();
    expect(summary).toMatchObject({
      session: { id: session.id, productId: PRODUCT },
      countsByStatus: { total: 3, pending: 0, categorized: 2, analyzed: 0, error: 1 },
      countsByBucket: [
        { bucketName: 'Energy & Focus', count: 1 },
        { bucketName: 'Gut Health', count: 1 },
      ],
      uploadedCount: 1,
    });
    const recent = (
      await context.vb.categorize.recentSessions(acme, { productId: PRODUCT })
    )._unsafeUnwrap();
    expect(recent[0]).toEqual(summary);
    expect(
      (await context.vb.categorize.sessionSummary(globex, session.id))._unsafeUnwrapErr().code,
    ).toBe('NOT_FOUND');
  });
});
