import { randomUUID } from 'node:crypto';
import { type Creative, conflictError, type VBucketsError, validationError } from '@vbuckets/core';
import type { Command } from 'commander';
import { withVBuckets } from '../context';
import { unwrap } from '../errors';
import { findCreative } from '../find-creative';
import { CLI_COMMAND, type CliIo, printJson, printLine } from '../io';
import { type MarketAnalyzerSetup, marketAnalyzer } from '../market-analyzer';
import {
  addTagOptions,
  addUserOption,
  creativeVideoFile,
  marketActor,
  parseInteger,
  type TagOptions,
  tagsOf,
  withFlagTerms,
} from '../market-options';
import { countOf, creativeDetails, resultsText, summaryRows } from '../output/market-text';
import { settingsOf } from '../settings';
import { registerMarketIngestCommand } from './market-ingest';
import { registerMarketRankingCommands } from './market-ranking';

interface AddOptions extends TagOptions {
  name: string;
  category: string;
  platform?: string;
}

interface RecordOptions {
  clicks: number;
  conversions: number;
  impressions?: number;
  key?: string;
}

/** `vbuckets market …`: benchmarks, client creatives, results, Thompson ranking (seed 003). */
export function registerMarketCommands(program: Command, io: CliIo): void {
  const market = addUserOption(program.command('market'), io)
    .description(
      'market intelligence: benchmark winners, your creatives and their results, Thompson ranking',
    )
    .addHelpText(
      'after',
      `
A benchmark is a market winner found in an ad library: its CVR, how long it ran and its
daily clicks become a Beta prior (capped at 1,000 pseudo-clicks, counted 2× in rankings). A
client creative is your own, private to your org; 'record' adds its clicks and conversions.
'rank' and 'choose' weigh both with Thompson sampling, per creative or per tag value.

You are --user (env VBUCKETS_USER, default "local"): you own the creatives you add, and you
act as an admin of your org (--org), so 'analyze --force' is yours to run.

Vision analysis: with ANTHROPIC_API_KEY set (and ffmpeg installed), benchmarks are analysed
by Claude as they are ingested, and 'market analyze' runs a queued one; without it analyses
stay queued and every other command works offline.

Examples:
  $ vbuckets market ingest winner.mp4 --url "https://www.facebook.com/ads/library/?id=123" \\
      --name "Too busy to learn?" --category language_learning --cvr 0.05 --days 30 \\
      --daily-clicks 1000 --hook problem_agitation --emotion frustration
  $ vbuckets market add ours.mp4 --name "Our question hook" --category language_learning --hook question
  $ vbuckets market record latest --clicks 400 --conversions 6 --key 2026-03-01
  $ vbuckets market rank --category language_learning --by hook_type
  $ vbuckets market choose -n 3 --category language_learning`,
    );

  registerMarketIngestCommand(market, io);

  addTagOptions(market.command('add'))
    .argument('[video]', 'the video file of the creative (optional; stored private)')
    .requiredOption('--name <name>', 'a name for it')
    .requiredOption('--category <id>', 'the product category, e.g. language_learning')
    .option('--platform <name>', 'where it runs, e.g. meta')
    .description('add one of your own creatives: private to your org, owned by --user')
    .addHelpText(
      'after',
      `
Record its results with 'market record'; at 5 conversions its vision analysis is queued.

Examples:
  $ vbuckets market add ours.mp4 --name "Our question hook" --category language_learning --hook question
  $ vbuckets market add --name "Draft" --category language_learning --tag ugc --tag tutor --json`,
    )
    .action(async (videoArg: string | undefined, options: AddOptions, command: Command) => {
      const settings = settingsOf(command, io);
      const actor = marketActor(command, settings);
      const video = videoArg === undefined ? undefined : await creativeVideoFile(videoArg, io.cwd);
      const setup = await marketAnalyzer(io);
      const creative = await withVBuckets(
        settings,
        (vbuckets) =>
          withFlagTerms(() =>
            unwrap(
              vbuckets.market.addClientCreative(actor, {
                name: options.name,
                productCategory: options.category,
                ...(options.platform === undefined ? {} : { sourcePlatform: options.platform }),
                ...(video === undefined ? {} : { video }),
                ...tagsOf(options),
              }),
            ),
          ),
        setup.options,
      );
      if (settings.json) {
        printJson(io, creative);
        return;
      }
      printLine(io, `Added creative "${creative.name}"`);
      printLine(io, creativeDetails(creative));
      printLine(
        io,
        `Record its results with: ${CLI_COMMAND} market record ${creative.id} --clicks <n> --conversions <n>`,
      );
    });

  market
    .command('record')
    .argument('<creative>', "creative id, its first characters, or 'latest'")
    .requiredOption('--clicks <n>', 'clicks to add', parseInteger)
    .requiredOption('--conversions <n>', 'conversions to add (at most the clicks)', parseInteger)
    .option('--impressions <n>', 'impressions to add', parseInteger)
    .option('--key <key>', 'idempotency key: the same key adds once (default: a new random one)')
    .description('add results to a creative of your org (atomically, once per --key)')
    .addHelpText(
      'after',
      `
Without --key every run adds its numbers again (each gets a new random key, printed). Give
--key (the day, the report's id) to make a retry safe: repeating a --key adds nothing.
When a client creative's conversions reach 5, its vision analysis is queued, once.

Examples:
  $ vbuckets market record 3f0c9a7e --clicks 400 --conversions 6 --impressions 12000 --key 2026-03-01
  $ vbuckets market record latest --clicks 50 --conversions 1 --json`,
    )
    .action(async (reference: string, options: RecordOptions, command: Command) => {
      const settings = settingsOf(command, io);
      const key = options.key ?? randomUUID();
      const result = await withVBuckets(settings, async (vbuckets) => {
        const creative = await findCreative(vbuckets, settings, reference);
        return withFlagTerms(() =>
          unwrap(
            vbuckets.market.recordPerformance(
              settings.scope,
              creative.id,
              {
                clicks: options.clicks,
                conversions: options.conversions,
                ...(options.impressions === undefined ? {} : { impressions: options.impressions }),
              },
              { idempotencyKey: key },
            ),
          ),
        );
      });
      const { creative, applied, analysisQueued } = result;
      if (settings.json) {
        printJson(io, { key, applied, analysisQueued, creative });
        return;
      }
      printLine(
        io,
        applied
          ? `Recorded ${countOf(options.clicks, 'click')}, ${countOf(options.conversions, 'conversion')} for "${creative.name}" (key ${key})`
          : `Not applied: key ${key} was already recorded for "${creative.name}"; nothing added`,
      );
      printLine(io, `  now  ${resultsText(creative)}`);
      if (analysisQueued) {
        printLine(
          io,
          `Analysis queued: it reached 5 conversions. Run it with: ${CLI_COMMAND} market analyze ${creative.id}`,
        );
      }
    });

  market
    .command('analyze')
    .alias('analyse')
    .argument('<creative>', "creative id, its first characters, or 'latest'")
    .option('--force', 'analyse now whatever its status (admins only: the CLI user is one)')
    .description("run a creative's vision analysis (Claude; needs ANTHROPIC_API_KEY)")
    .addHelpText(
      'after',
      `
Runs a queued analysis (a benchmark's, or a client creative's after 5 conversions), or again
a failed one. --force analyses any creative of your org now, even one analysed before:
forcing is for admins, and the CLI user acts as an admin of the org.

Examples:
  $ ANTHROPIC_API_KEY=… vbuckets market analyze 3f0c9a7e
  $ ANTHROPIC_API_KEY=… vbuckets market analyze latest --force --json`,
    )
    .action(async (reference: string, options: { force?: boolean }, command: Command) => {
      const settings = settingsOf(command, io);
      const actor = marketActor(command, settings);
      const setup = await marketAnalyzer(io);
      const creative = await withVBuckets(
        settings,
        async (vbuckets) => {
          const found = await findCreative(vbuckets, settings, reference);
          // Only when core will run it: a refusal should not be preceded by "Analysing".
          if (
            setup.name !== undefined &&
            (options.force === true ||
              found.analysisStatus === 'queued' ||
              found.analysisStatus === 'failed')
          ) {
            io.stderr.write(`Analysing "${found.name}" with ${setup.name}…\n`);
          }
          const signal = io.signal;
          const callOptions = signal === undefined ? {} : { signal };
          const analysed =
            options.force === true
              ? await vbuckets.market.forceAnalyze(actor, found.id, callOptions)
              : await vbuckets.market.analyze(settings.scope, found.id, callOptions);
          if (analysed.isErr()) throw explainAnalysisError(analysed.error, setup, found);
          return analysed.value;
        },
        setup.options,
      );
      if (settings.json) {
        printJson(io, creative);
        return;
      }
      printLine(io, `Analysed "${creative.name}"`);
      printLine(io, creativeDetails(creative, summaryRows(creative)));
    });

  registerMarketRankingCommands(market, io);
}

/** The core error of `analyze`, with what to set or type to get past it. */
function explainAnalysisError(
  error: VBucketsError,
  setup: MarketAnalyzerSetup,
  creative: Creative,
): VBucketsError {
  if (error.code === 'VALIDATION' && error.path === 'analyzers.market') {
    return validationError(
      `${error.message}. This command has none: ${setup.missing ?? 'no analyzer is available'}`,
      { path: error.path, cause: error },
    );
  }
  if (error.code === 'CONFLICT') {
    return conflictError(
      `${error.message}; '${CLI_COMMAND} market analyze ${creative.id} --force' analyses it anyway`,
      { cause: error, ...(error.details === undefined ? {} : { details: error.details }) },
    );
  }
  return error;
}
