import { z } from 'zod';

/** A record id: any non-empty string without control characters (UUIDs by default). */
export const IdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters');

/** An ISO-8601 UTC timestamp, e.g. `2026-02-18T10:00:00.000Z`. */
export const TimestampSchema = z.iso.datetime({ offset: false });

// One rule for text on every store: PostgreSQL cannot hold NUL and SQLite can, so it is
// refused here, before any store sees it. Single-line names refuse every control character.
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting NUL is the point
const NO_NUL = /^[^\u0000]*$/;

/** Free text that must say something: one line, trimmed, non-empty. */
export const NameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .regex(NO_CONTROL_CHARACTERS, 'must not contain control characters');

/** Optional free text, trimmed; empty means absent. Line breaks and tabs are fine, NUL is not. */
export const TextSchema = z
  .string()
  .trim()
  .max(10_000, 'must be at most 10000 characters')
  .regex(NO_NUL, 'must not contain NUL (\\u0000)');

/** A list of short phrases (pain points, hooks, tags): each trimmed, empties dropped. */
export const PhraseListSchema = z
  .array(
    z
      .string()
      .trim()
      .max(1_000, 'must be at most 1000 characters')
      .regex(NO_NUL, 'must not contain NUL (\\u0000)'),
  )
  .max(200, 'must have at most 200 items')
  .transform((items) => items.filter((item) => item.length > 0));

/** A probability or score between 0 and 1 inclusive. */
export const UnitIntervalSchema = z
  .number()
  .min(0, 'must be at least 0')
  .max(1, 'must be at most 1');

/** JSON object payloads (analysis, metadata) are kept as they came. */
export const JsonObjectSchema = z.record(z.string(), z.unknown());

/**
 * Who is asking. Every read and write is limited to `orgId`; `allOrgs` lets a superuser
 * list across organisations, read-only, and only where a method says it honours it.
 */
export const ScopeSchema = z.strictObject({
  orgId: IdSchema,
  allOrgs: z.boolean().optional(),
});
export type Scope = z.infer<typeof ScopeSchema>;

/** The most items one page of a list may ask for. */
export const MAX_PAGE_SIZE = 1000;
/** Items per page of a list that grows with the table when the caller gives no limit. */
export const DEFAULT_PAGE_SIZE = 100;

/** A keyset page of a list (see `PageRequest`): `after` is the last item's id of the page before. */
export const PageSchema = z.strictObject({
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
  after: IdSchema.optional(),
});
