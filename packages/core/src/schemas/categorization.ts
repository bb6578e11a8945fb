import { z } from 'zod';
import { IdSchema, JsonObjectSchema, TimestampSchema, UnitIntervalSchema } from './common';

/** One batch run of categorization for a product (seed 000). */
export const CategorizationSessionSchema = z.strictObject({
  id: IdSchema,
  orgId: IdSchema,
  productId: IdSchema,
  createdAt: TimestampSchema,
  /** Row counts by status, kept in step with the session's rows. */
  counts: z.strictObject({
    total: z.number().int().nonnegative(),
    pending: z.number().int().nonnegative(),
    analyzed: z.number().int().nonnegative(),
    categorized: z.number().int().nonnegative(),
    error: z.number().int().nonnegative(),
  }),
});
export type CategorizationSession = z.infer<typeof CategorizationSessionSchema>;
export type CategorizationCounts = CategorizationSession['counts'];

export const CategorizationStatusSchema = z.enum(['pending', 'analyzed', 'categorized', 'error']);
export type CategorizationStatus = z.infer<typeof CategorizationStatusSchema>;

/** One video's analysis and bucket decision within a session. */
export const CategorizationSchema = z.strictObject({
  id: IdSchema,
  orgId: IdSchema,
  productId: IdSchema,
  sessionId: IdSchema,
  /** Null when the file was rejected before it became a Video. */
  videoId: IdSchema.nullable(),
  filename: z.string().min(1),
  bucketId: IdSchema.nullable(),
  bucketName: z.string().nullable(),
  confidence: UnitIntervalSchema.nullable(),
  reasoning: z.string().nullable(),
  summary: z.string().nullable(),
  transcript: z.string().nullable(),
  analysis: JsonObjectSchema.nullable(),
  status: CategorizationStatusSchema,
  errorMessage: z.string().nullable(),
  isUploaded: z.boolean(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Categorization = z.infer<typeof CategorizationSchema>;
