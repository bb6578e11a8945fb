import { Command } from 'commander';
import packageJson from '../package.json';
import { registerBucketsCommands } from './commands/buckets';
import { registerCategorizeCommands } from './commands/categorize';
import { registerDemoCommand } from './commands/demo';
import { registerExportCommand } from './commands/export';
import { registerInsightsCommands } from './commands/insights';
import { registerJobsCommands } from './commands/jobs';
import { registerMarketCommands } from './commands/market';
import { registerSegmentsCommands } from './commands/segments';
import { registerSessionCommands } from './commands/sessions';
import { registerTasksCommands } from './commands/tasks';
import { registerThumbnailsCommands } from './commands/thumbnails';
import { registerUploadCommands } from './commands/upload';
import { registerUploadedCommands } from './commands/uploaded';
import { registerUploadsCommands } from './commands/uploads';
import { registerVideosCommands } from './commands/videos';
import { usageLine } from './errors';
import type { CliIo } from './io';
import { defaultsFrom } from './settings';

/** A fresh command tree per run: commander keeps parsed state on its commands. */
export function createProgram(io: CliIo): Command {
  const defaults = defaultsFrom(io.env);
  const program = new Command('vbuckets')
    .description(
      'File short-form videos into the content buckets of your products: categorize, review, export a ZIP per bucket.',
    )
    .version(packageJson.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .option(
      '--data-dir <dir>',
      'where vbuckets.db and blobs/ live, created on first use (env VBUCKETS_DATA_DIR)',
      defaults.dataDir,
    )
    .option(
      '--database-url <url>',
      'use PostgreSQL (postgres://…) instead of the SQLite file in the data dir (env VBUCKETS_DATABASE_URL)',
      defaults.databaseUrl,
    )
    .option(
      '--database-schema <name>',
      'PostgreSQL schema to keep the tables in (env VBUCKETS_DATABASE_SCHEMA)',
      defaults.databaseSchema,
    )
    .option(
      '--storage <url>',
      'where video bytes live: file: (<data-dir>/blobs, the default) or s3://<bucket>[/<prefix>] (S3, R2, MinIO) (env VBUCKETS_STORAGE)',
      defaults.storage,
    )
    .option('--org <id>', 'organisation (tenant) to work in (env VBUCKETS_ORG)', defaults.org)
    .option(
      '--redis-url <url>',
      "queue jobs in Redis (BullMQ) for 'vbuckets worker' processes on any machine, instead of in the database (env VBUCKETS_REDIS_URL)",
      defaults.redisUrl,
    )
    .option('--json', 'print machine-readable JSON instead of text')
    .addHelpText(
      'after',
      `
Environment:
  VBUCKETS_DATA_DIR   default for --data-dir (otherwise ./.vbuckets)
  VBUCKETS_DATABASE_URL     PostgreSQL URL; when set, records live there, videos stay in the data dir
  VBUCKETS_DATABASE_SCHEMA  PostgreSQL schema (otherwise "public")
  VBUCKETS_STORAGE    default for --storage: file: (otherwise) or s3://<bucket>[/<prefix>]
  VBUCKETS_ORG        default for --org (otherwise "local")
  VBUCKETS_PRODUCT    default for --product (otherwise "default")
  VBUCKETS_REDIS_URL  default for --redis-url (otherwise jobs are kept in the database)
  VBUCKETS_REDIS_PREFIX     key prefix of the job queues in Redis (otherwise "vbuckets")
  Tuning (milliseconds; how soon a dead worker's work is taken over, at the cost of more renewals):
  VBUCKETS_JOB_LEASE_MS     a running job's lease, 100..3600000 (otherwise 30000); with --redis-url
                            BullMQ's lock, and its stalled-job check every half lease
  VBUCKETS_JOB_POLL_MS      how often an idle worker looks for due jobs in the database, 10..3600000 (otherwise 500)
  VBUCKETS_UPLOAD_LEASE_MS  an upload's claim, 100..86400000 (otherwise 600000): a killed upload resumes once it ends
  GEMINI_API_KEY      when set, categorize/resume/retry use Gemini (otherwise the offline keyword categorizer)
  VBUCKETS_GEMINI_MODEL     Gemini model (otherwise gemini-2.5-flash)
  VBUCKETS_GEMINI_BASE_URL  Gemini API root, e.g. a proxy (otherwise Google's)
  ANTHROPIC_API_KEY   when set, 'market' analyses creatives with Claude (needs ffmpeg); categorize --provider claude;
                      'thumbnails generate' scores candidates with Claude (otherwise an image-quality heuristic)
  VBUCKETS_CLAUDE_MODEL     Claude model (otherwise the adapter's default)
  ANTHROPIC_BASE_URL  Anthropic API root, e.g. a proxy (otherwise Anthropic's)
  VBUCKETS_USER       default for 'market --user' and 'tasks add --user': who you are (otherwise "local")
  FFPROBE_PATH        ffprobe binary for video durations (otherwise ffprobe on the PATH)
  VBUCKETS_DEBUG=1    errors get a second line with their code, adapter and operation

S3 storage (--storage s3://<bucket>[/<prefix>]: AWS S3, Cloudflare R2, MinIO; the bucket must exist):
  AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL or R2_ENDPOINT_URL   the S3 API (omit for AWS S3)
  AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY, or R2_ACCESS_KEY_ID + R2_SECRET_ACCESS_KEY
                      the keys (required with an endpoint; AWS S3 otherwise uses the SDK's profiles and roles)
  AWS_REGION or AWS_DEFAULT_REGION   the region (otherwise "auto" for R2, "us-east-1" elsewhere)
  VBUCKETS_S3_FORCE_PATH_STYLE=1     path-style URLs, for MinIO and emulators
  VBUCKETS_S3_PUBLIC_BASE_URL        where the bucket is served publicly: public videos get permanent URLs
  'vbuckets videos url <video>' prints a presigned (or public) URL that plays a video.

Upload platforms ('vbuckets upload --platform <name>'), each on when its variables are set:
  local     always; copies into VBUCKETS_PUBLISH_DIR (otherwise <data-dir>/published)
  webhook   VBUCKETS_WEBHOOK_URL + VBUCKETS_WEBHOOK_SECRET (HMAC key, 16+ characters)
  youtube   YOUTUBE_ACCESS_TOKEN (OAuth token with youtube.upload); VBUCKETS_YOUTUBE_BASE_URL overrides the API root
  meta      META_ACCESS_TOKEN + META_AD_ACCOUNT_ID (act_<digits>); VBUCKETS_META_BASE_URL overrides the Graph API root
  tiktok    TIKTOK_ACCESS_TOKEN; VBUCKETS_TIKTOK_BASE_URL overrides the API root,
            VBUCKETS_TIKTOK_POST_MODE=direct posts at once (default inbox: the user posts
            it from the TikTok app, and its metrics come only once posted)
  instagram INSTAGRAM_ACCESS_TOKEN + INSTAGRAM_USER_ID, with --storage s3://… only (Instagram fetches the video
            from a presigned URL); VBUCKETS_INSTAGRAM_BASE_URL overrides the Graph API root,
            VBUCKETS_INSTAGRAM_POLL_INTERVAL_MS the wait between status checks (otherwise 10000)
  Every upload transition is appended to <data-dir>/upload-audit.jsonl.

Exit codes: 0 success, 1 failure, 2 bad input (usage, validation, name conflict), 130 interrupted.

Examples:
  $ vbuckets demo
  $ vbuckets categorize ./clips --product acme-greens
  $ vbuckets results latest --csv > results.csv
  $ vbuckets export latest --out ./zips
  $ vbuckets buckets list --json
  $ vbuckets videos add ./clips
  $ vbuckets --storage s3://my-videos videos add clip.mp4 --public --category language_learning
  $ vbuckets --storage s3://my-videos videos url 3f0c9a7e --ttl 600
  $ vbuckets upload 3f0c9a7e --platform local
  $ vbuckets uploads --status SUCCESS
  $ vbuckets market rank --category language_learning --by hook_type
  $ vbuckets tasks attach task_abc123 electric-dreams.mp4
  $ vbuckets thumbnails generate task_abc123 -n 6`,
    );
  registerDemoCommand(program, io);
  registerCategorizeCommands(program, io);
  registerSessionCommands(program, io);
  registerExportCommand(program, io);
  registerUploadedCommands(program, io);
  registerBucketsCommands(program, io);
  registerVideosCommands(program, io);
  registerUploadCommands(program, io);
  registerUploadsCommands(program, io);
  registerMarketCommands(program, io);
  registerTasksCommands(program, io);
  registerThumbnailsCommands(program, io);
  registerSegmentsCommands(program, io);
  registerInsightsCommands(program, io);
  registerJobsCommands(program, io);
  for (const command of walk(program)) configureCommand(command, io);
  return program;
}

/** Global options in every help page, and usage errors as one line pointing at the right help. */
function configureCommand(command: Command, io: CliIo): void {
  const path = commandPath(command);
  command.configureOutput({
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => io.stderr.write(text),
    outputError: (text, write) => write(usageLine(text, `${path} --help`)),
  });
  checkRequiredOptionsAfterUnknownOnes(command);
}

/**
 * Commander reports a missing required option before an unknown one, so `buckets add --nme x`
 * said "--name not specified" instead of "unknown option '--nme' (Did you mean --name?)".
 * Required options are checked in a preAction hook instead, which runs after the unknown ones.
 */
function checkRequiredOptionsAfterUnknownOnes(command: Command): void {
  const required = command.options.filter((option) => option.mandatory);
  if (required.length === 0) return;
  for (const option of required) option.makeOptionMandatory(false);
  command.hook('preAction', (thisCommand) => {
    for (const option of required) {
      if (thisCommand.getOptionValue(option.attributeName()) !== undefined) continue;
      thisCommand.error(`error: required option '${option.flags}' not specified`, {
        code: 'commander.missingMandatoryOptionValue',
      });
    }
  });
}

function* walk(command: Command): Generator<Command> {
  yield command;
  for (const child of command.commands) yield* walk(child);
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current !== null; current = current.parent) {
    names.unshift(current.name());
  }
  return names.join(' ');
}
