import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bucket } from '@vbuckets/core';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { expectAccessible, focusedOf, screenshot } from './browser';
import type { DashboardHost } from './dashboard-host';
import { useDashboard } from './dashboard-suite';

describe('the buckets screen', () => {
  const dashboard = useDashboard();
  const folders: string[] = [];
  afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });
  const api: DashboardHost['api'] = (path, init) => dashboard.host.api(path, init);

  /** The product's buckets as the host has them, in display order. */
  const stored = async (productId: string) =>
    (await (await api(`/buckets?productId=${productId}`)).json()) as Bucket[];
  const namesIn = async (productId: string) =>
    (await stored(productId)).map((bucket) => bucket.name);
  const createStored = async (productId: string, names: string[]) => {
    for (const name of names) {
      const created = await api('/buckets', {
        method: 'POST',
        json: { productId, name, keyCopyHooks: [`${name} hook`], painPoints: [`${name} pain`] },
      });
      expect(created.status).toBe(201);
    }
  };
  /** Waits until the table lists exactly these names, top to bottom. */
  const waitForNames = (page: Page, names: string[]) =>
    page.waitForFunction(
      (expected) =>
        JSON.stringify(
          [...document.querySelectorAll('table.table tbody tr')].map((row) =>
            row.getAttribute('data-bucket'),
          ),
        ) === JSON.stringify(expected),
      names,
    );

  /** Signs in with the development button and opens a product's buckets. */
  async function openProduct(productId: string): Promise<Page> {
    const page = await dashboard.page();
    await page.goto(`${dashboard.host.url}/#/buckets?product=${productId}`);
    await page.getByRole('button', { name: 'Make me a token' }).click();
    await page.getByRole('heading', { name: `Buckets of ${productId}` }).waitFor();
    return page;
  }

  async function fillBucketForm(page: Page, fields: Record<string, string>) {
    const form = page
      .locator('form')
      .filter({ has: page.getByRole('button', { name: /Create bucket|Save changes/ }) });
    for (const [label, value] of Object.entries(fields)) {
      await form.getByLabel(label, { exact: true }).fill(value);
    }
  }

  it('creates three buckets, edits every field of one, and finds the edit after a reload', async () => {
    const page = await openProduct('serum');
    await page.getByText('serum has no buckets yet.').waitFor();
    for (const name of ['Gut health', 'Energy', 'Sleep']) {
      await page.getByRole('button', { name: 'New bucket' }).click();
      await fillBucketForm(page, {
        Name: name,
        'Best for': `${name} videos`,
        'Pain points': `${name} pain one\n\n${name} pain two`,
      });
      await page.getByRole('button', { name: 'Create bucket' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Created “${name}”.` })
        .waitFor();
    }
    await waitForNames(page, ['Gut health', 'Energy', 'Sleep']);
    expect((await stored('serum')).map((bucket) => bucket.painPoints)).toEqual([
      ['Gut health pain one', 'Gut health pain two'],
      ['Energy pain one', 'Energy pain two'],
      ['Sleep pain one', 'Sleep pain two'],
    ]);

    // A second bucket of the same name: the host's 409 explains itself in the form.
    await page.getByRole('button', { name: 'New bucket' }).click();
    await fillBucketForm(page, { Name: 'energy' });
    await page.getByRole('button', { name: 'Create bucket' }).click();
    const conflict = page.getByRole('alert').filter({ hasText: 'HTTP 409' });
    await conflict.waitFor();
    expect(await conflict.textContent()).toMatch(/energy/i);
    await expectAccessible(page, 'the bucket form with an error');
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Edit Energy' }).click();
    expect(await focusedOf(page)).toBe('h2 Edit “Energy”');
    const edited = {
      Name: 'Energy, renamed',
      'Best for': 'Afternoon slump clips',
      Angle: 'Science of blood sugar',
      Avatar: 'Office worker, 30s',
      'Pain points': '3 pm crash\ncoffee jitters',
      'Solution mechanism': 'slow-release fibre\nno caffeine',
      'Key copy hooks': 'no more 3 pm crash\nenergy without the jitters\nfeel it in a week',
      'Display order': '10',
    };
    await fillBucketForm(page, edited);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved “Energy, renamed”.' }).waitFor();

    await page.reload();
    await waitForNames(page, ['Gut health', 'Sleep', 'Energy, renamed']);
    await page.getByRole('button', { name: 'Edit Energy, renamed' }).click();
    const form = page
      .locator('form')
      .filter({ has: page.getByRole('button', { name: 'Save changes' }) });
    for (const [label, value] of Object.entries(edited)) {
      expect(await form.getByLabel(label, { exact: true }).inputValue(), label).toBe(value);
    }
    const energy = (await stored('serum')).find((bucket) => bucket.name === 'Energy, renamed');
    expect(energy).toMatchObject({
      bestFor: 'Afternoon slump clips',
      angle: 'Science of blood sugar',
      avatar: 'Office worker, 30s',
      painPoints: ['3 pm crash', 'coffee jitters'],
      solutionMechanism: ['slow-release fibre', 'no caffeine'],
      keyCopyHooks: ['no more 3 pm crash', 'energy without the jitters', 'feel it in a week'],
      displayOrder: 10,
    });
    await expectAccessible(page, 'the buckets screen with the edit form');
    await screenshot(page, 'buckets-edit');
  });

  it('reorders with the move buttons, keeping focus, and deletes only after a confirmation', async () => {
    await createStored('order', ['First', 'Second', 'Third']);
    const page = await openProduct('order');
    await waitForNames(page, ['First', 'Second', 'Third']);

    await page.getByRole('button', { name: 'Move down First' }).click();
    await waitForNames(page, ['Second', 'First', 'Third']);
    expect(await namesIn('order')).toEqual(['Second', 'First', 'Third']);
    await page.waitForFunction(() => document.activeElement?.textContent === 'Move down First');
    // From the keyboard: the focused button moves the same bucket again, to the end.
    await page.keyboard.press('Enter');
    await waitForNames(page, ['Second', 'Third', 'First']);
    // At the end its "Move down" is disabled, so focus went to its "Move up".
    await page.waitForFunction(() => document.activeElement?.textContent === 'Move up First');
    await page.getByRole('button', { name: 'Move up Third' }).click();
    await waitForNames(page, ['Third', 'Second', 'First']);
    expect(await namesIn('order')).toEqual(['Third', 'Second', 'First']);
    await page
      .getByRole('status')
      .filter({ hasText: 'Moved “Third” to position 1 of 3.' })
      .waitFor();

    await page.getByRole('button', { name: 'Delete Second' }).click();
    expect(await focusedOf(page)).toBe('button Yes, delete Second');
    await page.getByRole('button', { name: 'Keep Second' }).click();
    await page.waitForFunction(() => document.activeElement?.textContent === 'Delete Second');
    expect(await namesIn('order')).toEqual(['Third', 'Second', 'First']);
    await page.getByRole('button', { name: 'Delete Second' }).click();
    await expectAccessible(page, 'the buckets table asking to confirm a delete');
    await page.getByRole('button', { name: 'Yes, delete Second' }).click();
    await page.getByRole('status').filter({ hasText: 'Deleted “Second”.' }).waitFor();
    await waitForNames(page, ['Third', 'First']);
    expect(await namesIn('order')).toEqual(['Third', 'First']);
    expect(await focusedOf(page)).toBe('h2 Buckets of order');
    await screenshot(page, 'buckets-reorder-delete');
  });

  it('pages a long list, and a move across the page boundary follows the bucket', async () => {
    const names = Array.from(
      { length: 12 },
      (_, index) => `Bucket ${String(index + 1).padStart(2, '0')}`,
    );
    await createStored('long', names);
    const page = await openProduct('long');
    await waitForNames(page, names.slice(0, 10));
    const pages = page.getByRole('navigation', { name: 'Bucket pages' });
    expect(await pages.getByText('Page 1 of 2').count()).toBe(1);
    expect(await pages.getByRole('button', { name: 'Previous page' }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Move down Bucket 10' }).click();
    await waitForNames(page, ['Bucket 10', 'Bucket 12']);
    await pages.getByText('Page 2 of 2').waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent === 'Move down Bucket 10');
    expect((await namesIn('long')).slice(9)).toEqual(['Bucket 11', 'Bucket 10', 'Bucket 12']);

    await pages.getByRole('button', { name: 'Previous page' }).click();
    await waitForNames(page, [...names.slice(0, 9), 'Bucket 11']);
    await expectAccessible(page, 'a paged bucket list');
    await screenshot(page, 'buckets-paged');
  });

  it('exports a product as JSON and imports the file, then pasted JSON, into another product', async () => {
    await createStored('source', ['Alpha', 'Beta']);
    const page = await openProduct('source');
    await waitForNames(page, ['Alpha', 'Beta']);
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export JSON' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('source-buckets.json');
    // Saved under the name the page gave it: the import shows which file it read.
    const file = join(
      mkdtempSync(join(tmpdir(), 'vbuckets-web-download-')),
      download.suggestedFilename(),
    );
    await download.saveAs(file);
    const exported = JSON.parse(readFileSync(file, 'utf8')) as {
      productId: string;
      buckets: { name: string; keyCopyHooks: string[] }[];
    };
    expect(exported.productId).toBe('source');
    expect(exported.buckets.map((bucket) => [bucket.name, bucket.keyCopyHooks])).toEqual([
      ['Alpha', ['Alpha hook']],
      ['Beta', ['Beta hook']],
    ]);

    // To the other product through the picker, as a person would.
    await page.getByLabel('Product id').fill('copy');
    await page.getByRole('button', { name: 'Show buckets' }).click();
    await page.getByText('copy has no buckets yet.').waitFor();
    await page.getByLabel('JSON file').setInputFiles(file);
    await page.getByText('From source-buckets.json.').waitFor();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Imported into copy: 2 created, 0 updated, 0 unchanged.' })
      .waitFor();
    await waitForNames(page, ['Alpha', 'Beta']);
    expect(await namesIn('copy')).toEqual(['Alpha', 'Beta']);

    await page.getByLabel('Or paste the JSON').fill(readFileSync(file, 'utf8'));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Imported into copy: 0 created, 0 updated, 2 unchanged.' })
      .waitFor();

    await page.getByLabel('Or paste the JSON').fill('{"buckets": [{"name": ""}]}');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'HTTP 400 · VALIDATION' });
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/name/);
    await page.getByLabel('Or paste the JSON').fill('not json');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'That is not JSON' }).waitFor();
    expect(await namesIn('copy')).toEqual(['Alpha', 'Beta']);
    await expectAccessible(page, 'the buckets screen after an import');
    await screenshot(page, 'buckets-import-export');
  });
});
