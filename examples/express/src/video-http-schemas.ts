import {
  IdSchema,
  MAX_ACCESS_TTL_SEC,
  PageSchema,
  UploadStatusSchema,
  VideoSchema,
} from '@vbuckets/core';
import { z } from 'zod';

/**
 * A query-string number checked by core's own rule: `?limit=20` arrives as the string "20".
 * Wrap the result in `.optional()` for an optional parameter.
 */
export function queryNumber<Output>(schema: z.ZodType<Output, number>) {
  return z.coerce.number<string | number>().pipe(schema);
}

/** Keyset paging in a query string (`?limit=50&after=<last id>`), core's PageSchema. */
export const PageQuerySchema = z.strictObject({
  limit: queryNumber(PageSchema.shape.limit.unwrap())
    .optional()
    .describe('Items on this page (1..1000, default 100)'),
  after: PageSchema.shape.after.describe('The id of the last item of the page before'),
});

export const VideoParams = z.strictObject({ videoId: IdSchema });

/** A video of `GET /videos`: with the status of its upload to each platform ever attempted. */
export const VideoWithUploadsSchema = VideoSchema.extend({
  uploads: z.record(z.string(), UploadStatusSchema),
});

/** What `POST /videos` answers: the video, and whether it was new or the org's identical one. */
export const RegisteredVideoSchema = z.object({
  video: VideoSchema,
  created: z
    .boolean()
    .describe('false when the org already had this content: its video is returned'),
  repaired: z
    .boolean()
    .describe("true when these bytes replaced that video's lost or damaged copy"),
});

const StoredCopySchema = z.object({ sha256: z.string(), sizeBytes: z.number().int() });

/** What a re-read of a video's stored bytes found (`videos.verify`). */
export const VideoVerificationSchema = z.object({
  status: z.enum(['ok', 'missing', 'corrupted']),
  expected: StoredCopySchema,
  actual: StoredCopySchema.nullable(),
});

/** A URL that plays a video (`access.getVideoAccess`). */
export const VideoAccessSchema = z.object({
  videoId: z.string(),
  url: z.string(),
  expiresIn: z
    .number()
    .int()
    .nullable()
    .describe('Seconds the URL stays valid; null when permanent'),
  expiresAt: z.string().nullable(),
  isPublic: z.boolean(),
});

/** `?ttlSec=` of an access URL: 1 s .. 7 days, default one hour. */
export const AccessQuerySchema = z.strictObject({
  ttlSec: queryNumber(z.number().int().min(1).max(MAX_ACCESS_TTL_SEC))
    .optional()
    .describe('Seconds a presigned URL stays valid (default 3600, at most 604800)'),
});
