import type { BucketUpdateInput } from '@vbuckets/core';
import { type Command, InvalidArgumentError } from 'commander';
import type { CliIo } from '../io';
import { defaultsFrom } from '../settings';

/** The bucket field flags as commander hands them over; absent flags are undefined. */
export interface BucketFieldOptions {
  name?: string;
  bestFor?: string;
  angle?: string;
  avatar?: string;
  painPoint?: string[];
  solution?: string[];
  hook?: string[];
  order?: number;
}

/** `--product`, defaulting to VBUCKETS_PRODUCT, then `default`. */
export function addProductOption(command: Command, io: CliIo): Command {
  return command.option(
    '--product <id>',
    'product the buckets belong to (env VBUCKETS_PRODUCT)',
    defaultsFrom(io.env).product,
  );
}

/** The field flags shared by `add` and `update`; `add` makes `--name` required. */
export function addBucketFieldOptions(
  command: Command,
  { nameRequired }: { nameRequired: boolean },
): Command {
  const nameDescription = 'bucket name, unique in the product (ignoring case)';
  if (nameRequired) command.requiredOption('--name <name>', nameDescription);
  else command.option('--name <name>', nameDescription);
  return command
    .option('--best-for <text>', 'what kind of videos belong here')
    .option('--angle <text>', 'the approach, e.g. "educational" or "fear-based"')
    .option('--avatar <text>', 'the target audience')
    .option('--pain-point <text>', 'a pain point this bucket addresses (repeatable)', collect)
    .option('--solution <text>', 'a solution mechanism (repeatable)', collect)
    .option('--hook <text>', 'a key copy hook (repeatable)', collect)
    .option('--order <n>', 'display order (an integer; lower comes first)', parseInteger);
}

/** The given flags as service input: only the fields the user set, lists replaced whole. */
export function bucketFieldsOf(options: BucketFieldOptions): BucketUpdateInput {
  const fields: BucketUpdateInput = {};
  if (options.name !== undefined) fields.name = options.name;
  if (options.bestFor !== undefined) fields.bestFor = options.bestFor;
  if (options.angle !== undefined) fields.angle = options.angle;
  if (options.avatar !== undefined) fields.avatar = options.avatar;
  if (options.painPoint !== undefined) fields.painPoints = options.painPoint;
  if (options.solution !== undefined) fields.solutionMechanism = options.solution;
  if (options.hook !== undefined) fields.keyCopyHooks = options.hook;
  if (options.order !== undefined) fields.displayOrder = options.order;
  return fields;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function parseInteger(value: string): number {
  if (!/^[-+]?\d+$/u.test(value.trim())) throw new InvalidArgumentError('Expected an integer.');
  return Number.parseInt(value, 10);
}
