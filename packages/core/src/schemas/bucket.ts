import { z } from 'zod';
import { IdSchema, NameSchema, PhraseListSchema, TextSchema, TimestampSchema } from './common';

/** A thematic content bucket of a product (seed 000). */
export const BucketSchema = z.strictObject({
  id: IdSchema,
  orgId: IdSchema,
  productId: IdSchema,
  name: NameSchema,
  bestFor: TextSchema,
  angle: TextSchema,
  avatar: TextSchema,
  painPoints: z.array(z.string()),
  solutionMechanism: z.array(z.string()),
  keyCopyHooks: z.array(z.string()),
  displayOrder: z.number().int(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Bucket = z.infer<typeof BucketSchema>;

/** What a caller gives to create a bucket; text fields default to empty. */
export const BucketCreateInputSchema = z.strictObject({
  productId: IdSchema,
  name: NameSchema,
  bestFor: TextSchema.default(''),
  angle: TextSchema.default(''),
  avatar: TextSchema.default(''),
  painPoints: PhraseListSchema.default([]),
  solutionMechanism: PhraseListSchema.default([]),
  keyCopyHooks: PhraseListSchema.default([]),
  /** Position in lists; defaults to after the product's last bucket. */
  displayOrder: z.number().int().min(-1_000_000).max(1_000_000).optional(),
});
export type BucketCreateInput = z.input<typeof BucketCreateInputSchema>;

/** The fields an update may change; absent fields stay as they are. */
export const BucketUpdateInputSchema = z
  .strictObject({
    name: NameSchema,
    bestFor: TextSchema,
    angle: TextSchema,
    avatar: TextSchema,
    painPoints: PhraseListSchema,
    solutionMechanism: PhraseListSchema,
    keyCopyHooks: PhraseListSchema,
    displayOrder: z.number().int().min(-1_000_000).max(1_000_000),
  })
  .partial();
export type BucketUpdateInput = z.input<typeof BucketUpdateInputSchema>;
