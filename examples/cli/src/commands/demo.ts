import type { Command } from 'commander';
import sampleBuckets from '../../samples/buckets.json';
import { parseBucketList } from '../bucket-file';
import { withVBuckets } from '../context';
import { unwrap } from '../errors';
import { importBuckets } from '../import-buckets';
import { type CliIo, printJson, printLine } from '../io';
import { bucketTable } from '../output/bucket-text';
import { settingsOf } from '../settings';
import { addProductOption } from './bucket-options';

/** `vbuckets demo`: fills the data dir with the sample supplement buckets and lists them. */
export function registerDemoCommand(program: Command, io: CliIo): void {
  addProductOption(program.command('demo'), io)
    .description('import the sample supplement buckets (safe to repeat) and list them')
    .addHelpText(
      'after',
      `
The samples are four buckets of a supplement product: Gut Health, Energy & Focus, Sleep,
Immunity (examples/cli/samples/buckets.json). Running demo again updates them in place.

Examples:
  $ vbuckets demo
  $ vbuckets demo --data-dir /tmp/vbuckets-demo --json`,
    )
    .action(async (_options: unknown, command: Command) => {
      const settings = settingsOf(command, io);
      const items = parseBucketList(sampleBuckets, 'samples/buckets.json');
      const { counts, buckets } = await withVBuckets(settings.dataDir, async (vbuckets) => {
        const counts = await importBuckets(vbuckets, settings.scope, settings.productId, items);
        const buckets = await unwrap(
          vbuckets.buckets.list(settings.scope, { productId: settings.productId }),
        );
        return { counts, buckets };
      });
      if (settings.json) {
        printJson(io, {
          dataDir: settings.dataDir,
          orgId: settings.scope.orgId,
          productId: settings.productId,
          import: counts,
          buckets,
        });
        return;
      }
      printLine(
        io,
        `Sample buckets imported into ${settings.dataDir} (org "${settings.scope.orgId}", product "${settings.productId}"): ` +
          `${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged`,
      );
      printLine(io);
      printLine(io, bucketTable(buckets));
      printLine(io);
      printLine(io, 'Next: vbuckets buckets show "gut health"   |   vbuckets buckets --help');
    });
}
