import { join, resolve } from 'node:path';
import {
  type SegmentCreateInput,
  type SegmentListQuery,
  type SegmentUpdateInput,
  type SocialPlatform,
  type SocialUsageInput,
  validationError,
} from '@vbuckets/core';
import { createTempLocalFiles, videoFile } from '@vbuckets/core/node';
import { type Command, InvalidArgumentError } from 'commander';
import { BLOBS_DIR, withVBuckets } from '../context';
import { unwrap } from '../errors';
import { CLI_COMMAND, type CliIo, printJson, printLine } from '../io';
import {
  addUserOption,
  collect,
  marketActor,
  parseInteger,
  parseNumber,
  withFlagTerms,
} from '../market-options';
import { availableMediaProbe } from '../media-probe';
import {
  segmentAnalyticsText,
  segmentDetails,
  segmentsTable,
  syncText,
  usageTotalsText,
} from '../output/segment-text';
import { settingsOf } from '../settings';
import { configuredMetricsSources, metricsUnconfigured } from '../uploaders';
import { resolveVideo } from './videos';

const TYPES = ['processed', 'original', 'thumbnail', 'audio'] as const;
const PLATFORMS = ['youtube', 'tiktok', 'instagram', 'facebook', 'twitter', 'meta'] as const;
const SORTS = ['createdAt', 'durationSec', 'views', 'engagement'] as const;
const GROUPS = ['platform', 'tag', 'bucket', 'video'] as const;

/** The flag that sets each field of the segments service's input. */
const SEGMENT_FLAGS: Readonly<Record<string, string>> = {
  id: '--id',
  durationSec: '--duration',
  segmentType: '--type',
  segmentNumber: '--number',
  ownerId: '--owner',
  title: '--title',
  description: '--description',
  tags: '--tag',
  contentType: '--content-type',
  segmentSeconds: '--every',
  cutPointsSec: '--at',
  minDurationSec: '--min-duration',
  maxDurationSec: '--max-duration',
  platform: '--platform',
  platforms: '--platform',
  segmentIds: '--segment',
  syncedBefore: '--synced-before',
  usage: '--platform',
  limit: '--limit',
  after: '--after',
  productId: '--product',
};

function oneOf<T extends string>(values: readonly T[]): (value: string) => T {
  return (value) => {
    const found = values.find((each) => each.toLowerCase() === value.trim().toLowerCase());
    if (found === undefined)
      throw new InvalidArgumentError(`Expected one of ${values.join(', ')}.`);
    return found;
  };
}

/** `--at 2,4.5,9`: cut times in seconds. */
function parseTimes(value: string): number[] {
  const times = value.split(',').map((each) => Number(each.trim()));
  if (times.length === 0 || times.some((each) => !Number.isFinite(each))) {
    throw new InvalidArgumentError('Expected seconds separated by commas, e.g. 2,4.5,9.');
  }
  return times;
}

interface SegmentFieldOptions {
  type?: (typeof TYPES)[number];
  number?: number;
  title?: string;
  description?: string;
  tag?: string[];
}

function addSegmentFieldOptions(command: Command): Command {
  return command
    .option('--type <type>', `segment type (${TYPES.join(', ')})`, oneOf(TYPES))
    .option('--number <n>', "its place among the video's segments of its type", parseInteger)
    .option('--title <text>', 'title')
    .option('--description <text>', 'description')
    .option('--tag <tag>', 'a tag (repeat for more; on update, replaces the list)', collect);
}

function segmentFieldsOf(options: SegmentFieldOptions): SegmentUpdateInput {
  return {
    ...(options.type === undefined ? {} : { segmentType: options.type }),
    ...(options.number === undefined ? {} : { segmentNumber: options.number }),
    ...(options.title === undefined ? {} : { title: options.title }),
    ...(options.description === undefined ? {} : { description: options.description }),
    ...(options.tag === undefined ? {} : { tags: options.tag }),
  };
}

interface UsageOptions {
  platform?: SocialPlatform;
  postId?: string;
  postUrl?: string;
  postedAt?: string;
  views?: number;
  likes?: number;
  shares?: number;
  comments?: number;
}

/** The usage flags of `segments update`, as one usage entry (or none without `--platform`). */
function usageOf(options: UsageOptions): SocialUsageInput[] {
  const { platform, ...fields } = options;
  const given = Object.entries({
    postId: fields.postId,
    postUrl: fields.postUrl,
    postedAt: fields.postedAt,
    views: fields.views,
    likes: fields.likes,
    shares: fields.shares,
    comments: fields.comments,
  }).filter(([, value]) => value !== undefined);
  if (platform === undefined) {
    if (given.length > 0) {
      throw validationError('Name the platform of these numbers with --platform', {
        path: 'platform',
      });
    }
    return [];
  }
  return [{ platform, ...Object.fromEntries(given) }];
}

interface ListOptions {
  video?: string;
  owner?: string;
  type?: (typeof TYPES)[number];
  minDuration?: number;
  maxDuration?: number;
  tag?: string[];
  social?: boolean;
  platform?: SocialPlatform;
  sort?: (typeof SORTS)[number];
  order?: 'asc' | 'desc';
  limit?: number;
  after?: string;
}

function listQueryOf(options: ListOptions): SegmentListQuery {
  return {
    ...(options.video === undefined ? {} : { videoId: options.video }),
    ...(options.owner === undefined ? {} : { ownerId: options.owner }),
    ...(options.type === undefined ? {} : { segmentType: options.type }),
    ...(options.minDuration === undefined ? {} : { minDurationSec: options.minDuration }),
    ...(options.maxDuration === undefined ? {} : { maxDurationSec: options.maxDuration }),
    ...(options.tag === undefined ? {} : { tags: options.tag }),
    ...(options.social === undefined ? {} : { hasSocialMedia: options.social }),
    ...(options.platform === undefined ? {} : { platform: options.platform }),
    ...(options.sort === undefined ? {} : { sortBy: options.sort }),
    ...(options.order === undefined ? {} : { sortOrder: options.order }),
    ...(options.limit === undefined ? {} : { limit: options.limit }),
    ...(options.after === undefined ? {} : { after: options.after }),
  };
}

/** The filter flags of `segments list` and `segments analytics --by`. */
function addFilterOptions(command: Command): Command {
  return command
    .option('--video <id>', "only this video's segments")
    .option('--owner <id>', "only this owner's segments")
    .option('--type <type>', `only this type (${TYPES.join(', ')})`, oneOf(TYPES))
    .option('--min-duration <seconds>', 'at least this long (inclusive)', parseNumber)
    .option('--max-duration <seconds>', 'at most this long (inclusive)', parseNumber)
    .option('--tag <tag>', 'having this tag (repeat: every tag required)', collect)
    .option('--social', 'only segments posted somewhere')
    .option('--no-social', 'only segments not posted anywhere')
    .option(
      '--platform <name>',
      `only segments posted on (${PLATFORMS.join(', ')})`,
      oneOf(PLATFORMS),
    );
}

/** `vbuckets segments …`: pieces of registered videos and their social usage (seed 004). */
export function registerSegmentsCommands(program: Command, io: CliIo): void {
  const segments = addUserOption(program.command('segments'), io)
    .description('segments of registered videos, their posts and metrics, analytics, downloads')
    .addHelpText(
      'after',
      `
A segment is a piece of a registered video with its own stored bytes: cut with 'split'
(ffmpeg stream copy: each cut lands on the first keyframe at or after the time asked), or
added from a file. Uploading a video to youtube, tiktok, instagram or meta records the post on
the video's 'original' segment; 'sync' reads each post's views, likes, shares and comments from
the platform's API (same tokens as 'upload': YOUTUBE_ACCESS_TOKEN, TIKTOK_ACCESS_TOKEN,
INSTAGRAM_ACCESS_TOKEN, META_ACCESS_TOKEN), and 'vbuckets insights' ranks buckets by them.

Examples:
  $ vbuckets segments split <video> --every 15
  $ vbuckets segments list --min-duration 5 --tag hook --sort engagement
  $ vbuckets segments update <segment> --platform tiktok --post-id 7300000000000000001
  $ vbuckets segments sync
  $ vbuckets segments analytics --by platform`,
    );

  addSegmentFieldOptions(segments.command('add'))
    .argument('<video>', 'the parent video: id, its first characters, or its file name')
    .argument('<file>', "the segment's bytes")
    .option('--id <id>', 'a segment id of your choice (unique in the org)')
    .option('--duration <seconds>', 'its length (probed with ffprobe when not given)', parseNumber)
    .option('--owner <id>', "who may download it (default the video's owner)")
    .option('--content-type <type>', "its media type (default the video's)")
    .description('store a file as a segment of a registered video')
    .action(
      async (
        videoId: string,
        path: string,
        options: SegmentFieldOptions & {
          id?: string;
          duration?: number;
          owner?: string;
          contentType?: string;
        },
        command: Command,
      ) => {
        const settings = settingsOf(command, io);
        const file = resolve(io.cwd, path);
        const durationSec = options.duration ?? (await probedDuration(io, file));
        const fields = segmentFieldsOf(options);
        const input: Omit<SegmentCreateInput, 'videoId'> = {
          body: videoFile(file).body,
          durationSec,
          ...(fields as Omit<SegmentCreateInput, 'videoId' | 'body' | 'durationSec'>),
          ...(options.id === undefined ? {} : { id: options.id }),
          ...(options.owner === undefined ? {} : { ownerId: options.owner }),
          ...(options.contentType === undefined ? {} : { contentType: options.contentType }),
        };
        const segment = await withFlagTerms(
          () =>
            withVBuckets(settings, async (vbuckets) => {
              const video = await resolveVideo(vbuckets, settings.scope, videoId);
              return unwrap(
                vbuckets.segments.create(settings.scope, { ...input, videoId: video.id }),
              );
            }),
          SEGMENT_FLAGS,
        );
        if (settings.json) printJson(io, segment);
        else
          printLine(
            io,
            `Added segment ${segment.id} (${segment.segmentType} #${segment.segmentNumber})`,
          );
      },
    );

  addFilterOptions(segments.command('list'))
    .alias('ls')
    .option('--sort <field>', `order by (${SORTS.join(', ')}; default createdAt)`, oneOf(SORTS))
    .option('--order <order>', 'asc or desc (default desc)', oneOf(['asc', 'desc'] as const))
    .option('--limit <n>', 'at most this many (default 100)', parseInteger)
    .option('--after <segment>', 'the page after this segment id')
    .description('list segments with seed 004 filters, sorted in the database')
    .action(async (options: ListOptions, command: Command) => {
      const settings = settingsOf(command, io);
      const list = await withFlagTerms(
        () =>
          withVBuckets(settings, (vbuckets) =>
            unwrap(vbuckets.segments.list(settings.scope, listQueryOf(options))),
          ),
        SEGMENT_FLAGS,
      );
      if (settings.json) printJson(io, list);
      else if (list.length === 0) {
        printLine(
          io,
          `No segments match. Cut a video with: ${CLI_COMMAND} segments split <video> --every 15`,
        );
      } else printLine(io, segmentsTable(list));
    });

  segments
    .command('show')
    .argument('<segment>', 'segment id')
    .description('show every field of a segment and its usage per platform')
    .action(async (segmentId: string, _options: unknown, command: Command) => {
      const settings = settingsOf(command, io);
      const segment = await withVBuckets(settings, (vbuckets) =>
        unwrap(vbuckets.segments.get(settings.scope, segmentId)),
      );
      if (settings.json) printJson(io, segment);
      else printLine(io, segmentDetails(segment));
    });

  addSegmentFieldOptions(segments.command('update'))
    .argument('<segment>', 'segment id')
    .option(
      '--platform <name>',
      `the platform of the usage flags (${PLATFORMS.join(', ')})`,
      oneOf(PLATFORMS),
    )
    .option('--post-id <id>', "the post's id on the platform")
    .option('--post-url <url>', "the post's URL")
    .option('--posted-at <iso>', 'when it was posted')
    .option('--views <n>', 'views', parseInteger)
    .option('--likes <n>', 'likes', parseInteger)
    .option('--shares <n>', 'shares', parseInteger)
    .option('--comments <n>', 'comments', parseInteger)
    .description("change a segment's fields and one platform's usage (only those given)")
    .action(
      async (segmentId: string, options: SegmentFieldOptions & UsageOptions, command: Command) => {
        const settings = settingsOf(command, io);
        const usage = usageOf(options);
        const patch: SegmentUpdateInput = {
          ...segmentFieldsOf(options),
          ...(usage.length === 0 ? {} : { usage }),
        };
        if (Object.keys(patch).length === 0) {
          throw validationError('Nothing to update: give at least one field flag (see --help)');
        }
        const segment = await withFlagTerms(
          () =>
            withVBuckets(settings, (vbuckets) =>
              unwrap(vbuckets.segments.update(settings.scope, segmentId, patch)),
            ),
          SEGMENT_FLAGS,
        );
        if (settings.json) printJson(io, segment);
        else printLine(io, `Updated segment ${segment.id}`);
      },
    );

  segments
    .command('rm')
    .alias('delete')
    .argument('<segment>', 'segment id')
    .description("delete a segment, its usage and its bytes (an 'original' keeps the video's)")
    .action(async (segmentId: string, _options: unknown, command: Command) => {
      const settings = settingsOf(command, io);
      const deleted = await withVBuckets(settings, (vbuckets) =>
        unwrap(vbuckets.segments.delete(settings.scope, segmentId)),
      );
      if (settings.json) printJson(io, deleted);
      else {
        printLine(io, `Deleted segment ${deleted.segment.id}`);
        if (deleted.blobLeft !== null) printLine(io, `  bytes left to sweep: ${deleted.blobLeft}`);
      }
    });

  segments
    .command('split')
    .argument('<video>', 'the video: id, its first characters, or its file name')
    .option('--every <seconds>', 'cut every this many seconds', parseNumber)
    .option('--at <seconds,...>', 'cut at these times, e.g. 2,4.5,9', parseTimes)
    .option('--type <type>', `the pieces' type (default processed)`, oneOf(TYPES))
    .description('cut a registered video into segments (ffmpeg stream copy, keyframe-aligned)')
    .action(
      async (
        videoId: string,
        options: { every?: number; at?: number[]; type?: (typeof TYPES)[number] },
        command: Command,
      ) => {
        const settings = settingsOf(command, io);
        if ((options.every === undefined) === (options.at === undefined)) {
          throw validationError('Say where to cut: give exactly one of --every and --at', {
            path: 'segmentSeconds',
          });
        }
        const mediaProbe = await availableMediaProbe(io.env);
        if (mediaProbe === undefined) {
          throw validationError(
            'Splitting needs ffmpeg and ffprobe: install them (or set FFMPEG_PATH and FFPROBE_PATH)',
            { path: 'mediaProbe' },
          );
        }
        if (!settings.json) io.stderr.write(`Cutting ${videoId}…\n`);
        const pieces = await withFlagTerms(
          () =>
            withVBuckets(
              settings,
              async (vbuckets) =>
                unwrap(
                  vbuckets.segments.split(
                    settings.scope,
                    (await resolveVideo(vbuckets, settings.scope, videoId)).id,
                    {
                      ...(options.every === undefined ? {} : { segmentSeconds: options.every }),
                      ...(options.at === undefined ? {} : { cutPointsSec: options.at }),
                      ...(options.type === undefined ? {} : { segmentType: options.type }),
                      ...(io.signal === undefined ? {} : { signal: io.signal }),
                    },
                  ),
                ),
              { mediaProbe, localFiles: createTempLocalFiles() },
            ),
          SEGMENT_FLAGS,
        );
        if (settings.json) printJson(io, pieces);
        else printLine(io, segmentsTable(pieces));
      },
    );

  segments
    .command('url')
    .argument('<segment>', 'segment id')
    .option('--ttl <seconds>', 'how long the URL works', parseInteger)
    .description(
      'a presigned download URL (for the owner, or an admin of the org: --user); on local storage, the file',
    )
    .action(async (segmentId: string, options: { ttl?: number }, command: Command) => {
      const settings = settingsOf(command, io);
      if (settings.storage.kind === 'local') {
        // The local blob store has no URLs: the bytes are a file in the data dir.
        const segment = await withVBuckets(settings, (vbuckets) =>
          unwrap(vbuckets.segments.get(settings.scope, segmentId)),
        );
        const path = join(settings.dataDir, BLOBS_DIR, ...segment.blobKey.split('/'));
        if (settings.json) printJson(io, { segmentId, path });
        else printLine(io, path);
        return;
      }
      const download = await withVBuckets(settings, (vbuckets) =>
        unwrap(
          vbuckets.segments.downloadUrl(
            marketActor(command, settings),
            segmentId,
            options.ttl === undefined ? {} : { ttlSec: options.ttl },
          ),
        ),
      );
      if (settings.json) printJson(io, download);
      else printLine(io, download.url);
    });

  addFilterOptions(segments.command('analytics'))
    .argument('[segment]', 'one segment (otherwise sums over the filtered segments)')
    .option('--by <group>', `sum per ${GROUPS.join(', ')} (default platform)`, oneOf(GROUPS))
    .description("a segment's metrics per platform, or sums per platform, tag, bucket or video")
    .action(
      async (
        segmentId: string | undefined,
        options: ListOptions & { by?: (typeof GROUPS)[number] },
        command: Command,
      ) => {
        const settings = settingsOf(command, io);
        if (segmentId !== undefined) {
          const analytics = await withVBuckets(settings, (vbuckets) =>
            unwrap(vbuckets.segments.analytics(settings.scope, segmentId)),
          );
          if (settings.json) printJson(io, analytics);
          else printLine(io, segmentAnalyticsText(segmentId, analytics));
          return;
        }
        const groupBy = options.by ?? 'platform';
        const { sort: _sort, order: _order, limit: _limit, after: _after, ...filters } = options;
        const groups = await withFlagTerms(
          () =>
            withVBuckets(settings, (vbuckets) =>
              unwrap(
                vbuckets.segments.analyticsBy(settings.scope, groupBy, {
                  ...listQueryOf(filters),
                  ...(groupBy === 'bucket' ? { productId: settings.productId } : {}),
                }),
              ),
            ),
          SEGMENT_FLAGS,
        );
        if (settings.json) printJson(io, groups);
        else printLine(io, usageTotalsText(groupBy, groups));
      },
    );

  segments
    .command('sync')
    .option('--segment <id>', 'only this segment (repeatable)', collect)
    .option(
      '--platform <name>',
      'only this platform (repeatable)',
      (value, previous: SocialPlatform[] | undefined) => [
        ...(previous ?? []),
        oneOf(PLATFORMS)(value),
      ],
    )
    .option(
      '--synced-before <iso>',
      'only posts not synced since (resume an earlier run with its start)',
    )
    .description("read posts' views, likes, shares and comments from the platforms' APIs")
    .action(
      async (
        options: { segment?: string[]; platform?: SocialPlatform[]; syncedBefore?: string },
        command: Command,
      ) => {
        const settings = settingsOf(command, io);
        const metricsSources = configuredMetricsSources(io.env);
        const summary = await withFlagTerms(
          () =>
            withVBuckets(
              settings,
              (vbuckets) =>
                unwrap(
                  vbuckets.segments.syncMetrics(settings.scope, {
                    ...(options.segment === undefined ? {} : { segmentIds: options.segment }),
                    ...(options.platform === undefined ? {} : { platforms: options.platform }),
                    ...(options.syncedBefore === undefined
                      ? {}
                      : { syncedBefore: options.syncedBefore }),
                    ...(io.signal === undefined ? {} : { signal: io.signal }),
                  }),
                ),
              { metricsSources },
            ),
          SEGMENT_FLAGS,
        );
        if (settings.json) printJson(io, summary);
        else {
          printLine(io, syncText(summary, metricsUnconfigured));
          if (summary.failed > 0) {
            printLine(
              io,
              `Retry the failed ones later with: ${CLI_COMMAND} segments sync --synced-before ${summary.startedAt}`,
            );
          }
        }
      },
    );
}

/** The file's duration by ffprobe; VALIDATION asking for --duration when ffprobe is missing. */
async function probedDuration(io: CliIo, path: string): Promise<number> {
  const probe = await availableMediaProbe(io.env);
  if (probe === undefined) {
    throw validationError("Give the segment's length with --duration (ffprobe is not installed)", {
      path: 'durationSec',
    });
  }
  return (await unwrap(probe.probe(path))).durationSec;
}
