import { err, ok, type Result } from 'neverthrow';
import type { z } from 'zod';
import { fromZodError, type VBucketsError } from '../errors';

/** Parses untrusted input at a service boundary; a failure names the offending field path. */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  subject: string,
): Result<z.output<Schema>, VBucketsError> {
  const parsed = schema.safeParse(value);
  return parsed.success ? ok(parsed.data) : err(fromZodError(parsed.error, subject));
}
