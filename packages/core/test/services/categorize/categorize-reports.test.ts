import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/ports/store';
import { createMemoryStore, makeVideoAnalysis } from '../../../src/testing/index';
import { acme, combinedProvider, globex, PRODUCT, setup, videoFile } from './categorize-test-setup';

async function batch(
  context: Awaited<ReturnType<typeof setup>>,
  filenames: string[],
  productId = PRODUCT,
) {
  return (
    await context.vb.categorize.run(acme, {
      productId,
      files: filenames.map((name) => videoFile(name)),
      provider: 'fake',
    })
  )._unsafeUnwrap();
}

describe('categorize.results', () => {
  it('lists a session’s rows, and is NOT_FOUND for another organisation', async () => {
    const context = await setup();
    const { session, rows } = await batch(context, ['gut.mp4', 'energy.mp4']);
    expect((await context.vb.categorize.results(acme, session.id))._unsafeUnwrap()).toEqual(rows);
    const error = (await context.vb.categorize.results(globex, session.id))._unsafeUnwrapErr();
    expect(error.code).toBe('NOT_FOUND');
    expect((await context.vb.categorize.results(acme, 'missing'))._unsafeUnwrapErr().code).toBe(
      'NOT_FOUND',
    );
  });
});

describe('categorize.recentSessions', () => {
  it('lists the newest sessions first with counts by status and bucket', async () => {
    const context = await setup();
    const first = await batch(context, ['gut.mp4', 'notes.txt']);
    context.clock.advance(60_000);
    const second = await batch(context, ['gut-1.mp4', 'gut-2.mp4', 'energy.mp4', 'other.mp4']);
    context.clock.advance(60_000);
    const third = await batch(context, ['energy-1.mp4']);
    (await context.vb.categorize.markUploaded(acme, [second.rows[0]!.id]))._unsafeUnwrap();

    const summaries = (
      await context.vb.categorize.recentSessions(acme, { productId: PRODUCT })
    )._unsafeUnwrap();
    expect(summaries.map((summary) => summary.session.id)).toEqual([
      third.session.id,
      second.session.id,
      first.session.id,
    ]);
    expect(summaries[1]).toEqual({
      session: second.session,
      countsByStatus: { total: 4, pending: 0, analyzed: 1, categorized: 3, error: 0 },
      countsByBucket: [
        { bucketName: 'Gut Health', count: 2 },
        { bucketName: 'Energy & Focus', count: 1 },
      ],
      uploadedCount: 1,
    });
    expect(summaries[2]?.countsByStatus).toMatchObject({ total: 2, error: 1, categorized: 1 });

    const limited = (
      await context.vb.categorize.recentSessions(acme, { productId: PRODUCT, limit: 2 })
    )._unsafeUnwrap();
    expect(limited).toHaveLength(2);
    expect(
      (await context.vb.categorize.recentSessions(globex, { productId: PRODUCT }))._unsafeUnwrap(),
    ).toEqual([]);
  });

  it('defaults to the 10 newest', async () => {
    const context = await setup();
    for (let index = 0; index < 12; index += 1) {
      await batch(context, [`gut-${index}.mp4`]);
      context.clock.advance(1_000);
    }
    const summaries = (
      await context.vb.categorize.recentSessions(acme, { productId: PRODUCT })
    )._unsafeUnwrap();
    expect(summaries).toHaveLength(10);
  });

  it('refuses a limit out of range', async () => {
    const context = await setup();
    const error = (
      await context.vb.categorize.recentSessions(acme, { productId: PRODUCT, limit: 0 })
    )._unsafeUnwrapErr();
    expect(error.path).toBe('limit');
  });
});

describe('categorize.exportCsv', () => {
  it('writes RFC 4180 CSV with formula cells neutralised', async () => {
    const { analyzer, provider } = combinedProvider();
    analyzer.queueAnalyzeAndCategorize(
      {
        analysis: makeVideoAnalysis({ summary: 'Says "wow", then\nleaves' }),
        answer: { bucketName: 'Gut Health', confidence: 0.82, reasoning: '=HYPERLINK("x")' },
      },
      {
        analysis: makeVideoAnalysis({ summary: '@mention' }),
        answer: { bucketName: null, confidence: 0.4, reasoning: '-no fit' },
      },
    );
    const context = await setup({ providers: { fake: provider }, categorize: { concurrency: 1 } });
    const { session, rows } = await batch(context, ['+gut.mp4', 'plain, named.mp4', 'bad.txt']);
    (await context.vb.categorize.markUploaded(acme, [rows[0]!.id]))._unsafeUnwrap();
    const csv = (await context.vb.categorize.exportCsv(acme, session.id))._unsafeUnwrap();
    expect(csv).toBe(
      'filename,bucket,confidence,status,reasoning,summary,uploaded,error\r\n' +
        '\'+gut.mp4,Gut Health,0.82,categorized,"\'=HYPERLINK(""x"")","Says ""wow"", then\nleaves",yes,\r\n' +
        '"plain, named.mp4",,0.4,analyzed,\'-no fit,\'@mention,no,\r\n' +
        'bad.txt,,,error,,,no,"""bad.txt"" is not an accepted video type (.txt); accepted: mp4, mov, avi, webm"\r\n',
    );
  });

  it('is NOT_FOUND for an unknown session', async () => {
    const context = await setup();
    expect((await context.vb.categorize.exportCsv(acme, 'nope'))._unsafeUnwrapErr().code).toBe(
      'NOT_FOUND',
    );
  });
});

/** A memory store that counts setUploaded writes. */
function countingStore() {
  const inner = createMemoryStore();
  let writes = 0;
  const store: Store = {
    ...inner,
    categorizations: {
      ...inner.categorizations,
      setUploaded: (...args) => {
        writes += 1;
        return inner.categorizations.setUploaded(...args);
      },
    },
  };
  return { store, writes: () => writes };
}

describe('categorize.markUploaded', () => {
  it('returns 0 for an empty list without writing', async () => {
    const counting = countingStore();
    const context = await setup({ store: counting.store });
    expect((await context.vb.categorize.markUploaded(acme, []))._unsafeUnwrap()).toBe(0);
    expect((await context.vb.categorize.markUploaded(acme, [], false))._unsafeUnwrap()).toBe(0);
    expect(counting.writes()).toBe(0);
  });

  it('marks and unmarks in bulk, counting only the organisation’s rows', async () => {
    const counting = countingStore();
    const context = await setup({ store: counting.store });
    const { rows } = await batch(context, ['gut.mp4', 'energy.mp4', 'other.mp4']);
    const ids = rows.map((row) => row.id);
    expect(
      (await context.vb.categorize.markUploaded(acme, [...ids, 'unknown']))._unsafeUnwrap(),
    ).toBe(3);
    expect((await context.vb.categorize.markUploaded(globex, ids))._unsafeUnwrap()).toBe(0);
    expect((await context.vb.categorize.markUploaded(acme, [ids[1]!], false))._unsafeUnwrap()).toBe(
      1,
    );
    const after = (await context.vb.categorize.results(acme, rows[0]!.sessionId))._unsafeUnwrap();
    expect(after.map((row) => row.isUploaded)).toEqual([true, false, true]);
    expect(counting.writes()).toBe(3);
  });

  it('refuses a cross-organisation scope', async () => {
    const context = await setup();
    const error = (
      await context.vb.categorize.markUploaded({ orgId: 'acme', allOrgs: true }, ['x'])
    )._unsafeUnwrapErr();
    expect(error.code).toBe('FORBIDDEN');
  });
});

describe('categorize.uploadedByBucket', () => {
  it('groups uploaded rows by bucket name, then filename', async () => {
    const context = await setup();
    const { rows } = await batch(context, [
      'gut-b.mp4',
      'energy.mp4',
      'gut-a.mp4',
      'other.mp4',
      'gut-c.mp4',
    ]);
    const uploaded = rows.filter((row) => row.filename !== 'gut-c.mp4').map((row) => row.id);
    (await context.vb.categorize.markUploaded(acme, uploaded))._unsafeUnwrap();
    (
      await context.vb.buckets.create(acme, { productId: 'product-2', name: 'Gut Health' })
    )._unsafeUnwrap();
    const elsewhere = await batch(context, ['gut-z.mp4'], 'product-2');
    (await context.vb.categorize.markUploaded(acme, [elsewhere.rows[0]!.id]))._unsafeUnwrap();
    const groups = (
      await context.vb.categorize.uploadedByBucket(acme, { productId: PRODUCT })
    )._unsafeUnwrap();
    expect(
      groups.map((group) => [group.bucketName, group.rows.map((row) => row.filename)]),
    ).toEqual([
      [null, ['other.mp4']],
      ['Energy & Focus', ['energy.mp4']],
      ['Gut Health', ['gut-a.mp4', 'gut-b.mp4']],
    ]);
    expect(
      (
        await context.vb.categorize.uploadedByBucket(globex, { productId: PRODUCT })
      )._unsafeUnwrap(),
    ).toEqual([]);

    // Pages of two rows, each after the last row of the one before; a bucket goes on over a page end.
    const first = (
      await context.vb.categorize.uploadedByBucket(acme, { productId: PRODUCT, limit: 2 })
    )._unsafeUnwrap();
    const after = first.at(-1)!.rows.at(-1)!.id;
    const second = (
      await context.vb.categorize.uploadedByBucket(acme, { productId: PRODUCT, limit: 2, after })
    )._unsafeUnwrap();
    expect(
      [...first, ...second].map((group) => [
        group.bucketName,
        group.rows.map((row) => row.filename),
      ]),
    ).toEqual([
      [null, ['other.mp4']],
      ['Energy & Focus', ['energy.mp4']],
      ['Gut Health', ['gut-a.mp4', 'gut-b.mp4']],
    ]);
  });

  it('gives pages of 100 rows unless asked, at most 1000, and refuses an unknown after', async () => {
    const context = await setup();
    const at = '2026-01-01T00:00:00.000Z';
    (
      await context.store.categorizationSessions.insert({
        id: 'big',
        orgId: acme.orgId,
        productId: PRODUCT,
        createdAt: at,
      })
    )._unsafeUnwrap();
    const rows = Array.from({ length: 120 }, (_, index) => ({
      id: `row-${index}`,
      orgId: acme.orgId,
      productId: PRODUCT,
      sessionId: 'big',
      videoId: null,
      filename: `clip-${String(index).padStart(3, '0')}.mp4`,
      bucketId: null,
      bucketName: 'Gut Health',
      confidence: 0.9,
      reasoning: null,
      summary: null,
      transcript: null,
      analysis: null,
      status: 'categorized' as const,
      errorMessage: null,
      isUploaded: true,
      createdAt: at,
      updatedAt: at,
    }));
    (await context.store.categorizations.insertMany(rows))._unsafeUnwrap();
    const uploaded = context.vb.categorize.uploadedByBucket;
    const [page] = (await uploaded(acme, { productId: PRODUCT }))._unsafeUnwrap();
    expect(page!.rows.map((row) => row.id)).toEqual(rows.slice(0, 100).map((row) => row.id));
    const [rest] = (await uploaded(acme, { productId: PRODUCT, after: 'row-99' }))._unsafeUnwrap();
    expect(rest!.rows.map((row) => row.id)).toEqual(rows.slice(100).map((row) => row.id));
    const tooMany = (await uploaded(acme, { productId: PRODUCT, limit: 1001 }))._unsafeUnwrapErr();
    expect(tooMany).toMatchObject({ code: 'VALIDATION', path: 'limit' });
    const unknown = (
      await uploaded(acme, { productId: PRODUCT, after: 'row-x' })
    )._unsafeUnwrapErr();
    expect(unknown).toMatchObject({ code: 'VALIDATION', path: 'after' });
    expect(unknown.message).toBe(
      'No item "row-x" in this list to continue after; start again without "after"',
    );

    // results: every row unless a page is asked for.
    expect((await context.vb.categorize.results(acme, 'big'))._unsafeUnwrap()).toHaveLength(120);
    const results = (
      await context.vb.categorize.results(acme, 'big', { limit: 5, after: 'row-10' })
    )._unsafeUnwrap();
    expect(results.map((row) => row.id)).toEqual([
      'row-11',
      'row-12',
      'row-13',
      'row-14',
      'row-15',
    ]);
    // The last page is empty, not an error; an unknown session stays NOT_FOUND, with or
    // without a cursor, and another org's session too (the session is read only then).
    expect(
      (await context.vb.categorize.results(acme, 'big', { after: 'row-119' }))._unsafeUnwrap(),
    ).toEqual([]);
    for (const [scope, sessionId, page] of [
      [acme, 'missing', {}],
      [acme, 'missing', { after: 'row-10' }],
      [{ orgId: 'globex' }, 'big', {}],
      [{ orgId: 'globex' }, 'big', { limit: 5, after: 'row-10' }],
    ] as const) {
      const error = (
        await context.vb.categorize.results(scope, sessionId, page)
      )._unsafeUnwrapErr();
      expect(error.code).toBe('NOT_FOUND');
    }
    const badCursor = (
      await context.vb.categorize.results(acme, 'big', { after: 'row-x' })
    )._unsafeUnwrapErr();
    expect(badCursor).toMatchObject({ code: 'VALIDATION', path: 'after' });
  });
});

describe('categorize.bucketExport', () => {
  it('groups categorized videos by bucket in bucket order, with blob keys', async () => {
    const context = await setup();
    const { session, rows } = await batch(context, [
      'gut-1.mp4',
      'energy.webm',
      'other.mp4',
      'gut-2.mov',
      'bad.txt',
    ]);
    const groups = (await context.vb.categorize.bucketExport(acme, session.id))._unsafeUnwrap();
    const video = async (index: number) =>
      (await context.store.videos.get(acme, rows[index]!.videoId!))._unsafeUnwrap();
    const entry = async (index: number) => {
      const each = await video(index);
      return {
        filename: rows[index]!.filename,
        blobKey: each.blobKey,
        sizeBytes: 512,
        videoId: each.id,
        sha256: each.sha256,
      };
    };
    expect(groups).toEqual([
      {
        bucketId: context.buckets[0]!.id,
        bucketName: 'Gut Health',
        entries: [await entry(0), await entry(3)],
      },
      {
        bucketId: context.buckets[1]!.id,
        bucketName: 'Energy & Focus',
        entries: [await entry(1)],
      },
    ]);
    const only = (
      await context.vb.categorize.bucketExport(acme, session.id, {
        bucketId: context.buckets[1]!.id,
      })
    )._unsafeUnwrap();
    expect(only.map((group) => group.bucketName)).toEqual(['Energy & Focus']);
  });

  it('keeps a deleted bucket’s rows under its name, last', async () => {
    const context = await setup();
    const { session } = await batch(context, ['gut.mp4', 'energy.mp4']);
    (await context.vb.buckets.delete(acme, context.buckets[0]!.id))._unsafeUnwrap();
    const groups = (await context.vb.categorize.bucketExport(acme, session.id))._unsafeUnwrap();
    expect(groups.map((group) => [group.bucketId, group.bucketName])).toEqual([
      [context.buckets[1]!.id, 'Energy & Focus'],
      [null, 'Gut Health'],
    ]);
  });

  it('exports a renamed bucket under its current name', async () => {
    const context = await setup();
    const { session } = await batch(context, ['gut.mp4']);
    (
      await context.vb.buckets.update(acme, context.buckets[0]!.id, { name: 'Digestion' })
    )._unsafeUnwrap();
    const groups = (await context.vb.categorize.bucketExport(acme, session.id))._unsafeUnwrap();
    expect(groups.map((group) => group.bucketName)).toEqual(['Digestion']);
  });

  it('is NOT_FOUND for another organisation’s session', async () => {
    const context = await setup();
    const { session } = await batch(context, ['gut.mp4']);
    expect(
      (await context.vb.categorize.bucketExport(globex, session.id))._unsafeUnwrapErr().code,
    ).toBe('NOT_FOUND');
  });
});
