import { VBucketsError } from '@vbuckets/core';
import {
  type PlatformUploader,
  type PlatformUploadOptions,
  timerSleep,
  type UploadableVideo,
  type UploadSuccess,
} from '@vbuckets/core/adapter-kit';
import { z } from 'zod';
import {
  type GraphClientSettings,
  graphClientSettings,
  graphForm,
  graphRequest,
  parseGraphAnswer,
} from './meta-graph-client';
import { isFinalProviderError } from './uploader-error';
import {
  parseUploadMetadata,
  platformUploader,
  refusingUploader,
  uploaderSettingsError,
} from './uploader-run';
import {
  apiSettingsFields,
  clockSettingsFields,
  type PollingUploaderSettings,
  pollingSettingsFields,
} from './uploader-settings';

/**
 * Settings of the Instagram Reels uploader. The access token needs `instagram_content_publish`…;
 * `baseURL` is the Graph API root with its version (default `https://graph.facebook.com/v24.0`;
 * `https://graph.instagram.com/v24.0` for Instagram Login); container status polls pause
 * `pollIntervalMs` (default 10 000 ms) and give up on a container still IN_PROGRESS after
 * `pollTimeoutMs` (default 600 000 ms).
 */
export interface InstagramReelsUploaderSettings extends PollingUploaderSettings {
  /** The Instagram professional account (IG user id) that publishes. */
  igUserId: string;
  /**
   * The wait reported when the publishing quota is spent (default 3 600 000 ms, one hour): the
   * window is a rolling 24 hours and Graph does not say when the oldest post leaves it.
   */
  quotaRetryAfterMs?: number;
}

export const INSTAGRAM_DEFAULT_BASE_URL = 'https://graph.facebook.com/v24.0';
/** Used when `content_publishing_limit` gives no `config.quota_total` (the documented limit). */
export const INSTAGRAM_DEFAULT_QUOTA_TOTAL = 50;

const SettingsSchema = z.strictObject({
  igUserId: z.string().regex(/^\d+$/u, 'must be the numeric IG user id'),
  ...apiSettingsFields,
  ...pollingSettingsFields({ pollIntervalMs: 10_000, pollTimeoutMs: 600_000 }),
  quotaRetryAfterMs: z.number().int().positive().default(3_600_000),
  ...clockSettingsFields,
});

const MetadataSchema = z.looseObject({
  /** The caption; defaults to nothing. */
  caption: z.string().max(2_200).optional(),
  /** Also show the reel in the feed grid. */
  shareToFeed: z.boolean().optional(),
});

const LimitAnswerSchema = z.object({
  data: z
    .array(
      z.object({
        quota_usage: z.number(),
        config: z.object({ quota_total: z.number().optional() }).optional(),
      }),
    )
    .min(1),
});
const IdAnswerSchema = z.object({ id: z.union([z.string().min(1), z.number()]).transform(String) });
const StatusAnswerSchema = z.object({ status_code: z.string(), status: z.string().optional() });

const PLATFORM = 'instagram';

function parseAnswer<T>(schema: z.ZodType<T>, answer: unknown, action: string): T {
  return parseGraphAnswer(PLATFORM, schema, answer, action);
}

/**
 * Publishes Reels through the Instagram Graph API. Instagram fetches the video itself, so the
 * video must offer `publicUrl()` (a presigned BlobStore URL). It reads
 * `content_publishing_limit` first (a spent quota is RATE_LIMITED), creates a container
 * (`POST /{ig-user-id}/media`, `media_type=REELS`, `video_url`), polls
 * `GET /{container-id}?fields=status_code,status` until FINISHED (ERROR is final with
 * Instagram's message), then `POST /{ig-user-id}/media_publish`. The container id is reported
 * as checkpoint `{ sessionId: containerId, offset: 0 }` (then `offset: size` with the media id
 * once published), so a retry after a crash polls and publishes that container instead of
 * creating a second one; an EXPIRED or unknown container is replaced.
 * Throws nothing: with invalid settings `validateMetadata` and `upload` answer their
 * VALIDATION error (`isSettingsError`) and nothing is sent.
 */
export function createInstagramReelsUploader(
  settings: InstagramReelsUploaderSettings,
): PlatformUploader {
  const parsed = SettingsSchema.safeParse(settings);
  if (!parsed.success) {
    return refusingUploader(
      PLATFORM,
      uploaderSettingsError(parsed.error, 'instagram uploader settings'),
    );
  }
  const value = parsed.data;
  const sleep = value.sleep ?? timerSleep;
  const now = value.now ?? Date.now;
  const client: GraphClientSettings = graphClientSettings(
    PLATFORM,
    INSTAGRAM_DEFAULT_BASE_URL,
    value,
  );
  const user = `/${value.igUserId}`;

  async function checkQuota(signal?: AbortSignal) {
    const answer = await graphRequest(client, {
      method: 'GET',
      path: `${user}/content_publishing_limit`,
      query: { fields: 'quota_usage,config' },
      action: 'publishing limit',
      signal,
    });
    const limit = parseAnswer(LimitAnswerSchema, answer, 'publishing limit').data[0];
    const usage = limit?.quota_usage ?? 0;
    const total = limit?.config?.quota_total ?? INSTAGRAM_DEFAULT_QUOTA_TOTAL;
    if (usage >= total) {
      throw new VBucketsError(
        'RATE_LIMITED',
        `The Instagram publishing quota is spent (${usage} of ${total} posts in the window)`,
        {
          retryable: true,
          retryAfterMs: value.quotaRetryAfterMs,
          details: { platform: PLATFORM, quotaUsage: usage, quotaTotal: total },
        },
      );
    }
  }

  async function containerStatus(containerId: string, signal?: AbortSignal) {
    const answer = await graphRequest(client, {
      method: 'GET',
      path: `/${containerId}`,
      query: { fields: 'status_code,status' },
      action: 'container status',
      signal,
    });
    return parseAnswer(StatusAnswerSchema, answer, 'container status');
  }

  async function createContainer(
    video: UploadableVideo,
    metadata: z.infer<typeof MetadataSchema>,
    options: PlatformUploadOptions,
  ): Promise<string> {
    const publicUrl = video.publicUrl as NonNullable<UploadableVideo['publicUrl']>;
    const url = await publicUrl.call(video);
    if (url.isErr()) throw url.error;
    const answer = await graphRequest(client, {
      method: 'POST',
      path: `${user}/media`,
      form: graphForm({
        media_type: 'REELS',
        video_url: url.value,
        ...(metadata.caption === undefined ? {} : { caption: metadata.caption }),
        ...(metadata.shareToFeed === undefined
          ? {}
          : { share_to_feed: String(metadata.shareToFeed) }),
      }),
      action: 'container create',
      signal: options.signal,
    });
    const containerId = parseAnswer(IdAnswerSchema, answer, 'container create').id;
    await options.onCheckpoint?.({ sessionId: containerId, offset: 0 });
    options.onProgress?.(0, video.sizeBytes);
    return containerId;
  }

  /** Polls until FINISHED; returns `published` when the container was already published. */
  async function waitUntilFinished(containerId: string, signal?: AbortSignal) {
    const deadline = now() + value.pollTimeoutMs;
    for (;;) {
      const { status_code: code, status } = await containerStatus(containerId, signal);
      if (code === 'FINISHED' || code === 'PUBLISHED') return code;
      if (code === 'ERROR' || code === 'EXPIRED') {
        throw new VBucketsError(
          'PROVIDER',
          `Instagram could not process the reel (${code})${status ? `: ${status}` : ''}`,
          // An expired container is replaced on the next attempt; an ERROR is the media's fault.
          {
            retryable: code === 'EXPIRED',
            details: { platform: PLATFORM, containerId, statusCode: code },
          },
        );
      }
      if (now() >= deadline) {
        throw new VBucketsError(
          'PROVIDER',
          `Instagram container ${containerId} is still ${code} after ${value.pollTimeoutMs} ms`,
          { retryable: true, details: { platform: PLATFORM, containerId } },
        );
      }
      await sleep(value.pollIntervalMs, signal);
      signal?.throwIfAborted();
    }
  }

  /** The container of an earlier attempt that can still be published, or undefined. */
  async function reusableContainer(containerId: string, signal?: AbortSignal) {
    try {
      const { status_code: code } = await containerStatus(containerId, signal);
      return code === 'EXPIRED' ? undefined : containerId;
    } catch (error) {
      // A container Graph no longer knows is replaced; anything else (auth, limits) stops here.
      if (isFinalProviderError(error)) return undefined;
      throw error;
    }
  }

  async function run(
    video: UploadableVideo,
    rawMetadata: Record<string, unknown>,
    options: PlatformUploadOptions,
  ): Promise<UploadSuccess> {
    const metadata = parseUploadMetadata(MetadataSchema, rawMetadata, 'instagram metadata');
    if (typeof video.publicUrl !== 'function') {
      throw new VBucketsError(
        'VALIDATION',
        `Instagram fetches the video from a public URL: use a BlobStore that can presign`,
        { path: 'publicUrl', details: { platform: PLATFORM, videoId: video.videoId } },
      );
    }
    const { signal } = options;
    signal?.throwIfAborted();
    const earlier = options.checkpoint;
    const publishedId = earlier?.data?.mediaId;
    if (typeof publishedId === 'string') return { platformPostId: publishedId };

    await checkQuota(signal);
    let containerId =
      earlier === null || earlier === undefined
        ? undefined
        : await reusableContainer(earlier.sessionId, signal);
    containerId ??= await createContainer(video, metadata, options);

    const state = await waitUntilFinished(containerId, signal);
    // PUBLISHED: an earlier attempt published it and crashed before hearing the media id.
    if (state === 'PUBLISHED') return { platformPostId: containerId };
    options.onProgress?.(video.sizeBytes, video.sizeBytes);
    const answer = await graphRequest(client, {
      method: 'POST',
      path: `${user}/media_publish`,
      form: graphForm({ creation_id: containerId }),
      action: 'media publish',
      signal,
    });
    const mediaId = parseAnswer(IdAnswerSchema, answer, 'media publish').id;
    await options.onCheckpoint?.({
      sessionId: containerId,
      offset: video.sizeBytes,
      data: { mediaId },
    });
    return { platformPostId: mediaId };
  }

  return platformUploader(PLATFORM, run, 'upload', {
    schema: MetadataSchema,
    subject: 'instagram metadata',
  });
}
