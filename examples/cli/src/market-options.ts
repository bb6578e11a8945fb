import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import {
  type Actor,
  type CreativeTagsInput,
  type CreativeVideoInput,
  type EvidenceSource,
  isVBucketsError,
  notFoundError,
  type PatternDimension,
  storageError,
  validationError,
} from '@vbuckets/core';
import { checkVideoFilename } from '@vbuckets/core/domain';
import { videoFile } from '@vbuckets/core/node';
import { type Command, InvalidArgumentError } from 'commander';
import type { CliIo } from './io';
import type { Settings } from './settings';

/** Who runs the market commands when neither `--user` nor `VBUCKETS_USER` says. */
export const DEFAULT_USER = 'local';

/** `--user` of the `market` command, however deep the subcommand. */
export function marketUser(command: Command): string {
  return command.optsWithGlobals<{ user: string }>().user;
}

/** The CLI's operator: `--user`, an admin of the org of `--org` (so it may force an analysis). */
export function marketActor(command: Command, settings: Pick<Settings, 'scope'>): Actor {
  return { userId: marketUser(command), orgId: settings.scope.orgId, roles: ['admin'] };
}

/** The tag flags of `market ingest` and `market add`, as commander hands them over. */
export interface TagOptions {
  hook?: string;
  emotion?: string;
  pacing?: string;
  pain?: string;
  tag?: string[];
}

/** `--user`, defaulting to VBUCKETS_USER, then `local`. */
export function addUserOption(command: Command, io: CliIo): Command {
  const user = io.env.VBUCKETS_USER?.trim();
  return command.option(
    '--user <id>',
    'who you are: the owner of the creatives you add; an admin of the org (env VBUCKETS_USER)',
    user === undefined || user === '' ? DEFAULT_USER : user,
  );
}

/** `--hook`, `--emotion`, `--pacing`, `--pain` and the repeatable `--tag`. */
export function addTagOptions(command: Command): Command {
  return command
    .option('--hook <type>', 'hook type, e.g. problem_agitation or question')
    .option('--emotion <name>', 'the emotion it plays on, e.g. frustration')
    .option('--pacing <pace>', 'e.g. fast or slow')
    .option('--pain <pain>', "the target audience's pain, e.g. no_time")
    .option('--tag <tag>', 'any other tag (repeatable)', collect);
}

/** The tag flags as service input: only those given. */
export function tagsOf(options: TagOptions): CreativeTagsInput {
  return {
    ...(options.hook === undefined ? {} : { hookType: options.hook }),
    ...(options.emotion === undefined ? {} : { emotion: options.emotion }),
    ...(options.pacing === undefined ? {} : { pacing: options.pacing }),
    ...(options.pain === undefined ? {} : { targetAudiencePain: options.pain }),
    ...(options.tag === undefined ? {} : { tags: options.tag }),
  };
}

/**
 * The video a creative is made of: one file (not a folder), its name checked before anything
 * is opened. NOT_FOUND for a missing path.
 */
export async function creativeVideoFile(arg: string, cwd: string): Promise<CreativeVideoInput> {
  const path = resolve(cwd, arg);
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') {
      throw notFoundError(`No such file: ${arg}`, { cause: error });
    }
    throw storageError(`Cannot read ${arg}: ${error.message}`, { cause: error });
  });
  if (info.isDirectory()) {
    throw validationError(`${arg} is a folder: a creative is one video file`, { path: 'video' });
  }
  const checked = checkVideoFilename(basename(path));
  if (checked.isErr()) throw checked.error;
  return videoFile(path);
}

const DIMENSIONS: Readonly<Record<string, PatternDimension>> = {
  hook_type: 'hookType',
  emotion: 'emotion',
  pacing: 'pacing',
  target_audience_pain: 'targetAudiencePain',
  tag: 'tag',
};

/** The `--by` name of a dimension (snake_case, as seed 003 writes them). */
export function dimensionFlag(dimension: PatternDimension): string {
  return Object.entries(DIMENSIONS).find(([, each]) => each === dimension)?.[0] ?? dimension;
}

/** `--by`: a tag dimension in snake_case (or core's camelCase). */
export function parseDimension(value: string): PatternDimension {
  const name = value.trim();
  const found =
    DIMENSIONS[name.toLowerCase()] ??
    Object.values(DIMENSIONS).find((dimension) => dimension === name);
  if (found === undefined) {
    throw new InvalidArgumentError(`Expected one of: ${Object.keys(DIMENSIONS).join(', ')}.`);
  }
  return found;
}

/** `--source`: benchmark or client. */
export function parseSource(value: string): EvidenceSource {
  const name = value.trim().toLowerCase();
  if (name === 'benchmark' || name === 'client') return name;
  throw new InvalidArgumentError('Expected benchmark or client.');
}

/** `--cvr`: a rate (0.05) or a percentage (5%); the range is the SDK's to check. */
export function parseRate(value: string): number {
  const text = value.trim();
  const percent = text.endsWith('%');
  const number = Number(percent ? text.slice(0, -1).trim() : text);
  if (text === '' || text === '%' || !Number.isFinite(number)) {
    throw new InvalidArgumentError('Expected a conversion rate such as 0.05, or 5%.');
  }
  return percent ? number / 100 : number;
}

/** A number flag (`--days`, `--daily-clicks`); the range is the SDK's to check. */
export function parseNumber(value: string): number {
  const number = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(number)) {
    throw new InvalidArgumentError('Expected a number.');
  }
  return number;
}

/** An integer flag (`--clicks`, `--seed`, `--draws`, `-n`); the range is the SDK's to check. */
export function parseInteger(value: string): number {
  if (!/^\s*[-+]?\d+\s*$/u.test(value)) throw new InvalidArgumentError('Expected an integer.');
  return Number.parseInt(value, 10);
}

/** A repeatable flag's values, in order. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The flag that sets each field of the market service's input. */
const FLAGS: Readonly<Record<string, string>> = {
  name: '--name',
  productCategory: '--category',
  marketCvr: '--cvr',
  marketLongevityDays: '--days',
  avgDailyClicks: '--daily-clicks',
  sourceUrl: '--url',
  sourcePlatform: '--platform',
  ownerId: '--user',
  hookType: '--hook',
  emotion: '--emotion',
  pacing: '--pacing',
  targetAudiencePain: '--pain',
  tags: '--tag',
  impressions: '--impressions',
  clicks: '--clicks',
  conversions: '--conversions',
  idempotencyKey: '--key',
  draws: '--draws',
  seed: '--seed',
  n: '-n',
  userId: '--user',
  orgId: '--org',
};

/**
 * The SDK names a bad field by its input path (`Invalid benchmark.marketCvr: …`); the user
 * typed a flag, so a VALIDATION error of a known field is said again with the flag
 * (`Invalid --cvr: Too big: expected number to be <=1`). Anything else passes unchanged.
 */
export function inFlagTerms(
  error: unknown,
  flags: Readonly<Record<string, string>> = FLAGS,
): unknown {
  if (!isVBucketsError(error) || error.code !== 'VALIDATION' || error.path === undefined) {
    return error;
  }
  const flag = flags[error.path.split('.')[0] ?? ''];
  const issues = error.details?.issues;
  const issue = Array.isArray(issues)
    ? (issues[0] as { message?: unknown } | undefined)
    : undefined;
  if (flag === undefined || typeof issue?.message !== 'string') return error;
  return validationError(`Invalid ${flag}: ${issue.message}`, {
    path: error.path,
    cause: error,
    details: { ...error.details, flag },
  });
}

/** Runs `work`, its SDK validation errors said with the flags (see {@link inFlagTerms}). */
export async function withFlagTerms<T>(
  work: () => Promise<T>,
  flags: Readonly<Record<string, string>> = FLAGS,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw inFlagTerms(error, flags);
  }
}
