import { randomUUID } from 'node:crypto';
import {
  type Actor,
  type Creative,
  conflictError,
  type VBuckets,
  type VBucketsError,
  validationError,
  vbucketsError,
} from '@vbuckets/core';
import {
  computeMarketPrior,
  DEFAULT_EVIDENCE_WEIGHTS,
  DEFAULT_MAX_PRIOR_CLICKS,
} from '@vbuckets/core/domain';
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
  parseInteger,
  parseNumber,
  parseRate,
  type TagOptions,
  tagsOf,
  withFlagTerms,
} from '../market-options';
import {
  analysisSummary,
  countOf,
  creativeDetails,
  priorText,
  resultsText,
} from '../output/market-text';
import { type Settings, settingsOf } from '../settings';
import { registerMarketRankingCommands } from './market-ranking';

interface IngestOptions extends TagOptions {
  url: string;
  name: string;
  category: string;
  cvr: number;
  days: number;
  dailyClicks: number;
  platform?: string;
}

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

/** What became of the analysis a command tried to run. */
interface AnalysisOutcome {
  ran: boolean;
  /** Why it did not run, or what to do next. */
  note?: string;
  /** How it failed, when it ran and failed. */
  error?: VBucketsError;
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
  $ vbuckets market ingest winner.mp4 --url https://www.facebook.com/ads/library/?id=123 \\
      --name "Too busy to learn?" --category language_learning --cvr 0.05 --days 30 \\
      --daily-clicks 1000 --hook problem_agitation --emotion frustration
  $ vbuckets market add ours.mp4 --name "Our question hook" --category language_learning --hook question
  $ vbuckets market record latest --clicks 400 --conversions 6 --key 2026-03-01
  $ vbuckets market rank --category language_learning --by hook_type
  $ vbuckets market choose -n 3 --category language_learning`,
    );

  addTagOptions(market.command('ingest'))
    .argument('[video]', 'the video file of the ad (optional; stored public)')
    .requiredOption(
      '--url <url>',
      'where it was found (the ad library page): one benchmark per URL',
    )
    .requiredOption('--name <name>', 'a name for it')
    .requiredOption('--category <id>', 'the product category, e.g. language_learning')
    .requiredOption(
      '--cvr <rate>',
      'its conversion rate per click, 0..1 (0.05) or a percentage (5%)',
      parseRate,
    )
    .requiredOption('--days <n>', 'how many days it kept running (> 0)', parseNumber)
    .requiredOption('--daily-clicks <n>', 'estimated clicks a day while it ran (≥ 0)', parseNumber)
    .option('--platform <name>', 'where it ran, e.g. facebook_ad_library')
    .description('add a market winner as a benchmark: a public creative with a Bayesian prior')
    .addHelpText(
      'after',
      `
The prior: clicks = days × daily clicks, capped at 1,000; conversions = clicks × cvr;
Beta(conversions + 1, clicks − conversions + 1). Ingesting the same --url again returns the
first benchmark and changes nothing. With an analyzer (ANTHROPIC_API_KEY) and a video, the
vision analysis runs at once; otherwise it stays queued for 'market analyze'.

Examples:
  $ vbuckets market ingest winner.mp4 --url https://www.facebook.com/ads/library/?id=123 \\
      --name "Too busy to learn?" --category language_learning --cvr 5% --days 30 \\
      --daily-clicks 1000 --platform facebook_ad_library --hook problem_agitation --tag ugc
  $ vbuckets market ingest --url https://example.com/ad/9 --name "No video" \\
      --category language_learning --cvr 0.02 --days 14 --daily-clicks 300 --json`,
    )
    .action(async (videoArg: string | undefined, options: IngestOptions, command: Command) => {
      const settings = settingsOf(command, io);
      const user = userOf(command);
      const video = videoArg === undefined ? undefined : await creativeVideoFile(videoArg, io.cwd);
      const setup = await marketAnalyzer(io);
      const outcome = await withVBuckets(
        settings,
        async (vbuckets) => {
          const ingested = await withFlagTerms(() =>
            unwrap(
              vbuckets.market.ingestBenchmark(settings.scope, {
                name: options.name,
                productCategory: options.category,
                marketCvr: options.cvr,
                marketLongevityDays: options.days,
                avgDailyClicks: options.dailyClicks,
                sourceUrl: options.url,
                ownerId: user,
                ...(options.platform === undefined ? {} : { sourcePlatform: options.platform }),
                ...(video === undefined ? {} : { video }),
                ...tagsOf(options),
              }),
            ),
          );
          if (!ingested.created) {
            return { ...ingested, analysis: { ran: false, note: 'already ingested' } };
          }
          return {
            ...ingested,
            ...(await analyseNew(vbuckets, settings, ingested.creative, setup, io)),
          };
        },
        setup.options,
      );
      const { creative, created, analysis } = outcome;
      const prior = priorOf(creative);
      if (settings.json) {
        printJson(io, { created, creative, prior, analysis: analysisJson(analysis) });
      } else {
        printLine(
          io,
          created
            ? `Ingested benchmark "${creative.name}"`
            : `Already ingested: ${creative.sourceUrl ?? options.url} is benchmark "${creative.name}" (nothing changed)`,
        );
        const priorLine: Array<[string, string]> =
          prior === null ? [] : [['prior', priorText(prior, prior.weight)]];
        printLine(io, creativeDetails(creative, [...priorLine, ...summaryLine(creative)]));
        // A failure's note ends the error line instead.
        if (analysis.note !== undefined && created && analysis.error === undefined) {
          printLine(io, analysis.note);
        }
      }
      throwIfFailed(analysis, creative);
    });

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
      const actor = actorOf(command, settings);
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
      const actor = actorOf(command, settings);
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
      printLine(io, creativeDetails(creative, summaryLine(creative)));
    });

  registerMarketRankingCommands(market, io);
}

/** `--user` of the `market` command, however deep the subcommand. */
function userOf(command: Command): string {
  return command.optsWithGlobals<{ user: string }>().user;
}

/** The CLI's operator: `--user`, an admin of the org of `--org`. */
function actorOf(command: Command, settings: Settings): Actor {
  return { userId: userOf(command), orgId: settings.scope.orgId, roles: ['admin'] };
}

/** A new benchmark's analysis: run when an analyzer and a video are there, else why not. */
async function analyseNew(
  vbuckets: VBuckets,
  settings: Settings,
  creative: Creative,
  setup: MarketAnalyzerSetup,
  io: CliIo,
): Promise<{ creative: Creative; analysis: AnalysisOutcome }> {
  const later = `Run it later with: ${CLI_COMMAND} market analyze ${creative.id}`;
  if (setup.name === undefined) {
    return {
      creative,
      analysis: {
        ran: false,
        note: `Analysis queued, not run: ${setup.missing ?? 'no analyzer'}. ${later}`,
      },
    };
  }
  if (creative.videoId === null) {
    return {
      creative,
      analysis: {
        ran: false,
        note: 'Analysis queued, not run: no video was given, so there is nothing to analyse.',
      },
    };
  }
  io.stderr.write(`Analysing "${creative.name}" with ${setup.name}…\n`);
  const signal = io.signal;
  const analysed = await vbuckets.market.analyze(
    settings.scope,
    creative.id,
    signal === undefined ? {} : { signal },
  );
  if (analysed.isOk()) return { creative: analysed.value, analysis: { ran: true } };
  const after = await vbuckets.market.get(settings.scope, creative.id);
  return {
    creative: after.isOk() ? after.value : creative,
    analysis: {
      ran: true,
      note: `The benchmark is stored; retry the analysis with: ${CLI_COMMAND} market analyze ${creative.id}`,
      error: analysed.error,
    },
  };
}

function analysisJson(analysis: AnalysisOutcome) {
  return {
    ran: analysis.ran,
    ...(analysis.note === undefined ? {} : { note: analysis.note }),
    ...(analysis.error === undefined
      ? {}
      : { error: { code: analysis.error.code, message: analysis.error.message } }),
  };
}

/** After the output: a failed analysis makes the command fail, saying how to retry. */
function throwIfFailed(analysis: AnalysisOutcome, creative: Creative): void {
  const { error } = analysis;
  if (error === undefined) return;
  throw vbucketsError(
    error.code,
    `The analysis of "${creative.name}" failed: ${error.message}. ${analysis.note ?? ''}`.trim(),
    { cause: error, retryable: error.retryable },
  );
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

/** A benchmark's prior as the SDK computes it with its default cap and weight, or null. */
function priorOf(creative: Creative) {
  if (
    creative.marketCvr === null ||
    creative.marketLongevityDays === null ||
    creative.avgDailyClicks === null
  ) {
    return null;
  }
  const prior = computeMarketPrior(
    {
      marketCvr: creative.marketCvr,
      marketLongevityDays: creative.marketLongevityDays,
      avgDailyClicks: creative.avgDailyClicks,
    },
    { maxPriorClicks: DEFAULT_MAX_PRIOR_CLICKS },
  );
  return prior.isOk() ? { ...prior.value, weight: DEFAULT_EVIDENCE_WEIGHTS.benchmark } : null;
}

function summaryLine(creative: Creative): Array<[string, string]> {
  const summary = analysisSummary(creative);
  return summary === undefined ? [] : [['summary', summary]];
}
