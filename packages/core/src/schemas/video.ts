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
  createdAt: TimestampSchema,
});
export type Video = z.infer<typeof VideoSchema>;

/** What the store needs to insert a video (id and createdAt are set by the caller service). */
export type VideoInsert = Video;
