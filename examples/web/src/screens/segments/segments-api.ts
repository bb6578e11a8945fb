// Types only (erased from the bundle): the dashboard speaks the SDK's own shapes.
import type {
  Segment,
  SegmentAnalytics,
  SegmentSortBy,
  SegmentType,
  SocialPlatform,
} from '@vbuckets/core';
import { type ApiClient, ApiError, segment } from '../../api';
import { saveBlob, saveUrl } from '../../downloads';

export type { Segment, SegmentAnalytics, SegmentSortBy, SegmentType, SocialPlatform };

/**
 * A list naming every member of the union `T`, checked at compile time: a segment type or a
 * platform core adds is a type error here until the screen offers it too.
 */
function everyOf<T>() {
  return <const List extends readonly T[]>(
    list: List & ([Exclude<T, List[number]>] extends [never] ? unknown : never),
  ): List => list;
}

export const SEGMENT_TYPES = everyOf<SegmentType>()([
  'processed',
  'original',
  'thumbnail',
  'audio',
]);

export const PLATFORMS = everyOf<SocialPlatform>()([
  'instagram',
  'tiktok',
  'youtube',
  'facebook',
  'twitter',
  'meta',
]);

export const SORTS = [
  ['createdAt', 'Created'],
  ['durationSec', 'Duration'],
  ['views', 'Views'],
  ['engagement', 'Engagement'],
] as const satisfies readonly (readonly [SegmentSortBy, string])[];

/**
 * Seed 004's filters as the host's query parameters, and as the screen's hash query, under
 * the same names (`#/segments?type=processed&minDuration=2`), so a filtered view is a link.
 */
export const FILTER_NAMES = [
  'type',
  'minDuration',
  'maxDuration',
  'tags',
  'hasSocialMedia',
  'platform',
  'sortBy',
  'sortOrder',
] as const;

export type FilterName = (typeof FILTER_NAMES)[number];
export type Filters = Partial<Record<FilterName, string>>;

/** The filters a location's query sets (blank values left out); other parameters ignored. */
export function filtersOf(params: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const name of FILTER_NAMES) {
    const value = params.get(name)?.trim();
    if (value !== undefined && value !== '') filters[name] = value;
  }
  return filters;
}

/** How many segments one request asks for; the screen reads page after page to the end. */
const FETCH_SIZE = 100;
/** A bound on the requests of one listing, so a huge org cannot keep the page loading forever. */
const MOST_FETCHES = 50;

/** The host's segment routes. */
export function segmentsApi(api: ApiClient) {
  return {
    /**
     * Every segment the filters select, in the host's order: the host pages with `after` (the
     * last id of the previous page), followed here until a short page. `truncated` when the
     * bound was reached first.
     */
    async list(
      filters: Filters,
      signal?: AbortSignal,
    ): Promise<{ segments: Segment[]; truncated: boolean }> {
      const segments: Segment[] = [];
      let after: string | undefined;
      for (let fetches = 0; fetches < MOST_FETCHES; fetches += 1) {
        const page = await api.get<Segment[]>('/segments', {
          query: { ...filters, limit: FETCH_SIZE, after },
          ...(signal === undefined ? {} : { signal }),
        });
        segments.push(...page);
        if (page.length < FETCH_SIZE) return { segments, truncated: false };
        after = page.at(-1)?.id;
      }
      return { segments, truncated: true };
    },
    analytics: (segmentId: string, signal?: AbortSignal) =>
      api.get<SegmentAnalytics>(`/segments/${segment(segmentId)}/analytics`, {
        ...(signal === undefined ? {} : { signal }),
      }),
    /**
     * Saves the segment's file in the browser's downloads: a presigned URL when the host's blob
     * store makes one, else the bytes read through the host (`/file`, with the token) and saved
     * from a Blob URL.
     */
    async download(item: Segment): Promise<void> {
      const path = `/segments/${segment(item.id)}`;
      try {
        const { url } = await api.get<{ url: string }>(`${path}/download`);
        saveUrl(url, fileNameOf(item));
        return;
      } catch (error) {
        // 503: the store cannot presign (local files); the host serves the bytes itself.
        if (!(error instanceof ApiError && error.status === 503)) throw error;
      }
      const response = await api.send('GET', `${path}/file`);
      saveBlob(await response.blob(), fileNameOf(item));
    },
  };
}

/** `segment-<id>.mp4`, the extension from the stored key (as the host names the attachment). */
export function fileNameOf(item: Segment): string {
  const extension = /\.[A-Za-z0-9]{1,8}$/u.exec(item.blobKey)?.[0] ?? '';
  return `segment-${item.id.replace(/[^A-Za-z0-9._-]+/g, '-')}${extension}`;
}

/** A segment's name for people: its title, else its type and number. */
export const nameOf = (item: Segment) =>
  item.title ?? `${item.segmentType} #${String(item.segmentNumber)}`;

/** `83.4 s` or `2 min 5 s`. */
export function durationText(seconds: number): string {
  if (seconds < 60) return `${String(Math.round(seconds * 10) / 10)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${String(minutes)} min ${String(Math.round(seconds - minutes * 60))} s`;
}

/** `12.3 kB`, `4.5 MB`. */
export function sizeText(bytes: number): string {
  if (bytes < 1000) return `${String(bytes)} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = '';
  for (const next of units) {
    value /= 1000;
    unit = next;
    if (value < 1000) break;
  }
  return `${String(Math.round(value * 10) / 10)} ${unit}`;
}

/** An engagement rate as a percentage, `—` without views. */
export const rateText = (rate: number | null) =>
  rate === null ? '—' : `${String(Math.round(rate * 1000) / 10)} %`;
