import {
  UPLOAD_STATUS_SYMBOLS,
  type Upload,
  type UploadHistoryEntry,
  type UploadStatus,
  type Video,
  type VideoVerification,
  type VideoWithUploads,
} from '@vbuckets/core';
import { renderTable } from './table';

/** The symbol of a platform's status, `⚪` when never attempted. */
export function statusSymbol(status: UploadStatus | undefined): string {
  return UPLOAD_STATUS_SYMBOLS[status ?? 'NONE'];
}

/**
 * Terminals draw ✔ and ✖ one column wide and the emoji two, while the table pads by string
 * length: cells hold stand-ins of the symbol's width (private-use characters), swapped for
 * the symbols once the table is laid out.
 */
const SYMBOL_STAND_INS: readonly (readonly [standIn: string, symbol: string])[] = [
  ...new Set(Object.values(UPLOAD_STATUS_SYMBOLS)),
].map((symbol, index) => {
  const standIn = String.fromCharCode(0xe000 + index);
  return [symbol === '✔' || symbol === '✖' ? standIn : standIn.repeat(2), symbol] as const;
});

function symbolCell(status: UploadStatus | undefined): string {
  const symbol = statusSymbol(status);
  return SYMBOL_STAND_INS.find(([, each]) => each === symbol)?.[0] ?? symbol;
}

function withSymbols(table: string): string {
  let text = table;
  for (const [standIn, symbol] of SYMBOL_STAND_INS) text = text.replaceAll(standIn, symbol);
  return text;
}

/** One line explaining the symbols, printed under tables that use them. */
export const STATUS_LEGEND =
  '✔ success  ✖ failed  ⏳ in progress  ❌ blocked (duplicate)  🔁 rate limited  ⚪ not uploaded';

/** `16.5 KB`, `3.2 MB`: sizes in powers of 1024, one decimal from KB up. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let size = bytes;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${size} B` : `${size.toFixed(1)} ${units[unit]}`;
}

/** `4.5 s`, or `-` when not probed. */
export function formatDuration(seconds: number | null): string {
  return seconds === null ? '-' : `${Math.round(seconds * 10) / 10} s`;
}

/** The first 12 hex characters, enough to tell videos apart by eye. */
export function shortSha(sha256: string): string {
  return sha256.slice(0, 12);
}

/** What `videos add` says per file: registered, or the video that already holds the content. */
export function registeredLine(
  video: Video,
  existing: boolean,
  path: string,
  repaired = false,
): string {
  const facts = `${video.id}  "${video.title}"  ${formatBytes(video.sizeBytes)}  sha256 ${shortSha(video.sha256)}`;
  if (!existing) {
    return `Registered ${facts}${video.durationSec === null ? '' : `  ${formatDuration(video.durationSec)}`}`;
  }
  return repaired
    ? `Repaired: ${path} has the content of video ${facts}; its damaged or missing stored copy was replaced`
    : `Already registered: ${path} has the same content as video ${facts} (existing video returned)`;
}

/** The registry with one symbol column per platform. */
export function videosTable(videos: readonly VideoWithUploads[], platforms: readonly string[]) {
  const table = renderTable<VideoWithUploads>(
    [
      { header: 'ID', value: (video) => video.id },
      { header: 'TITLE', value: (video) => video.title, maxWidth: 40 },
      { header: 'SIZE', value: (video) => formatBytes(video.sizeBytes), align: 'right' },
      { header: 'DURATION', value: (video) => formatDuration(video.durationSec), align: 'right' },
      { header: 'DUPLICATES', value: (video) => (video.duplicateAllowed ? 'allowed' : 'no') },
      { header: 'VISIBILITY', value: (video) => video.visibility },
      { header: 'CATEGORY', value: (video) => video.productCategory ?? '-', maxWidth: 24 },
      ...platforms.map((platform) => ({
        header: platform.toUpperCase(),
        value: (video: VideoWithUploads) => symbolCell(video.uploads[platform]),
      })),
    ],
    videos,
  );
  return withSymbols(table);
}

/** `videos show`: the video's fields, then each platform's row and its attempts. */
export function videoDetails(video: Video, uploads: readonly UploadHistoryEntry[]): string {
  const lines = [
    `Video ${video.id}`,
    `  title:       ${video.title}`,
    `  file:        ${video.filename}`,
    `  size:        ${formatBytes(video.sizeBytes)} (${video.sizeBytes} bytes)`,
    `  duration:    ${formatDuration(video.durationSec)}`,
    `  type:        ${video.mimeType}`,
    `  sha256:      ${video.sha256}`,
    `  owner:       ${video.ownerId}`,
    `  duplicates:  ${video.duplicateAllowed ? 'allowed' : 'not allowed'}`,
    `  visibility:  ${video.visibility}${video.visibility === 'public' ? ' (market benchmark)' : ''}`,
    `  category:    ${video.productCategory ?? '-'}`,
    `  registered:  ${video.createdAt}`,
    '',
  ];
  if (uploads.length === 0) {
    lines.push('Not uploaded anywhere yet.');
    return lines.join('\n');
  }
  lines.push('Uploads:');
  for (const upload of uploads) {
    const outcome =
      upload.platformPostId !== null
        ? `post ${upload.platformPostId}`
        : upload.errorMessage !== null
          ? upload.errorMessage
          : '';
    lines.push(
      `  ${upload.symbol} ${upload.platform}  ${upload.status}  retries ${upload.retryCount}${outcome === '' ? '' : `  ${outcome}`}${upload.nextAttemptAt === null ? '' : `  next attempt ${upload.nextAttemptAt}`}`,
    );
    for (const attempt of upload.attempts) {
      const end = attempt.finishedAt === null ? 'running' : `ended ${attempt.finishedAt}`;
      const detail = attempt.platformPostId ?? attempt.errorMessage ?? '';
      lines.push(
        `      #${attempt.attemptNumber}  ${statusSymbol(attempt.status)} ${attempt.status}  started ${attempt.startedAt}, ${end}${detail === '' ? '' : `  ${detail}`}`,
      );
    }
  }
  return lines.join('\n');
}

/** `ok`, `missing` or `corrupted`, with what was found when it differs. */
export function verificationLine(video: Video, verification: VideoVerification): string {
  const head = `${verification.status.padEnd(9)}  ${video.id}  "${video.title}"`;
  if (verification.status === 'ok') return head;
  if (verification.actual === null) return `${head}  — the stored file is gone`;
  return `${head}  — expected ${verification.expected.sizeBytes} bytes, sha256 ${shortSha(verification.expected.sha256)}; found ${verification.actual.sizeBytes} bytes, sha256 ${shortSha(verification.actual.sha256)}`;
}

/** `vbuckets uploads`: one row per (video, platform). */
export function uploadsTable(
  rows: readonly (Upload & { symbol: string })[],
  titles: ReadonlyMap<string, string>,
): string {
  const table = renderTable<Upload & { symbol: string }>(
    [
      { header: '', value: (row) => symbolCell(row.status) },
      { header: 'STATUS', value: (row) => row.status },
      { header: 'PLATFORM', value: (row) => row.platform },
      { header: 'VIDEO', value: (row) => row.videoId },
      { header: 'TITLE', value: (row) => titles.get(row.videoId) ?? '', maxWidth: 30 },
      { header: 'RETRIES', value: (row) => String(row.retryCount), align: 'right' },
      {
        header: 'POST / ERROR',
        value: (row) => row.platformPostId ?? row.errorMessage ?? '',
        maxWidth: 50,
      },
      { header: 'UPDATED', value: (row) => row.updatedAt },
    ],
    rows,
  );
  return withSymbols(table);
}
