import { readFileSync } from 'node:fs';
import type { Categorization } from '@vbuckets/core';
import JSZip from 'jszip';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { expectAccessible, PATIENCE_MS, screenshot } from './browser';
import { createBuckets, writeClips } from './categorize-helpers';
import { useDashboard } from './dashboard-suite';

describe('the categorize screen', () => {
  const dashboard = useDashboard();
  const files = writeClips();
  afterAll(() => files.remove());

  const results = async (sessionId: string) =>
    (await (await dashboard.host.api(`/sessions/${sessionId}/results`)).json()) as Categorization[];

  /** Signs in with the development button and opens the screen for a product. */
  async function openProduct(productId: string): Promise<Page> {
    const page = await dashboard.page();
    await page.goto(`${dashboard.host.url}/#/categorize?product=${productId}`);
    await page.getByRole('button', { name: 'Make me a token' }).click();
    await page.getByRole('heading', { name: 'Upload videos' }).waitFor();
    return page;
  }

  /** Picks the clips and their transcripts, uploads them, and waits for the session's id in the address. */
  async function upload(page: Page, count = 4): Promise<string> {
    if (count === 4) await page.getByTestId('categorize-files').setInputFiles(files.paths);
    const sessionOf = () =>
      page.evaluate(() => new URLSearchParams(window.location.hash.split('?')[1]).get('session'));
    const before = await sessionOf();
    await page
      .getByRole('button', {
        name: `Upload and categorize ${count} video${count === 1 ? '' : 's'}`,
      })
      .click();
    await page.waitForFunction(
      (previous) =>
        new URLSearchParams(window.location.hash.split('?')[1]).get('session') !== previous,
      before,
    );
    const sessionId = await sessionOf();
    expect(sessionId).toBeTruthy();
    return sessionId as string;
  }

  it('uploads videos with their transcripts, follows them to done, and works with the results', async () => {
    const productId = 'web-categorize';
    const bucketIds = await createBuckets(dashboard.host, productId);
    const page = await openProduct(productId);
    await page.getByText(`No videos of ${productId} were categorized yet.`).waitFor();
    await expectAccessible(page, 'categorize, nothing chosen');

    // The files as a drop would give them: each video paired with its sidecar by name.
    await page.getByTestId('categorize-files').setInputFiles(files.paths);
    const selection = page.locator('.selection__list li');
    await expect.poll(() => selection.count()).toBe(4);
    await expect
      .poll(() => page.locator('[data-video="afternoon-crash.mov"]').textContent())
      .toContain('transcript afternoon-crash.en.vtt');
    await expect
      .poll(() => page.locator('[data-video="unboxing.mp4"]').textContent())
      .toContain('no transcript');
    await expectAccessible(page, 'categorize, files chosen');
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => selection.count()).toBe(0);

    const sessionId = await upload(page);
    // Every video's progress reaches done, as the session's event stream tells it.
    await page.getByRole('heading', { name: 'Progress' }).waitFor();
    await page.waitForFunction(
      () => document.querySelectorAll('.progress-list__item[data-stage="done"]').length === 4,
      undefined,
      { timeout: PATIENCE_MS * 2 },
    );
    await page.getByText('4 of 4 finished').waitFor();
    await page.getByRole('button', { name: 'Download CSV' }).waitFor();
    await expectAccessible(page, 'categorize, session finished');

    // The table shows the bucket the host stored for each video, and the expected one.
    const stored = await results(sessionId);
    expect(stored.map((row) => [row.filename, row.bucketName])).toEqual(
      files.clips.map((clip) => [clip.filename, clip.bucket]),
    );
    for (const row of stored) {
      const shown = page.locator(`table.results tr[data-file="${row.filename}"]`);
      expect(await shown.getAttribute('data-bucket')).toBe(row.bucketName ?? '');
      if (row.confidence !== null) {
        expect(await shown.textContent()).toContain(`${Math.round(row.confidence * 100)}%`);
      }
    }

    // A bucket's ZIP, saved by the page, holds its video.
    const [zipDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /ZIP of Gut Health/ }).click(),
    ]);
    expect(zipDownload.suggestedFilename()).toBe('Gut Health.zip');
    const zip = await JSZip.loadAsync(readFileSync(await zipDownload.path()));
    expect(Object.keys(zip.files)).toEqual(['bloated-after-lunch.mp4']);
    const zipped = await zip.file('bloated-after-lunch.mp4')?.async('uint8array');
    expect(zipped).toEqual(new Uint8Array(readFileSync(files.clips[0]?.path ?? '')));
    expect(bucketIds['Gut Health']).toBe(stored[0]?.bucketId);

    // The CSV lists every video with its bucket.
    const [csvDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const csv = readFileSync(await csvDownload.path(), 'utf8');
    for (const clip of files.clips) expect(csv).toContain(clip.filename);
    expect(csv).toContain('Energy & Focus');

    // Marked uploaded on the page, marked on the host.
    await page.getByRole('checkbox', { name: 'Uploaded afternoon-crash.mov' }).check();
    await page.getByText('afternoon-crash.mov is marked uploaded.').waitFor();
    const marked = await results(sessionId);
    expect(marked.filter((row) => row.isUploaded).map((row) => row.filename)).toEqual([
      'afternoon-crash.mov',
    ]);

    // Filtering by bucket.
    await page.getByLabel('Bucket', { exact: true }).selectOption('Sleep');
    await expect.poll(() => page.locator('table.results tbody tr').count()).toBe(1);
    expect(await page.locator('table.results tbody tr').getAttribute('data-file')).toBe(
      'awake-at-3am.mp4',
    );

    // The past sessions list has this one, with its counts.
    const past = page.locator(`tr[data-session="${sessionId}"]`);
    await past.waitFor();
    await expect.poll(() => past.locator('td').first().textContent()).toBe('4');
    await expect.poll(() => past.locator('td').nth(4).textContent()).toBe('1');
    await expectAccessible(page, 'categorize, filtered results');
    await screenshot(page, 'categorize-session');
  });

  it('reopens a past session from the list, newest first, and shows a failed video and a refused upload with the host’s reasons', async () => {
    const productId = 'web-categorize-past';
    await createBuckets(dashboard.host, productId);
    const page = await openProduct(productId);
    const first = await upload(page);
    await page.getByRole('button', { name: 'Download CSV' }).waitFor({ timeout: PATIENCE_MS * 2 });
    const second = await upload(page);
    await page.waitForFunction(
      (id) => document.querySelector(`tr[data-session="${id}"]`) !== null,
      second,
    );
    await page.getByRole('button', { name: 'Download CSV' }).waitFor({ timeout: PATIENCE_MS * 2 });
    const order = await page
      .locator('table.sessions tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-session')));
    expect(order).toEqual([second, first]);

    // Opening the older one shows its results (already finished: no progress to follow).
    await page.locator(`tr[data-session="${first}"] a`).click();
    await page.waitForFunction((id) => window.location.hash.includes(`session=${id}`), first);
    await expect.poll(() => page.locator('table.results tbody tr').count()).toBe(4);
    expect(await page.getByRole('heading', { name: 'Progress' }).count()).toBe(0);

    // A file that is no video.
    await page.getByTestId('categorize-files').setInputFiles({
      name: 'not-a-video.mp4',
      mimeType: 'video/mp4',
      buffer: Buffer.from('plain text, not a video'),
    });
    const third = await upload(page, 1);
    await page.locator('.progress-list__item[data-stage="failed"]').waitFor();
    const [failed] = await results(third);
    expect(failed?.status).toBe('error');
    await page
      .getByText(failed?.errorMessage ?? 'no message')
      .first()
      .waitFor();
    await expectAccessible(page, 'categorize, a failed video');
    // A retry runs it again; it is still no video.
    await page.getByRole('button', { name: 'Retry 1 failed' }).click();
    await page.getByText('1 still failed.').waitFor();
    expect((await results(third))[0]?.status).toBe('error');

    // A product id the host refuses: its own explanation, not a blank page.
    const tooLong = 'p'.repeat(201);
    await page.goto(`${dashboard.host.url}/#/categorize?product=${tooLong}`);
    await page.getByRole('alert').filter({ hasText: 'The product could not be read' }).waitFor();
    await page.getByTestId('categorize-files').setInputFiles(files.clips[2]?.path ?? '');
    await page.getByRole('button', { name: 'Upload and categorize 1 video' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The videos were not uploaded' });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/200 characters/);
    await expectAccessible(page, 'categorize, refused upload');
    await screenshot(page, 'categorize-past-sessions');
  });
});
