import { type Creative, type VBuckets, type VBucketsError, vbucketsError } from '@vbuckets/core';
import {
  computeMarketPrior,
  DEFAULT_EVIDENCE_WEIGHTS,
  DEFAULT_MAX_PRIOR_CLICKS,
} from '@vbuckets/core/domain';
import type { Command } from 'commander';
import { withVBuckets } from '../context';
import { unwrap } from '../errors';
import { CLI_COMMAND, type CliIo, printJson, printLine } from '../io';
import { type MarketAnalyzerSetup, marketAnalyzer } from '../market-analyzer';
import {
  addTagOptions,
  creativeVideoFile,
  marketUser,
  parseNumber,
  parseRate,
  type TagOptions,
  tagsOf,
  withFlagTerms,
} from '../market-options';
import { creativeDetails, priorText, summaryRows } from '../output/market-text';
import { type Settings, settingsOf } from '../settings';

interface IngestOptions extends TagOptions {
  url: string;
  name: string;
  category: string;
  cvr: number;
  days: number;
  dailyClicks: number;
  platform?: string;
}

/** What became of the analysis a command tried to run. */
interface AnalysisOutcome {
  ran: boolean;
  /** Why it did not run, or what to do next. */
  note?: string;
  /** How it failed, when it ran and failed. */
  error?: VBucketsError;
}

/** `vbuckets market ingest`: a market winner becomes a benchmark, analysed at once when it can be. */
export function registerMarketIngestCommand(market: Command, io: CliIo): void {
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
  $ vbuckets market ingest winner.mp4 --url "https://www.facebook.com/ads/library/?id=123" \\
      --name "Too busy to learn?" --category language_learning --cvr 5% --days 30 \\
      --daily-clicks 1000 --platform facebook_ad_library --hook problem_agitation --tag ugc
  $ vbuckets market ingest --url https://example.com/ad/9 --name "No video" \\
      --category language_learning --cvr 0.02 --days 14 --daily-clicks 300 --json`,
    )
    .action(async (videoArg: string | undefined, options: IngestOptions, command: Command) => {
      const settings = settingsOf(command, io);
      const user = marketUser(command);
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
        printLine(io, creativeDetails(creative, [...priorLine, ...summaryRows(creative)]));
        // A failure's note ends the error line instead.
        if (analysis.note !== undefined && created && analysis.error === undefined) {
          printLine(io, analysis.note);
        }
      }
      throwIfFailed(analysis, creative);
    });
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
