import {
  type CategorizeProgressListener,
  type CategorizeRunResult,
  cancelledError,
  isVBucketsError,
  type VBuckets,
} from '@vbuckets/core';
import type { MediaProbe } from '@vbuckets/core/adapter-kit';
import type { Command } from 'commander';
import { type CliHost, type ExtraOptions, withVBuckets } from './context';
import { CLI_COMMAND, type CliIo, printJson, printLine, widthOf } from './io';
import { availableMediaProbe, probeOncePerPath } from './media-probe';
import { createProgressDisplay } from './output/progress';
import { resultsSummary, resultsTable } from './output/results-text';
import type { ChosenProvider, ProviderOptions } from './providers';
import type { Settings } from './settings';
import { cliWorkerName, isCliWorkerGone } from './worker-liveness';

/** The flags every batch command (`categorize`, `resume`, `retry`) takes besides its own. */
export interface BatchOptions extends ProviderOptions {
  concurrency?: number;
  quiet?: boolean;
}

/** Most files one `categorize` takes (core's ceiling for a batch). */
export const MAX_FILES_PER_SESSION = 1000;

/** What a batch command does once the SDK is open and the provider registered. */
export type BatchWork = (
  vbuckets: VBuckets,
  provider: ChosenProvider,
  hooks: CliHost & {
    signal: AbortSignal | undefined;
    /** The probe the SDK checks files with, when ffprobe runs here: read tags through it, and intake reuses the run. */
    mediaProbe: MediaProbe | undefined;
    /** Call before the batch starts, with the rows that are already finished, to start the display. */
    progress: (
      describe: (total: number) => string,
      alreadyFinished?: number,
    ) => CategorizeProgressListener;
  },
) => Promise<CategorizeRunResult>;

/**
 * Runs a batch with the provider chosen (`chooseProvider`) from the flags and environment, progress on stderr,
 * and Ctrl-C turned into a clean stop that says how to resume. Resolves to the batch's result.
 */
export async function runBatchCommand(
  io: CliIo,
  command: Command,
  settings: Settings,
  options: BatchOptions & { chosen: ChosenProvider },
  work: BatchWork,
): Promise<CategorizeRunResult> {
  const provider = options.chosen;
  const quiet = options.quiet === true;
  if (!quiet) io.stderr.write(`${provider.notice}\n`);
  const available = await availableMediaProbe(io.env);
  const mediaProbe = available === undefined ? undefined : probeOncePerPath(available);
  const extra: ExtraOptions = {
    ...(mediaProbe === undefined ? {} : { mediaProbe }),
    providers: { [provider.name]: provider.provider },
    categorize: {
      maxBatchSize: MAX_FILES_PER_SESSION,
      workerName: cliWorkerName(),
      isWorkerGone: isCliWorkerGone,
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    },
  };
  const signal = io.signal;
  let display: ReturnType<typeof createProgressDisplay> | undefined;
  try {
    return await withVBuckets(
      settings,
      (vbuckets, { blobs }) =>
        work(vbuckets, provider, {
          blobs,
          signal,
          mediaProbe,
          progress: (describe, alreadyFinished) => {
            display = createProgressDisplay(io.stderr, {
              quiet,
              describe,
              ...(alreadyFinished === undefined ? {} : { alreadyFinished }),
            });
            return display.onProgress;
          },
        }),
      extra,
    );
  } catch (error) {
    display?.finish();
    const sessionId =
      isVBucketsError(error) && typeof error.details?.sessionId === 'string'
        ? error.details.sessionId
        : display?.sessionId;
    if (isVBucketsError(error) && error.code === 'CANCELLED' && sessionId !== undefined) {
      const unfinished = error.details?.unfinished;
      const count =
        typeof unfinished === 'number'
          ? `${unfinished} video${unfinished === 1 ? '' : 's'} unfinished`
          : 'some videos unfinished';
      throw cancelledError(
        `Interrupted with ${count} in session ${sessionId}; finish them with: ${resumeCommand(command, sessionId)}`,
        { cause: error, details: { sessionId } },
      );
    }
    throw error;
  } finally {
    display?.finish();
  }
}

/** `vbuckets resume <id>` with the global flags the user gave, so the line can be pasted back. */
export function resumeCommand(command: Command, sessionId: string): string {
  const parts = [CLI_COMMAND];
  const options = command.optsWithGlobals<Record<string, string | undefined>>();
  const fromCommandLine = (key: string) => command.getOptionValueSourceWithGlobals(key) === 'cli';
  if (fromCommandLine('dataDir') && options.dataDir !== undefined) {
    parts.push('--data-dir', shellQuote(options.dataDir));
  }
  // Never echo the database URL: it may carry a password.
  if (fromCommandLine('databaseUrl')) parts.push('--database-url …');
  if (fromCommandLine('databaseSchema') && options.databaseSchema !== undefined) {
    parts.push('--database-schema', shellQuote(options.databaseSchema));
  }
  if (fromCommandLine('org') && options.org !== undefined) {
    parts.push('--org', shellQuote(options.org));
  }
  parts.push('resume', sessionId);
  return parts.join(' ');
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/u.test(value) ? value : `'${value.replace(/'/gu, `'\\''`)}'`;
}

/** The table, the summary line and the session id (or `{ sessionId, rows }` with --json). */
export function printBatchResult(
  io: CliIo,
  settings: Pick<Settings, 'json'>,
  result: CategorizeRunResult,
): void {
  const sessionId = result.session.id;
  if (settings.json) {
    printJson(io, { sessionId, rows: result.rows });
    return;
  }
  printLine(io, resultsTable(result.rows, { width: widthOf(io.stdout) }));
  printLine(io);
  printLine(io, resultsSummary(result.rows));
  printLine(io, `Session: ${sessionId}`);
  const pending = result.rows.some((row) => row.status === 'pending');
  const failed = result.rows.some((row) => row.status === 'error');
  const next = [
    ...(pending ? [`${CLI_COMMAND} resume ${sessionId}`] : []),
    ...(failed ? [`${CLI_COMMAND} retry ${sessionId}`] : []),
    `${CLI_COMMAND} export ${sessionId} --out ./zips`,
    `${CLI_COMMAND} results ${sessionId} --csv > results.csv`,
  ];
  printLine(io, `Next: ${next.join('   ·   ')}`);
}
