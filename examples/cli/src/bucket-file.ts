import {
  type Bucket,
  BucketCreateInputSchema,
  toBucketImportItem,
  type VBucketsError,
  validationError,
} from '@vbuckets/core';
import { bucketNameKey } from '@vbuckets/core/domain';

/** One bucket as `buckets export` writes it and `buckets import` reads it. */
export interface BucketFileEntry {
  name: string;
  bestFor: string;
  angle: string;
  avatar: string;
  painPoints: string[];
  solutionMechanism: string[];
  keyCopyHooks: string[];
  displayOrder: number;
}

export type BucketField = keyof BucketFileEntry;

/** An entry of an import file, checked, with the fields it actually gave. */
export interface BucketFileItem {
  index: number;
  /** The entry's fields with camelCase keys, as written (the service parses them again). */
  given: Partial<Record<BucketField, unknown>>;
  /** The same fields trimmed and cleaned the way the service stores them. */
  parsed: Partial<BucketFileEntry> & { name: string };
}

const FIELDS: readonly BucketField[] = [
  'name',
  'bestFor',
  'angle',
  'avatar',
  'painPoints',
  'solutionMechanism',
  'keyCopyHooks',
  'displayOrder',
];

/** Seed 000's column names, accepted so its exports can be imported as they are. */
const SNAKE_CASE_ALIASES: Readonly<Record<string, BucketField>> = {
  best_for: 'bestFor',
  pain_points: 'painPoints',
  solution_mechanism: 'solutionMechanism',
  key_copy_hooks: 'keyCopyHooks',
  display_order: 'displayOrder',
};

const ItemSchema = BucketCreateInputSchema.omit({ productId: true });

/** The export format of a bucket: every field, no ids, no timestamps (core's import item). */
export const toBucketFileEntry: (bucket: Bucket) => BucketFileEntry = toBucketImportItem;

/**
 * Parses an import file completely before anything is written: JSON, an array, every entry
 * valid, no name twice. The first problem throws a VALIDATION error naming `[index].field`.
 */
export function parseBucketFile(text: string, source: string): BucketFileItem[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw validationError(`Invalid ${source}: not valid JSON (${detail})`, {
      path: '',
      cause: error,
    });
  }
  return parseBucketList(value, source);
}

/** Checks an already-parsed JSON value (a sample file, a request body) as `parseBucketFile` does. */
export function parseBucketList(value: unknown, source: string): BucketFileItem[] {
  if (!Array.isArray(value)) {
    throw validationError(
      `Invalid ${source}: expected a JSON array of buckets, got ${describe(value)}`,
      { path: '' },
    );
  }
  const items = value.map((entry, index) => parseEntry(entry, index, source));
  const firstByName = new Map<string, number>();
  for (const item of items) {
    const key = bucketNameKey(item.parsed.name);
    const first = firstByName.get(key);
    if (first !== undefined) {
      throw invalid(
        source,
        item.index,
        'name',
        `"${item.parsed.name}" repeats the name of [${first}]`,
      );
    }
    firstByName.set(key, item.index);
  }
  return items;
}

function parseEntry(entry: unknown, index: number, source: string): BucketFileItem {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw validationError(
      `Invalid ${source}[${index}]: expected an object, got ${describe(entry)}`,
      {
        path: `[${index}]`,
        details: { index },
      },
    );
  }
  const given: Partial<Record<BucketField, unknown>> = {};
  const writtenAs = new Map<BucketField, string>();
  for (const [key, fieldValue] of Object.entries(entry)) {
    const field =
      SNAKE_CASE_ALIASES[key] ??
      (FIELDS.includes(key as BucketField) ? (key as BucketField) : undefined);
    if (field === undefined) {
      throw invalid(source, index, key, `unknown field (expected one of ${FIELDS.join(', ')})`);
    }
    const earlier = writtenAs.get(field);
    if (earlier !== undefined) throw invalid(source, index, key, `repeats ${earlier}`);
    writtenAs.set(field, key);
    given[field] = fieldValue;
  }
  const result = ItemSchema.safeParse(given);
  if (!result.success) {
    const issue = result.error.issues[0];
    const [head, ...rest] = issue?.path.map(String) ?? [];
    const field = head === undefined ? 'name' : (writtenAs.get(head as BucketField) ?? head);
    const where = [field, ...rest].join('.');
    throw invalid(source, index, where, issue?.message ?? 'invalid value', result.error);
  }
  const parsed: BucketFileItem['parsed'] = { name: result.data.name };
  for (const field of writtenAs.keys()) {
    Object.assign(parsed, { [field]: result.data[field] });
  }
  return { index, given, parsed };
}

function invalid(
  source: string,
  index: number,
  field: string,
  message: string,
  cause?: unknown,
): VBucketsError {
  return validationError(`Invalid ${source}[${index}].${field}: ${message}`, {
    path: `[${index}].${field}`,
    details: { index, field },
    ...(cause === undefined ? {} : { cause }),
  });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
