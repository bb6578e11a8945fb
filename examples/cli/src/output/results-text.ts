import type { Categorization, SessionSummary, UploadedBucketGroup } from '@vbuckets/core';
import { type Column, renderTable } from './table';

/** `87%`, or `-` when there is no confidence (a failed row). */
export function formatConfidence(confidence: number | null): string {
  return confidence === null ? '-' : `${Math.round(confidence * 100)}%`;
}

/** What the BUCKET column says for a row. */
export function bucketLabel(row: Categorization): string {
  switch (row.status) {
    case 'categorized':
      return row.bucketName ?? '(none)';
    case 'analyzed':
      return '(uncategorized)';
    case 'error':
      return '(error)';
    case 'pending':
      return '(pending)';
  }
}

/** What the REASONING column says: the error for a failed row. */
function reasoningOf(row: Categorization): string {
  if (row.status === 'error') return row.errorMessage ?? 'failed';
  if (row.status === 'pending') return 'not finished: vbuckets resume <session>';
  return row.reasoning ?? '';
}

const GAP = 2;
/** Characters of a session id shown in `sessions` (ids are UUIDs: 8 is plenty to tell them apart). */
const SHORT_ID = 8;
const MIN_REASONING = 16;

/**
 * The results table: FILE, BUCKET, CONF, (UPLOADED,) REASONING, one line per row, the
 * reasoning cut so that a line fits `width`.
 */
export function resultsTable(
  rows: readonly Categorization[],
  { width, uploaded = false }: { width: number; uploaded?: boolean },
): string {
  const fixed: Column<Categorization>[] = [
    { header: 'FILE', value: (row) => row.filename, maxWidth: 40 },
    { header: 'BUCKET', value: bucketLabel, maxWidth: 24 },
    { header: 'CONF', value: (row) => formatConfidence(row.confidence), align: 'right' },
    ...(uploaded
      ? [{ header: 'UPLOADED', value: (row: Categorization) => (row.isUploaded ? 'yes' : '') }]
      : []),
  ];
  const used = fixed.reduce((sum, column) => sum + columnWidth(column, rows) + GAP, 0);
  return renderTable(
    [
      ...fixed,
      { header: 'REASONING', value: reasoningOf, maxWidth: Math.max(MIN_REASONING, width - used) },
    ],
    rows,
  );
}

function columnWidth(column: Column<Categorization>, rows: readonly Categorization[]): number {
  const longest = Math.max(
    column.header.length,
    ...rows.map((row) => column.value(row).replace(/\s+/gu, ' ').trim().length),
  );
  return column.maxWidth === undefined ? longest : Math.min(longest, column.maxWidth);
}

/** `6 videos: 5 categorized, 1 uncategorized, 0 failed · Gut Health 2, Sleep 1` (most first). */
export function resultsSummary(rows: readonly Categorization[]): string {
  const count = (status: Categorization['status']) =>
    rows.filter((row) => row.status === status).length;
  const pending = count('pending');
  const parts = [
    `${count('categorized')} categorized`,
    `${count('analyzed')} uncategorized`,
    `${count('error')} failed`,
    ...(pending > 0 ? [`${pending} pending`] : []),
  ];
  const byBucket = new Map<string, number>();
  for (const row of rows) {
    if (row.status === 'categorized' && row.bucketName !== null) {
      byBucket.set(row.bucketName, (byBucket.get(row.bucketName) ?? 0) + 1);
    }
  }
  const buckets = [...byBucket]
    .sort(
      ([leftName, left], [rightName, right]) => right - left || leftName.localeCompare(rightName),
    )
    .map(([name, total]) => `${name} ${total}`)
    .join(', ');
  const videos = `${rows.length} video${rows.length === 1 ? '' : 's'}`;
  return `${videos}: ${parts.join(', ')}${buckets === '' ? '' : ` · ${buckets}`}`;
}

/** `vbuckets sessions`: newest first, counts by status and bucket. */
export function sessionsTable(summaries: readonly SessionSummary[], width: number): string {
  const fixed: Column<SessionSummary>[] = [
    // The first characters are enough: every session command takes an id prefix.
    { header: 'SESSION', value: (summary) => summary.session.id.slice(0, SHORT_ID) },
    { header: 'CREATED', value: (summary) => shortTime(summary.session.createdAt) },
    {
      header: 'VIDEOS',
      value: (summary) => String(summary.countsByStatus.total),
      align: 'right',
    },
    {
      header: 'CATEGORIZED',
      value: (summary) => String(summary.countsByStatus.categorized),
      align: 'right',
    },
    {
      header: 'UNCATEGORIZED',
      value: (summary) => String(summary.countsByStatus.analyzed),
      align: 'right',
    },
    { header: 'FAILED', value: (summary) => String(summary.countsByStatus.error), align: 'right' },
    {
      header: 'PENDING',
      value: (summary) => String(summary.countsByStatus.pending),
      align: 'right',
    },
    { header: 'UPLOADED', value: (summary) => String(summary.uploadedCount), align: 'right' },
  ];
  const used = fixed.reduce((sum, column) => {
    const longest = Math.max(
      column.header.length,
      ...summaries.map((summary) => column.value(summary).length),
    );
    return sum + longest + GAP;
  }, 0);
  return renderTable(
    [
      ...fixed,
      {
        header: 'BUCKETS',
        value: (summary) =>
          summary.countsByBucket.map((bucket) => `${bucket.bucketName} ${bucket.count}`).join(', '),
        maxWidth: Math.max(MIN_REASONING, width - used),
      },
    ],
    summaries,
  );
}

/** `vbuckets uploaded`: a heading per bucket with its count, then its videos. */
export function uploadedText(groups: readonly UploadedBucketGroup[]): string {
  const total = groups.reduce((sum, group) => sum + group.rows.length, 0);
  const lines = [`Uploaded: ${total} video${total === 1 ? '' : 's'}`];
  for (const group of groups) {
    lines.push('', `${group.bucketName ?? '(no bucket)'} (${group.rows.length})`);
    const table = renderTable(
      [
        { header: 'FILE', value: (row: Categorization) => row.filename, maxWidth: 40 },
        { header: 'CONF', value: (row) => formatConfidence(row.confidence), align: 'right' },
        { header: 'SESSION', value: (row) => row.sessionId },
        { header: 'ROW', value: (row) => row.id },
      ],
      group.rows,
    );
    lines.push(...table.split('\n').map((line) => `  ${line}`));
  }
  return lines.join('\n');
}

/** `2026-02-18 10:04` (UTC), short enough for a table. */
function shortTime(iso: string): string {
  return iso.replace('T', ' ').slice(0, 16);
}
