import { z } from 'zod';
import { IdSchema, JsonObjectSchema, TimestampSchema } from './common';

export const UploadStatusSchema = z.enum([
  'PENDING',
  'IN_PROGRESS',
  'SUCCESS',
  'FAILED',
  'FAILED_FINAL',
  'BLOCKED',
  'RATE_LIMITED',
]);
export type UploadStatus = z.infer<typeof UploadStatusSchema>;

/** A platform name as the uploader reports it, e.g. `youtube`, `meta`, `tiktok`. */
export const PlatformSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/i, 'must be letters, digits, "-" or "_"');

/**
 * Where a resumable platform upload got to, so a retry continues the same platform session
 * instead of posting again (YouTube session URI + offset, Meta session + offsets, TikTok publish id).
 */
export const UploadCheckpointSchema = z.strictObject({
  /** The platform's resumable session handle (URI or id). */
  sessionId: z.string().min(1),
  /** Bytes the platform has confirmed. */
  offset: z.number().int().nonnegative(),
  /** Platform-specific extras (end offset, publish id, …). */
  data: JsonObjectSchema.optional(),
});
export type UploadCheckpoint = z.infer<typeof UploadCheckpointSchema>;

/** The current state of one (video, platform) pair. */
export const UploadSchema = z.strictObject({
  id: IdSchema,
  orgId: IdSchema,
  videoId: IdSchema,
  platform: PlatformSchema,
  status: UploadStatusSchema,
  retryCount: z.number().int().nonnegative(),
  platformPostId: z.string().nullable(),
  errorMessage: z.string().nullable(),
  /** When an automatic retry is due (FAILED, RATE_LIMITED). */
  nextAttemptAt: TimestampSchema.nullable(),
  /** Who holds the IN_PROGRESS claim, and until when. */
  leaseOwner: z.string().nullable(),
  leaseExpiresAt: TimestampSchema.nullable(),
  checkpoint: UploadCheckpointSchema.nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Upload = z.infer<typeof UploadSchema>;

/** One line of the audit trail: every upload transition writes one (seed 001's JSON log fields). */
export const AuditEventSchema = z.strictObject({
  id: IdSchema,
  at: TimestampSchema,
  orgId: IdSchema,
  videoId: IdSchema,
  platform: PlatformSchema,
  status: UploadStatusSchema,
  uploadId: IdSchema.nullable(),
  retryCount: z.number().int().nonnegative(),
  errorMessage: z.string().nullable(),
  metadata: JsonObjectSchema,
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;

/**
 * One attempt to post a (video, platform) pair: a row is added by every successful claim and
 * only its end (status, finishedAt, errorMessage, platformPostId) is ever written afterwards,
 * so the history of an upload is never overwritten.
 */
export const UploadAttemptSchema = z.strictObject({
  id: IdSchema,
  orgId: IdSchema,
  uploadId: IdSchema,
  videoId: IdSchema,
  platform: PlatformSchema,
  /** 1 for the first attempt of the pair, then one more per claim. */
  attemptNumber: z.number().int().positive(),
  /** The worker that claimed it (the lease owner). */
  owner: z.string().min(1),
  /** IN_PROGRESS while running; then how it ended (a reclaimed attempt ends FAILED). */
  status: UploadStatusSchema,
  startedAt: TimestampSchema,
  finishedAt: TimestampSchema.nullable(),
  errorMessage: z.string().nullable(),
  platformPostId: z.string().nullable(),
});
export type UploadAttempt = z.infer<typeof UploadAttemptSchema>;
