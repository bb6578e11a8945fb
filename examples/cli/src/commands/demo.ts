import type { Bucket, VBuckets } from '@vbuckets/core';
import type { WrittenBucketZip } from '@vbuckets/core/node';
import type { Command } from 'commander';
import sampleBuckets from '../../samples/buckets.json';
import { runBatchCommand } from '../batch';
import { parseBucketList } from '../bucket-file';
import { unwrap } from '../errors';
import { defaultExportDir, exportSessionZips, zipJson, zipsTable } from '../export-zips';
import { type ImportCounts, importBuckets } from '../import-buckets';
import { CLI_COMMAND, type CliIo, printJson, printLine, widthOf } from '../io';
import { bucketTable } from '../output/bucket-text';
import { resultsSummary, resultsTable } from '../output/results-text';
import { chooseProvider } from '../providers';
import { sampleVideosDir } from '../samples';
import { type Settings, settingsOf } from '../settings';
import { collectVideoPaths, videoInputs } from '../video-inputs';
import { addProductOption } from './bucket-options';

/**
 * `vbuckets demo`, the main job end to end on a fresh machine: the sample buckets, the sample
 * videos categorized offline, the results table, and a ZIP per bucket.
 */
export function registerDemoCommand(program: Command, io: CliIo): void {
  addProductOption(program.command('demo'), io)
    .option('-q, --quiet', 'no progress on stderr')
    .description(
      'the main job on sample data: import sample buckets, categorize sample videos offline, write a ZIP per bucket',
    )
    .addHelpText(
      'after',
      `
The samples are four buckets of a supplement product (Gut Health, Energy & Focus, Sleep,
Immunity: examples/cli/samples/buckets.json) and six short clips with sidecar transcripts
and title/comment tags (examples/cli/samples/videos; the tags are read with ffprobe when it
is installed). The clips are categorized with the offline keyword categorizer (no API key
needed), the results table is printed, and the ZIPs are written to
<data dir>/exports/<session>/. Running demo again imports nothing new and starts a new
session; identical videos are stored once.

Examples:
  $ vbuckets demo
  $ vbuckets demo --data-dir /tmp/vbuckets-demo --json`,
    )
    .action(async (options: { quiet?: boolean }, command: Command) => {
      const settings = settingsOf(command, io);
      const items = parseBucketList(sampleBuckets, 'samples/buckets.json');
      const videosDir = sampleVideosDir();
      const paths = await collectVideoPaths([videosDir], io.cwd);
      let counts: ImportCounts | undefined;
      let buckets: Bucket[] = [];
      let zips: WrittenBucketZip[] = [];
      let exportDir = '';
      const result = await runBatchCommand(
        io,
        command,
        settings,
        {
          quiet: options.quiet === true,
          chosen: await chooseProvider({ provider: 'keyword' }, io),
        },
        async (vbuckets, provider, { blobs, signal, mediaProbe, progress }) => {
          counts = await importBuckets(vbuckets, settings.scope, settings.productId, items);
          buckets = await listBuckets(vbuckets, settings);
          const inputs = await videoInputs(paths, {
            ...(mediaProbe === undefined ? {} : { mediaProbe }),
            ...(signal === undefined ? {} : { signal }),
          });
          const run = await unwrap(
            vbuckets.categorize.run(settings.scope, {
              productId: settings.productId,
              files: inputs.map((input) => input.file),
              provider: provider.name,
              ...(signal === undefined ? {} : { signal }),
              onProgress: progress(
                (total) => `categorizing ${total} sample videos with ${provider.name}`,
              ),
            }),
          );
          const { session } = run;
          exportDir = defaultExportDir(settings.dataDir, session.id);
          ({ zips } = await exportSessionZips(vbuckets, blobs, settings.scope, {
            session,
            outDir: exportDir,
            signal,
          }));
          return run;
        },
      );
      const imported = counts ?? { created: 0, updated: 0, unchanged: 0 };
      if (settings.json) {
        printJson(io, {
          dataDir: settings.dataDir,
          database: settings.databaseUrl === undefined ? 'sqlite' : 'postgres',
          orgId: settings.scope.orgId,
          productId: settings.productId,
          import: imported,
          buckets,
          videosDir,
          sessionId: result.session.id,
          rows: result.rows,
          exportDir,
          zips: zips.map(zipJson),
        });
        return;
      }
      printLine(
        io,
        // Never echo the database URL: it may carry a password.
        `Sample buckets imported into ${settings.databaseUrl === undefined ? settings.dataDir : `PostgreSQL (schema "${settings.databaseSchema}")`} (org "${settings.scope.orgId}", product "${settings.productId}"): ` +
          `${imported.created} created, ${imported.updated} updated, ${imported.unchanged} unchanged`,
      );
      printLine(io);
      printLine(io, bucketTable(buckets));
      printLine(io);
      printLine(
        io,
        `Categorized the ${result.rows.length} sample videos in ${videosDir} with the offline keyword categorizer:`,
      );
      printLine(io);
      printLine(io, resultsTable(result.rows, { width: widthOf(io.stdout) }));
      printLine(io);
      printLine(io, resultsSummary(result.rows));
      printLine(io, `Session: ${result.session.id}`);
      printLine(io);
      printLine(io, `ZIPs, one per bucket, in ${exportDir}:`);
      printLine(io, zipsTable(zips));
      printLine(io);
      printLine(
        io,
        `Next: ${CLI_COMMAND} results ${result.session.id} --csv   ·   ${CLI_COMMAND} categorize <your videos>   ·   ${CLI_COMMAND} --help`,
      );
    });
}

function listBuckets(vbuckets: VBuckets, settings: Settings): Promise<Bucket[]> {
  return unwrap(vbuckets.buckets.list(settings.scope, { productId: settings.productId }));
}
