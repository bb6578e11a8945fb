import type {
  CostEstimate,
  GeneratedCandidate,
  GenerationTask,
  GenerationTaskStats,
  Thumbnail,
} from '@vbuckets/core';
import { renderTable } from './table';

const score = (value: number | null) => (value === null ? '-' : value.toFixed(2));
const dollars = (value: number | null) => (value === null ? '-' : `$${value.toFixed(2)}`);

/** The `tasks list` table: id, status, project, engine, cost, created. */
export function tasksTable(tasks: readonly GenerationTask[]): string {
  return renderTable(
    [
      { header: 'ID', value: (task: GenerationTask) => task.id },
      { header: 'STATUS', value: (task) => task.status },
      { header: 'PROJECT', value: (task) => task.projectName, maxWidth: 32 },
      { header: 'ENGINE', value: (task) => task.engine },
      { header: 'COST', value: (task) => dollars(task.cost), align: 'right' },
      { header: 'VIDEO', value: (task) => task.videoId ?? '-' },
      { header: 'CREATED', value: (task) => task.createdAt },
    ],
    tasks,
  );
}

/** Every field of one task, for `tasks show`. */
export function taskDetails(task: GenerationTask, thumbnails: readonly Thumbnail[] = []): string {
  const field = (label: string, value: string | number | null) =>
    `  ${`${label}:`.padEnd(14)}${value === null || value === '' ? '-' : String(value)}`;
  return [
    `${task.projectName} (${task.status})`,
    field('id', task.id),
    field('user', task.userId),
    field('engine', task.engine),
    field('prompt', task.prompt),
    field('song', task.songTitle),
    field('music file', task.musicFile),
    field('genre', task.genre),
    field('bpm', task.bpm),
    field('duration', task.durationSec === null ? null : `${task.durationSec} s`),
    field('cost', task.cost === null ? null : dollars(task.cost)),
    field('credits', task.creditsUsed),
    field('video url', task.videoUrl),
    field('video', task.videoId),
    field('yt title', task.youtubeTitle),
    field('yt desc', task.youtubeDescription),
    field('yt tags', task.youtubeTags.join(', ')),
    field('error', task.errorMessage),
    field('thumbnails', thumbnails.length),
    field('created', task.createdAt),
    field('completed', task.completedAt),
  ].join('\n');
}

/** `tasks stats`: totals and the count per status. */
export function statsText(stats: GenerationTaskStats): string {
  return [
    `Tasks: ${stats.totalTasks}`,
    ...Object.entries(stats.byStatus).map(([status, count]) => `  ${status.padEnd(11)}${count}`),
    `Total cost: ${dollars(stats.totalCost)}`,
    `Credits used: ${stats.totalCreditsUsed}`,
    `Thumbnails: ${stats.totalThumbnails}`,
  ].join('\n');
}

/** `tasks cost`: the estimate and how it was billed. */
export function costText(estimate: CostEstimate): string {
  return `${estimate.engine}, ${estimate.durationSec} s: ${dollars(estimate.costUsd)} and ${estimate.credits} credits (${estimate.blocks} block${estimate.blocks === 1 ? '' : 's'} of ${estimate.blockSec} s, a started block billed whole)`;
}

/** The `thumbnails list` table: selected mark, id, variant, source, scores, image. */
export function thumbnailsTable(thumbnails: readonly Thumbnail[]): string {
  return renderTable(
    [
      { header: 'SEL', value: (thumbnail: Thumbnail) => (thumbnail.isSelected ? '*' : '') },
      { header: 'ID', value: (thumbnail) => thumbnail.id },
      { header: 'VARIANT', value: (thumbnail) => thumbnail.variant, maxWidth: 24 },
      { header: 'SOURCE', value: (thumbnail) => thumbnail.source },
      { header: 'CLICK', value: (thumbnail) => score(thumbnail.clickPrediction), align: 'right' },
      { header: 'QUALITY', value: (thumbnail) => score(thumbnail.qualityScore), align: 'right' },
      { header: 'IMAGE', value: (thumbnail) => thumbnail.imageUrl ?? thumbnail.blobKey ?? '-' },
    ],
    thumbnails,
  );
}

/** A generated candidate and where its JPEG is. */
export interface CandidateRow {
  candidate: GeneratedCandidate;
  path: string;
}

/** The `thumbnails generate` table, in time order. */
export function candidatesTable(rows: readonly CandidateRow[]): string {
  return renderTable(
    [
      {
        header: 'AT',
        value: (row: CandidateRow) => `${row.candidate.timestampSec} s`,
        align: 'right',
      },
      { header: 'ID', value: (row) => row.candidate.thumbnail.id },
      {
        header: 'QUALITY',
        value: (row) => score(row.candidate.thumbnail.qualityScore),
        align: 'right',
      },
      {
        header: 'CLICK',
        value: (row) => score(row.candidate.thumbnail.clickPrediction),
        align: 'right',
      },
      { header: 'SIZE', value: (row) => `${row.candidate.width}x${row.candidate.height}` },
      { header: 'JPEG', value: (row) => row.path },
    ],
    rows,
  );
}
