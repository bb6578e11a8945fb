import type { Creative } from '@vbuckets/core';
import { type FakeAnthropicServer, startFakeAnthropicServer } from '@vbuckets/testkit';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClip, type TestClip } from '../../express/test/tasks-media';
import { expectAccessible, screenshot } from './browser';
import { useDashboard } from './dashboard-suite';
import {
  addCreative,
  callAs,
  hostRanking,
  ingestBenchmark,
  memberToken,
  percent,
  recordResults,
  registerClip,
} from './market-helpers';

const CATEGORY = 'language_learning';

describe('the market screen', () => {
  // Claude (the fake Anthropic server) analyses creatives, on frames the real ffmpeg takes.
  let claude: FakeAnthropicServer;
  let clip: TestClip;
  beforeAll(async () => {
    claude = await startFakeAnthropicServer({ apiKey: 'web-market-key' });
    clip = createTestClip();
  });
  afterAll(async () => {
    await claude?.close();
    clip?.remove();
  });
  const dashboard = useDashboard({
    env: () => ({ ANTHROPIC_API_KEY: 'web-market-key', ANTHROPIC_BASE_URL: claude.baseUrl }),
  });

  const creativeOf = async (id: string) =>
    (await (await dashboard.host.api(`/creatives/${id}`)).json()) as Creative;

  /** The chart's table (what assistive technology reads): label, mean, interval per row. */
  const chartRows = (page: Page) =>
    page
      .locator('figure.chart table tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent)),
      );

  /** Waits until the ranking table shows `clicks` client clicks for the creative. */
  const waitForClicks = (page: Page, creativeId: string, clicks: number) =>
    page
      .locator(`table[data-testid="ranking"] tr[data-creative="${creativeId}"] td:nth-child(3)`)
      .filter({ hasText: new RegExp(`^${clicks}$`) })
      .waitFor();

  let seeded: { question: Creative; demo: Creative; story: Creative; benchmark: Creative };

  /** Three client creatives with results (one with a video), and a benchmark with its video. */
  async function seed() {
    if (seeded !== undefined) return seeded;
    const host = dashboard.host;
    const video = await registerClip(host, clip.bytes, 'question-hook');
    const question = await addCreative(host, {
      name: 'Question hook',
      productCategory: CATEGORY,
      hookType: 'question',
      videoId: video.id,
    });
    const demo = await addCreative(host, { name: 'Demo walk-through', productCategory: CATEGORY });
    const story = await addCreative(host, { name: 'Founder story', productCategory: CATEGORY });
    await recordResults(host, question.id, { impressions: 9000, clicks: 400, conversions: 36 });
    await recordResults(host, demo.id, { impressions: 8000, clicks: 300, conversions: 9 });
    await recordResults(host, story.id, { clicks: 20, conversions: 1 });
    const benchmark = await ingestBenchmark(host, clip, {
      name: 'FB winner: too busy to learn?',
      productCategory: CATEGORY,
    });
    seeded = { question, demo, story, benchmark };
    return seeded;
  }

  it('shows each creative as the host ranks it, records results, and lets the admin force an analysis', async () => {
    const { question, demo, story, benchmark } = await seed();
    const page = await dashboard.page();
    await page.goto(`${dashboard.host.url}/#/market?category=${CATEGORY}`);
    await page.getByRole('button', { name: 'Make me a token' }).click();
    await page.getByRole('heading', { name: `Creatives of ${CATEGORY}` }).waitFor();
    await page.locator('table[data-testid="ranking"] tbody tr').nth(3).waitFor();

    // The chart: each creative's posterior mean and 95% interval, as the host computes them
    // (the posterior is exact; only P(best) comes from random draws).
    const ranking = await hostRanking(dashboard.host, CATEGORY);
    expect(ranking.arms.map((arm) => arm.id).sort()).toEqual(
      [question.id, demo.id, story.id, benchmark.id].sort(),
    );
    const rows = await chartRows(page);
    expect([...rows].sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual(
      ranking.arms
        .map((arm) => [
          arm.label,
          percent(arm.mean),
          `${percent(arm.interval.lower)} to ${percent(arm.interval.upper)}`,
        ])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    // Whiskers are drawn for every creative.
    expect(await page.locator('figure.chart .chart__interval').count()).toBe(4);
    // P(best) per creative sums to 1 (each shown to one decimal).
    const pBest = await page
      .locator('table[data-testid="ranking"] td[data-cell="p-best"]')
      .allTextContents();
    expect(pBest).toHaveLength(4);
    const total = pBest.reduce((sum, text) => sum + Number.parseFloat(text), 0);
    expect(Math.abs(total - 100)).toBeLessThanOrEqual(0.25);
    // The suggestions: the next three to produce, from the host's choose route.
    const suggested = page.locator('[data-testid="suggestions"] li');
    expect(await suggested.count()).toBe(3);
    for (const id of await suggested.evaluateAll((items) =>
      items.map((item) => item.getAttribute('data-creative')),
    )) {
      expect([question.id, demo.id, story.id, benchmark.id]).toContain(id);
    }
    // The public benchmarks are listed.
    await page
      .locator('table[data-testid="benchmarks"]')
      .getByText('FB winner: too busy to learn?')
      .waitFor();
    await expectAccessible(page, 'the market screen as an admin');

    // Recording results: a refusal explains itself, then the numbers move.
    await page.getByLabel('Creative', { exact: true }).selectOption(story.id);
    await page.getByLabel('Clicks', { exact: true }).fill('10');
    await page.getByLabel('Conversions', { exact: true }).fill('50');
    await page.getByRole('button', { name: 'Record results' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'HTTP 400' });
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/conversions must not exceed clicks/);
    await expectAccessible(page, 'the results form with an error');
    expect((await creativeOf(story.id)).clicks).toBe(20);

    const meanBefore = await page
      .locator(`table[data-testid="ranking"] tr[data-creative="${story.id}"] td[data-cell="mean"]`)
      .textContent();
    await page.getByLabel('Impressions', { exact: true }).fill('5000');
    await page.getByLabel('Clicks', { exact: true }).fill('380');
    await page.getByLabel('Conversions', { exact: true }).fill('95');
    await page.getByRole('button', { name: 'Record results' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Recorded results for “Founder story”' })
      .waitFor();
    await waitForClicks(page, story.id, 400);
    expect(await creativeOf(story.id)).toMatchObject({
      impressions: 5000,
      clicks: 400,
      conversions: 96,
    });
    const after = (await hostRanking(dashboard.host, CATEGORY)).arms.find(
      (arm) => arm.id === story.id,
    );
    const meanAfter = await page
      .locator(`table[data-testid="ranking"] tr[data-creative="${story.id}"] td[data-cell="mean"]`)
      .textContent();
    expect(meanAfter).not.toBe(meanBefore);
    expect(meanAfter).toBe(percent(after?.mean ?? Number.NaN));

    // Force analysis: the admin's button runs Claude on the creative's video now.
    const before = claude.requestsTo('messages').length;
    await page.getByRole('button', { name: 'Analyse now Question hook' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Analysed “Question hook”: Fake summary' })
      .waitFor();
    expect(claude.requestsTo('messages').length).toBe(before + 1);
    expect(await creativeOf(question.id)).toMatchObject({
      analysisStatus: 'done',
      analysis: { provider: 'claude' },
    });
    await page
      .locator(`tr[data-creative="${question.id}"] td[data-cell="analysis"]`)
      .filter({ hasText: 'analysed' })
      .waitFor();
    await expectAccessible(page, 'the market screen after an analysis');
    await screenshot(page, 'market-admin');
  });

  it('hides force-analysis from a member, whom the host refuses (403), and still shows the benchmarks', async () => {
    const { question, benchmark } = await seed();
    const token = memberToken(dashboard.host, 'member-1');
    const page = await dashboard.page();
    await page.goto(`${dashboard.host.url}/#/market?category=${CATEGORY}`);
    await page.getByLabel('Token', { exact: true }).fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: `Creatives of ${CATEGORY}` }).waitFor();
    await page
      .locator(`table[data-testid="ranking"] tr[data-creative="${benchmark.id}"]`)
      .waitFor();
    expect(await page.getByTestId('roles').textContent()).toBe('member');

    // The control is absent …
    expect(await page.getByRole('button', { name: /^Analyse now/ }).count()).toBe(0);
    // … and the host refuses the request anyway, changing nothing.
    const analysedBefore = await creativeOf(question.id);
    const requestsBefore = claude.requestsTo('messages').length;
    const refused = await callAs(dashboard.host, token, `/creatives/${question.id}/force-analyze`, {
      method: 'POST',
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('FORBIDDEN');
    expect(claude.requestsTo('messages').length).toBe(requestsBefore);
    expect((await creativeOf(question.id)).updatedAt).toBe(analysedBefore.updatedAt);

    // The benchmarks (a public route) and the ranking are there for members too.
    await page
      .locator('table[data-testid="benchmarks"]')
      .getByText('FB winner: too busy to learn?')
      .waitFor();
    expect(await page.locator('[data-testid="suggestions"] li').count()).toBe(3);
    await expectAccessible(page, 'the market screen as a member');

    // A member adds a creative of their own: ranked at once, stored as theirs.
    await page.getByLabel('Creative name', { exact: true }).fill('Member idea');
    await page.getByRole('button', { name: 'Add creative' }).click();
    await page.getByRole('status').filter({ hasText: 'Added “Member idea”.' }).waitFor();
    await page
      .locator('table[data-testid="ranking"] th')
      .filter({ hasText: /^Member idea$/ })
      .waitFor();
    const listed = (await (
      await dashboard.host.api(`/creatives?productCategory=${CATEGORY}`)
    ).json()) as Creative[];
    expect(listed.find((creative) => creative.name === 'Member idea')).toMatchObject({
      ownerId: 'member-1',
      source: 'client',
      isPublic: false,
    });
    await screenshot(page, 'market-member');
  });
});
