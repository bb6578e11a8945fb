// Types only (erased from the bundle): the dashboard speaks the SDK's own shapes.
import type { Upload, UploadAttempt, UploadStatus, Video } from '@vbuckets/core';
import { type ApiClient, segment } from '../../api';

export type { Upload, UploadAttempt, UploadStatus, Video };

/** A video of `GET /videos`: with the status of its upload to each platform ever attempted. */
export interface VideoRow extends Video {
  uploads: Record<string, UploadStatus>;
}

/** What `POST /videos` answers: the video, and whether the org already had this content. */
export interface Registered {
  video: Video;
  created: boolean;
  repaired: boolean;
}

/** One platform's upload of a video, with its attempts oldest first (`GET /videos/{id}/uploads`). */
export interface UploadHistoryEntry extends Upload {
  symbol: string;
  attempts: UploadAttempt[];
}

/** What the register form sends. */
export interface RegisterFields {
  file: File;
  title?: string;
  duplicateAllowed?: boolean;
}

/** One page of a keyset-paged list, and whether another follows. */
export interface Page<Item> {
  items: Item[];
  hasMore: boolean;
}

/** The host's video and upload routes. */
export function videosApi(api: ApiClient) {
  const video = (videoId: string) => `/videos/${segment(videoId)}`;
  return {
    /** A page of `limit` videos, newest first, after the video `after` (the last of the page before). */
    async list(limit: number, after: string | undefined): Promise<Page<VideoRow>> {
      // One more than shown says whether a next page exists.
      const rows = await api.get<VideoRow[]>('/videos', { query: { limit: limit + 1, after } });
      return { items: rows.slice(0, limit), hasMore: rows.length > limit };
    },
    /** `multipart/form-data`, the text fields before the file part, as the host reads them. */
    async register(fields: RegisterFields): Promise<Registered> {
      const form = new FormData();
      if (fields.title !== undefined && fields.title.trim() !== '') {
        form.append('title', fields.title.trim());
      }
      if (fields.duplicateAllowed === true) form.append('duplicateAllowed', 'true');
      form.append('video', fields.file, fields.file.name);
      const response = await api.send('POST', '/videos', { body: form });
      return (await response.json()) as Registered;
    },
    platforms: async () => (await api.get<{ platforms: string[] }>('/platforms')).platforms,
    post: (videoId: string, platform: string, force: boolean) =>
      api.post<Upload>(`${video(videoId)}/uploads`, { platform, ...(force ? { force } : {}) }),
    history: (videoId: string) => api.get<UploadHistoryEntry[]>(`${video(videoId)}/uploads`),
    retryDue: () => api.post<Upload[]>('/uploads/retry-due'),
  };
}

export type VideosApi = ReturnType<typeof videosApi>;

/** How a video is named on the screen: its title, or its file name without one. */
export const nameOf = (video: Video) => (video.title.trim() === '' ? video.filename : video.title);

/** `12.3 MB`, `840 kB`, `512 B`. */
export function sizeText(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A timestamp as the reader's local date and time. */
export const timeText = (iso: string | null) =>
  iso === null
    ? '—'
    : new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
