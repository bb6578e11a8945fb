import { err, ok, type Result } from 'neverthrow';
import type { z } from 'zod';
import { fromZodError, type VBucketsError, validationError } from '../errors';

/** Parses untrusted input at a service boundary; a failure names the offending field path. */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  subject: string,
): Result<z.output<Schema>, VBucketsError> {
  const parsed = schema.safeParse(value);
  return parsed.success ? ok(parsed.data) : err(fromZodError(parsed.error, subject));
}

/**
 * A strict schema's input checked with the unknown field named in the error's path and
 * message (zod reports an unknown key at the object, not at the key). `hints` tell the caller
 * where a known-elsewhere field changes instead (`status: 'updateStatus'`).
 */
export function parseStrict<Schema extends z.ZodType>(
  schema: Schema,
  known: readonly string[],
  value: unknown,
  subject: string,
  hints: Readonly<Record<string, string>> = {},
): Result<z.output<Schema>, VBucketsError> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const unknown = Object.keys(value).find((key) => !known.includes(key));
    if (unknown !== undefined) {
      const instead = hints[unknown];
      return err(
        validationError(
          `Invalid ${subject}.${unknown}: ${
            instead === undefined
              ? `not a field ${subject} accepts (${known.join(', ')})`
              : `changes only through ${instead}`
          }`,
          { path: unknown, details: { field: unknown } },
        ),
      );
    }
  }
  return parseInput(schema, value, subject);
}
