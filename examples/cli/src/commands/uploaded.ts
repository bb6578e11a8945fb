import {
  type Categorization,
  notFoundError,
  type Scope,
  type VBuckets,
  validationError,
} from '@vbuckets/core';
import type { Command } from 'commander';
import { withVBuckets } from '../context';
import { unwrap } from '../errors';
import { findSession } from '../find-session';
import { type CliIo, printJson, printLine } from '../io';
import { uploadedText } from '../output/results-text';
import { allUploadedGroups } from '../paging';
import { settingsOf } from '../settings';
import { addProductOption } from './bucket-options';

interface MarkOptions {
  all?: boolean;
}

/** `mark-uploaded`, `unmark-uploaded` and `uploaded`: what has gone to the ad account. */
export function registerUploadedCommands(program: Command, io: CliIo): void {
  for (const uploaded of [true, false]) {
    const name = uploaded ? 'mark-uploaded' : 'unmark-uploaded';
    addProductOption(program.command(name), io)
      .argument('<session>', "session id, its first characters, or 'latest'")
      .argument('[row-id|filename...]', 'the videos, by row id or file name')
      .option(
        '--all',
        uploaded
          ? 'every categorized video of the session not marked yet'
          : 'every video of the session marked as uploaded',
      )
      .description(
        uploaded
          ? 'mark videos of a session as uploaded (to your ad account or platform)'
          : 'take the uploaded mark off videos of a session',
      )
      .addHelpText(
        'after',
        `
Name the videos by file name (as in 'vbuckets results') or by row id (in 'results --json'
and 'vbuckets uploaded'), or give --all.

Examples:
  $ vbuckets ${name} latest bloated-after-lunch.mp4 3pm-crash-coffee.mov
  $ vbuckets ${name} 3f0c9a7e --all`,
      )
      .action(
        async (reference: string, references: string[], options: MarkOptions, command: Command) => {
          const settings = settingsOf(command, io);
          if (options.all === true && references.length > 0) {
            throw validationError('Give --all or the videos to mark, not both');
          }
          if (options.all !== true && references.length === 0) {
            throw validationError('Name the videos to mark (file name or row id), or give --all');
          }
          const { sessionId, rows, count } = await withVBuckets(settings, async (vbuckets) => {
            const session = await findSession(vbuckets, settings, reference);
            const all = await unwrap(vbuckets.categorize.results(settings.scope, session.id));
            const rows =
              options.all === true
                ? all.filter((row) =>
                    uploaded ? row.status === 'categorized' && !row.isUploaded : row.isUploaded,
                  )
                : pickRows(all, references, session.id);
            const count = await mark(vbuckets, settings.scope, rows, uploaded);
            return { sessionId: session.id, rows, count };
          });
          if (settings.json) {
            printJson(io, {
              sessionId,
              uploaded,
              count,
              rows: rows.map((row) => ({ id: row.id, filename: row.filename })),
            });
            return;
          }
          const verb = uploaded ? 'Marked' : 'Unmarked';
          if (count === 0) {
            printLine(io, `Nothing to ${uploaded ? 'mark' : 'unmark'} in session ${sessionId}`);
            return;
          }
          printLine(
            io,
            `${verb} ${count} video${count === 1 ? '' : 's'} as ${uploaded ? '' : 'not '}uploaded in session ${sessionId}: ${rows.map((row) => row.filename).join(', ')}`,
          );
        },
      );
  }

  addProductOption(program.command('uploaded'), io)
    .description("list the product's videos marked as uploaded, grouped by bucket")
    .addHelpText(
      'after',
      `
Examples:
  $ vbuckets uploaded
  $ vbuckets uploaded --product acme-greens --json`,
    )
    .action(async (_options: unknown, command: Command) => {
      const settings = settingsOf(command, io);
      const groups = await withVBuckets(settings, (vbuckets) =>
        allUploadedGroups((page) =>
          vbuckets.categorize.uploadedByBucket(settings.scope, {
            productId: settings.productId,
            ...page,
          }),
        ),
      );
      if (settings.json) {
        const total = groups.reduce((sum, group) => sum + group.rows.length, 0);
        printJson(io, { total, groups });
      } else printLine(io, uploadedText(groups));
    });
}

async function mark(
  vbuckets: VBuckets,
  scope: Scope,
  rows: readonly Categorization[],
  uploaded: boolean,
): Promise<number> {
  if (rows.length === 0) return 0;
  return unwrap(
    vbuckets.categorize.markUploaded(
      scope,
      rows.map((row) => row.id),
      uploaded,
    ),
  );
}

/** Each reference is a row id or a file name of the session; a name shared by rows is ambiguous. */
function pickRows(
  rows: readonly Categorization[],
  references: readonly string[],
  sessionId: string,
): Categorization[] {
  const picked = new Map<string, Categorization>();
  for (const reference of references) {
    const byId = rows.find((row) => row.id === reference);
    const matches = byId === undefined ? rows.filter((row) => row.filename === reference) : [byId];
    if (matches.length === 0) {
      throw notFoundError(`No video "${reference}" in session ${sessionId}`, {
        details: { reference, sessionId },
      });
    }
    if (matches.length > 1) {
      throw validationError(
        `"${reference}" names ${matches.length} videos of session ${sessionId}; give the row id (vbuckets results ${sessionId} --json)`,
        { path: 'rows' },
      );
    }
    for (const row of matches) picked.set(row.id, row);
  }
  return [...picked.values()];
}
