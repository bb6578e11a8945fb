import { z } from 'zod';
import type { Sleep } from '../../domain/rate-limit/sleep';
import { IdSchema } from '../../schemas/common';
import type {
  CategorizeFile,
  CategorizeProgressListener,
  CategorizeSettings,
} from './categorize-types';

const GIBIBYTE = 1024 ** 3;

const functionSchema = <T>() =>
  z.custom<T>((value) => typeof value === 'function', 'must be a function');

export const CategorizeSettingsSchema = z.strictObject({
  maxBatchSize: z.number().int().min(1).max(1_000).default(20),
  concurrency: z.number().int().min(1).max(64).default(4),
  maxAttempts: z.number().int().min(1).max(20).default(4),
  maxFileBytes: z
    .number()
    .int()
    .positive()
    .default(2 * GIBIBYTE),
  confidenceFloor: z.number().min(0).max(1).default(0.3),
  retryBaseDelayMs: z.number().int().min(0).max(3_600_000).default(2_000),
  retryMaxDelayMs: z.number().int().min(0).max(3_600_000).default(60_000),
  rowLeaseMs: z
    .number()
    .int()
    .min(1)
    .max(24 * 3_600_000)
    .default(5 * 60_000),
  workerName: z
    .string()
    .min(1)
    .max(200)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters')
    .default('batch'),
  isWorkerGone: functionSchema<(owner: string) => boolean>().optional(),
  sleep: functionSchema<Sleep>().optional(),
  random: functionSchema<() => number>().optional(),
}) satisfies z.ZodType<unknown, CategorizeSettings>;
export type ParsedCategorizeSettings = z.output<typeof CategorizeSettingsSchema>;

const SignalSchema = z.custom<AbortSignal>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AbortSignal).aborted === 'boolean' &&
    typeof (value as AbortSignal).addEventListener === 'function',
  'must be an AbortSignal',
);

/** The base name of a path, `/` or `\` separated. */
export function baseName(filename: string): string {
  return (
    filename
      .split(/[\\/]/u)
      .filter((segment) => segment !== '')
      .at(-1) ?? ''
  );
}

export const FilenameSchema = z
  .string()
  .max(1_000, 'must be at most 1000 characters')
  .transform(baseName)
  .refine((name) => name.trim() !== '', 'must name a file')
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  .refine((name) => !/[\u0000-\u001f\u007f]/u.test(name), 'must not contain control characters');

const FileSchema = z.strictObject({
  filename: FilenameSchema,
  body: functionSchema<CategorizeFile['body']>(),
  sizeBytes: z.number().int().nonnegative().optional(),
  mimeType: z.string().max(200).optional(),
  knownText: z.string().max(1_000_000, 'must be at most 1000000 characters').optional(),
  probePath: z.string().min(1).optional(),
});

const ProviderNameSchema = z.string().min(1, 'must name a provider').max(200);
const ProgressSchema = functionSchema<CategorizeProgressListener>().optional();

const runInputSchemas = new Map<number, ReturnType<typeof buildRunInputSchema>>();

/** The schema of a batch for this size limit, built once per limit (not per call). */
export function runInputSchema(maxBatchSize: number) {
  let schema = runInputSchemas.get(maxBatchSize);
  if (schema === undefined) {
    schema = buildRunInputSchema(maxBatchSize);
    runInputSchemas.set(maxBatchSize, schema);
  }
  return schema;
}

function buildRunInputSchema(maxBatchSize: number) {
  return z.strictObject({
    productId: IdSchema,
    files: z
      .array(FileSchema)
      .min(1, 'must have at least 1 file')
      .max(maxBatchSize, `must have at most ${maxBatchSize} files`),
    provider: ProviderNameSchema,
    ownerId: IdSchema.optional(),
    signal: SignalSchema.optional(),
    onProgress: ProgressSchema,
  });
}

export const ResumeOptionsSchema = z.strictObject({
  provider: ProviderNameSchema,
  signal: SignalSchema.optional(),
  onProgress: ProgressSchema,
});

export const RetryOptionsSchema = ResumeOptionsSchema.extend({
  filenames: z.array(FilenameSchema).max(10_000).optional(),
});
