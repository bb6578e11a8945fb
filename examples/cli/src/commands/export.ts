import { resolve } from 'node:path';
import type { Command } from 'commander';
import { withVBuckets } from '../context';
import { defaultExportDir, exportSessionZips, zipJson, zipsTable } from '../export-zips';
import { findSession } from '../find-session';
import { type CliIo, printJson, printLine } from '../io';
import { settingsOf } from '../settings';
import { addProductOption } from './bucket-options';

/** `vbuckets export`: one ZIP per bucket of a session's categorized videos. */
export function registerExportCommand(program: Command, io: CliIo): void {
  addProductOption(program.command('export'), io)
    .argument('<session>', "session id, its first characters, or 'latest'")
    .option('--bucket <id|name>', 'only this bucket')
    .option(
      '--out <dir>',
      'folder for the ZIPs, created if missing (default <data dir>/exports/<session>)',
    )
    .description("write a ZIP per bucket of the session's categorized videos, ready to upload")
    .addHelpText(
      'after',
      `
Each ZIP is named after its bucket (Gut Health.zip) and holds the videos filed into it, byte
for byte, under their original names (made safe and unique). A ZIP of the same name in the
folder is replaced. Uncategorized and failed videos are not exported.

Examples:
  $ vbuckets export latest --out ./zips
  $ vbuckets export 3f0c9a7e --bucket "gut health" --out ./zips
  $ vbuckets export latest --json`,
    )
    .action(
      async (reference: string, options: { bucket?: string; out?: string }, command: Command) => {
        const settings = settingsOf(command, io);
        const { sessionId, outDir, report } = await withVBuckets(
          settings,
          async (vbuckets, { blobs }) => {
            const session = await findSession(vbuckets, settings, reference);
            const outDir =
              options.out === undefined
                ? defaultExportDir(settings.dataDir, session.id)
                : resolve(io.cwd, options.out);
            const report = await exportSessionZips(vbuckets, blobs, settings.scope, {
              session,
              outDir,
              bucket: options.bucket,
              signal: io.signal,
            });
            return { sessionId: session.id, outDir, report };
          },
        );
        if (settings.json) {
          printJson(io, { sessionId, outDir, zips: report.zips.map(zipJson) });
          return;
        }
        if (report.zips.length === 0) {
          printLine(
            io,
            report.emptyBucket === undefined
              ? `Nothing to export: session ${sessionId} has no categorized videos`
              : `Nothing to export: no video of session ${sessionId} was filed into "${report.emptyBucket}"`,
          );
          return;
        }
        printLine(io, zipsTable(report.zips));
        printLine(io);
        const count = report.zips.length;
        printLine(io, `Wrote ${count} ZIP${count === 1 ? '' : 's'} to ${outDir}`);
      },
    );
}
