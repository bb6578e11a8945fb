import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { notFoundError, storageError, validationError } from '@vbuckets/core';
import type { Command } from 'commander';
import { parseBucketFile, toBucketFileEntry } from '../bucket-file';
import { withVBuckets } from '../context';
import { unwrap } from '../errors';
import { importBuckets } from '../import-buckets';
import { type CliIo, printJson, printLine } from '../io';
import { settingsOf } from '../settings';
import { addProductOption } from './bucket-options';

const FORMAT_HELP = `
File format: a JSON array of buckets, the format 'buckets export' writes:
  [{ "name": "Gut Health", "bestFor": "...", "angle": "...", "avatar": "...",
     "painPoints": ["..."], "solutionMechanism": ["..."], "keyCopyHooks": ["..."],
     "displayOrder": 0 }]
Only "name" is required. Seed-000 column names are accepted too: best_for, pain_points,
solution_mechanism, key_copy_hooks, display_order.`;

/** `buckets import <file>` and `buckets export`, which read and write the same format. */
export function registerTransferCommands(buckets: Command, io: CliIo): void {
  addProductOption(buckets.command('import'), io)
    .argument('<file.json>', "a JSON array of buckets ('-' reads standard input)")
    .description(
      'create or update buckets from a JSON file (matched by name); all or nothing, safe to repeat',
    )
    .addHelpText(
      'after',
      `${FORMAT_HELP}

The whole file is checked before anything is written, and it is written in one transaction:
a bad entry fails with its index and field, e.g. "[3].name", and changes nothing.

Examples:
  $ vbuckets buckets import examples/cli/samples/buckets.json
  $ vbuckets buckets export --product a | vbuckets buckets import - --product b`,
    )
    .action(async (file: string, _options: unknown, command: Command) => {
      const settings = settingsOf(command, io);
      const source = file === '-' ? 'stdin' : file;
      const items = parseBucketFile(await readInput(io, file), source);
      const counts = await withVBuckets(settings, (vbuckets) =>
        importBuckets(vbuckets, settings.scope, settings.productId, items),
      );
      if (settings.json) printJson(io, counts);
      else {
        printLine(
          io,
          `Imported ${items.length} bucket${items.length === 1 ? '' : 's'} into product "${settings.productId}": ` +
            `${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged`,
        );
      }
    });

  addProductOption(buckets.command('export'), io)
    .description("print the product's buckets as JSON, in the format 'buckets import' reads")
    .addHelpText(
      'after',
      `${FORMAT_HELP}

The output is always JSON (with or without --json).

Examples:
  $ vbuckets buckets export > buckets.json
  $ vbuckets buckets export --product acme-greens --data-dir ./other`,
    )
    .action(async (_options: unknown, command: Command) => {
      const settings = settingsOf(command, io);
      const list = await withVBuckets(settings, (vbuckets) =>
        unwrap(vbuckets.buckets.list(settings.scope, { productId: settings.productId })),
      );
      printJson(io, list.map(toBucketFileEntry));
    });
}

async function readInput(io: CliIo, file: string): Promise<string> {
  if (file === '-') {
    if (io.stdin === undefined) throw validationError('There is no standard input to import from');
    const decoder = new TextDecoder();
    let text = '';
    for await (const chunk of io.stdin) {
      text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    }
    return text + decoder.decode();
  }
  try {
    return await readFile(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw notFoundError(`Cannot read ${file}: no such file`, { cause: error });
    const detail = error instanceof Error ? error.message : String(error);
    throw storageError(`Cannot read ${file}: ${detail}`, { cause: error });
  }
}
