import type { Segment, SocialUsageInput } from '@vbuckets/core';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { createTestClip, type TestClip, uploadForm } from '../../express/test/tasks-media';
import type { DashboardHost } from './dashboard-host';

/** A segment to store: its fields and the posts to record on it. */
export interface SegmentSpec {
  title: string;
  segmentType: Segment['segmentType'];
  durationSec: number;
  tags: string[];
  usage: SocialUsageInput[];
}

/** Seed 004's variety: types, durations, tags, and posts on different platforms. */
export const SEGMENT_SPECS: SegmentSpec[] = [
  {
    title: 'Hook A',
    segmentType: 'processed',
    durationSec: 3,
    tags: ['hook', 'neon'],
    usage: [
      { platform: 'tiktok', postId: 'tt-1', views: 1200, likes: 90, shares: 12, comments: 8 },
      { platform: 'youtube', postId: 'yt-1', views: 400, likes: 10, shares: 1, comments: 2 },
      { platform: 'instagram', postId: 'ig-1', views: 650, likes: 70, shares: 4, comments: 6 },
    ],
  },
  {
    title: 'Hook B',
    segmentType: 'processed',
    durationSec: 8,
    tags: ['hook'],
    usage: [{ platform: 'instagram', postId: 'ig-2', views: 700, likes: 60, shares: 5 }],
  },
  { title: 'Hook C', segmentType: 'processed', durationSec: 15, tags: ['hook', 'neon'], usage: [] },
  {
    title: 'Long take',
    segmentType: 'original',
    durationSec: 45,
    tags: ['story'],
    usage: [{ platform: 'youtube', postId: 'yt-2', views: 5000, likes: 100 }],
  },
  {
    title: 'Teaser',
    segmentType: 'processed',
    durationSec: 5.5,
    tags: ['teaser', 'neon'],
    usage: [{ platform: 'tiktok', postId: 'tt-2', views: 300, likes: 40, comments: 3 }],
  },
  { title: 'Cover', segmentType: 'thumbnail', durationSec: 1, tags: [], usage: [] },
  { title: 'Voice over', segmentType: 'audio', durationSec: 12, tags: ['story'], usage: [] },
  ...Array.from({ length: 5 }, (_, index) => ({
    title: `Filler ${String(index + 1)}`,
    segmentType: 'processed' as const,
    durationSec: 20 + index,
    tags: ['filler'],
    usage: [],
  })),
];

/** JSON of an answer that must have succeeded. */
async function okJson<T>(response: Response, status = 200): Promise<T> {
  expect(response.status, await response.clone().text()).toBe(status);
  return (await response.json()) as T;
}

/**
 * Registers a real clip (made by ffmpeg) as a video and stores it as each spec's segment
 * through the host's upload route, then records the posts through the usage route.
 */
export async function seedSegments(
  host: DashboardHost,
): Promise<{ clip: TestClip; byTitle: Map<string, Segment> }> {
  const clip = createTestClip();
  const registered = await okJson<{ video: { id: string } }>(
    await host.api('/videos', {
      method: 'POST',
      body: uploadForm({ field: 'video', bytes: clip.bytes, filename: 'clip.mp4' }),
    }),
    201,
  );
  const byTitle = new Map<string, Segment>();
  for (const spec of SEGMENT_SPECS) {
    const created = await okJson<Segment>(
      await host.api('/segments', {
        method: 'POST',
        body: uploadForm(
          { field: 'file', bytes: clip.bytes, filename: 'segment.mp4' },
          {
            videoId: registered.video.id,
            durationSec: String(spec.durationSec),
            segmentType: spec.segmentType,
            title: spec.title,
            tags: spec.tags,
          },
        ),
      }),
      201,
    );
    for (const usage of spec.usage) {
      await okJson(
        await host.api(`/segments/${created.id}/social-media`, { method: 'POST', json: usage }),
      );
    }
    byTitle.set(spec.title, created);
  }
  return { clip, byTitle };
}

/** The ids the host lists for a query (`type=processed&platform=tiktok`), in its order. */
export async function hostIds(host: DashboardHost, query: string): Promise<string[]> {
  const listed = await okJson<Segment[]>(await host.api(`/segments?limit=1000&${query}`));
  return listed.map((segment) => segment.id);
}

/** The ids of the table's rows on the shown page, top to bottom. */
export const rowIds = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('table.segment-table tbody tr')].map((row) =>
      row.getAttribute('data-segment'),
    ),
  );

/** Waits until the table's rows are exactly these ids, in this order. */
export const waitForRows = (page: Page, ids: string[]) =>
  page.waitForFunction(
    (expected) =>
      document.querySelector('[aria-busy="true"]') === null &&
      JSON.stringify(
        [...document.querySelectorAll('table.segment-table tbody tr')].map((row) =>
          row.getAttribute('data-segment'),
        ),
      ) === JSON.stringify(expected),
    ids,
  );

/** The chart's numbers as its table states them: platform → value (`1,200` read as 1200). */
export const chartNumbers = (page: Page) =>
  page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('figure.chart table tbody tr')].map((row) => [
        row.querySelector('th')?.textContent ?? '',
        (row.querySelector('td')?.textContent ?? '').replaceAll(',', ''),
      ]),
    ),
  );
