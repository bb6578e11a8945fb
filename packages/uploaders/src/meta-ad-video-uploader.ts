import { type UploadCheckpoint, VBucketsError } from '@vbuckets/core';
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
import { createByteRangeReader } from './uploader-byte-reader';
import { isFinalProviderError } from './uploader-error';
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

/**
 * Settings of the Meta ad video uploader. The access token needs `ads_management`; `baseURL` is
 * the Graph API root with its version (default `https://graph.facebook.com/v24.0`); status polls
 * after `finish` pause `pollIntervalMs` (default 5 000 ms) and give up after `pollTimeoutMs`
 * (default 900 000 ms).
 */
export interface MetaAdVideoUploaderSettings extends PollingUploaderSettings {
  /** The ad account, `act_<id>` or the bare numeric id. */
  adAccountId: string;
}

export const META_DEFAULT_BASE_URL = 'https://graph.facebook.com/v24.0';

const SettingsSchema = z.strictObject({
  adAccountId: z.string().regex(/^(act_)?\d+$/u, 'must be act_<digits> or digits'),
  ...apiSettingsFields,
  ...pollingSettingsFields({ pollIntervalMs: 5_000, pollTimeoutMs: 900_000 }),
  ...clockSettingsFields,
});

const MetadataSchema = z.looseObject({
  title: z.string().min(1).max(255).optional(),
  description: z.string().max(5_000).optional(),
});

const idSchema = z.union([z.string().min(1), z.number()]).transform(String);
const offsetSchema = z
  .union([z.string().regex(/^\d+$/u), z.number().int().nonnegative()])
  .transform(Number);
const StartAnswerSchema = z.object({
  upload_session_id: idSchema,
  video_id: idSchema,
  start_offset: offsetSchema,
  end_offset: offsetSchema,
});
const TransferAnswerSchema = z.object({ start_offset: offsetSchema, end_offset: offsetSchema });
const FinishAnswerSchema = z.object({ success: z.boolean() });
const StatusAnswerSchema = z.object({
  status: z.object({
    video_status: z.string(),
    processing_phase: z
      .object({
        errors: z.array(z.object({ message: z.string().optional() })).optional(),
      })
      .optional(),
  }),
});

const PLATFORM = 'meta';

/** Where a Meta session stands. */
interface MetaSessionState {
  sessionId: string;
  videoId: string;
  start: number;
  end: number;
  finished: boolean;
  /** Resumed from a checkpoint and not yet confirmed by the server: a final error means the session is gone. */
  unconfirmedResume: boolean;
}

function parseAnswer<T>(schema: z.ZodType<T>, answer: unknown, action: string): T {
  return parseGraphAnswer(PLATFORM, schema, answer, action);
}

function stateOfCheckpoint(
  checkpoint: UploadCheckpoint | null | undefined,
  sizeBytes: number,
): MetaSessionState | undefined {
  const data = checkpoint?.data;
  if (checkpoint === null || checkpoint === undefined || data === undefined) return undefined;
  const { videoId, endOffset, finished } = data as Record<string, unknown>;
  if (typeof videoId !== 'string' || typeof endOffset !== 'number') return undefined;
  if (checkpoint.offset > sizeBytes || endOffset > sizeBytes || endOffset < checkpoint.offset) {
    return undefined;
  }
  return {
    sessionId: checkpoint.sessionId,
    videoId,
    start: checkpoint.offset,
    end: endOffset,
    finished: finished === true,
    unconfirmedResume: true,
  };
}

/** A final Graph error on the first request of a resumed session: the session expired or is unknown. */
function isStaleSession(state: MetaSessionState, error: unknown): boolean {
  return (
    state.unconfirmedResume &&
    isFinalProviderError(error) &&
    typeof error.details?.graphCode === 'number'
  );
}

/**
 * Uploads videos to a Meta ad account's video library (`POST /{act_id}/advideos`) with the
 * resumable protocol: `upload_phase=start` (file size → session, video id and the first byte
 * range), `transfer` of each `video_file_chunk` at exactly the `start_offset`/`end_offset` the
 * server answered, `finish` (title, description), then `GET /{video_id}?fields=status` until
 * `video_status` is `ready`. After `start` and every transfer it reports a checkpoint
 * `{ sessionId: upload_session_id, offset: start_offset, data: { videoId, endOffset } }`; given
 * one back, it continues that session, and when Graph refuses it (the session expired) it
 * starts a new one. The post id is the video id.
 * Throws nothing: with invalid settings `validateMetadata` and `upload` answer their
 * VALIDATION error (`isSettingsError`) and nothing is sent.
 */
export function createMetaAdVideoUploader(settings: MetaAdVideoUploaderSettings): PlatformUploader {
  const parsed = SettingsSchema.safeParse(settings);
  if (!parsed.success) {
    return refusingUploader(
      PLATFORM,
      uploaderSettingsError(parsed.error, 'meta uploader settings'),
    );
  }
  const value = parsed.data;
  const adAccount = value.adAccountId.startsWith('act_')
    ? value.adAccountId
    : `act_${value.adAccountId}`;
  const sleep = value.sleep ?? timerSleep;
  const now = value.now ?? Date.now;
  const client: GraphClientSettings = graphClientSettings(PLATFORM, META_DEFAULT_BASE_URL, value);
  const advideos = `/${adAccount}/advideos`;

  async function startSession(
    video: UploadableVideo,
    signal?: AbortSignal,
  ): Promise<MetaSessionState> {
    const answer = await graphRequest(client, {
      method: 'POST',
      path: advideos,
      form: graphForm({ upload_phase: 'start', file_size: String(video.sizeBytes) }),
      action: 'upload start',
      signal,
    });
    const started = parseAnswer(StartAnswerSchema, answer, 'upload start');
    return {
      sessionId: started.upload_session_id,
      videoId: started.video_id,
      start: started.start_offset,
      end: started.end_offset,
      finished: false,
      unconfirmedResume: false,
    };
  }

  async function waitUntilReady(videoId: string, signal?: AbortSignal): Promise<void> {
    const deadline = now() + value.pollTimeoutMs;
    for (;;) {
      const answer = await graphRequest(client, {
        method: 'GET',
        path: `/${videoId}`,
        query: { fields: 'status' },
        action: 'video status',
        signal,
      });
      const status = parseAnswer(StatusAnswerSchema, answer, 'video status').status;
      if (status.video_status === 'ready') return;
      if (status.video_status === 'error' || status.video_status === 'expired') {
        const reason = status.processing_phase?.errors?.find((each) => each.message)?.message;
        throw new VBucketsError(
          'PROVIDER',
          `Meta rejected the video (${status.video_status})${reason ? `: ${reason}` : ''}`,
          {
            retryable: false,
            details: { platform: PLATFORM, videoId, videoStatus: status.video_status },
          },
        );
      }
      if (now() >= deadline) {
        throw new VBucketsError(
          'PROVIDER',
          `Meta video ${videoId} is still ${status.video_status} after ${value.pollTimeoutMs} ms`,
          { retryable: true, details: { platform: PLATFORM, videoId } },
        );
      }
      await sleep(value.pollIntervalMs, signal);
      signal?.throwIfAborted();
    }
  }

  async function continueSession(
    video: UploadableVideo,
    metadata: z.infer<typeof MetadataSchema>,
    state: MetaSessionState,
    options: PlatformUploadOptions,
  ): Promise<UploadSuccess> {
    const { signal } = options;
    const report = async () => {
      await options.onCheckpoint?.({
        sessionId: state.sessionId,
        offset: state.start,
        data: {
          videoId: state.videoId,
          endOffset: state.end,
          ...(state.finished ? { finished: true } : {}),
        },
      });
      options.onProgress?.(state.start, video.sizeBytes);
    };
    if (!state.unconfirmedResume) await report();
    const reader = createByteRangeReader(video, PLATFORM);
    try {
      while (!state.finished && state.start < state.end) {
        const chunk = await reader.read(state.start, state.end);
        const body = graphForm({
          upload_phase: 'transfer',
          upload_session_id: state.sessionId,
          start_offset: String(state.start),
        });
        body.set(
          'video_file_chunk',
          new Blob([chunk], { type: 'application/octet-stream' }),
          video.filename,
        );
        const answer = await graphRequest(client, {
          method: 'POST',
          path: advideos,
          form: body,
          action: 'upload transfer',
          signal,
        });
        const next = parseAnswer(TransferAnswerSchema, answer, 'upload transfer');
        state.unconfirmedResume = false;
        state.start = next.start_offset;
        state.end = next.end_offset;
        await report();
      }
    } finally {
      await reader.close();
    }
    if (!state.finished) {
      const answer = await graphRequest(client, {
        method: 'POST',
        path: advideos,
        form: graphForm({
          upload_phase: 'finish',
          upload_session_id: state.sessionId,
          title: metadata.title ?? video.title,
          ...(metadata.description === undefined ? {} : { description: metadata.description }),
        }),
        action: 'upload finish',
        signal,
      });
      if (!parseAnswer(FinishAnswerSchema, answer, 'upload finish').success) {
        throw new VBucketsError('PROVIDER', `Meta did not accept the upload finish`, {
          retryable: true,
          details: { platform: PLATFORM, videoId: state.videoId },
        });
      }
      state.unconfirmedResume = false;
      state.finished = true;
      state.start = video.sizeBytes;
      await report();
    }
    await waitUntilReady(state.videoId, signal);
    return { platformPostId: state.videoId };
  }

  // Graph upload sessions expire; a refused session is replaced by a new one.
  const run = resumableUploadRun({
    platform: PLATFORM,
    metadataSchema: MetadataSchema,
    metadataSubject: 'meta metadata',
    stateOfCheckpoint,
    isStale: isStaleSession,
    start: (video, _metadata, signal) => startSession(video, signal),
    proceed: continueSession,
  });

  return platformUploader(PLATFORM, run, 'upload', {
    schema: MetadataSchema,
    subject: 'meta metadata',
  });
}
