import type { InsightSuccess } from '@vbuckets/core';
import { type Command, InvalidArgumentError } from 'commander';
import { withVBuckets } from '../context';
import { unwrap } from '../errors';
import { type CliIo, printJson, printLine } from '../io';
import { parseInteger, parseNumber, withFlagTerms } from '../market-options';
import { insightRankingText, suggestionsText } from '../output/segment-text';
import { settingsOf } from '../settings';

const SUCCESSES = ['engagement', 'clicks', 'conversions'] as const;

function parseSuccess(value: string): InsightSuccess {
  const success = value.trim().toLowerCase();
  if (!(SUCCESSES as readonly string[]).includes(success)) {
    throw new InvalidArgumentError(`Expected one of ${SUCCESSES.join(', ')}.`);
  }
  return success as InsightSuccess;
}

function parseBy(value: string): 'bucket' | 'pattern' {
  const by = value.trim().toLowerCase().replace(/s$/u, '');
  if (by !== 'bucket' && by !== 'pattern') {
    throw new InvalidArgumentError('Expected bucket or pattern.');
  }
  return by;
}

const INSIGHT_FLAGS: Readonly<Record<string, string>> = {
  success: '--success',
  draws: '--draws',
  seed: '--seed',
  n: '-n',
  priorStrength: '--prior-strength',
  productId: '--product',
  productCategory: '--category',
};

interface DrawFlags {
  success?: InsightSuccess;
  seed?: number;
  draws?: number;
  priorStrength?: number;
}

function drawOptionsOf(options: DrawFlags) {
  return {
    ...(options.success === undefined ? {} : { success: options.success }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.draws === undefined ? {} : { draws: options.draws }),
    ...(options.priorStrength === undefined ? {} : { priorStrength: options.priorStrength }),
  };
}

function addDrawOptions(command: Command, withDraws = true): Command {
  command
    .option(
      '--success <what>',
      'engagement (likes + shares + comments per view, default), clicks or conversions',
      parseSuccess,
    )
    .option('--seed <n>', 'make the Thompson draws reproducible', parseInteger)
    .option(
      '--prior-strength <n>',
      'pseudo-trials of the pooled prior every arm starts from (default 50; 0: uniform)',
      parseNumber,
    );
  return withDraws
    ? command.option('--draws <n>', 'Thompson draws behind P(best) (default 4,000)', parseInteger)
    : command;
}

/** `vbuckets insights …`: what the synced metrics say to produce next (the closed loop). */
export function registerInsightsCommands(program: Command, io: CliIo): void {
  const insights = program
    .command('insights')
    .description(
      "rank buckets and market patterns by their posts' synced metrics; what to make next",
    )
    .addHelpText(
      'after',
      `
Each segment's synced metrics ('vbuckets segments sync') become evidence for the bucket its
video was categorized into (--product) and for the market patterns of the creative made from
it: successes are likes + shares + comments, trials are views. Rankings are Beta posteriors with
95% intervals and P(best); every arm starts at the pooled rate of all of them (worth
--prior-strength views), so a bucket without posts is not taken for a 50% rate. 'next' picks by
Thompson sampling.

Examples:
  $ vbuckets insights buckets
  $ vbuckets insights patterns --category language_learning
  $ vbuckets insights next -n 3`,
    );

  addDrawOptions(insights.command('buckets'))
    .description("the product's buckets ranked by their segments' engagement")
    .action(async (options: DrawFlags, command: Command) => {
      const settings = settingsOf(command, io);
      const ranking = await withFlagTerms(
        () =>
          withVBuckets(settings, (vbuckets) =>
            unwrap(
              vbuckets.insights.rankBuckets(settings.scope, {
                productId: settings.productId,
                ...drawOptionsOf(options),
              }),
            ),
          ),
        INSIGHT_FLAGS,
      );
      if (settings.json) printJson(io, ranking);
      else printLine(io, insightRankingText(ranking, options.seed));
    });

  addDrawOptions(insights.command('patterns'))
    .option('--category <name>', 'only creatives of this product category')
    .description('market patterns (hook, emotion, pacing, pain, tags) ranked by engagement')
    .action(async (options: DrawFlags & { category?: string }, command: Command) => {
      const settings = settingsOf(command, io);
      const ranking = await withFlagTerms(
        () =>
          withVBuckets(settings, (vbuckets) =>
            unwrap(
              vbuckets.insights.rankPatterns(settings.scope, {
                ...(options.category === undefined ? {} : { productCategory: options.category }),
                ...drawOptionsOf(options),
              }),
            ),
          ),
        INSIGHT_FLAGS,
      );
      if (settings.json) printJson(io, ranking);
      else printLine(io, insightRankingText(ranking, options.seed));
    });

  addDrawOptions(insights.command('next'), false)
    .option('-n <count>', 'how many to produce next (default 1)', parseInteger)
    .option('--by <what>', 'bucket (default) or pattern', parseBy)
    .option('--category <name>', 'with --by pattern: only creatives of this category')
    .description('what to produce next, by one Thompson draw per bucket (or pattern)')
    .action(
      async (
        options: DrawFlags & { n?: number; by?: 'bucket' | 'pattern'; category?: string },
        command: Command,
      ) => {
        const settings = settingsOf(command, io);
        const arms = await withFlagTerms(
          () =>
            withVBuckets(settings, (vbuckets) =>
              unwrap(
                vbuckets.insights.suggestNext(settings.scope, {
                  by: options.by ?? 'bucket',
                  productId: settings.productId,
                  ...(options.category === undefined ? {} : { productCategory: options.category }),
                  ...(options.n === undefined ? {} : { n: options.n }),
                  ...drawOptionsOf(options),
                }),
              ),
            ),
          INSIGHT_FLAGS,
        );
        if (settings.json) printJson(io, arms);
        else printLine(io, suggestionsText(arms));
      },
    );
}
