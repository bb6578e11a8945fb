import { z } from 'zod';
import { IdSchema, NameSchema, TimestampSchema } from './common';

/** A video kept in the BlobStore and known to the registry (seed 001). */
export const VideoSchema = z.strictObject({
  id: IdSchema,
  orgId: IdSchema,
  ownerId: IdSchema,
  title: NameSchema,
  filename: NameSchema,
  /** The BlobStore key of the bytes. */
  blobKey: z.string().min(1),
  /** Lower-case hex SHA-256 of the bytes. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters'),
  sizeBytes: z.number().int().nonnegative(),
  mimeType: z.string().min(1),
  /** Null until probed. */
  durationSec: z.number().nonnegative().nullable(),
  duplicateAllowed: z.boolean(),
  /**
   * `public`: a market benchmark any authenticated user may watch (and anyone may list);
   * `private`: a client video only its owner may reach (seeds 003, 004).
   */
  visibility: z.enum(['public', 'private']),
  /** The product category a benchmark is filed under (`language_learning`, …); null when none. */
  productCategory: z.string().trim().min(1).max(100).nullable(),
  createdAt: TimestampSchema,
});
export type Video = z.infer<typeof VideoSchema>;
export type VideoVisibility = Video['visibility'];

/** What the store needs to insert a video (id and createdAt are set by the caller service). */
export type VideoInsert = Video;
