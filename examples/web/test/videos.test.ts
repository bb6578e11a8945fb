import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClip, type TestClip } from '../../express/test/tasks-media';
import { expectAccessible, focusedOf, screenshot } from './browser';
import type { DashboardSuite } from './dashboard-suite';
import { useDashboard } from './dashboard-suite';
import {
  memberToken,
  registerThroughApi,
  startWebhookReceiver,
  storedHistory,
  storedVideos,
  type WebhookReceiver,
} from './videos-helpers';

/** A real clip from the real ffmpeg, shared by the file's tests (each registers a variant). */
let clip: TestClip;
beforeAll(() => {
  clip = createTestClip();
});
afterAll(() => clip?.remove());

/** Signs in as the admin of org `local` with the development button and opens the videos. */
async function openVideos(dashboard: DashboardSuite): Promise<Page> {
  const page = await dashboard.page();
  await page.goto(`${dashboard.host.url}/#/videos`);
  await page.getByRole('button', { name: 'Make me a token' }).click();
  await page.getByRole('heading', { name: 'Registered videos' }).waitFor();
  return page;
}

/** The row of a video, and its status cell of a platform. */
const rowOf = (page: Page, videoId: string) => page.locator(`tr[data-video="${videoId}"]`);
const cellOf = (page: Page, videoId: string, platform: string) =>
  rowOf(page, videoId).locator(`td[data-platform="${platform}"] [data-status]`);

/** Waits until the status area says `text`. */
const said = (page: Page, text: string) =>
  page.getByRole('status').filter({ hasText: text }).waitFor();

describe('the videos screen on the default host (the local platform)', () => {
  const dashboard = useDashboard();

  it('registers a generated clip through the page, posts it to local, and shows SUCCESS in the row and the history', async () => {
    const page = await openVideos(dashboard);
    await page.getByText('No video is registered yet.').waitFor();
    await page.getByText('Platforms of this host: local').waitFor();
    await expectAccessible(page, 'videos (empty)');

    await page.getByLabel('Video file', { exact: true }).setInputFiles(clip.path);
    await page.getByLabel('Title', { exact: true }).fill('Gut reset teaser');
    await page.getByRole('button', { name: 'Register video' }).click();
    await said(page, 'Registered “Gut reset teaser”.');
    const [video] = await storedVideos(dashboard.host);
    expect(video).toMatchObject({
      title: 'Gut reset teaser',
      filename: 'clip.mp4',
      sizeBytes: clip.bytes.byteLength,
      uploads: {},
    });
    if (video === undefined) throw new Error('no video stored');
    const cell = cellOf(page, video.id, 'local');
    expect(await cell.getAttribute('data-status')).toBe('NONE');
    expect(await cell.textContent()).toBe('—Not posted');
    await expectAccessible(page, 'videos (one registered)');

    await rowOf(page, video.id).getByRole('button', { name: 'Post Gut reset teaser' }).click();
    await page.getByRole('heading', { name: 'Post “Gut reset teaser”' }).waitFor();
    expect(await focusedOf(page)).toBe('h2 Post “Gut reset teaser”');
    const platform = page.getByLabel('Platform', { exact: true });
    expect(await platform.inputValue()).toBe('local');
    await expectAccessible(page, 'videos (posting)');
    await page.getByRole('button', { name: 'Post now' }).click();
    await said(page, 'Posted “Gut reset teaser” to local.');
    await page.waitForSelector(`tr[data-video="${video.id}"] [data-status="SUCCESS"]`);
    expect(await cell.textContent()).toBe('✓Posted');

    // What the host stored: one SUCCESS upload to local, with one attempt.
    const [entry, ...others] = await storedHistory(dashboard.host, video.id);
    expect(others).toEqual([]);
    expect(entry).toMatchObject({ platform: 'local', status: 'SUCCESS', retryCount: 0 });
    expect(entry?.attempts).toMatchObject([{ attemptNumber: 1, status: 'SUCCESS' }]);
    const listed = (await (
      await dashboard.host.api('/uploads?platform=local&status=SUCCESS')
    ).json()) as { videoId: string }[];
    expect(listed.map((upload) => upload.videoId)).toEqual([video.id]);
    expect((await storedVideos(dashboard.host))[0]?.uploads).toEqual({ local: 'SUCCESS' });

    // The history opened after the post, and lists that attempt with the post id.
    const history = page.getByRole('region', { name: 'Upload history of “Gut reset teaser”' });
    await history.waitFor();
    expect(await focusedOf(page)).toBe('h2 Upload history of “Gut reset teaser”');
    const attempt = history.locator('[data-platform="local"] tr[data-attempt="1"]');
    await attempt.getByText(entry?.platformPostId ?? '(no post id)').waitFor();
    expect(await attempt.locator('[data-status]').getAttribute('data-status')).toBe('SUCCESS');
    await expectAccessible(page, 'videos (history)');

    // A second post is refused by the duplicate guard, in the host's own words.
    await rowOf(page, video.id).getByRole('button', { name: 'Post Gut reset teaser' }).click();
    await page.getByRole('button', { name: 'Post now' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'The video was not posted' });
    await refusal.getByText('HTTP 409 · DUPLICATE_UPLOAD').waitFor();
    expect(await storedHistory(dashboard.host, video.id)).toHaveLength(1);
    await expectAccessible(page, 'videos (post refused)');
    await screenshot(page, 'videos-posted-local');
  });

  it('pages through the registry ten videos at a time, newest first', async () => {
    for (let index = 1; index <= 11; index += 1) {
      await registerThroughApi(dashboard.host, clip.variant(), `Variant ${index}`);
    }
    const stored = await storedVideos(dashboard.host);
    expect(stored).toHaveLength(12);
    const page = await openVideos(dashboard);
    const titles = () =>
      page
        .locator('table.table tbody tr th[scope="row"]')
        .evaluateAll((cells) => cells.map((cell) => cell.firstChild?.textContent ?? ''));
    await page.getByText('Page 1').waitFor();
    expect(await titles()).toEqual(stored.slice(0, 10).map((video) => video.title));
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2').waitFor();
    await page.waitForSelector(`tr[data-video="${stored[11]?.id}"]`);
    expect(await titles()).toEqual(stored.slice(10).map((video) => video.title));
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await expectAccessible(page, 'videos (page 2)');
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.waitForSelector(`tr[data-video="${stored[0]?.id}"]`);
    expect(await titles()).toEqual(stored.slice(0, 10).map((video) => video.title));
    await screenshot(page, 'videos-pages');
  });

  it('runs retry-due for an admin and reports that nothing was due; a member sees no button', async () => {
    const page = await openVideos(dashboard);
    await page.getByRole('button', { name: 'Retry due uploads' }).click();
    await page.getByText('No upload was due for a retry.').waitFor();
    const due = (await (await dashboard.host.api('/uploads?status=FAILED')).json()) as unknown[];
    expect(due).toEqual([]);
    await expectAccessible(page, 'videos (retry-due ran)');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Token', { exact: true }).fill(memberToken(dashboard.host, 'mia'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Registered videos' }).waitFor();
    await page.getByText('Only an admin of the org can retry due uploads.').waitFor();
    expect(await page.getByRole('button', { name: 'Retry due uploads' }).count()).toBe(0);
    // The member sees the org's registry all the same.
    await page.getByText('Page 1').waitFor();
    await expectAccessible(page, 'videos (member)');
    await screenshot(page, 'videos-member');
  });
});

describe('the videos screen with a webhook platform that rate-limits', () => {
  let receiver: WebhookReceiver | undefined;
  const dashboard = useDashboard({
    env: async () => {
      receiver = await startWebhookReceiver();
      return receiver.env;
    },
  });
  afterAll(() => receiver?.close());

  it('shows the rate limit, then retry-due posts it again and reports the outcome', async () => {
    const video = await registerThroughApi(dashboard.host, clip.variant(), 'Sleep hook');
    const page = await openVideos(dashboard);
    await page.getByText('Platforms of this host: local, webhook').waitFor();
    await rowOf(page, video.id).getByRole('button', { name: 'Post Sleep hook' }).click();
    await page.getByLabel('Platform', { exact: true }).selectOption('webhook');
    receiver?.rateLimitNext(1);
    await page.getByRole('button', { name: 'Post now' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'The video was not posted' });
    await refusal.getByText('HTTP 429 · RATE_LIMITED').waitFor();
    await expectAccessible(page, 'videos (rate limited)');
    await page.getByRole('button', { name: 'Cancel' }).click();

    const [limited] = await storedHistory(dashboard.host, video.id);
    expect(limited).toMatchObject({ platform: 'webhook', status: 'RATE_LIMITED' });
    await rowOf(page, video.id).getByRole('button', { name: 'History of Sleep hook' }).click();
    const history = page.getByRole('region', { name: 'Upload history of “Sleep hook”' });
    await history.locator('tr[data-attempt="1"] [data-status="RATE_LIMITED"]').waitFor();
    // A failed post reads the list again: the row shows the wait.
    await page.waitForSelector(`tr[data-video="${video.id}"] [data-status="RATE_LIMITED"]`);
    expect(await cellOf(page, video.id, 'webhook').textContent()).toBe('↻Rate limited, will retry');

    // Due once its backoff (at least the Retry-After second) is over, as the host itself says:
    // can-upload answers what an unforced post or retry-due would do now.
    await expect
      .poll(
        async () => {
          const answer = await dashboard.host.api(
            `/videos/${video.id}/can-upload?platform=webhook`,
          );
          return ((await answer.json()) as { allowed: boolean }).allowed;
        },
        { timeout: 60_000, interval: 250 },
      )
      .toBe(true);
    await page.getByRole('button', { name: 'Retry due uploads' }).click();
    await page.getByText('Retried 1 upload: 1 posted, 0 not.').waitFor();
    await page.getByRole('listitem').filter({ hasText: 'webhook, “Sleep hook”' }).waitFor();
    await page.waitForSelector(`tr[data-video="${video.id}"] [data-status="SUCCESS"]`);
    expect(await cellOf(page, video.id, 'webhook').textContent()).toBe('✓Posted');

    const [entry] = await storedHistory(dashboard.host, video.id);
    expect(entry).toMatchObject({
      platform: 'webhook',
      status: 'SUCCESS',
      platformPostId: 'hook-2',
    });
    expect(entry?.attempts.map((attempt) => attempt.status)).toEqual(['RATE_LIMITED', 'SUCCESS']);
    expect(receiver?.deliveries).toBe(2);
    await expectAccessible(page, 'videos (retried)');
    await screenshot(page, 'videos-retried');
  });
});
