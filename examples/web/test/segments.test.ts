import { readFileSync } from 'node:fs';
import type { Segment, SegmentAnalytics } from '@vbuckets/core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClip } from '../../express/test/tasks-media';
import { expectAccessible, focusedOf, screenshot } from './browser';
import { useDashboard } from './dashboard-suite';
import { chartNumbers, hostIds, rowIds, seedSegments, waitForRows } from './segments-helpers';

describe('the segments screen', () => {
  const dashboard = useDashboard();
  let clip: TestClip | undefined;
  let byTitle: Map<string, Segment>;
  beforeAll(async () => {
    ({ clip, byTitle } = await seedSegments(dashboard.host));
  });
  afterAll(() => clip?.remove());

  const idOf = (title: string) => {
    const found = byTitle.get(title);
    if (found === undefined) throw new Error(`no segment ${title}`);
    return found.id;
  };
  const idsOf = (...titles: string[]) => titles.map(idOf);

  /** Signs in with the development button on a segments address (`?type=audio`…). */
  async function openSegments(query = ''): Promise<Page> {
    const page = await dashboard.page();
    await page.goto(`${dashboard.host.url}/#/segments${query === '' ? '' : `?${query}`}`);
    await page.getByRole('button', { name: 'Make me a token' }).click();
    await page.getByRole('heading', { name: 'Segments', exact: true, level: 2 }).waitFor();
    return page;
  }
  const hashQuery = (page: Page) =>
    new URLSearchParams(new URL(page.url()).hash.replace(/^#\/segments\??/, ''));

  it('narrows the list by type and duration, then platform and sort, as the host does, with the filters in the address', async () => {
    const page = await openSegments();
    // Every segment, ten a page, in the host's default order (newest first).
    const all = await hostIds(dashboard.host, '');
    expect(all).toHaveLength(12);
    await waitForRows(page, all.slice(0, 10));
    const pages = page.getByRole('navigation', { name: 'Segment pages' });
    await pages.getByText('Page 1 of 2').waitFor();
    await expectAccessible(page, 'the whole segment list');
    await pages.getByRole('button', { name: 'Next page' }).click();
    await waitForRows(page, all.slice(10));

    // Processed segments of 2 to 10 seconds.
    await page.getByLabel('Type').selectOption('processed');
    await page.getByLabel('Shortest (seconds)').fill('2');
    await page.getByLabel('Longest (seconds)').fill('10');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const byDuration = await hostIds(dashboard.host, 'type=processed&minDuration=2&maxDuration=10');
    expect([...byDuration].sort()).toEqual(idsOf('Hook A', 'Hook B', 'Teaser').sort());
    await waitForRows(page, byDuration);
    expect(Object.fromEntries(hashQuery(page))).toEqual({
      type: 'processed',
      minDuration: '2',
      maxDuration: '10',
    });
    await page.getByTestId('segment-count').getByText('3 segments match the filters').waitFor();
    expect(await pages.count()).toBe(0);

    // …then only those posted on TikTok, the most viewed last.
    await page.getByLabel('Platform').selectOption('tiktok');
    await page.getByLabel('Sort by').selectOption('views');
    await page.getByLabel('Order').selectOption('asc');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const query =
      'type=processed&minDuration=2&maxDuration=10&platform=tiktok&sortBy=views&sortOrder=asc';
    const onTiktok = await hostIds(dashboard.host, query);
    expect(onTiktok).toEqual(idsOf('Teaser', 'Hook A'));
    await waitForRows(page, onTiktok);
    expect(Object.fromEntries(hashQuery(page))).toEqual(
      Object.fromEntries(new URLSearchParams(query)),
    );
    await expectAccessible(page, 'the segment list filtered by type, duration and platform');

    // Back returns to the previous filters, the form with them.
    await page.goBack();
    await waitForRows(page, byDuration);
    expect(await page.getByLabel('Platform').inputValue()).toBe('');

    // A shared link of tags and social media opens filtered, in a fresh tab.
    const linked = await openSegments('tags=neon&hasSocialMedia=true');
    const tagged = await hostIds(dashboard.host, 'tags=neon&hasSocialMedia=true');
    expect([...tagged].sort()).toEqual(idsOf('Hook A', 'Teaser').sort());
    await waitForRows(linked, tagged);
    expect(await linked.getByLabel('Tags').inputValue()).toBe('neon');
    expect(await linked.getByLabel('Social media').inputValue()).toBe('true');
    // Tags are all required: neon and hook together leave out the teaser.
    await linked.getByLabel('Tags').fill('neon, hook');
    await linked.getByRole('button', { name: 'Apply filters' }).click();
    await waitForRows(linked, await hostIds(dashboard.host, 'tags=neon,hook&hasSocialMedia=true'));
    expect(await rowIds(linked)).toEqual(idsOf('Hook A'));
    await expectAccessible(linked, 'a linked segment list filtered by tags');
    await screenshot(linked, 'segments-filtered');
  });

  it('shows a filter the host refuses as its explanation, and an empty match as such', async () => {
    const page = await openSegments('minDuration=30&maxDuration=10');
    const refused = page.getByRole('alert').filter({ hasText: 'The segments could not be read' });
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/must be at least minDuration/);
    expect(await refused.textContent()).toContain('HTTP 400');
    await expectAccessible(page, 'a refused filter');

    await page.getByLabel('Shortest (seconds)').fill('100');
    await page.getByLabel('Longest (seconds)').fill('200');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No segment matches these filters.').waitFor();
    expect(await hostIds(dashboard.host, 'minDuration=100&maxDuration=200')).toEqual([]);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await waitForRows(page, (await hostIds(dashboard.host, '')).slice(0, 10));
    expect(hashQuery(page).toString()).toBe('');
    await screenshot(page, 'segments-refused-filter');
  });

  it("charts one segment's usage per platform with the host's numbers", async () => {
    const page = await openSegments('type=processed');
    const hookA = idOf('Hook A');
    await waitForRows(page, await hostIds(dashboard.host, 'type=processed'));
    await page.getByRole('link', { name: 'Analytics of Hook A' }).click();
    await page.getByRole('heading', { name: 'Analytics of Hook A' }).waitFor();
    expect(await focusedOf(page)).toBe('h2 Analytics of Hook A');
    // The analytics are part of the address, with the filters.
    expect(Object.fromEntries(hashQuery(page))).toEqual({ type: 'processed', segment: hookA });

    const response = await dashboard.host.api(`/segments/${hookA}/analytics`);
    const analytics = (await response.json()) as SegmentAnalytics;
    expect(analytics.platformCount).toBe(3);
    await page.locator('figure.chart').getByText('Views per platform of Hook A').first().waitFor();
    const views = Object.fromEntries(
      analytics.platforms.map((platform) => [platform.platform, String(platform.views)]),
    );
    expect(await chartNumbers(page)).toEqual(views);
    expect(views).toEqual({ tiktok: '1200', instagram: '650', youtube: '400' });
    const totals = page.getByTestId('analytics-totals');
    expect(await totals.textContent()).toContain(
      `Views${analytics.totals.views.toLocaleString('en')}`,
    );
    expect(await totals.textContent()).toContain(`Top platform${analytics.topPlatform}`);
    await expectAccessible(page, "a segment's analytics");

    await page.getByLabel('Chart').selectOption('likes');
    await page.locator('figure.chart').getByText('Likes per platform of Hook A').first().waitFor();
    expect(await chartNumbers(page)).toEqual(
      Object.fromEntries(
        analytics.platforms.map((platform) => [platform.platform, String(platform.likes)]),
      ),
    );

    // A segment posted nowhere says so rather than drawing an empty chart.
    await page.getByRole('link', { name: 'Analytics of Hook C' }).click();
    await page.getByText('Hook C is not posted anywhere yet').waitFor();
    await page.getByRole('link', { name: 'Close analytics' }).click();
    await page.getByRole('heading', { name: /Analytics of/ }).waitFor({ state: 'detached' });
    await page.goBack();
    await page.getByText('Hook C is not posted anywhere yet').waitFor();
    await page.goBack();
    await page.locator('figure.chart').getByText('Views per platform of Hook A').first().waitFor();
    await expectAccessible(page, 'the analytics after going back');
    await screenshot(page, 'segments-analytics');
  });

  it('downloads a segment file, and explains a segment that is not there', async () => {
    const page = await openSegments('type=original');
    const longTake = idOf('Long take');
    await waitForRows(page, [longTake]);
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download Long take' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`segment-${longTake}.mp4`);
    const saved = await download.path();
    const bytes = readFileSync(saved);
    expect(bytes.length).toBeGreaterThan(0);
    // The very bytes the host stored: what its file route serves.
    const served = await dashboard.host.api(`/segments/${longTake}/file`);
    expect(bytes.equals(Buffer.from(await served.arrayBuffer()))).toBe(true);
    expect(bytes.equals(Buffer.from(clip?.bytes ?? []))).toBe(true);
    await page.getByRole('status').filter({ hasText: 'Downloading “Long take”.' }).waitFor();
    await expectAccessible(page, 'the segment list after a download');

    await page.goto(`${dashboard.host.url}/#/segments?segment=gone`);
    const missing = page.getByRole('alert').filter({ hasText: 'The analytics could not be read' });
    await missing.waitFor();
    const problem = (await (await dashboard.host.api('/segments/gone/analytics')).json()) as {
      detail: string;
    };
    expect(await missing.getByText(problem.detail, { exact: true }).count()).toBe(1);
    expect(await missing.textContent()).toContain('HTTP 404');
    await expectAccessible(page, 'the analytics of a missing segment');
    await screenshot(page, 'segments-download');
  });
});
