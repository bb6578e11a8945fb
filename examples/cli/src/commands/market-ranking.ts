import type { EvidenceSource, PatternDimension } from '@vbuckets/core';
import type { Command } from 'commander';
import { withVBuckets } from '../context';
import { unwrap } from '../errors';
import { CLI_COMMAND, type CliIo, printJson, printLine } from '../io';
import {
  dimensionFlag,
  parseDimension,
  parseInteger,
  parseSource,
  withFlagTerms,
} from '../market-options';
import { armsNoun, chosenText, creativesTable, rankingText } from '../output/market-text';
import { allPages } from '../paging';
import { settingsOf } from '../settings';

interface ArmOptions {
  category: string;
  by?: PatternDimension;
  source?: EvidenceSource;
  seed?: number;
}

/** `--category`, `--by`, `--source`, `--seed`: which arms `rank` and `choose` weigh. */
function addArmOptions(command: Command): Command {
  return command
    .requiredOption('--category <id>', 'the product category')
    .option(
      '--by <dimension>',
      'rank the values of a tag instead of creatives: hook_type, emotion, pacing, target_audience_pain or tag',
      parseDimension,
    )
    .option('--source <source>', 'only this evidence: benchmark or client', parseSource)
    .option('--seed <n>', 'make the draws reproducible (an integer)', parseInteger);
}

function armQuery(options: ArmOptions) {
  return {
    productCategory: options.category,
    ...(options.by === undefined ? {} : { dimension: options.by }),
    ...(options.source === undefined ? {} : { source: options.source }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  };
}

/** `market rank`, `choose`, `benchmarks` and `list`: reading the market. */
export function registerMarketRankingCommands(market: Command, io: CliIo): void {
  addArmOptions(market.command('rank'))
    .option(
      '--draws <n>',
      'Thompson draws behind P(best), 100..100000 (default 4000)',
      parseInteger,
    )
    .description('rank creatives (or tag values) by P(best): mean, 95% interval, evidence')
    .addHelpText(
      'after',
      `
Each arm's posterior weighs its benchmark prior (2×, capped at 1,000 pseudo-clicks) and your
recorded results (1×). P(BEST) is the share of draws in which the arm drew highest; the
shares add up to 100%. A creative without any evidence is Beta(1, 1): wide, so it gets tried.

Examples:
  $ vbuckets market rank --category language_learning
  $ vbuckets market rank --category language_learning --by hook_type --source client
  $ vbuckets market rank --category language_learning --seed 7 --json`,
    )
    .action(async (options: ArmOptions & { draws?: number }, command: Command) => {
      const settings = settingsOf(command, io);
      const ranking = await withVBuckets(settings, (vbuckets) =>
        withFlagTerms(() =>
          unwrap(
            vbuckets.market.rank(settings.scope, {
              ...armQuery(options),
              ...(options.draws === undefined ? {} : { draws: options.draws }),
            }),
          ),
        ),
      );
      if (settings.json) {
        printJson(io, ranking);
        return;
      }
      printLine(
        io,
        rankingText(ranking, {
          dimensionName: options.by === undefined ? '' : dimensionFlag(options.by),
          ...(options.seed === undefined ? {} : { seed: options.seed }),
        }),
      );
    });

  addArmOptions(market.command('choose'))
    .option('-n, --count <n>', 'how many to produce next, 1..100 (default 1)', parseInteger)
    .description('pick the next creatives (or tag values) to produce: one Thompson draw per arm')
    .addHelpText(
      'after',
      `
Each arm draws once from its posterior and the highest draws win: strong arms usually, an
uncertain one now and then, which is how it keeps learning. Run it again for another draw.

Examples:
  $ vbuckets market choose -n 3 --category language_learning
  $ vbuckets market choose -n 2 --category language_learning --by hook_type --seed 7 --json`,
    )
    .action(async (options: ArmOptions & { count?: number }, command: Command) => {
      const settings = settingsOf(command, io);
      const chosen = await withVBuckets(settings, (vbuckets) =>
        withFlagTerms(() =>
          unwrap(
            vbuckets.market.choose(settings.scope, {
              ...armQuery(options),
              ...(options.count === undefined ? {} : { n: options.count }),
            }),
          ),
        ),
      );
      if (settings.json) {
        printJson(io, chosen);
        return;
      }
      const noun = armsNoun(
        options.by ?? null,
        options.by === undefined ? '' : dimensionFlag(options.by),
      );
      printLine(io, chosenText(chosen, { productCategory: options.category, noun }));
    });

  market
    .command('benchmarks')
    .option('--category <id>', 'only this product category')
    .description('list the benchmarks: yours and every org’s public ones, newest first')
    .addHelpText(
      'after',
      `
Examples:
  $ vbuckets market benchmarks
  $ vbuckets market benchmarks --category language_learning --json`,
    )
    .action(async (options: { category?: string }, command: Command) => {
      const settings = settingsOf(command, io);
      const benchmarks = await withVBuckets(settings, (vbuckets) =>
        withFlagTerms(() =>
          allPages((page) =>
            vbuckets.market.list(
              settings.scope,
              {
                source: 'benchmark',
                includePublic: true,
                ...(options.category === undefined ? {} : { productCategory: options.category }),
              },
              page,
            ),
          ),
        ),
      );
      if (settings.json) printJson(io, benchmarks);
      else if (benchmarks.length === 0) {
        printLine(
          io,
          `No benchmarks${options.category === undefined ? '' : ` in ${options.category}`} yet. Add one with: ${CLI_COMMAND} market ingest [video] --url <url> --name <name> --category <id> --cvr <rate> --days <n> --daily-clicks <n>`,
        );
      } else printLine(io, creativesTable(benchmarks));
    });

  market
    .command('list')
    .alias('ls')
    .option('--category <id>', 'only this product category')
    .option('--source <source>', 'only benchmark or client creatives', parseSource)
    .description('list creatives newest first: your org’s and every org’s public benchmarks')
    .addHelpText(
      'after',
      `
Examples:
  $ vbuckets market list
  $ vbuckets market list --source client --category language_learning --json`,
    )
    .action(async (options: { category?: string; source?: EvidenceSource }, command: Command) => {
      const settings = settingsOf(command, io);
      const creatives = await withVBuckets(settings, (vbuckets) =>
        withFlagTerms(() =>
          allPages((page) =>
            vbuckets.market.list(
              settings.scope,
              {
                includePublic: true,
                ...(options.category === undefined ? {} : { productCategory: options.category }),
                ...(options.source === undefined ? {} : { source: options.source }),
              },
              page,
            ),
          ),
        ),
      );
      if (settings.json) printJson(io, creatives);
      else if (creatives.length === 0) {
        printLine(
          io,
          `No creatives yet. Add one with: ${CLI_COMMAND} market add [video] --name <name> --category <id>`,
        );
      } else printLine(io, creativesTable(creatives));
    });
}
