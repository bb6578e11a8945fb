import { type UploadCheckpoint, VBucketsError } from '@vbuckets/core';
import {
  type PlatformUploader,
  type PlatformUploadOptions,
  timerSleep,
  type UploadableVideo,
  type UploadSuccess,
} from '@vbuckets/core/adapter-kit';
import { z } from 'zod';
import { apiClientSettings } from './api-client';
import { tiktokApiCall, tiktokHttpError } from './tiktok-error';
import { createByteRangeReader } from './uploader-byte-reader';
import { isFinalProviderError, mapNetworkFailure } from './uploader-error';
import {
  platformUploader,
  refusingUploader,
  resumableUploadRun,
  uploaderSettingsError,
} from './uploader-run';
import {
  apiSettingsFields,
  clockSettingsFields,
  type PollingUploaderSettings,
  pollingSettingsFields,
} from './uploader-settings';

/** `inbox`: the video lands in the user's TikTok inbox to finish and post; `direct`: posted at once. */
export type TikTokPostMode = 'inbox' | 'direct';

/**
 * Settings of the TikTok uploader. The access token is the user's (`video.upload` or
 * `video.publish`); `baseURL` is the API root (default `https://open.tiktokapis.com`); `headers`
 * go on the JSON requests (not on the chunk PUTs); status fetches pause `pollIntervalMs`
 * (default 5 000 ms) and give up on a post still processing after `pollTimeoutMs` (default
 * 600 000 ms).
 */
export interface TikTokUploaderSettings extends PollingUploaderSettings {
  /** `inbox` (default, `/v2/post/publish/inbox/video/init/`) or `direct` (`/v2/post/publish/video/init/`). */
  mode?: TikTokPostMode;
  /** Chunk size (default 10 MiB; TikTok accepts 5–64 MB, a smaller video goes whole): the most video bytes held in memory. */
  chunkBytes?: number;
}

export const TIKTOK_DEFAULT_BASE_URL = 'https://open.tiktokapis.com';

// `mode` sits between `accessToken` and the other API fields (the order of validation issues).
const { accessToken: accessTokenField, ...connectionFields } = apiSettingsFields;
const SettingsSchema = z.strictObject({
  accessToken: accessTokenField,
  mode: z.enum(['inbox', 'direct']).default('inbox'),
  ...connectionFields,
  chunkBytes: z
    .number()
    .int()
    .positive()
    .max(64 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  ...pollingSettingsFields({ pollIntervalMs: 5_000, pollTimeoutMs: 600_000 }),
  ...clockSettingsFields,
});

/** Direct-post fields (`post_info`); the inbox mode ignores them. */
const MetadataSchema = z.looseObject({
  title: z.string().max(2_200).optional(),
  privacyLevel: z
    .enum(['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'FOLLOWER_OF_CREATOR', 'SELF_ONLY'])
    .optional(),
  disableComment: z.boolean().optional(),
  disableDuet: z.boolean().optional(),
  disableStitch: z.boolean().optional(),
  videoCoverTimestampMs: z.number().int().nonnegative().optional(),
});
type TikTokMetadata = z.infer<typeof MetadataSchema>;

const InitDataSchema = z.object({ publish_id: z.string().min(1), upload_url: z.url() });
const StatusDataSchema = z.object({
  status: z.string(),
  fail_reason: z.string().optional(),
  publicaly_available_post_id: z.array(z.union([z.string(), z.number()])).optional(),
});

const PLATFORM = 'tiktok';

/** The chunk plan TikTok accepts: `floor(size / chunk)` chunks, the last one taking the rest. */
export function tiktokChunkPlan(videoSize: number, preferredChunk: number) {
  if (videoSize <= preferredChunk) return { chunkSize: videoSize, totalChunkCount: 1 };
  const chunkSize = Math.max(preferredChunk, Math.ceil(videoSize / 1000));
  return { chunkSize, totalChunkCount: Math.floor(videoSize / chunkSize) };
}

interface TikTokState {
  publishId: string;
  uploadUrl: string;
  chunkSize: number;
  totalChunkCount: number;
  /** Bytes TikTok confirmed (the next chunk's first byte). */
  offset: number;
  unconfirmedResume: boolean;
}

function stateOfCheckpoint(
  checkpoint: UploadCheckpoint | null | undefined,
  sizeBytes: number,
): TikTokState | undefined {
  const data = checkpoint?.data as Record<string, unknown> | undefined;
  if (checkpoint === null || checkpoint === undefined || data === undefined) return undefined;
  const { uploadUrl, chunkSize, totalChunkCount } = data;
  if (
    typeof uploadUrl !== 'string' ||
    typeof chunkSize !== 'number' ||
    typeof totalChunkCount !== 'number'
  ) {
    return undefined;
  }
  if (
    checkpoint.offset > sizeBytes ||
    (checkpoint.offset < sizeBytes && checkpoint.offset % chunkSize !== 0)
  ) {
    return undefined;
  }
  return {
    publishId: checkpoint.sessionId,
    uploadUrl,
    chunkSize,
    totalChunkCount,
    offset: checkpoint.offset,
    unconfirmedResume: true,
  };
}

/** Upload URLs expire: a refused one (a final 4xx before any progress) means starting over. */
function isStaleUpload(state: TikTokState, error: unknown): boolean {
  return state.unconfirmedResume && isFinalProviderError(error);
}

function unexpected(action: string, answer: unknown, cause: unknown): VBucketsError {
  return new VBucketsError('PROVIDER', `TikTok gave an unexpected answer to ${action}`, {
    cause,
    retryable: false,
    details: { platform: PLATFORM, answer: JSON.stringify(answer)?.slice(0, 500) },
  });
}

/**
 * Uploads videos with TikTok's Content Posting API: init with a `FILE_UPLOAD` source (the
 * video size and the chunk plan TikTok requires) → `publish_id` and `upload_url`; the chunks
 * PUT in order with `Content-Range: bytes first-last/total`; then `status/fetch` until
 * `SEND_TO_USER_INBOX` (inbox mode) or `PUBLISH_COMPLETE` (direct post); `FAILED` is a final
 * error with TikTok's `fail_reason`. After init and every chunk it reports a checkpoint
 * `{ sessionId: publish_id, offset, data: { uploadUrl, chunkSize, totalChunkCount } }`; given one
 * back it continues at the next chunk, and starts over when TikTok refuses the old upload URL
 * (they expire). The post id is the public post id when TikTok gives one, else the publish id.
 * Throws nothing: with invalid settings `validateMetadata` and `upload` answer their
 * VALIDATION error (`isSettingsError`) and nothing is sent.
 */
export function createTikTokUploader(settings: TikTokUploaderSettings): PlatformUploader {
  const parsed = SettingsSchema.safeParse(settings);
  if (!parsed.success) {
    return refusingUploader(
      PLATFORM,
      uploaderSettingsError(parsed.error, 'tiktok uploader settings'),
    );
  }
  const value = parsed.data;
  const doFetch = (...args: Parameters<typeof globalThis.fetch>) =>
    (value.fetch ?? globalThis.fetch)(...args);
  const sleep = value.sleep ?? timerSleep;
  const now = value.now ?? Date.now;

  /** The caller's signal plus the time limit of one chunk PUT (the upload URL takes no token). */
  const requestSignal = (signal?: AbortSignal) => {
    const timeout = AbortSignal.timeout(value.requestTimeoutMs);
    return signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
  };
  const client = apiClientSettings(PLATFORM, TIKTOK_DEFAULT_BASE_URL, value);

  /** POSTs JSON to the API and returns `data`; an `error.code` other than `ok` is thrown mapped. */
  const apiCall = (path: string, body: unknown, action: string, signal?: AbortSignal) =>
    tiktokApiCall(client, path, body, action, signal);

  async function init(video: UploadableVideo, metadata: TikTokMetadata, signal?: AbortSignal) {
    const plan = tiktokChunkPlan(video.sizeBytes, value.chunkBytes);
    const direct = value.mode === 'direct';
    const data = await apiCall(
      direct ? '/v2/post/publish/video/init/' : '/v2/post/publish/inbox/video/init/',
      {
        ...(direct
          ? {
              post_info: {
                title: metadata.title ?? video.title,
                privacy_level: metadata.privacyLevel ?? 'SELF_ONLY',
                disable_comment: metadata.disableComment ?? false,
                disable_duet: metadata.disableDuet ?? false,
                disable_stitch: metadata.disableStitch ?? false,
                ...(metadata.videoCoverTimestampMs === undefined
                  ? {}
                  : { video_cover_timestamp_ms: metadata.videoCoverTimestampMs }),
              },
            }
          : {}),
        source_info: {
          source: 'FILE_UPLOAD',
          video_size: video.sizeBytes,
          chunk_size: plan.chunkSize,
          total_chunk_count: plan.totalChunkCount,
        },
      },
      'upload init',
      signal,
    );
    const answer = InitDataSchema.safeParse(data);
    if (!answer.success) throw unexpected('upload init', data, answer.error);
    return {
      publishId: answer.data.publish_id,
      uploadUrl: answer.data.upload_url,
      ...plan,
      offset: 0,
      unconfirmedResume: false,
    } satisfies TikTokState;
  }

  async function putChunk(
    state: TikTokState,
    video: UploadableVideo,
    bytes: Uint8Array,
    first: number,
    signal?: AbortSignal,
  ) {
    const last = first + bytes.byteLength - 1;
    let response: Response;
    try {
      response = await doFetch(state.uploadUrl, {
        method: 'PUT',
        headers: {
          'content-type': video.mimeType,
          'content-range': `bytes ${first}-${last}/${video.sizeBytes}`,
        },
        body: bytes,
        signal: requestSignal(signal),
      });
      const text = await response.text();
      if (response.status !== 201 && response.status !== 206 && !response.ok) {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // Kept as text.
        }
        throw tiktokHttpError(response.status, body, response.headers, 'chunk upload');
      }
    } catch (error) {
      throw mapNetworkFailure(PLATFORM, error, signal, 'chunk upload');
    }
  }

  async function waitForPost(state: TikTokState, signal?: AbortSignal): Promise<UploadSuccess> {
    const deadline = now() + value.pollTimeoutMs;
    for (;;) {
      const data = await apiCall(
        '/v2/post/publish/status/fetch/',
        { publish_id: state.publishId },
        'status fetch',
        signal,
      );
      const answer = StatusDataSchema.safeParse(data);
      if (!answer.success) throw unexpected('status fetch', data, answer.error);
      state.unconfirmedResume = false;
      const { status } = answer.data;
      if (status === 'PUBLISH_COMPLETE' || status === 'SEND_TO_USER_INBOX') {
        const postId = answer.data.publicaly_available_post_id?.[0];
        return { platformPostId: postId === undefined ? state.publishId : String(postId) };
      }
      if (status === 'FAILED') {
        throw new VBucketsError(
          'PROVIDER',
          `TikTok failed the post: ${answer.data.fail_reason ?? 'no reason given'}`,
          {
            retryable: false,
            details: {
              platform: PLATFORM,
              publishId: state.publishId,
              failReason: answer.data.fail_reason,
            },
          },
        );
      }
      if (now() >= deadline) {
        throw new VBucketsError(
          'PROVIDER',
          `TikTok post ${state.publishId} is still ${status} after ${value.pollTimeoutMs} ms`,
          { retryable: true, details: { platform: PLATFORM, publishId: state.publishId } },
        );
      }
      await sleep(value.pollIntervalMs, signal);
      signal?.throwIfAborted();
    }
  }

  async function continuePublish(
    video: UploadableVideo,
    state: TikTokState,
    options: PlatformUploadOptions,
  ): Promise<UploadSuccess> {
    const { signal } = options;
    const report = async () => {
      await options.onCheckpoint?.({
        sessionId: state.publishId,
        offset: state.offset,
        data: {
          uploadUrl: state.uploadUrl,
          chunkSize: state.chunkSize,
          totalChunkCount: state.totalChunkCount,
        },
      });
      options.onProgress?.(state.offset, video.sizeBytes);
    };
    if (!state.unconfirmedResume) await report();
    const reader = createByteRangeReader(video, PLATFORM);
    try {
      while (state.offset < video.sizeBytes) {
        const index = Math.floor(state.offset / state.chunkSize);
        const end =
          index >= state.totalChunkCount - 1 ? video.sizeBytes : state.offset + state.chunkSize;
        const bytes = await reader.read(state.offset, end);
        await putChunk(state, video, bytes, state.offset, signal);
        state.unconfirmedResume = false;
        state.offset = end;
        await report();
      }
    } finally {
      await reader.close();
    }
    return waitForPost(state, signal);
  }

  const run = resumableUploadRun({
    platform: PLATFORM,
    metadataSchema: MetadataSchema,
    metadataSubject: 'tiktok metadata',
    stateOfCheckpoint,
    isStale: isStaleUpload,
    start: init,
    proceed: (video, _metadata, state, options) => continuePublish(video, state, options),
  });

  return platformUploader(PLATFORM, run, 'upload', {
    schema: MetadataSchema,
    subject: 'tiktok metadata',
  });
}
