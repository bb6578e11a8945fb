import {
  fromZodError,
  isVBucketsError,
  UPLOAD_STATUS_SYMBOLS,
  type VBucketsError,
  validationError,
  vbucketsError,
} from '@vbuckets/core';
import { LocalDirectoryMetadataSchema, YouTubeMetadataSchema } from '@vbuckets/uploaders';
import { type Command, InvalidArgumentError } from 'commander';
import { type ExtraOptions, uploadAuditSink, withVBuckets } from '../context';
import { unwrap } from '../errors';
import { CLI_COMMAND, type CliIo, printJson, printLine } from '../io';
import { createUploadProgress } from '../output/upload-progress';
import { type Settings, settingsOf } from '../settings';
import { platformNames, UPLOAD_PLATFORMS, uploaderPlace, uploadersFor } from '../uploaders';
import { resolveVideo } from './videos';

interface UploadCommandOptions {
  platform: string[];
  allPending?: boolean;
  concurrency?: number;
  force?: boolean;
  title?: string;
  description?: string;
  tags?: string;
  privacy?: string;
  meta: string[];
  quiet?: boolean;
  queue?: boolean;
}

/** `vbuckets upload`: one video to one platform, or every pending video. */
export function registerUploadCommands(program: Command, io: CliIo): void {
  program
    .command('upload')
    .argument('[video]', 'video id, its first characters, or its file name')
    .option(
      '--platform <name>',
      'platform to post to: local, webhook, youtube, meta, tiktok, instagram (repeatable or comma-separated with --all-pending)',
      collect,
      [],
    )
    .option('--all-pending', 'post every registered video not yet uploaded to each --platform')
    .option('--concurrency <n>', 'uploads at once with --all-pending (default 2)', positiveInteger)
    .option(
      '--force',
      'manual override: post a duplicate, retry after FAILED_FINAL or before the backoff is over',
    )
    .option('--title <text>', 'title on the platform (default: the video title)')
    .option('--description <text>', 'description on the platform')
    .option('--tags <a,b>', 'comma-separated tags (local, youtube)')
    .option('--privacy <status>', 'youtube: private (default), unlisted or public')
    .option(
      '--meta <key=value>',
      'any other metadata field the platform takes (repeatable; key:=json for numbers and booleans)',
      collect,
      [],
    )
    .option('-q, --quiet', 'no progress bar on stderr')
    .option('--queue', "queue the upload for 'vbuckets worker' instead of posting it here")
    .description('post a registered video to a platform, once')
    .addHelpText(
      'after',
      `
A video is posted to a platform once: posting it again is refused (DUPLICATE_UPLOAD, exit 1)
unless the video allows duplicates ('vbuckets videos allow-duplicates') or --force is given.
A failed upload is retried with backoff by 'vbuckets uploads retry-due'. Each transition is
appended to <data-dir>/upload-audit.jsonl. The platforms are configured from the environment
(see 'vbuckets --help').

Examples:
  $ vbuckets upload 3f0c9a7e --platform local
  $ vbuckets upload 3f0c9a7e --platform youtube --title "Bloated after lunch?" --tags gut,health --privacy unlisted
  $ vbuckets upload 3f0c9a7e --platform tiktok --meta privacyLevel=SELF_ONLY
  $ vbuckets --storage s3://my-videos upload 3f0c9a7e --platform instagram --meta caption="Lunch?"
  $ vbuckets upload --all-pending --platform youtube,tiktok --concurrency 4
  $ vbuckets upload 3f0c9a7e --platform youtube --queue && vbuckets worker`,
    )
    .action(
      async (reference: string | undefined, options: UploadCommandOptions, command: Command) => {
        const settings = settingsOf(command, io);
        const platforms = platformNames(options.platform);
        if (platforms.length === 0) {
          throw validationError('Name the platform to post to with --platform', {
            path: 'platform',
          });
        }
        if (options.allPending === true) {
          await uploadAllPending(settings, io, reference, platforms, options);
          return;
        }
        if (reference === undefined) {
          throw validationError('Name the video to upload, or give --all-pending', {
            path: 'video',
          });
        }
        if (options.concurrency !== undefined) {
          throw validationError('--concurrency goes with --all-pending', { path: 'concurrency' });
        }
        const [platform, ...others] = platforms;
        if (platform === undefined || others.length > 0) {
          throw validationError(
            'Upload one video to one --platform at a time (or use --all-pending)',
            { path: 'platform' },
          );
        }
        const metadata = metadataOf(options, platform);
        if (options.queue === true) {
          await queueUpload(settings, io, reference, platform, metadata, options);
          return;
        }
        const upload = await withVBuckets(
          settings,
          async (vbuckets) => {
            const video = await resolveVideo(vbuckets, settings.scope, reference);
            const progress = createUploadProgress(io.stderr, {
              quiet: options.quiet === true,
              label: `${video.filename} → ${platform}`,
            });
            try {
              const signal = io.signal;
              const done = await vbuckets.uploads.upload(
                settings.scope,
                video.id,
                platform,
                metadata,
                {
                  ...(options.force === true ? { force: true } : {}),
                  ...(signal === undefined ? {} : { signal }),
                  onProgress: (sent, total) => progress.onProgress(sent, total),
                },
              );
              if (done.isErr()) throw explained(done.error, video.id, platform);
              return { ...done.value, title: video.title };
            } finally {
              progress.finish();
            }
          },
          uploadExtras(settings, io, platforms),
        );
        const { title, ...row } = upload;
        if (settings.json) {
          printJson(io, { ...row, symbol: UPLOAD_STATUS_SYMBOLS[row.status] });
          return;
        }
        printLine(
          io,
          `${UPLOAD_STATUS_SYMBOLS[row.status]} Uploaded "${title}" (${row.videoId}) to ${row.platform}: post ${row.platformPostId ?? '-'}`,
        );
      },
    );
}

/**
 * `upload --queue`: one `uploads.upload` job for the video and platform (the same upload
 * queued twice is one job); a worker with the platform configured posts it.
 */
async function queueUpload(
  settings: Settings,
  io: CliIo,
  reference: string,
  platform: string,
  metadata: Record<string, unknown>,
  options: UploadCommandOptions,
): Promise<void> {
  if (options.force === true) {
    throw validationError('--force is a manual override: post the video here, without --queue', {
      path: 'force',
    });
  }
  if (!UPLOAD_PLATFORMS.some((known) => known.name === platform)) {
    const known = UPLOAD_PLATFORMS.map((each) => each.name).join(', ');
    throw validationError(`Unknown platform "${platform}" (known: ${known})`, { path: 'platform' });
  }
  const { video, job } = await withVBuckets(settings, async (vbuckets) => {
    const found = await resolveVideo(vbuckets, settings.scope, reference);
    const queued = await unwrap(
      vbuckets.jobs.enqueue('uploads.upload', {
        orgId: settings.scope.orgId,
        videoId: found.id,
        platform,
        ...(Object.keys(metadata).length === 0 ? {} : { metadata }),
      }),
    );
    return { video: found, job: queued };
  });
  if (settings.json) {
    printJson(io, { videoId: video.id, platform, job });
    return;
  }
  printLine(
    io,
    `${job.created ? 'Queued' : 'Already queued'}: "${video.title}" (${video.id}) to ${platform} as job ${job.id}; a worker posts it: ${CLI_COMMAND} worker`,
  );
}

/** `upload --all-pending --queue`: a job per registered video and platform not yet posted. */
async function queueAllPending(
  settings: Settings,
  io: CliIo,
  platforms: readonly string[],
): Promise<void> {
  const unknown = platforms.find((name) => !UPLOAD_PLATFORMS.some((known) => known.name === name));
  if (unknown !== undefined) {
    const known = UPLOAD_PLATFORMS.map((each) => each.name).join(', ');
    throw validationError(`Unknown platform "${unknown}" (known: ${known})`, { path: 'platform' });
  }
  const queued = await withVBuckets(settings, async (vbuckets) => {
    const jobs: { videoId: string; platform: string; id: string; created: boolean }[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await unwrap(
        vbuckets.videos.list(settings.scope, {
          limit: 500,
          ...(after === undefined ? {} : { after }),
        }),
      );
      for (const video of page) {
        for (const platform of platforms) {
          if (video.uploads[platform] === 'SUCCESS') continue;
          const job = await unwrap(
            vbuckets.jobs.enqueue('uploads.upload', {
              orgId: settings.scope.orgId,
              videoId: video.id,
              platform,
            }),
          );
          jobs.push({ videoId: video.id, platform, id: job.id, created: job.created });
        }
      }
      if (page.length < 500) return jobs;
      after = page.at(-1)?.id;
    }
  });
  if (settings.json) {
    printJson(io, { queued });
    return;
  }
  const fresh = queued.filter((job) => job.created).length;
  printLine(
    io,
    `Queued ${fresh} upload${fresh === 1 ? '' : 's'}${queued.length > fresh ? ` (${queued.length - fresh} already queued)` : ''}; a worker posts them: ${CLI_COMMAND} worker`,
  );
}

async function uploadAllPending(
  settings: Settings,
  io: CliIo,
  reference: string | undefined,
  platforms: readonly string[],
  options: UploadCommandOptions,
): Promise<void> {
  if (reference !== undefined) {
    throw validationError('Give a video or --all-pending, not both', { path: 'video' });
  }
  const metadataFlags = [
    options.title === undefined ? null : '--title',
    options.description === undefined ? null : '--description',
    options.tags === undefined ? null : '--tags',
    options.privacy === undefined ? null : '--privacy',
    options.meta.length === 0 ? null : '--meta',
  ].filter((flag) => flag !== null);
  if (metadataFlags.length > 0) {
    throw validationError(
      `${metadataFlags.join(', ')} describe one video; --all-pending posts each under its own title`,
      { path: 'metadata' },
    );
  }
  if (options.force === true) {
    throw validationError('--force is a manual override of one upload; name the video', {
      path: 'force',
    });
  }
  if (options.queue === true) {
    await queueAllPending(settings, io, platforms);
    return;
  }
  const summary = await withVBuckets(
    settings,
    (vbuckets) =>
      unwrap(
        vbuckets.uploads.uploadAllPending(settings.scope, {
          platforms,
          ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
        }),
      ),
    uploadExtras(settings, io, platforms),
  );
  if (settings.json) {
    printJson(io, {
      uploaded: summary.uploaded.map((row) => ({
        ...row,
        symbol: UPLOAD_STATUS_SYMBOLS[row.status],
      })),
      skipped: summary.skipped,
      failed: summary.failed.map(({ videoId, platform, error }) => ({
        videoId,
        platform,
        code: error.code,
        message: error.message,
      })),
    });
  } else {
    for (const row of summary.uploaded) {
      printLine(
        io,
        `${UPLOAD_STATUS_SYMBOLS.SUCCESS} ${row.videoId} → ${row.platform}: post ${row.platformPostId ?? '-'}`,
      );
    }
    for (const skipped of summary.skipped) {
      printLine(io, `- ${skipped.videoId} → ${skipped.platform}: skipped (${skipped.reason})`);
    }
    for (const failed of summary.failed) {
      printLine(
        io,
        `${UPLOAD_STATUS_SYMBOLS.FAILED} ${failed.videoId} → ${failed.platform}: ${failed.error.message}`,
      );
    }
    printLine(
      io,
      `${summary.uploaded.length} uploaded, ${summary.skipped.length} skipped, ${summary.failed.length} failed`,
    );
  }
  const [first] = summary.failed;
  if (first !== undefined) {
    throw vbucketsError(
      first.error.code,
      `${summary.failed.length} upload${summary.failed.length === 1 ? '' : 's'} failed; first: ${first.videoId} → ${first.platform}: ${first.error.message}`,
      { cause: first.error },
    );
  }
}

/** The SDK options of an upload: the platforms' uploaders, the audit log, warnings on stderr. */
export function uploadExtras(
  settings: Settings,
  io: CliIo,
  platforms: readonly string[],
): ExtraOptions {
  return {
    uploaders: uploadersFor(platforms, io.env, uploaderPlace(settings, io)),
    auditSink: uploadAuditSink(settings.dataDir),
    onWarning: (warning) => io.stderr.write(`warning: [${warning.code}] ${warning.message}\n`),
  };
}

/**
 * The metadata flags as the platform's metadata: `--title`, `--description`, `--tags`,
 * `--privacy` (youtube's privacyStatus) and `--meta` fields; checked against the platform's
 * schema where the uploader exports it, so a typo fails before anything is claimed.
 */
export function metadataOf(
  options: Pick<UploadCommandOptions, 'title' | 'description' | 'tags' | 'privacy' | 'meta'>,
  platform: string,
): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  for (const entry of options.meta) {
    const typed = /^([A-Za-z_][\w-]*):=(.*)$/su.exec(entry);
    const plain = /^([A-Za-z_][\w-]*)=(.*)$/su.exec(entry);
    if (typed?.[1] !== undefined) {
      try {
        metadata[typed[1]] = JSON.parse(typed[2] ?? '');
      } catch {
        throw validationError(`--meta ${entry}: the value after := must be JSON`, {
          path: 'meta',
        });
      }
    } else if (plain?.[1] !== undefined) metadata[plain[1]] = plain[2] ?? '';
    else {
      throw validationError(`--meta ${entry}: expected key=value or key:=json`, { path: 'meta' });
    }
  }
  if (options.title !== undefined) metadata.title = options.title;
  if (options.description !== undefined) metadata.description = options.description;
  if (options.tags !== undefined) {
    metadata.tags = options.tags
      .split(',')
      .map((tag) => tag.trim())
      .filter((tag) => tag !== '');
  }
  if (options.privacy !== undefined) {
    if (platform !== 'youtube') {
      throw validationError(
        `--privacy is YouTube's privacy status; for ${platform} use --meta (e.g. tiktok: --meta privacyLevel=SELF_ONLY)`,
        { path: 'privacy' },
      );
    }
    metadata.privacyStatus = options.privacy.trim().toLowerCase();
  }
  const schema =
    platform === 'youtube'
      ? YouTubeMetadataSchema
      : platform === 'local'
        ? LocalDirectoryMetadataSchema
        : undefined;
  const checked = schema?.safeParse(metadata);
  if (checked !== undefined && !checked.success) {
    throw fromZodError(checked.error, `${platform} metadata`);
  }
  return metadata;
}

/** A refused duplicate says how to post anyway. */
function explained(error: VBucketsError, videoId: string, platform: string): VBucketsError {
  if (!isVBucketsError(error) || error.code !== 'DUPLICATE_UPLOAD') return error;
  return vbucketsError(
    'DUPLICATE_UPLOAD',
    `${error.message} (post again with 'vbuckets upload ${videoId} --platform ${platform} --force', or allow duplicates with 'vbuckets videos allow-duplicates ${videoId}')`,
    {
      cause: error,
      retryable: false,
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError('must be a positive whole number');
  }
  return parsed;
}
