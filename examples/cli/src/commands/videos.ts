import { basename } from 'node:path';
import {
  DEFAULT_ACCESS_TTL_SEC,
  MAX_ACCESS_TTL_SEC,
  notFoundError,
  type Scope,
  storageError,
  UPLOAD_STATUS_SYMBOLS,
  type VBuckets,
  type Video,
  type VideoVerification,
  type VideoWithUploads,
  validationError,
} from '@vbuckets/core';
import { checkVideoFilename } from '@vbuckets/core/domain';
import { videoFile } from '@vbuckets/core/node';
import type { Command } from 'commander';
import { withVBuckets } from '../context';
import { unwrap } from '../errors';
import { type CliIo, printJson, printLine } from '../io';
import { probeOption } from '../media-probe';
import {
  registeredLine,
  STATUS_LEGEND,
  verificationLine,
  videoDetails,
  videosTable,
} from '../output/video-text';
import { allPages } from '../paging';
import { settingsOf } from '../settings';
import { configuredPlatforms } from '../uploaders';
import { collectVideoPaths } from '../video-inputs';

/** Who owns videos registered without `--owner`. */
export const DEFAULT_OWNER = 'local';

interface AddOptions {
  title?: string;
  owner: string;
  allowDuplicates?: boolean;
  strict?: boolean;
  public?: boolean;
  category?: string;
}

/** How long a presigned `videos url` lasts unless `--ttl` says otherwise (core's default). */
const DEFAULT_URL_TTL_SEC = DEFAULT_ACCESS_TTL_SEC;

/** `vbuckets videos …`: the video registry (seed 001). */
export function registerVideosCommands(program: Command, io: CliIo): void {
  const videos = program
    .command('videos')
    .description('the video registry: register files, list them with their upload status, verify')
    .addHelpText(
      'after',
      `
Examples:
  $ vbuckets videos add ./clips/bloated-after-lunch.mp4 --title "Bloated after lunch"
  $ vbuckets videos list
  $ vbuckets videos show 3f0c9a7e
  $ vbuckets videos verify --all
  $ vbuckets --storage s3://my-videos videos url 3f0c9a7e`,
    );

  videos
    .command('add')
    .argument('<file...>', 'video files (mp4, mov, avi, webm), or folders of them')
    .option('--title <title>', 'title of the video (one file only; default: the file name)')
    .option('--owner <id>', 'who owns the videos', DEFAULT_OWNER)
    .option('--allow-duplicates', 'allow posting these videos to the same platform again')
    .option(
      '--strict',
      'fail (exit 2) when identical content is already registered, instead of returning that video',
    )
    .option('--public', 'a market benchmark: any authenticated user may watch it (default private)')
    .option('--category <name>', 'the product category of the video (e.g. language_learning)')
    .description('register video files (deduplicated by content)')
    .addHelpText(
      'after',
      `
The bytes are copied into the storage (the data dir, or the --storage bucket). A file whose content is already registered is not
stored twice: the existing video is returned (or, with --strict, the command fails). The
duration is read with ffprobe when it is installed (FFPROBE_PATH names another binary).
Videos are private (their owner and the org's admins may watch them) unless --public makes
them market benchmarks; a video already registered keeps its visibility and category.

Examples:
  $ vbuckets videos add ./clips
  $ vbuckets videos add clip.mp4 --title "Morning routine" --owner alice
  $ vbuckets videos add clip.mp4 --public --category language_learning
  $ vbuckets videos add clip.mp4 --strict --json`,
    )
    .action(async (args: string[], options: AddOptions, command: Command) => {
      const settings = settingsOf(command, io);
      const paths = await collectVideoPaths(args, io.cwd);
      if (options.title !== undefined && paths.length > 1) {
        throw validationError(`--title names one video, but ${paths.length} files were given`, {
          path: 'title',
        });
      }
      // Every name is checked before any file is stored; core then checks the content too.
      for (const path of paths) {
        const checked = checkVideoFilename(basename(path));
        if (checked.isErr()) throw checked.error;
      }
      const registered = await withVBuckets(
        settings,
        async (vbuckets) => {
          const results: { path: string; video: Video; existing: boolean; repaired: boolean }[] =
            [];
          for (const path of paths) {
            const outcome = await unwrap(
              vbuckets.videos.register(settings.scope, {
                ...videoFile(path),
                ownerId: options.owner,
                ...(options.title === undefined ? {} : { title: options.title }),
                ...(options.allowDuplicates === true ? { duplicateAllowed: true } : {}),
                ...(options.strict === true ? { strict: true } : {}),
                ...(options.public === true ? { visibility: 'public' as const } : {}),
                ...(options.category === undefined ? {} : { productCategory: options.category }),
              }),
            );
            let { video } = outcome;
            const existing = !outcome.created;
            if (existing && options.allowDuplicates === true && !video.duplicateAllowed) {
              video = await unwrap(
                vbuckets.videos.setDuplicateAllowed(settings.scope, video.id, true),
              );
            }
            if (
              existing &&
              ((options.public === true && video.visibility !== 'public') ||
                (options.category !== undefined && video.productCategory !== options.category))
            ) {
              io.stderr.write(
                `warning: video ${video.id} was already registered (${video.visibility}, category ${video.productCategory ?? 'none'}); --public and --category apply to new videos only\n`,
              );
            }
            results.push({ path, video, existing, repaired: outcome.repaired });
          }
          return results;
        },
        await probeOption(io.env),
      );
      if (settings.json) {
        printJson(
          io,
          registered.map(({ path, video, existing, repaired }) => ({
            ...video,
            path,
            existing,
            repaired,
          })),
        );
        return;
      }
      for (const { path, video, existing, repaired } of registered) {
        printLine(io, registeredLine(video, existing, path, repaired));
      }
    });

  videos
    .command('list')
    .alias('ls')
    .description('list registered videos, newest first, with their upload status per platform')
    .addHelpText(
      'after',
      `
The platform columns are the configured platforms and any other a video was posted to.
${STATUS_LEGEND}

Examples:
  $ vbuckets videos list
  $ vbuckets videos list --json`,
    )
    .action(async (_options: unknown, command: Command) => {
      const settings = settingsOf(command, io);
      const list = await withVBuckets(settings, (vbuckets) =>
        listAllVideos(vbuckets, settings.scope),
      );
      if (settings.json) {
        printJson(
          io,
          list.map((video) => ({
            ...video,
            uploadSymbols: Object.fromEntries(
              Object.entries(video.uploads).map(([platform, status]) => [
                platform,
                UPLOAD_STATUS_SYMBOLS[status],
              ]),
            ),
          })),
        );
        return;
      }
      if (list.length === 0) {
        printLine(io, 'No videos registered yet. Add some with: vbuckets videos add <file...>');
        return;
      }
      const platforms = [
        ...new Set([
          ...configuredPlatforms(io.env, settings.storage.kind === 's3'),
          ...list.flatMap((video) => Object.keys(video.uploads)),
        ]),
      ];
      printLine(io, videosTable(list, platforms));
      printLine(io);
      printLine(io, STATUS_LEGEND);
    });

  videos
    .command('show')
    .argument('<video>', 'video id, its first characters, or its file name')
    .description('show a video, its upload to each platform and every attempt')
    .addHelpText(
      'after',
      `
Examples:
  $ vbuckets videos show 3f0c9a7e
  $ vbuckets videos show bloated-after-lunch.mp4 --json`,
    )
    .action(async (reference: string, _options: unknown, command: Command) => {
      const settings = settingsOf(command, io);
      const { video, uploads } = await withVBuckets(settings, async (vbuckets) => {
        const video = await resolveVideo(vbuckets, settings.scope, reference);
        return { video, uploads: await unwrap(vbuckets.uploads.history(settings.scope, video.id)) };
      });
      if (settings.json) printJson(io, { ...video, uploads });
      else printLine(io, videoDetails(video, uploads));
    });

  videos
    .command('url')
    .argument('<video>', 'video id, its first characters, or its file name')
    .option(
      '--ttl <seconds>',
      `how long a presigned URL lasts, 1..${MAX_ACCESS_TTL_SEC} (7 days)`,
      String(DEFAULT_URL_TTL_SEC),
    )
    .option('--owner <id>', 'who asks (an admin of the org, so any of its videos)', DEFAULT_OWNER)
    .description('print a URL that plays the video (needs S3 storage: --storage s3://…)')
    .addHelpText(
      'after',
      `
The URL goes to stdout and how long it lasts to stderr. A private video gets a presigned
URL valid for --ttl seconds; a public one the permanent URL under VBUCKETS_S3_PUBLIC_BASE_URL
when that is set (else presigned too). The local blob store (the default storage) has no URLs.

Examples:
  $ vbuckets --storage s3://my-videos videos url 3f0c9a7e
  $ vbuckets --storage s3://my-videos videos url clip.mp4 --ttl 600
  $ vbuckets --storage s3://my-videos videos url 3f0c9a7e --json`,
    )
    .action(
      async (reference: string, options: { ttl: string; owner: string }, command: Command) => {
        const settings = settingsOf(command, io);
        const ttlSec = parseTtl(options.ttl);
        const access = await withVBuckets(settings, async (vbuckets) => {
          const video = await resolveVideo(vbuckets, settings.scope, reference);
          const actor = { userId: options.owner, orgId: settings.scope.orgId, roles: ['admin'] };
          const answer = await vbuckets.access.getVideoAccess(actor, video.id, { ttlSec });
          if (answer.isOk()) return answer.value;
          if (answer.error.code === 'STORAGE' && settings.storage.kind === 'local') {
            throw storageError(
              `${answer.error.message}: the local blob store has no URLs; keep videos in S3, R2 or MinIO with --storage s3://<bucket> (see 'vbuckets --help')`,
              {
                retryable: false,
                cause: answer.error,
                ...(answer.error.adapter === undefined ? {} : { adapter: answer.error.adapter }),
                ...(answer.error.operation === undefined
                  ? {}
                  : { operation: answer.error.operation }),
              },
            );
          }
          throw answer.error;
        });
        if (settings.json) {
          printJson(io, access);
          return;
        }
        printLine(io, access.url);
        if (access.expiresIn !== null) {
          io.stderr.write(
            `expires in ${formatTtl(access.expiresIn)}${access.expiresAt === null ? '' : ` (at ${access.expiresAt})`}\n`,
          );
        }
      },
    );

  videos
    .command('verify')
    .argument('[video]', 'video id, its first characters, or its file name')
    .option('--all', 'every registered video')
    .description('re-read stored videos and compare size and SHA-256 with the registry')
    .addHelpText(
      'after',
      `
Each video is ok, missing (its file is gone) or corrupted (its bytes changed). The command
exits 1 when any is not ok.

Examples:
  $ vbuckets videos verify 3f0c9a7e
  $ vbuckets videos verify --all --json`,
    )
    .action(async (reference: string | undefined, options: { all?: boolean }, command: Command) => {
      const settings = settingsOf(command, io);
      if ((reference === undefined) === (options.all !== true)) {
        throw validationError('Name one video to verify, or give --all', { path: 'video' });
      }
      const checked = await withVBuckets(settings, async (vbuckets) => {
        const targets =
          reference === undefined
            ? await listAllVideos(vbuckets, settings.scope)
            : [await resolveVideo(vbuckets, settings.scope, reference)];
        const results: { video: Video; verification: VideoVerification }[] = [];
        for (const video of targets) {
          const verification = await unwrap(vbuckets.videos.verify(settings.scope, video.id));
          results.push({ video, verification });
        }
        return results;
      });
      if (settings.json) {
        printJson(
          io,
          checked.map(({ video, verification }) => ({
            videoId: video.id,
            title: video.title,
            ...verification,
          })),
        );
      } else if (checked.length === 0) {
        printLine(io, 'No videos registered yet: nothing to verify.');
      } else {
        for (const { video, verification } of checked) {
          printLine(io, verificationLine(video, verification));
        }
      }
      const bad = checked.filter(({ verification }) => verification.status !== 'ok');
      if (bad.length > 0) {
        throw storageError(
          `${bad.length} of ${checked.length} video${checked.length === 1 ? '' : 's'} failed verification: ${bad
            .map(({ video, verification }) => `${video.id} ${verification.status}`)
            .join(', ')}`,
        );
      }
    });

  videos
    .command('allow-duplicates')
    .argument('<video>', 'video id, its first characters, or its file name')
    .option('--off', 'forbid posting the video to a platform it is already on (the default)')
    .description('allow (or with --off forbid) posting a video to the same platform again')
    .addHelpText(
      'after',
      `
Examples:
  $ vbuckets videos allow-duplicates 3f0c9a7e
  $ vbuckets videos allow-duplicates 3f0c9a7e --off`,
    )
    .action(async (reference: string, options: { off?: boolean }, command: Command) => {
      const settings = settingsOf(command, io);
      const allowed = options.off !== true;
      const video = await withVBuckets(settings, async (vbuckets) => {
        const found = await resolveVideo(vbuckets, settings.scope, reference);
        return unwrap(vbuckets.videos.setDuplicateAllowed(settings.scope, found.id, allowed));
      });
      if (settings.json) printJson(io, video);
      else {
        printLine(
          io,
          allowed
            ? `Video ${video.id} ("${video.title}") may now be posted again to a platform it is already on`
            : `Video ${video.id} ("${video.title}") is posted at most once per platform`,
        );
      }
    });
}

/** `--ttl`: whole seconds; core checks the range (VALIDATION outside 1..604800). */
function parseTtl(text: string): number {
  if (!/^\s*-?\d+\s*$/u.test(text)) {
    throw validationError(
      `--ttl must be a whole number of seconds (1..${MAX_ACCESS_TTL_SEC}), not "${text}"`,
      { path: 'ttl' },
    );
  }
  return Number.parseInt(text, 10);
}

/** `1 h`, `10 min`, `7 d`, `90 s`: the largest unit that divides the seconds. */
function formatTtl(seconds: number): string {
  const units: readonly [number, string][] = [
    [86_400, 'd'],
    [3_600, 'h'],
    [60, 'min'],
  ];
  for (const [size, name] of units) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size} ${name}`;
  }
  return `${seconds} s`;
}

/** Every video of the org with its per-platform status, newest first. */
export async function listAllVideos(vbuckets: VBuckets, scope: Scope): Promise<VideoWithUploads[]> {
  return allPages((page) => vbuckets.videos.list(scope, page));
}

/**
 * A video by its id, the first characters of its id, or its file name; VALIDATION when the
 * reference names several, NOT_FOUND when none.
 */
export async function resolveVideo(
  vbuckets: VBuckets,
  scope: Scope,
  reference: string,
): Promise<Video> {
  const direct = await vbuckets.videos.get(scope, reference);
  if (direct.isOk()) return direct.value;
  if (direct.error.code !== 'NOT_FOUND') throw direct.error;
  const all = await listAllVideos(vbuckets, scope);
  const byPrefix = all.filter((video) => video.id.startsWith(reference));
  const matches =
    byPrefix.length > 0 ? byPrefix : all.filter((video) => video.filename === reference);
  const [first, ...others] = matches;
  if (first === undefined) {
    throw notFoundError(`No video "${reference}" (see 'vbuckets videos list')`, {
      details: { reference },
    });
  }
  if (others.length > 0) {
    throw validationError(
      `"${reference}" names ${matches.length} videos (${matches
        .map((video) => video.id)
        .join(', ')}); give more of the id`,
      { path: 'video' },
    );
  }
  const { uploads: _uploads, ...video } = first;
  return video;
}
