import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { CATEGORIZATION_CSV_COLUMNS } from '@vbuckets/core';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Clip,
  createBuckets,
  filesUnder,
  PRODUCT,
  type RunView,
  sampleClips,
  startCategorizeHost,
  upload,
  useCategorizeHost,
  videoBytes,
} from './categorize-fixtures';
import { problemOf, STORES, tokenFor } from './host';

describe.each(STORES)('session routes on %s', (kind) => {
  const suite = useCategorizeHost(kind);
  let other: string;
  let clips: Clip[];
  let run: RunView;
  beforeAll(async () => {
    other = await tokenFor({ userId: 'dee', orgId: 'globex' });
    clips = sampleClips(1);
    const response = await upload(suite.host, suite.owner, clips, { mode: 'inline' });
    expect(response.status).toBe(201);
    run = (await response.json()) as RunView;
  });

  it('lists sessions newest first and gives one with counts by status and bucket', async () => {
    const second = (await (
      await upload(suite.host, suite.owner, sampleClips(2).slice(0, 1), { mode: 'inline' })
    ).json()) as RunView;
    const listed = (await (
      await suite.host.call(`/api/v1/products/${PRODUCT}/sessions`, { token: suite.owner })
    ).json()) as Array<{ session: { id: string } }>;
    expect(listed.map((summary) => summary.session.id)).toEqual([
      second.session.id,
      run.session.id,
    ]);
    const limited = (await (
      await suite.host.call(`/api/v1/products/${PRODUCT}/sessions?limit=1`, { token: suite.owner })
    ).json()) as unknown[];
    expect(limited).toHaveLength(1);

    const one = await suite.host.call(`/api/v1/sessions/${run.session.id}`, { token: suite.owner });
    expect(await one.json()).toMatchObject({
      session: { id: run.session.id, productId: PRODUCT },
      countsByStatus: { total: 4, pending: 0, categorized: 3, analyzed: 1, error: 0 },
      countsByBucket: [
        { bucketName: 'Energy & Focus', count: 1 },
        { bucketName: 'Gut Health', count: 1 },
        { bucketName: 'Sleep', count: 1 },
      ],
      uploadedCount: 0,
    });
    const foreign = await suite.host.call(`/api/v1/sessions/${run.session.id}`, { token: other });
    expect(foreign.status).toBe(404);
    expect((await problemOf(foreign)).code).toBe('NOT_FOUND');
  });

  it('answers every row, or keyset pages that link to the next', async () => {
    const all = await suite.host.call(`/api/v1/sessions/${run.session.id}/results`, {
      token: suite.owner,
    });
    expect(all.headers.get('link')).toBeNull();
    expect(((await all.json()) as RowLike[]).map((row) => row.filename)).toEqual(
      clips.map((clip) => clip.filename),
    );
    const seen: string[] = [];
    let next: string | null = `/api/v1/sessions/${run.session.id}/results?limit=3`;
    while (next !== null) {
      const page: Response = await suite.host.call(next, { token: suite.owner });
      const rows = (await page.json()) as RowLike[];
      seen.push(...rows.map((row) => row.filename));
      next = /<([^>]+)>; rel="next"/u.exec(page.headers.get('link') ?? '')?.[1] ?? null;
    }
    expect(seen).toEqual(clips.map((clip) => clip.filename));
    const bad = await suite.host.call(`/api/v1/sessions/${run.session.id}/results?limit=0`, {
      token: suite.owner,
    });
    expect((await problemOf(bad)).path).toBe('query.limit');
  });

  it('downloads the results as CSV', async () => {
    const response = await suite.host.call(`/api/v1/sessions/${run.session.id}/results.csv`, {
      token: suite.owner,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toMatch(
      new RegExp(`^attachment; filename="session-${run.session.id}\\.csv"`),
    );
    const csv = await response.text();
    expect(csv.startsWith(`${CATEGORIZATION_CSV_COLUMNS.join(',')}\r\n`)).toBe(true);
    // Each row begins with its file, bucket and confidence, in file order.
    const starts = clips.map((clip) => csv.indexOf(`\r\n${clip.filename},${clip.bucket ?? ''},`));
    expect(starts.every((start) => start > 0)).toBe(true);
    expect(starts).toEqual(starts.toSorted((left, right) => left - right));
    expect(csv.match(/,(categorized|analyzed),/gu)).toHaveLength(4);
  });

  it("streams a bucket's videos as a ZIP with their exact bytes", async () => {
    const response = await suite.host.call(
      `/api/v1/sessions/${run.session.id}/buckets/${suite.buckets['Gut Health']}/zip`,
      { token: suite.owner },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toMatch(/filename="Gut Health\.zip"/);
    const zip = await JSZip.loadAsync(await response.arrayBuffer());
    expect(Object.keys(zip.files)).toEqual(['bloated-after-lunch.mp4']);
    const bytes = await zip.file('bloated-after-lunch.mp4')?.async('uint8array');
    expect(Buffer.from(bytes ?? []).equals(Buffer.from(clips[0]?.bytes ?? []))).toBe(true);

    const unknown = await suite.host.call(
      `/api/v1/sessions/${run.session.id}/buckets/no-such-bucket/zip`,
      { token: suite.owner },
    );
    expect(unknown.status).toBe(404);
    const foreign = await suite.host.call(
      `/api/v1/sessions/${run.session.id}/buckets/${suite.buckets['Gut Health']}/zip`,
      { token: other },
    );
    expect(foreign.status).toBe(404);
  });

  // A ZIP whose copy breaks mid-way must fail the download, never end as a short "complete" file.
  it('breaks the connection when a stored copy turns out corrupted mid-stream', async () => {
    const sleepClip = clips[2] as Clip;
    const stored = filesUnder(suite.context.blobsDir).find(
      (file) =>
        statSync(file).size === sleepClip.bytes.byteLength &&
        readFileSync(file).equals(Buffer.from(sleepClip.bytes)),
    );
    expect(stored).toBeDefined();
    const damaged = Buffer.from(sleepClip.bytes);
    damaged[damaged.length - 1] = (damaged.at(-1) ?? 0) ^ 0xff;
    writeFileSync(stored as string, damaged);
    const download = async () => {
      const response = await suite.host.call(
        `/api/v1/sessions/${run.session.id}/buckets/${suite.buckets.Sleep}/zip`,
        { token: suite.owner },
      );
      return response.arrayBuffer();
    };
    await expect(download()).rejects.toThrow();
    writeFileSync(stored as string, Buffer.from(sleepClip.bytes));
  });

  it('answers 503 for a ZIP when the suite.host has no blob store', async () => {
    const bare = await startCategorizeHost(kind, { withBlobs: false });
    try {
      await createBuckets(bare.host, suite.owner);
      const made = (await (
        await upload(bare.host, suite.owner, sampleClips(3).slice(0, 1), { mode: 'inline' })
      ).json()) as RunView;
      const response = await bare.host.call(
        `/api/v1/sessions/${made.session.id}/buckets/any-bucket/zip`,
        { token: suite.owner },
      );
      expect(response.status).toBe(503);
      expect((await problemOf(response)).detail).toMatch(/without access to the blob store/);
    } finally {
      await bare.close();
    }
  });

  it('retries a named file after a bucket for it was added', async () => {
    const sneakers: Clip = {
      filename: 'sneakers.mp4',
      bytes: videoBytes(77),
      sidecar: {
        filename: 'sneakers.txt',
        text: 'Sneaker unboxing haul: new running shoes, laces and box.',
      },
      bucket: null,
    };
    const made = (await (
      await upload(suite.host, suite.owner, [sneakers], { mode: 'inline' })
    ).json()) as RunView;
    expect(made.rows[0]).toMatchObject({ status: 'analyzed', bucketName: null });
    const created = await suite.host.call('/api/v1/buckets', {
      method: 'POST',
      token: suite.owner,
      json: {
        productId: PRODUCT,
        name: 'Unboxing',
        bestFor: 'Sneaker unboxing hauls',
        painPoints: ['New running shoes unboxing'],
      },
    });
    expect(created.status).toBe(201);
    const retried = await suite.host.call(`/api/v1/sessions/${made.session.id}/retry`, {
      method: 'POST',
      token: suite.owner,
      json: { filenames: ['sneakers.mp4'] },
    });
    expect(retried.status).toBe(200);
    const result = (await retried.json()) as RunView;
    expect(result.rows.find((row) => row.filename === 'sneakers.mp4')).toMatchObject({
      status: 'categorized',
      bucketName: 'Unboxing',
    });
    const typo = await suite.host.call(`/api/v1/sessions/${made.session.id}/retry`, {
      method: 'POST',
      token: suite.owner,
      json: { filenames: ['nope.mp4'] },
    });
    expect((await problemOf(typo)).path).toBe('filenames.0');
    await suite.host.call(`/api/v1/buckets/${((await created.json()) as { id: string }).id}`, {
      method: 'DELETE',
      token: suite.owner,
    });
  });

  it('marks rows uploaded and lists them by bucket, in pages', async () => {
    const ids = run.rows.slice(0, 3).map((row) => row.id);
    const foreign = await suite.host.call('/api/v1/categorizations/uploaded', {
      method: 'POST',
      token: other,
      json: { ids },
    });
    expect(await foreign.json()).toEqual({ updated: 0 });
    const marked = await suite.host.call('/api/v1/categorizations/uploaded', {
      method: 'POST',
      token: suite.owner,
      json: { ids },
    });
    expect(await marked.json()).toEqual({ updated: 3 });
    const listed = (await (
      await suite.host.call(`/api/v1/products/${PRODUCT}/uploaded`, { token: suite.owner })
    ).json()) as Array<{ bucketName: string | null; rows: RowLike[] }>;
    expect(
      listed.map((group) => [group.bucketName, group.rows.map((row) => row.filename)]),
    ).toEqual([
      ['Energy & Focus', ['afternoon-crash.mov']],
      ['Gut Health', ['bloated-after-lunch.mp4']],
      ['Sleep', ['awake-at-3am.mp4']],
    ]);
    const firstPage = await suite.host.call(`/api/v1/products/${PRODUCT}/uploaded?limit=2`, {
      token: suite.owner,
    });
    expect(firstPage.headers.get('link')).toMatch(/after=/);
    const unmarked = await suite.host.call('/api/v1/categorizations/uploaded', {
      method: 'POST',
      token: suite.owner,
      json: { ids: ids.slice(0, 1), uploaded: false },
    });
    expect(await unmarked.json()).toEqual({ updated: 1 });
    expect(
      await (
        await suite.host.call(`/api/v1/products/${PRODUCT}/uploaded`, { token: other })
      ).json(),
    ).toEqual([]);
  });
});

interface RowLike {
  id: string;
  filename: string;
}
