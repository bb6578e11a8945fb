import type { GenerationTask, Thumbnail } from '@vbuckets/core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClip, type TestClip } from '../../express/test/tasks-media';
import { expectAccessible, focusedOf, screenshot } from './browser';
import { useDashboard } from './dashboard-suite';

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const STATUS_TEXT = {
  pending: 'Pending',
  processing: 'Processing',
  completed: 'Completed',
  failed: 'Failed',
};
const percentOf = (value: number | null) =>
  value === null ? 'Not predicted' : `${Math.round(value * 1000) / 10}%`;

describe('the tasks and thumbnails screen', () => {
  const dashboard = useDashboard();
  let clip: TestClip;
  beforeAll(() => {
    clip = createTestClip();
  });
  afterAll(() => clip?.remove());

  /** An API answer as the host stored it, failing on any status but the one expected. */
  async function stored<T>(path: string, init?: RequestInit & { json?: unknown }, status = 200) {
    const response = await dashboard.host.api(path, init);
    expect(response.status, await response.clone().text()).toBe(status);
    return (await response.json()) as T;
  }
  const createTask = (projectName: string, fields: Record<string, unknown> = {}) =>
    stored<GenerationTask>(
      '/tasks',
      {
        method: 'POST',
        json: { userId: 'seeded', projectName, engine: 'runway_gen3', prompt: 'Neon', ...fields },
      },
      201,
    );
  const moveTask = (taskId: string, json: Record<string, unknown>) =>
    stored<GenerationTask>(`/tasks/${taskId}/status`, { method: 'POST', json });

  async function openTasks(hash = ''): Promise<Page> {
    const page = await dashboard.page();
    await page.goto(`${dashboard.host.url}/#/tasks${hash}`);
    await page.getByRole('button', { name: 'Make me a token' }).click();
    await page.getByRole('heading', { name: 'Generation tasks' }).waitFor();
    return page;
  }
  const statusSays = (page: Page, text: string | RegExp) =>
    page.getByRole('status').filter({ hasText: text }).waitFor();
  /** The grid's thumbnail ids, top to bottom. */
  const gridIds = (page: Page) =>
    page
      .locator('.thumbs [data-thumbnail]')
      .evaluateAll((cards) => cards.map((card) => card.getAttribute('data-thumbnail')));

  it('creates a task with its video, cuts candidates from it, shows them by click prediction and selects one', async () => {
    const page = await openTasks();
    await expectAccessible(page, 'the tasks screen');
    await page.getByRole('button', { name: 'New task' }).click();
    const form = page
      .locator('form')
      .filter({ has: page.getByRole('button', { name: 'Create task' }) });
    await form.getByLabel('Project name').fill('Summer Vibes 2025');
    await form.getByLabel('Song title').fill('Electric Dreams');
    await form.getByLabel('Cost (USD)').fill('12.5');
    await form.getByLabel('Credits used').fill('250');
    await form.getByLabel('Prompt').fill('Cinematic neon city at night');
    await form.getByLabel('Generated video (optional)').setInputFiles(clip.path);
    await expectAccessible(page, 'the new task form');
    await form.getByRole('button', { name: 'Create task' }).click();
    await statusSays(page, 'Created task “Summer Vibes 2025” with clip.mp4.');

    const task = (await stored<GenerationTask[]>('/tasks')).find(
      (each) => each.projectName === 'Summer Vibes 2025',
    ) as GenerationTask;
    expect(task).toMatchObject({
      songTitle: 'Electric Dreams',
      engine: 'runway_gen3',
      status: 'pending',
      cost: 12.5,
      creditsUsed: 250,
      prompt: 'Cinematic neon city at night',
    });
    expect(task.videoId).not.toBeNull();
    await page.getByRole('heading', { name: 'Thumbnails of Summer Vibes 2025' }).waitFor();
    // The form closed: focus went to the new task's thumbnails, not to the page's start.
    await expect.poll(() => focusedOf(page)).toBe('h2 Thumbnails of Summer Vibes 2025');
    await page.getByText('No thumbnails yet. Generate candidates from the video.').waitFor();

    // Two variants a click model scored, given by URL (the page's own icon, so they show).
    const given = async (variant: string, clickPrediction: number) =>
      stored<Thumbnail>(
        `/tasks/${task.id}/thumbnails`,
        {
          method: 'POST',
          json: { variant, clickPrediction, imageUrl: `${dashboard.host.url}/favicon.svg` },
        },
        201,
      );
    const face = await given('emotional_face', 0.92);
    await given('bold_text', 0.42);

    await page.getByLabel('Candidates').fill('3');
    await page.getByRole('button', { name: 'Generate candidates' }).click();
    await statusSays(page, /^Cut [1-3] candidates? from the video\.$/);

    const listed = await stored<Thumbnail[]>(`/tasks/${task.id}/thumbnails`);
    const frames = listed.filter((each) => each.source === 'frame');
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.length).toBeLessThanOrEqual(3);
    expect(listed).toHaveLength(frames.length + 2);
    // The host's order: click prediction descending, the unpredicted last.
    const predicted = listed.map((each) => each.clickPrediction ?? -1);
    expect(predicted).toEqual([...predicted].sort((a, b) => b - a));
    expect(listed[0]?.id).toBe(face.id);
    // The grid shows them in that order, each with its prediction.
    expect(await gridIds(page)).toEqual(listed.map((each) => each.id));
    expect(await page.locator('.thumbs [data-field="click-prediction"]').allTextContents()).toEqual(
      listed.map((each) => percentOf(each.clickPrediction)),
    );
    // Every picture arrived: the cut frames through the image route, with the token.
    await page.waitForFunction((count) => {
      const images = [...document.querySelectorAll<HTMLImageElement>('.thumbs img')];
      return images.length === count && images.every((image) => image.naturalWidth > 0);
    }, listed.length);
    expect(
      await page.locator('.thumbs img[src^="blob:"]').count(),
      'frames are shown from their stored JPEGs',
    ).toBe(frames.length);
    await expectAccessible(page, 'the thumbnail grid');

    const frame = frames[0] as Thumbnail;
    await page.getByRole('button', { name: `Select ${frame.variant}` }).click();
    await statusSays(page, `Selected “${frame.variant}”.`);
    expect((await stored<Thumbnail>(`/tasks/${task.id}/thumbnails/selected`)).id).toBe(frame.id);
    expect(await focusedOf(page)).toContain('Selected');

    // From the keyboard: the best predicted one replaces it.
    await page.getByRole('button', { name: 'Select emotional_face' }).focus();
    await page.keyboard.press('Enter');
    await statusSays(page, 'Selected “emotional_face”.');
    const after = await stored<Thumbnail[]>(`/tasks/${task.id}/thumbnails`);
    expect(after.filter((each) => each.isSelected).map((each) => each.id)).toEqual([face.id]);
    expect(
      await page
        .locator('.thumbs .thumb--selected')
        .evaluateAll((cards) => cards.map((card) => card.getAttribute('data-thumbnail'))),
    ).toEqual([face.id]);
    await expect
      .poll(() => page.locator('[data-field="selected"]').textContent())
      .toBe('emotional_face');
    await expectAccessible(page, 'the thumbnail grid with one selected');
    await screenshot(page, 'tasks-thumbnails');
  });

  it('lists the tasks page by page with their status and cost, as the host has them', async () => {
    for (let index = 0; index < 11; index += 1) {
      const task = await createTask(`Batch ${index}`, {
        cost: index * 1.25,
        creditsUsed: index * 10,
      });
      if (index % 4 === 0) continue;
      await moveTask(task.id, { status: 'processing' });
      if (index % 4 === 2) {
        await moveTask(task.id, { status: 'completed', videoUrl: `videos/batch-${index}.mp4` });
      }
      if (index % 4 === 3) {
        await moveTask(task.id, { status: 'failed', errorMessage: 'The engine timed out' });
      }
    }
    const page = await openTasks();
    const stats = await stored<{ totalTasks: number; totalCost: number }>('/tasks/stats');
    expect(stats.totalTasks).toBeGreaterThan(10);

    /** The rows as the page shows them, against the host's page at that offset. */
    async function expectPage(offset: number) {
      const hostPage = await stored<GenerationTask[]>(`/tasks?limit=10&offset=${offset}`);
      const rows = page.locator('table.table tbody tr[data-task]');
      await page.waitForFunction(
        (ids) =>
          JSON.stringify(
            [...document.querySelectorAll('table.table tbody tr[data-task]')].map((row) =>
              row.getAttribute('data-task'),
            ),
          ) === JSON.stringify(ids),
        hostPage.map((task) => task.id),
      );
      expect(await rows.locator('[data-column="status"] .task-status').allTextContents()).toEqual(
        hostPage.map((task) => STATUS_TEXT[task.status]),
      );
      expect(await rows.locator('[data-column="cost"]').allTextContents()).toEqual(
        hostPage.map((task) => (task.cost === null ? '—' : money.format(task.cost))),
      );
      return hostPage;
    }

    const first = await expectPage(0);
    expect(first.map((task) => task.projectName).slice(0, 2)).toEqual(['Batch 10', 'Batch 9']);
    await page
      .getByRole('row', { name: /Batch 7/ })
      .getByText('The engine timed out')
      .waitFor();
    expect(await page.locator('[data-field="total-tasks"]').textContent()).toBe(
      String(stats.totalTasks),
    );
    expect(await page.locator('[data-field="total-cost"]').textContent()).toBe(
      money.format(stats.totalCost),
    );
    await expectAccessible(page, 'the tasks list');

    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText(`Page 2 of ${Math.ceil(stats.totalTasks / 10)}`).waitFor();
    await expectPage(10);
    await expectAccessible(page, 'the second page of tasks');
    await screenshot(page, 'tasks-list');
  });

  it("shows the host's explanation for a task without a video, then attaches one from the page", async () => {
    const task = await createTask('No video yet');
    const page = await openTasks(`?task=${task.id}`);
    await page.getByRole('heading', { name: 'Thumbnails of No video yet' }).waitFor();
    await page.getByRole('button', { name: 'Generate candidates' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: `Task ${task.id} has no video: attach the generated video first` })
      .waitFor();
    await expectAccessible(page, 'the thumbnails panel with an error');

    await page.getByLabel('Generated video', { exact: true }).setInputFiles({
      name: 'generated.mp4',
      mimeType: 'video/mp4',
      buffer: Buffer.from(clip.variant()),
    });
    await page.getByRole('button', { name: 'Attach video' }).click();
    await statusSays(page, 'Attached “generated.mp4”.');
    const attached = await stored<GenerationTask>(`/tasks/${task.id}`);
    expect(attached.videoId).not.toBeNull();
    await page.getByRole('button', { name: 'Attach video' }).waitFor({ state: 'detached' });
    await page
      .getByRole('row', { name: /No video yet/ })
      .getByText('Attached')
      .waitFor();
    await expectAccessible(page, 'the thumbnails panel after attaching the video');
    await screenshot(page, 'tasks-attach-video');
  });
});
