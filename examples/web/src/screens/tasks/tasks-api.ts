// Types only (erased from the bundle): the dashboard speaks the SDK's own shapes.
import type { GenerationTask, GenerationTaskStatus, Thumbnail } from '@vbuckets/core';
import { type ApiClient, segment } from '../../api';

export type { GenerationTask, GenerationTaskStatus, Thumbnail };

/** What `GET /tasks/stats` answers. */
export interface TaskStats {
  totalTasks: number;
  byStatus: Record<string, number>;
  totalCost: number;
  totalCreditsUsed: number;
  totalThumbnails: number;
}

/** The fields the page's form sends to `POST /tasks`. */
export interface TaskFields {
  userId: string;
  projectName: string;
  engine: string;
  prompt: string;
  songTitle?: string;
  genre?: string;
  cost?: number;
  creditsUsed?: number;
  durationSec?: number;
}

/** One candidate `POST /tasks/{taskId}/thumbnails/generate` cut from the video (inline). */
export interface GeneratedCandidate {
  thumbnail: Thumbnail;
  timestampSec: number;
  width: number;
  height: number;
}

/** The host's task and thumbnail routes. */
export function tasksApi(api: ApiClient) {
  const task = (taskId: string) => `/tasks/${segment(taskId)}`;

  return {
    /** One page of the org's tasks, newest first. */
    list: (limit: number, offset: number) =>
      api.get<GenerationTask[]>('/tasks', { query: { limit, offset } }),
    stats: () => api.get<TaskStats>('/tasks/stats'),
    get: (taskId: string) => api.get<GenerationTask>(task(taskId)),
    create: (fields: TaskFields) => api.post<GenerationTask>('/tasks', fields),
    /** Registers the generated video and links it to the task (multipart, field `file`). */
    async attachVideo(taskId: string, file: File): Promise<GenerationTask> {
      const form = new FormData();
      form.append('file', file, file.name);
      const response = await api.send('PUT', `${task(taskId)}/video`, { body: form });
      return ((await response.json()) as { task: GenerationTask }).task;
    },
    /** Highest click prediction first, unpredicted last (the host's order). */
    thumbnails: (taskId: string) => api.get<Thumbnail[]>(`${task(taskId)}/thumbnails`),
    /** Cuts candidates from the video and scores them, inline. */
    generate: (taskId: string, count: number) =>
      api.post<GeneratedCandidate[]>(`${task(taskId)}/thumbnails/generate`, { count }),
    select: (taskId: string, thumbnailId: string) =>
      api.post<Thumbnail>(`${task(taskId)}/thumbnails/${segment(thumbnailId)}/select`),
    /** A stored image's bytes (an `<img>` cannot send the token), for an object URL. */
    async image(taskId: string, thumbnailId: string): Promise<Blob> {
      const path = `${task(taskId)}/thumbnails/${segment(thumbnailId)}/image`;
      return (await api.send('GET', path)).blob();
    },
  };
}

export type TasksApi = ReturnType<typeof tasksApi>;

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** `$12.50`, or a dash when the task has no cost yet. */
export const costText = (cost: number | null) => (cost === null ? '—' : money.format(cost));

/** `87%` of a 0..1 prediction, or null when nothing predicted it. */
export const percentText = (value: number | null) =>
  value === null ? null : `${Math.round(value * 1000) / 10}%`;

export const STATUS_LABELS: Record<GenerationTaskStatus, string> = {
  pending: 'Pending',
  processing: 'Processing',
  completed: 'Completed',
  failed: 'Failed',
};
