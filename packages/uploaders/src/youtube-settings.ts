import type { VBucketsError } from '@vbuckets/core';
import type { UploadableVideo } from '@vbuckets/core/adapter-kit';
import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import { parseUploadMetadata, uploaderSettingsError } from './uploader-run';
import {
  type AccessTokenSource,
  type ApiUploaderSettings,
  apiRoot,
  apiSettingsFields,
  functionSchema,
} from './uploader-settings';

/** Returns a current OAuth access token with the `youtube.upload` scope; refreshing it is the host's job. */
export type AccessTokenProvider = AccessTokenSource;

/** The privacy of a new video. */
export type YouTubePrivacyStatus = 'private' | 'unlisted' | 'public';

/**
 * Settings of the YouTube uploader. The access token needs the `youtube.upload` scope;
 * `baseURL` defaults to `https://www.googleapis.com`; `requestTimeoutMs` (default 300 000 ms)
 * limits each request, a chunk PUT included.
 */
export interface YouTubeUploaderSettings extends ApiUploaderSettings {
  /** Bytes per PUT, a multiple of 256 KiB (default 8 MiB): the most video bytes held in memory. */
  chunkBytes?: number;
  /** Privacy when the metadata names none (default `private`). */
  privacyStatus?: YouTubePrivacyStatus;
}

export const YOUTUBE_CHUNK_GRANULARITY = 256 * 1024;
export const DEFAULT_YOUTUBE_BASE_URL = 'https://www.googleapis.com';

const PrivacySchema = z.enum(['private', 'unlisted', 'public']);

const SettingsSchema = z.strictObject({
  accessToken: functionSchema<AccessTokenProvider>('access token'),
  baseURL: apiSettingsFields.baseURL,
  chunkBytes: z
    .number()
    .int()
    .positive()
    .refine((value) => value % YOUTUBE_CHUNK_GRANULARITY === 0, {
      error: `must be a multiple of 256 KiB (${YOUTUBE_CHUNK_GRANULARITY} bytes)`,
    })
    .default(8 * 1024 * 1024),
  privacyStatus: PrivacySchema.default('private'),
  requestTimeoutMs: z.number().int().positive().default(300_000),
  headers: apiSettingsFields.headers,
  fetch: apiSettingsFields.fetch,
});

export interface ResolvedYouTubeSettings {
  accessToken: AccessTokenProvider;
  baseURL: string;
  chunkBytes: number;
  privacyStatus: YouTubePrivacyStatus;
  requestTimeoutMs: number;
  headers: Record<string, string>;
  fetch: typeof globalThis.fetch;
}

/** Parses the settings (strict: an unknown key is an error), or the VALIDATION error naming the field. */
export function resolveYouTubeSettings(
  settings: YouTubeUploaderSettings,
): Result<ResolvedYouTubeSettings, VBucketsError> {
  const parsed = SettingsSchema.safeParse(settings);
  if (!parsed.success) return err(uploaderSettingsError(parsed.error, 'youtube settings'));
  const value = parsed.data;
  return ok({
    accessToken: value.accessToken,
    baseURL: apiRoot(value.baseURL, DEFAULT_YOUTUBE_BASE_URL),
    chunkBytes: value.chunkBytes,
    privacyStatus: value.privacyStatus,
    requestTimeoutMs: value.requestTimeoutMs,
    headers: value.headers ?? {},
    fetch: value.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  });
}

/** The platform metadata a YouTube upload takes (strict: an unknown key is an error). */
export const YouTubeMetadataSchema = z.strictObject({
  /** Default: the video's title. YouTube allows 100 characters and no `<` or `>`. */
  title: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[^<>]*$/u, 'must not contain < or >')
    .optional(),
  description: z
    .string()
    .max(5000)
    .regex(/^[^<>]*$/u, 'must not contain < or >')
    .optional(),
  tags: z.array(z.string().trim().min(1).max(500)).max(500).optional(),
  /** A numeric YouTube category id, e.g. `22` (People & Blogs). */
  categoryId: z.string().regex(/^\d+$/u, 'must be a numeric category id').optional(),
  privacyStatus: PrivacySchema.optional(),
  /** `status.selfDeclaredMadeForKids`. */
  madeForKids: z.boolean().optional(),
});
export type YouTubeMetadata = z.infer<typeof YouTubeMetadataSchema>;

/** The `snippet` and `status` parts of the video resource sent at the session start. */
export function youTubeVideoResource(
  video: UploadableVideo,
  metadata: YouTubeMetadata,
  defaultPrivacy: YouTubePrivacyStatus,
): Record<string, unknown> {
  const snippet: Record<string, unknown> = { title: metadata.title ?? video.title };
  if (metadata.description !== undefined) snippet.description = metadata.description;
  if (metadata.tags !== undefined) snippet.tags = metadata.tags;
  if (metadata.categoryId !== undefined) snippet.categoryId = metadata.categoryId;
  const status: Record<string, unknown> = {
    privacyStatus: metadata.privacyStatus ?? defaultPrivacy,
  };
  if (metadata.madeForKids !== undefined) status.selfDeclaredMadeForKids = metadata.madeForKids;
  return { snippet, status };
}

/** Parses upload metadata; throws a VALIDATION error naming the field. */
export function parseYouTubeMetadata(metadata: Record<string, unknown>): YouTubeMetadata {
  return parseUploadMetadata(YouTubeMetadataSchema, metadata, 'youtube metadata');
}
