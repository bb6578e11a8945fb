import { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';

/** S3 refuses smaller parts (except the last). */
export const MIN_PART_SIZE_BYTES = 5 * 1024 * 1024;
/** Part size by default: memory per upload is about `queueSize × partSizeBytes`. */
export const DEFAULT_PART_SIZE_BYTES = 8 * 1024 * 1024;
export const DEFAULT_QUEUE_SIZE = 4;
/** Presigned URLs live one hour unless asked otherwise. */
export const DEFAULT_PRESIGN_TTL_SEC = 3600;
/** SigV4 presigned URLs cannot outlive seven days. */
export const MAX_PRESIGN_TTL_SEC = 604_800;

export const CredentialsSchema = z.strictObject({
  accessKeyId: z.string().min(1, 'must not be empty'),
  secretAccessKey: z.string().min(1, 'must not be empty'),
  sessionToken: z.string().min(1).optional(),
});

const httpUrl = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//iu.test(value), 'must be an http(s) URL');

export const TransferSchema = {
  partSizeBytes: z
    .number()
    .int()
    .min(MIN_PART_SIZE_BYTES, `must be at least ${MIN_PART_SIZE_BYTES} (5 MiB)`)
    .optional(),
  queueSize: z.number().int().min(1).max(64).optional(),
  maxAttempts: z.number().int().min(1).max(20).optional(),
};

export const S3BlobStoreSettingsSchema = z.strictObject({
  endpoint: httpUrl.optional(),
  region: z.string().min(1, 'must not be empty'),
  bucket: z.string().min(1, 'must not be empty'),
  prefix: z.string().optional(),
  credentials: CredentialsSchema.optional(),
  forcePathStyle: z.boolean().optional(),
  publicBaseUrl: httpUrl.optional(),
  client: z.instanceof(S3Client).optional(),
  ...TransferSchema,
});

export const R2StorageSettingsSchema = z
  .strictObject({
    accountId: z
      .string()
      .regex(/^[a-z0-9]+$/iu, 'must be the Cloudflare account id (letters and digits)')
      .optional(),
    endpoint: httpUrl.optional(),
    region: z.string().min(1).optional(),
    credentials: CredentialsSchema.optional(),
    publicBucket: z.string().min(1, 'must not be empty'),
    privateBucket: z.string().min(1, 'must not be empty'),
    publicBaseUrl: httpUrl.optional(),
    forcePathStyle: z.boolean().optional(),
    client: z.instanceof(S3Client).optional(),
    ...TransferSchema,
  })
  .refine((value) => value.publicBucket !== value.privateBucket, {
    message: 'must differ from publicBucket',
    path: ['privateBucket'],
  });
