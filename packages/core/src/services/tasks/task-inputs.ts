import type { Result } from 'neverthrow';
import { z } from 'zod';
import type { VBucketsError } from '../../errors';
import type { BlobBody } from '../../ports/blob-store';
import {
  IdSchema,
  MAX_PAGE_SIZE,
  NameSchema,
  TextSchema,
  TimestampSchema,
} from '../../schemas/common';
import { GenerationTaskStatusSchema } from '../../schemas/generation';
import { parseStrict as parseStrictInput } from '../parse-input';
import type { TaskVideoInput } from './tasks-types';

/** Seed 002's page size. */
export const DEFAULT_TASK_PAGE_SIZE = 50;

// What YouTube accepts, so a task's metadata never fails the upload it was written for.
const NO_ANGLE_BRACKETS = /^[^<>]*$/u;
const youtubeTitle = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters (YouTube)')
  .regex(NO_ANGLE_BRACKETS, 'must not contain < or > (YouTube)');
const youtubeDescription = z
  .string()
  .max(5000, 'must be at most 5000 characters (YouTube)')
  .regex(NO_ANGLE_BRACKETS, 'must not contain < or > (YouTube)');
const youtubeTags = z
  .array(
    z.string('must be a string').trim().min(1, 'must not be empty').max(500),
    'must be a list of strings',
  )
  .max(500, 'must have at most 500 tags')
  .transform((tags) => [...new Set(tags)]);

/** A path or URL of a file (seed 002's music_file, video_url): a `..` segment would let whoever resolves it leave its folder. */
const reference = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(2000)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters')
  .refine((value) => !value.split(/[/\\]/).includes('..'), 'must not contain a ".." segment');
const nonNegativeMoney = z.number().nonnegative('must be at least 0').finite();

/** Every field `update` may change, each as it is checked. */
const updatableFields = {
  projectName: NameSchema,
  engine: z.string().trim().min(1, 'must not be empty').max(100),
  prompt: TextSchema.min(1, 'must not be empty'),
  songTitle: NameSchema.nullable(),
  musicFile: reference.nullable(),
  genre: NameSchema.nullable(),
  bpm: z.number().int('must be an integer').positive('must be positive').max(1000).nullable(),
  videoUrl: reference.nullable(),
  youtubeTitle: youtubeTitle.nullable(),
  youtubeDescription: youtubeDescription.nullable(),
  youtubeTags,
  cost: nonNegativeMoney.nullable(),
  creditsUsed: z
    .number()
    .int('must be an integer')
    .nonnegative('must be at least 0')
    .max(Number.MAX_SAFE_INTEGER)
    .nullable(),
  durationSec: z.number().nonnegative('must be at least 0').finite().nullable(),
};

export const TaskCreateSchema = z.strictObject({
  id: IdSchema.optional(),
  userId: IdSchema,
  projectName: updatableFields.projectName,
  engine: updatableFields.engine,
  prompt: updatableFields.prompt,
  songTitle: updatableFields.songTitle.optional(),
  musicFile: updatableFields.musicFile.optional(),
  genre: updatableFields.genre.optional(),
  bpm: updatableFields.bpm.optional(),
  videoUrl: updatableFields.videoUrl.optional(),
  youtubeTitle: updatableFields.youtubeTitle.optional(),
  youtubeDescription: updatableFields.youtubeDescription.optional(),
  youtubeTags: youtubeTags.optional(),
  cost: updatableFields.cost.optional(),
  creditsUsed: updatableFields.creditsUsed.optional(),
  durationSec: updatableFields.durationSec.optional(),
});

export const TaskUpdateSchema = z.strictObject({
  projectName: updatableFields.projectName.optional(),
  engine: updatableFields.engine.optional(),
  prompt: updatableFields.prompt.optional(),
  songTitle: updatableFields.songTitle.optional(),
  musicFile: updatableFields.musicFile.optional(),
  genre: updatableFields.genre.optional(),
  bpm: updatableFields.bpm.optional(),
  videoUrl: updatableFields.videoUrl.optional(),
  youtubeTitle: updatableFields.youtubeTitle.optional(),
  youtubeDescription: updatableFields.youtubeDescription.optional(),
  youtubeTags: youtubeTags.optional(),
  cost: updatableFields.cost.optional(),
  creditsUsed: updatableFields.creditsUsed.optional(),
  durationSec: updatableFields.durationSec.optional(),
});

/** Fields that change only with the status, so `update` sends the caller to the right method. */
const STATUS_FIELDS: Readonly<Record<string, string>> = {
  status: 'updateStatus (or retry)',
  errorMessage: 'updateStatus with status failed',
  completedAt: 'updateStatus with status completed',
  videoId: 'attachVideo',
};

/** A task's strict input, an unknown field named (status fields point to their method). */
export function parseStrict<Schema extends z.ZodType>(
  schema: Schema,
  known: readonly string[],
  value: unknown,
  subject: string,
): Result<z.output<Schema>, VBucketsError> {
  return parseStrictInput(schema, known, value, subject, STATUS_FIELDS);
}

export const TaskListSchema = z
  .strictObject({
    userId: IdSchema.optional(),
    status: GenerationTaskStatusSchema.optional(),
    limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_TASK_PAGE_SIZE),
    offset: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
    after: IdSchema.optional(),
  })
  .refine((query) => query.offset === undefined || query.after === undefined, {
    message: 'give offset or after, not both',
    path: ['after'],
  });

export const TaskStatusUpdateSchema = z
  .strictObject({
    status: z.enum(['processing', 'completed', 'failed'], {
      message: 'must be processing, completed or failed (use retry to go back to pending)',
    }),
    videoUrl: reference.optional(),
    errorMessage: TextSchema.max(10_000).optional(),
    completedAt: TimestampSchema.optional(),
  })
  .superRefine((change, context) => {
    if (change.status !== 'completed') {
      for (const field of ['videoUrl', 'completedAt'] as const) {
        if (change[field] !== undefined) {
          context.addIssue({
            code: 'custom',
            message: 'goes only with status completed',
            path: [field],
          });
        }
      }
    }
    if (change.status !== 'failed' && change.errorMessage !== undefined) {
      context.addIssue({
        code: 'custom',
        message: 'goes only with status failed',
        path: ['errorMessage'],
      });
    }
  });

export const CostRequestSchema = z.strictObject({
  engine: z.string().trim().min(1, 'must not be empty').max(100),
  durationSec: z
    .number()
    .positive('must be positive')
    .finite()
    .max(86_400 * 365),
});

export const StatsFilterSchema = z.strictObject({ userId: IdSchema.optional() });

export const TaskVideoSchema = z.strictObject({
  filename: z.string().trim().min(1).max(255),
  body: z.custom<TaskVideoInput['body']>((value) => typeof value === 'function', {
    message: 'must be a function that opens the bytes',
  }),
  mimeType: z.string().min(1).max(200).optional(),
  probePath: z.string().min(1).optional(),
});

const isBlobBody = (value: unknown): value is BlobBody =>
  value instanceof Uint8Array ||
  (typeof value === 'object' &&
    value !== null &&
    (typeof (value as ReadableStream).getReader === 'function' ||
      typeof (value as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function'));

export const ThumbnailImageTypeSchema = z.enum(['image/jpeg', 'image/png', 'image/webp']);

export const ThumbnailAddSchema = z
  .strictObject({
    id: IdSchema.optional(),
    variant: z.string().trim().min(1, 'must not be empty').max(100),
    imageUrl: reference.optional(),
    image: z
      .strictObject({
        body: z.custom<BlobBody>(isBlobBody, {
          message: 'must be bytes (a Uint8Array, a ReadableStream or an async iterable)',
        }),
        contentType: ThumbnailImageTypeSchema.default('image/jpeg'),
      })
      .optional(),
    clickPrediction: z
      .number()
      .min(0, 'must be at least 0')
      .max(1, 'must be at most 1')
      .nullable()
      .optional(),
    isSelected: z.boolean().default(false),
  })
  .refine((input) => (input.imageUrl === undefined) !== (input.image === undefined), {
    message: 'give imageUrl or image, exactly one',
    path: ['imageUrl'],
  });
