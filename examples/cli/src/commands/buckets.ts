import { validationError } from '@vbuckets/core';
import type { Command } from 'commander';
import { withVBuckets } from '../context';
import { unwrap } from '../errors';
import { type CliIo, printJson, printLine } from '../io';
import { bucketDetails, bucketTable } from '../output/bucket-text';
import { resolveBucket } from '../resolve-bucket';
import { settingsOf } from '../settings';
import {
  addBucketFieldOptions,
  addProductOption,
  type BucketFieldOptions,
  bucketFieldsOf,
} from './bucket-options';
import { registerTransferCommands } from './buckets-transfer';

/** `vbuckets buckets …`: define, list, edit, order, import and export a product's buckets. */
export function registerBucketsCommands(program: Command, io: CliIo): void {
  const buckets = program
    .command('buckets')
    .description("manage a product's content buckets")
    .addHelpText(
      'after',
      `
Examples:
  $ vbuckets buckets add --name "Gut Health" --best-for "bloating and digestion stories"
  $ vbuckets buckets list
  $ vbuckets buckets show "gut health"
  $ vbuckets buckets export > buckets.json`,
    );

  addBucketFieldOptions(addProductOption(buckets.command('add'), io), { nameRequired: true })
    .description('create a bucket')
    .addHelpText(
      'after',
      `
Examples:
  $ vbuckets buckets add --name "Gut Health" --best-for "bloating, digestion and gut-reset stories" \\
      --angle educational --avatar "women 30-55 with digestive discomfort" \\
      --pain-point "Bloated after every meal" --pain-point "Irregular digestion" \\
      --solution "Probiotic strains that restore gut flora" \\
      --hook "Your gut is talking. Are you listening?"
  $ vbuckets buckets add --name Sleep --order 0 --json`,
    )
    .action(async (options: BucketFieldOptions, command: Command) => {
      const settings = settingsOf(command, io);
      const bucket = await withVBuckets(settings, (vbuckets) =>
        unwrap(
          vbuckets.buckets.create(settings.scope, {
            ...bucketFieldsOf(options),
            name: options.name ?? '',
            productId: settings.productId,
          }),
        ),
      );
      if (settings.json) printJson(io, bucket);
      else printLine(io, `Created bucket "${bucket.name}" (${bucket.id})`);
    });

  addProductOption(buckets.command('list'), io)
    .alias('ls')
    .description("list the product's buckets in display order")
    .addHelpText(
      'after',
      `
Examples:
  $ vbuckets buckets list
  $ vbuckets buckets list --product acme-greens --json`,
    )
    .action(async (_options: unknown, command: Command) => {
      const settings = settingsOf(command, io);
      const list = await withVBuckets(settings, (vbuckets) =>
        unwrap(vbuckets.buckets.list(settings.scope, { productId: settings.productId })),
      );
      if (settings.json) printJson(io, list);
      else if (list.length === 0) {
        printLine(
          io,
          `No buckets in product "${settings.productId}" yet. Add one with: vbuckets buckets add --name "<name>"`,
        );
      } else printLine(io, bucketTable(list));
    });

  addProductOption(buckets.command('show'), io)
    .argument('<id|name>', 'bucket id, or its name in the product (ignoring case)')
    .description('show every field of one bucket')
    .addHelpText(
      'after',
      `
Examples:
  $ vbuckets buckets show "gut health"
  $ vbuckets buckets show 0b7c2f5e-1d2a-4c8e-9a51-3f6d2b7e8c90 --json`,
    )
    .action(async (reference: string, _options: unknown, command: Command) => {
      const settings = settingsOf(command, io);
      const bucket = await withVBuckets(settings, (vbuckets) =>
        resolveBucket(vbuckets, settings.scope, settings.productId, reference),
      );
      if (settings.json) printJson(io, bucket);
      else printLine(io, bucketDetails(bucket));
    });

  addBucketFieldOptions(addProductOption(buckets.command('update'), io), { nameRequired: false })
    .argument('<id|name>', 'bucket id, or its name in the product (ignoring case)')
    .description('change fields of a bucket; a repeatable flag replaces the whole list')
    .addHelpText(
      'after',
      `
Examples:
  $ vbuckets buckets update "gut health" --angle "myth-busting"
  $ vbuckets buckets update Sleep --hook "Wake up before your alarm" --hook "Sleep like you did at 12"
  $ vbuckets buckets update Sleep --pain-point ""      # clears the pain points`,
    )
    .action(async (reference: string, options: BucketFieldOptions, command: Command) => {
      const settings = settingsOf(command, io);
      const fields = bucketFieldsOf(options);
      if (Object.keys(fields).length === 0) {
        throw validationError(
          'Nothing to update: give at least one of --name, --best-for, --angle, --avatar, --pain-point, --solution, --hook, --order',
        );
      }
      const bucket = await withVBuckets(settings, async (vbuckets) => {
        const current = await resolveBucket(
          vbuckets,
          settings.scope,
          settings.productId,
          reference,
        );
        return unwrap(vbuckets.buckets.update(settings.scope, current.id, fields));
      });
      if (settings.json) printJson(io, bucket);
      else printLine(io, `Updated bucket "${bucket.name}" (${bucket.id})`);
    });

  addProductOption(buckets.command('rm'), io)
    .alias('remove')
    .argument('<id|name>', 'bucket id, or its name in the product (ignoring case)')
    .description('delete a bucket (categorizations keep the name they were filed under)')
    .addHelpText(
      'after',
      `
Examples:
  $ vbuckets buckets rm "energy & focus"
  $ vbuckets buckets rm 0b7c2f5e-1d2a-4c8e-9a51-3f6d2b7e8c90 --json`,
    )
    .action(async (reference: string, _options: unknown, command: Command) => {
      const settings = settingsOf(command, io);
      const bucket = await withVBuckets(settings, async (vbuckets) => {
        const current = await resolveBucket(
          vbuckets,
          settings.scope,
          settings.productId,
          reference,
        );
        await unwrap(vbuckets.buckets.delete(settings.scope, current.id));
        return current;
      });
      if (settings.json) printJson(io, { deleted: bucket });
      else printLine(io, `Deleted bucket "${bucket.name}" (${bucket.id})`);
    });

  addProductOption(buckets.command('reorder'), io)
    .argument('<id|name...>', 'buckets in their new order')
    .description('put buckets first, in the order given; the others keep their order after them')
    .addHelpText(
      'after',
      `
Examples:
  $ vbuckets buckets reorder Sleep "Gut Health"
  $ vbuckets buckets reorder Immunity --json`,
    )
    .action(async (references: string[], _options: unknown, command: Command) => {
      const settings = settingsOf(command, io);
      const ordered = await withVBuckets(settings, async (vbuckets) => {
        const { scope, productId } = settings;
        const current = await unwrap(vbuckets.buckets.list(scope, { productId }));
        const first: string[] = [];
        for (const reference of references) {
          const bucket = await resolveBucket(vbuckets, scope, productId, reference, current);
          if (first.includes(bucket.id)) {
            throw validationError(`Bucket "${bucket.name}" is listed twice`, {
              path: 'orderedIds',
            });
          }
          first.push(bucket.id);
        }
        const rest = current
          .filter((bucket) => !first.includes(bucket.id))
          .map((bucket) => bucket.id);
        return unwrap(vbuckets.buckets.reorder(scope, productId, [...first, ...rest]));
      });
      if (settings.json) printJson(io, ordered);
      else printLine(io, bucketTable(ordered));
    });

  registerTransferCommands(buckets, io);
}
