import { type Command, InvalidArgumentError } from 'commander';
import { withVBuckets } from '../context';
import { unwrap } from '../errors';
import { findSession } from '../find-session';
import { type CliIo, printJson, printLine, widthOf } from '../io';
import { resultsSummary, resultsTable, sessionsTable } from '../output/results-text';
import { settingsOf } from '../settings';
import { addProductOption } from './bucket-options';

/** `vbuckets sessions` and `vbuckets results`: what past batches did. */
export function registerSessionCommands(program: Command, io: CliIo): void {
  addProductOption(program.command('sessions'), io)
    .option('--limit <n>', 'how many sessions, newest first (1..100, default 10)', parseLimit)
    .description("list the product's recent categorization sessions with their counts")
    .addHelpText(
      'after',
      `
Columns: the session id, when it started (UTC), its videos by status (categorized,
uncategorized, failed, pending), how many are marked uploaded, and videos per bucket.

Examples:
  $ vbuckets sessions
  $ vbuckets sessions --limit 50 --product acme-greens --json`,
    )
    .action(async (options: { limit?: number }, command: Command) => {
      const settings = settingsOf(command, io);
      const summaries = await withVBuckets(settings, (vbuckets) =>
        unwrap(
          vbuckets.categorize.recentSessions(settings.scope, {
            productId: settings.productId,
            limit: options.limit ?? 10,
          }),
        ),
      );
      if (settings.json) printJson(io, summaries);
      else if (summaries.length === 0) {
        printLine(
          io,
          `No sessions in product "${settings.productId}" yet. Start one with: vbuckets categorize <files|dir>`,
        );
      } else printLine(io, sessionsTable(summaries, widthOf(io.stdout)));
    });

  addProductOption(program.command('results'), io)
    .argument('<session>', "session id, its first characters, or 'latest'")
    .option(
      '--csv',
      'print RFC 4180 CSV (filename, bucket, confidence, status, reasoning, summary, uploaded, error)',
    )
    .description('show the results of a session: bucket, confidence and reasoning per video')
    .addHelpText(
      'after',
      `
Examples:
  $ vbuckets results latest
  $ vbuckets results 3f0c9a7e --csv > results.csv
  $ vbuckets results 3f0c9a7e-5b1d-4c2a-9e8f-1a2b3c4d5e6f --json`,
    )
    .action(async (reference: string, options: { csv?: boolean }, command: Command) => {
      const settings = settingsOf(command, io);
      const { sessionId, rows, csv } = await withVBuckets(settings, async (vbuckets) => {
        const session = await findSession(vbuckets, settings, reference);
        const csv =
          options.csv === true
            ? await unwrap(vbuckets.categorize.exportCsv(settings.scope, session.id))
            : undefined;
        const rows = await unwrap(vbuckets.categorize.results(settings.scope, session.id));
        return { sessionId: session.id, rows, csv };
      });
      if (csv !== undefined) {
        io.stdout.write(csv);
        return;
      }
      if (settings.json) {
        printJson(io, { sessionId, rows });
        return;
      }
      printLine(io, resultsTable(rows, { width: widthOf(io.stdout), uploaded: true }));
      printLine(io);
      printLine(io, resultsSummary(rows));
      printLine(io, `Session: ${sessionId}`);
    });
}

function parseLimit(value: string): number {
  const number = Number(value.trim());
  if (!Number.isInteger(number) || number < 1 || number > 100) {
    throw new InvalidArgumentError('Expected an integer 1..100.');
  }
  return number;
}
