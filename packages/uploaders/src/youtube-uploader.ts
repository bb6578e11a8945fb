import { type UploadCheckpoint, VBucketsError } from '@vbuckets/core';
import type {
  PlatformUploader,
  PlatformUploadOptions,
  UploadableVideo,
  UploadSuccess,
} from '@vbuckets/core/adapter-kit';
import { mapHttpFailure } from './uploader-error';
import { platformUploader, refusingUploader } from './uploader-run';
import { ChunkReader } from './youtube-chunk-reader';
import {
  parseYouTubeMetadata,
  type ResolvedYouTubeSettings,
  resolveYouTubeSettings,
  YouTubeMetadataSchema,
  type YouTubeUploaderSettings,
  youTubeVideoResource,
} from './youtube-settings';

const PLATFORM = 'youtube';

/** Where a session stands: bytes the server holds, or the finished video's id. */
type SessionState = { kind: 'incomplete'; offset: number } | { kind: 'done'; videoId: string };

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `Range: bytes=0-N` → N + 1; no header means nothing is stored yet. */
function rangeOffset(response: Response): number {
  const match = /bytes=0-(\d+)/u.exec(response.headers.get('range') ?? '');
  return match ? Number(match[1]) + 1 : 0;
}

async function finishedVideo(response: Response): Promise<string> {
  const body = await readBody(response);
  const id = (body as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' || id === '') {
    throw new VBucketsError('PROVIDER', 'YouTube answered the finished upload without a video id', {
      retryable: false,
      details: { platform: PLATFORM, httpStatus: response.status },
    });
  }
  return id;
}

/**
 * A PlatformUploader on the YouTube Data API v3 resumable upload: one session per video,
 * chunks PUT with `Content-Range`, each acknowledged chunk reported as a checkpoint
 * `{ sessionId: sessionUri, offset }`. Called with a checkpoint, it asks the session where it
 * is (`Content-Range: bytes *\/total`) and continues from the server's `Range`, or returns the
 * finished video; a session that expired (404/410) is started afresh. A dropped connection
 * fails the call with a retryable error: retrying (with the last checkpoint) is the caller's.
 * Throws nothing: with invalid settings `validateMetadata` and `upload` answer their
 * VALIDATION error (`isSettingsError`) and nothing is sent.
 */
export function createYouTubeUploader(settings: YouTubeUploaderSettings): PlatformUploader {
  const resolved = resolveYouTubeSettings(settings);
  if (resolved.isErr()) return refusingUploader(PLATFORM, resolved.error);
  return platformUploader(
    PLATFORM,
    (video, metadata, options) => uploadVideo(resolved.value, video, metadata, options),
    undefined,
    { schema: YouTubeMetadataSchema, subject: 'youtube metadata' },
  );
}

async function uploadVideo(
  settings: ResolvedYouTubeSettings,
  video: UploadableVideo,
  rawMetadata: Record<string, unknown>,
  options: PlatformUploadOptions,
): Promise<UploadSuccess> {
  const { signal } = options;
  signal?.throwIfAborted();
  const metadata = parseYouTubeMetadata(rawMetadata);
  const total = video.sizeBytes;

  /** The caller's signal, plus a time limit per request (a hung connection must not block forever). */
  function requestSignal(): AbortSignal {
    const timeout = AbortSignal.timeout(settings.requestTimeoutMs);
    return signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
  }

  async function headers(extra: Record<string, string>): Promise<Record<string, string>> {
    let token: string;
    try {
      token = await settings.accessToken();
    } catch (error) {
      throw new VBucketsError('UNAUTHENTICATED', 'The YouTube access token callback failed', {
        cause: error,
        details: { platform: PLATFORM },
      });
    }
    return { ...settings.headers, authorization: `Bearer ${token}`, ...extra };
  }

  async function fail(response: Response, action: string): Promise<never> {
    throw mapHttpFailure({
      platform: PLATFORM,
      status: response.status,
      headers: response.headers,
      body: await readBody(response),
      action,
    });
  }

  async function startSession(): Promise<string> {
    const url = `${settings.baseURL}/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status`;
    const response = await settings.fetch(url, {
      method: 'POST',
      headers: await headers({
        'content-type': 'application/json; charset=UTF-8',
        'x-upload-content-length': String(total),
        'x-upload-content-type': video.mimeType,
      }),
      body: JSON.stringify(youTubeVideoResource(video, metadata, settings.privacyStatus)),
      signal: requestSignal(),
    });
    if (!response.ok) return fail(response, 'start upload session');
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (location === null || location === '') {
      throw new VBucketsError('PROVIDER', 'YouTube answered the session start without a Location', {
        retryable: true,
        details: { platform: PLATFORM, httpStatus: response.status },
      });
    }
    return new URL(location, settings.baseURL).toString();
  }

  /** Asks the session how much it holds; undefined when it expired (404/410). */
  async function querySession(sessionUri: string): Promise<SessionState | undefined> {
    const response = await settings.fetch(sessionUri, {
      method: 'PUT',
      headers: await headers({ 'content-range': `bytes */${total}`, 'content-length': '0' }),
      signal: requestSignal(),
    });
    if (response.status === 308) {
      await response.body?.cancel();
      return { kind: 'incomplete', offset: rangeOffset(response) };
    }
    if (response.status === 200 || response.status === 201) {
      return { kind: 'done', videoId: await finishedVideo(response) };
    }
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel();
      return undefined;
    }
    return fail(response, 'query upload session');
  }

  async function checkpoint(value: UploadCheckpoint): Promise<void> {
    await options.onCheckpoint?.(value);
  }

  function success(videoId: string): UploadSuccess {
    options.onProgress?.(total, total);
    return { platformPostId: videoId, url: `https://www.youtube.com/watch?v=${videoId}` };
  }

  let sessionUri: string | undefined;
  let offset = 0;
  if (options.checkpoint) {
    const state = await querySession(options.checkpoint.sessionId);
    if (state?.kind === 'done') return success(state.videoId);
    if (state !== undefined) {
      sessionUri = options.checkpoint.sessionId;
      offset = state.offset;
    }
  }
  if (sessionUri === undefined) {
    sessionUri = await startSession();
    await checkpoint({ sessionId: sessionUri, offset: 0 });
  } else {
    await checkpoint({ sessionId: sessionUri, offset });
  }
  options.onProgress?.(offset, total);

  while (true) {
    const opened = await video.open(offset);
    if (opened.isErr()) throw opened.error;
    const reader = new ChunkReader(opened.value.getReader());
    try {
      // Re-opened whenever the server stored other than what was sent (it may keep part of a chunk).
      while (true) {
        const chunk = await reader.next(Math.min(settings.chunkBytes, total - offset));
        if (chunk.byteLength === 0 || offset + chunk.byteLength > total) {
          throw new VBucketsError(
            'MEDIA',
            `The video stream ended at ${offset + chunk.byteLength} bytes, not the declared ${total}`,
            { details: { platform: PLATFORM } },
          );
        }
        const end = offset + chunk.byteLength - 1;
        const response = await settings.fetch(sessionUri, {
          method: 'PUT',
          headers: await headers({
            'content-type': video.mimeType,
            'content-range': `bytes ${offset}-${end}/${total}`,
          }),
          body: chunk,
          signal: requestSignal(),
        });
        if (response.status === 200 || response.status === 201) {
          const videoId = await finishedVideo(response);
          return success(videoId);
        }
        if (response.status !== 308) return await fail(response, 'upload chunk');
        await response.body?.cancel();
        const stored = rangeOffset(response);
        const expected = end + 1;
        if (stored <= end + 1 - chunk.byteLength) {
          // Nothing of the chunk was kept: sending it again at once would loop.
          throw new VBucketsError(
            'PROVIDER',
            `The YouTube session stored nothing past byte ${stored}`,
            {
              retryable: true,
              details: { platform: PLATFORM, offset: stored },
            },
          );
        }
        offset = stored;
        await checkpoint({ sessionId: sessionUri, offset });
        options.onProgress?.(offset, total);
        if (stored !== expected) break;
      }
    } finally {
      await reader.cancel();
    }
  }
}
