import type { Categorization } from '@vbuckets/core';
import { type Command, InvalidArgumentError } from 'commander';
import {
  type BatchOptions,
  MAX_FILES_PER_SESSION,
  printBatchResult,
  runBatchCommand,
} from '../batch';
import { withVBuckets } from '../context';
import { unwrap } from '../errors';
import { findSession } from '../find-session';
import { CLI_COMMAND, type CliIo, printJson, printLine } from '../io';
import { availableMediaProbe, probeOncePerPath } from '../media-probe';
import {
  type ChosenProvider,
  chooseProvider,
  parseProviderName,
  parseRequestsPerMinute,
} from '../providers';
import { type Settings, settingsOf } from '../settings';
import { checkFileCount, collectVideoPaths, readingProgress, videoInputs } from '../video-inputs';
import { addProductOption } from './bucket-options';

const PROVIDER_HELP = `
Provider: --provider gemini|claude|keyword. Without it, Gemini runs when GEMINI_API_KEY is set
and the offline keyword categorizer otherwise (stderr says which). Claude runs when asked for
(ANTHROPIC_API_KEY; VBUCKETS_CLAUDE_MODEL picks the model): it sends stills at 0, 3 and 10 s
taken with ffmpeg, with the sidecar transcript as context. The keyword categorizer reads
each video's sidecar transcript (clip.srt, clip.vtt, clip.txt, clip.en.vtt beside clip.mp4),
its container's title, description, synopsis, comment and keywords tags (through ffprobe,
when it is installed: FFPROBE_PATH, else the PATH) and its file name, never the pixels.
--rpm caps requests per minute (Gemini and Claude default 9).

Progress goes to stderr: one live line on a terminal, one line per step otherwise (nothing
with --quiet). Ctrl-C stops the batch cleanly (exit 130) and prints the resume command.`;

/** `--provider`, `--rpm`, `--concurrency`, `--quiet`. */
function addBatchOptions(command: Command): Command {
  return command
    .option(
      '--provider <name>',
      'gemini, claude or keyword (default: gemini when GEMINI_API_KEY is set, else keyword)',
      parseProviderName,
    )
    .option(
      '--rpm <n>',
      'requests per minute to the provider (Gemini and Claude default 9)',
      parseRequestsPerMinute,
    )
    .option('--concurrency <n>', 'videos analysed at once (default 4)', parseConcurrency)
    .option('-q, --quiet', 'no progress on stderr');
}

/** `vbuckets categorize`, `resume` and `retry`: the batch pipeline with progress and a results table. */
export function registerCategorizeCommands(program: Command, io: CliIo): void {
  addBatchOptions(addProductOption(program.command('categorize'), io))
    .argument('<files|dir...>', 'video files and/or folders of videos (mp4, mov, avi, webm)')
    .option(
      '--queue',
      "store the videos and queue the session for 'vbuckets worker' instead of analysing them here",
    )
    .description("file videos into the product's buckets: store, analyse, categorize, report")
    .addHelpText(
      'after',
      `
A folder gives its video files (not its subfolders), sorted by name; other files in it are
ignored. A file named on purpose is always taken: one that is not a video becomes an error
row and the batch goes on. Up to 1000 files per session; identical videos are stored once.
${PROVIDER_HELP}

Examples:
  $ vbuckets categorize ./clips --product acme-greens
  $ vbuckets categorize a.mp4 b.mov --provider keyword
  $ GEMINI_API_KEY=… vbuckets categorize ./clips --rpm 30
  $ vbuckets categorize ./clips --json --quiet > results.json
  $ vbuckets categorize ./clips --queue && vbuckets worker`,
    )
    .action(
      async (args: string[], options: BatchOptions & { queue?: boolean }, command: Command) => {
        const settings = settingsOf(command, io);
        // Checked before the data dir is opened: a missing key or path fails at once.
        const chosen = await chooseProvider(options, io);
        const paths = await collectVideoPaths(args, io.cwd);
        checkFileCount(paths, MAX_FILES_PER_SESSION);
        if (options.queue === true) {
          await queueBatch(io, settings, options, chosen, paths);
          return;
        }
        const result = await runBatchCommand(
          io,
          command,
          settings,
          { ...options, chosen },
          async (vbuckets, provider, { signal, mediaProbe, progress }) => {
            const onRead = readingProgress(
              io.stderr,
              paths.length,
              options.quiet === true || settings.json,
            );
            const inputs = await videoInputs(paths, {
              ...(mediaProbe === undefined ? {} : { mediaProbe }),
              ...(signal === undefined ? {} : { signal }),
              ...(onRead === undefined ? {} : { onRead }),
            });
            return unwrap(
              vbuckets.categorize.run(settings.scope, {
                productId: settings.productId,
                files: inputs.map((input) => input.file),
                provider: provider.name,
                ...(signal === undefined ? {} : { signal }),
                onProgress: progress(
                  (total) => `categorizing ${plural(total, 'video')} with ${provider.name}`,
                ),
              }),
            );
          },
        );
        printBatchResult(io, settings, result);
      },
    );

  addBatchOptions(addProductOption(program.command('resume'), io))
    .argument('<session>', "session id, its first characters, or 'latest'")
    .description('finish the unfinished videos of an interrupted or crashed session')
    .addHelpText(
      'after',
      `
Videos already finished are not analysed again; those still pending are. A video whose bytes
were not stored before the batch stopped becomes an error row: categorize it again.
${PROVIDER_HELP}

Examples:
  $ vbuckets resume 3f0c9a7e-5b1d-4c2a-9e8f-1a2b3c4d5e6f
  $ vbuckets resume latest --provider keyword`,
    )
    .action(async (reference: string, options: BatchOptions, command: Command) => {
      const settings = settingsOf(command, io);
      const result = await runBatchCommand(
        io,
        command,
        settings,
        { ...options, chosen: await chooseProvider(options, io) },
        async (vbuckets, provider, { signal, progress }) => {
          const session = await findSession(vbuckets, settings, reference);
          const rows = await unwrap(vbuckets.categorize.results(settings.scope, session.id));
          const pending = rows.filter((row) => row.status === 'pending').length;
          if (pending === 0 && !settings.json && options.quiet !== true) {
            io.stderr.write(
              `Nothing to resume: every video of session ${session.id} has finished\n`,
            );
          }
          return unwrap(
            vbuckets.categorize.resume(settings.scope, session.id, {
              provider: provider.name,
              ...(signal === undefined ? {} : { signal }),
              onProgress: progress(
                (total) => `resuming ${pending} of ${plural(total, 'video')} with ${provider.name}`,
                rows.length - pending,
              ),
            }),
          );
        },
      );
      printBatchResult(io, settings, result);
    });

  addBatchOptions(addProductOption(program.command('retry'), io))
    .argument('<session>', "session id, its first characters, or 'latest'")
    .option(
      '--file <name>',
      'only this file (repeatable); an uncategorized one is categorized again too',
      collect,
    )
    .description('run the failed videos of a session again')
    .addHelpText(
      'after',
      `
Without --file, every failed video whose bytes were stored runs again. Naming a file also
re-runs it when it ended uncategorized (after adding a bucket, say). Rows keep their place.
${PROVIDER_HELP}

Examples:
  $ vbuckets retry latest
  $ vbuckets retry 3f0c9a7e --file bloated-after-lunch.mp4 --file 3pm-crash-coffee.mov`,
    )
    .action(
      async (reference: string, options: BatchOptions & { file?: string[] }, command: Command) => {
        const settings = settingsOf(command, io);
        const result = await runBatchCommand(
          io,
          command,
          settings,
          { ...options, chosen: await chooseProvider(options, io) },
          async (vbuckets, provider, { signal, progress }) => {
            const session = await findSession(vbuckets, settings, reference);
            const rows = await unwrap(vbuckets.categorize.results(settings.scope, session.id));
            const again = rows.filter((row) => willRetry(row, options.file)).length;
            return unwrap(
              vbuckets.categorize.retry(settings.scope, session.id, {
                provider: provider.name,
                ...(options.file === undefined ? {} : { filenames: options.file }),
                ...(signal === undefined ? {} : { signal }),
                onProgress: progress(
                  (total) => `retrying ${again} of ${plural(total, 'video')} with ${provider.name}`,
                  rows.length - again,
                ),
              }),
            );
          },
        );
        printBatchResult(io, settings, result);
      },
    );
}

/**
 * `categorize --queue`: stores the files and queues the session; a worker analyses them.
 * Prints the session and its job (JSON: `{ sessionId, job, rows }`).
 */
async function queueBatch(
  io: CliIo,
  settings: Settings,
  options: BatchOptions,
  chosen: ChosenProvider,
  paths: readonly string[],
): Promise<void> {
  const quiet = options.quiet === true || settings.json;
  const available = await availableMediaProbe(io.env);
  const mediaProbe = available === undefined ? undefined : probeOncePerPath(available);
  const started = await withVBuckets(
    settings,
    async (vbuckets) => {
      const onRead = readingProgress(io.stderr, paths.length, quiet);
      const inputs = await videoInputs(paths, {
        ...(mediaProbe === undefined ? {} : { mediaProbe }),
        ...(io.signal === undefined ? {} : { signal: io.signal }),
        ...(onRead === undefined ? {} : { onRead }),
      });
      return unwrap(
        vbuckets.categorize.start(settings.scope, {
          productId: settings.productId,
          files: inputs.map((input) => input.file),
          provider: chosen.name,
        }),
      );
    },
    {
      ...(mediaProbe === undefined ? {} : { mediaProbe }),
      providers: { [chosen.name]: chosen.provider },
      categorize: { maxBatchSize: MAX_FILES_PER_SESSION },
    },
  );
  if (settings.json) {
    printJson(io, { sessionId: started.session.id, job: started.job, rows: started.rows });
    return;
  }
  const { counts } = started.session;
  printLine(
    io,
    `Queued session ${started.session.id}: ${plural(counts.pending, 'video')} for ${chosen.name}${counts.error > 0 ? `, ${counts.error} refused` : ''} (job ${started.job.id}${started.job.created ? '' : ', already queued'})`,
  );
  printLine(
    io,
    `A worker finishes it: ${CLI_COMMAND} worker; then ${CLI_COMMAND} results ${started.session.id}`,
  );
}

/** The rows core's retry takes (for the progress bar's starting point only). */
function willRetry(row: Categorization, files: readonly string[] | undefined): boolean {
  if (files !== undefined && !files.includes(row.filename)) return false;
  if (row.status === 'pending') return true;
  if (row.videoId === null) return false;
  return row.status === 'error' || (files !== undefined && row.status === 'analyzed');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function parseConcurrency(value: string): number {
  if (!/^\d+$/u.test(value.trim())) throw new InvalidArgumentError('Expected an integer 1..64.');
  const number = Number.parseInt(value, 10);
  if (number < 1 || number > 64) throw new InvalidArgumentError('Expected an integer 1..64.');
  return number;
}
