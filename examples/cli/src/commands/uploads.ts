import {
  UPLOAD_STATUS_SYMBOLS,
  type UploadStatus,
  UploadStatusSchema,
  validationError,
} from '@vbuckets/core';
import type { Command } from 'commander';
import { type ExtraOptions, withVBuckets } from '../context';
import { unwrap } from '../errors';
import { type CliIo, printJson, printLine } from '../io';
import { STATUS_LEGEND, uploadsTable } from '../output/video-text';
import { allPages } from '../paging';
import { settingsOf } from '../settings';
import { configuredUploaders, uploaderPlace } from '../uploaders';
import { positiveInteger, uploadExtras } from './upload';
import { listAllVideos } from './videos';

/** `vbuckets uploads` (the rows with their status symbols) and `vbuckets uploads retry-due`. */
export function registerUploadsCommands(program: Command, io: CliIo): void {
  const uploads = program
    .command('uploads')
    .option(
      '--status <status>',
      'only rows of this status: PENDING, IN_PROGRESS, SUCCESS, FAILED, FAILED_FINAL, BLOCKED, RATE_LIMITED',
    )
    .option('--platform <name>', 'only rows of this platform')
    .description('list uploads (one row per video and platform) with their status symbols')
    .addHelpText(
      'after',
      `
${STATUS_LEGEND}

Examples:
  $ vbuckets uploads
  $ vbuckets uploads --status FAILED --platform youtube
  $ vbuckets uploads retry-due
  $ vbuckets uploads --json`,
    )
    .action(async (options: { status?: string; platform?: string }, command: Command) => {
      const settings = settingsOf(command, io);
      const filter = {
        ...(options.status === undefined ? {} : { status: statusOf(options.status) }),
        ...(options.platform === undefined
          ? {}
          : { platform: options.platform.trim().toLowerCase() }),
      };
      const { rows, titles } = await withVBuckets(settings, async (vbuckets) => {
        const rows = await allPages((page) =>
          vbuckets.uploads.status(settings.scope, { ...filter, ...page }),
        );
        const videos = rows.length === 0 ? [] : await listAllVideos(vbuckets, settings.scope);
        return { rows, titles: new Map(videos.map((video) => [video.id, video.title])) };
      });
      if (settings.json) {
        printJson(io, rows);
        return;
      }
      if (rows.length === 0) {
        printLine(
          io,
          Object.keys(filter).length === 0
            ? 'No uploads yet. Post a video with: vbuckets upload <video> --platform local'
            : 'No uploads match.',
        );
        return;
      }
      printLine(io, uploadsTable(rows, titles));
      printLine(io);
      printLine(io, STATUS_LEGEND);
    });

  uploads
    .command('retry-due')
    .option('--limit <n>', 'retry at most this many rows', positiveInteger)
    .description('retry the failed and rate-limited uploads whose backoff is over')
    .addHelpText(
      'after',
      `
Retries FAILED and RATE_LIMITED rows whose next attempt is due and IN_PROGRESS rows whose
worker died (lease expired), with every platform configured in the environment. Run it from
cron to keep retrying with backoff; after the fourth failure a row is FAILED_FINAL and only
'vbuckets upload <video> --platform <name> --force' tries again.

Examples:
  $ vbuckets uploads retry-due
  $ vbuckets uploads retry-due --limit 10 --json`,
    )
    .action(async (options: { limit?: number }, command: Command) => {
      const settings = settingsOf(command, io);
      const extras: ExtraOptions = {
        ...uploadExtras(settings, io, []),
        uploaders: configuredUploaders(io.env, uploaderPlace(settings, io)),
      };
      const { rows, titles } = await withVBuckets(
        settings,
        async (vbuckets) => {
          const rows = await unwrap(
            vbuckets.uploads.runDue(
              settings.scope,
              options.limit === undefined ? {} : { limit: options.limit },
            ),
          );
          const videos = rows.length === 0 ? [] : await listAllVideos(vbuckets, settings.scope);
          return { rows, titles: new Map(videos.map((video) => [video.id, video.title])) };
        },
        extras,
      );
      const withSymbols = rows.map((row) => ({
        ...row,
        symbol: UPLOAD_STATUS_SYMBOLS[row.status],
      }));
      if (settings.json) printJson(io, withSymbols);
      else if (rows.length === 0) printLine(io, 'No uploads are due for a retry.');
      else printLine(io, uploadsTable(withSymbols, titles));
    });
}

function statusOf(value: string): UploadStatus {
  const parsed = UploadStatusSchema.safeParse(value.trim().toUpperCase().replaceAll('-', '_'));
  if (!parsed.success) {
    throw validationError(
      `Unknown status "${value}" (one of ${UploadStatusSchema.options.join(', ')})`,
      { path: 'status' },
    );
  }
  return parsed.data;
}
