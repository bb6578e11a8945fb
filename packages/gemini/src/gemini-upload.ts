import { toVBucketsError, VBucketsError, validationError } from '@vbuckets/core';
import { type AnalyzerVideo, untilAborted } from '@vbuckets/core/adapter-kit';
import { z } from 'zod';
import { requestSignal } from './gemini-client';
import { geminiHttpError, toGeminiError } from './gemini-error';
import type { ResolvedGeminiSettings } from './gemini-settings';

/** A file the Files API accepted (still PROCESSING for videos). */
export interface GeminiRemoteFile {
  /** `files/{id}`. */
  name: string;
  uri: string;
  mimeType: string;
  state: string | undefined;
}

const FinalizeResponseSchema = z.object({
  file: z.object({
    name: z.string().min(1),
    uri: z.string().min(1),
    mimeType: z.string().optional(),
    state: z.string().optional(),
  }),
});

interface UploadContext {
  settings: ResolvedGeminiSettings;
  apiKey: string;
  signal: AbortSignal | undefined;
}

async function send(
  context: UploadContext,
  url: string,
  init: { headers: Record<string, string>; body: string | Uint8Array },
  action: string,
): Promise<Response> {
  const { settings, signal } = context;
  const fetchFunction = settings.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await fetchFunction(url, {
      method: 'POST',
      headers: { ...settings.headers, 'x-goog-api-key': context.apiKey, ...init.headers },
      body: init.body,
      signal: requestSignal(settings, signal),
    });
  } catch (error) {
    throw toGeminiError(error, action, signal);
  }
  if (!response.ok) {
    let body: unknown;
    try {
      body = await response.text();
    } catch (error) {
      throw toGeminiError(error, action, signal);
    }
    throw geminiHttpError(
      { httpStatus: response.status, body, retryAfter: response.headers.get('retry-after') },
      action,
    );
  }
  return response;
}

/** Points the upload URL at `baseURL` when one was configured, as the SDK does for proxies. */
function uploadUrlFor(settings: ResolvedGeminiSettings, uploadUrl: string): string {
  if (!settings.customBaseURL) return uploadUrl;
  const base = new URL(settings.baseURL);
  const url = new URL(uploadUrl, base);
  url.protocol = base.protocol;
  url.host = base.host;
  return url.toString();
}

/** Reads a web stream into a fixed buffer, one chunk at a time, keeping at most one stream chunk aside. */
function createChunkReader(
  stream: ReadableStream<Uint8Array>,
  filename: string,
  signal: AbortSignal | undefined,
) {
  const reader = stream.getReader();
  let pending: Uint8Array | undefined;
  let finished = false;

  async function next(): Promise<Uint8Array | undefined> {
    if (pending !== undefined) {
      const value = pending;
      pending = undefined;
      return value;
    }
    if (finished) return undefined;
    let result: Awaited<ReturnType<typeof reader.read>>;
    try {
      result = await untilAborted(reader.read(), signal);
    } catch (error) {
      if (signal?.aborted) throw toGeminiError(error, `Uploading "${filename}"`, signal);
      throw toVBucketsError(error, 'STORAGE', `Reading "${filename}" failed`);
    }
    if (result.done) {
      finished = true;
      return undefined;
    }
    if (!(result.value instanceof Uint8Array)) {
      throw new VBucketsError('STORAGE', `Reading "${filename}" gave a chunk that is not bytes`);
    }
    return result.value;
  }

  return {
    /** Fills `buffer` from the start; returns how many bytes it holds (fewer only at the end). */
    async fill(buffer: Uint8Array): Promise<number> {
      let filled = 0;
      while (filled < buffer.byteLength) {
        const chunk = await next();
        if (chunk === undefined) break;
        const room = buffer.byteLength - filled;
        if (chunk.byteLength > room) {
          buffer.set(chunk.subarray(0, room), filled);
          pending = chunk.subarray(room);
          filled += room;
        } else {
          buffer.set(chunk, filled);
          filled += chunk.byteLength;
        }
      }
      return filled;
    },
    /** True when the stream holds no more bytes (empty chunks are skipped). */
    async atEnd(): Promise<boolean> {
      while (true) {
        const chunk = await next();
        if (chunk === undefined) return true;
        if (chunk.byteLength > 0) {
          pending = chunk;
          return false;
        }
      }
    },
    async release(): Promise<void> {
      if (finished) return;
      finished = true;
      await reader.cancel().catch(() => undefined);
    },
  };
}

/**
 * Uploads a video with the Files API's resumable protocol, streaming it from `video.open()` in
 * chunks of `uploadChunkBytes` (the only video bytes held in memory): a `start` request that
 * answers with the session URL, then one POST per chunk with `x-goog-upload-offset`, the last
 * one with `upload, finalize`. The SDK's own `files.upload` wants a path or a whole Blob.
 * Throws a VBucketsError.
 */
export async function uploadGeminiFile(
  video: AnalyzerVideo,
  context: UploadContext,
): Promise<GeminiRemoteFile> {
  const { settings, signal } = context;
  const size = video.sizeBytes;
  if (!Number.isSafeInteger(size) || size < 0) {
    throw validationError(`"${video.filename}" has no valid sizeBytes (${size})`, {
      path: 'sizeBytes',
    });
  }
  const startAction = `Starting the upload of "${video.filename}"`;
  const started = await send(
    context,
    `${settings.baseURL}/upload/v1beta/files`,
    {
      headers: {
        'content-type': 'application/json',
        'x-goog-upload-protocol': 'resumable',
        'x-goog-upload-command': 'start',
        'x-goog-upload-header-content-length': String(size),
        'x-goog-upload-header-content-type': video.mimeType,
      },
      body: JSON.stringify({
        file: { displayName: video.filename, mimeType: video.mimeType, sizeBytes: String(size) },
      }),
    },
    startAction,
  );
  await started.body?.cancel();
  const sessionUrl = started.headers.get('x-goog-upload-url');
  if (sessionUrl === null || sessionUrl === '') {
    throw new VBucketsError(
      'PROVIDER',
      `${startAction} failed: no x-goog-upload-url in the answer`,
      {
        retryable: true,
      },
    );
  }
  const uploadUrl = uploadUrlFor(settings, sessionUrl);

  const opened = await video.open();
  if (opened.isErr()) throw opened.error;
  const chunks = createChunkReader(opened.value, video.filename, signal);
  const buffer = new Uint8Array(Math.min(settings.uploadChunkBytes, size));
  let offset = 0;
  try {
    while (true) {
      const capacity = Math.min(buffer.byteLength, size - offset);
      const filled = await chunks.fill(buffer.subarray(0, capacity));
      if (filled < capacity) {
        throw validationError(
          `"${video.filename}" ended after ${offset + filled} bytes, but its sizeBytes is ${size}`,
          { path: 'sizeBytes' },
        );
      }
      const last = offset + filled === size;
      if (last && !(await chunks.atEnd())) {
        throw validationError(`"${video.filename}" has more bytes than its sizeBytes (${size})`, {
          path: 'sizeBytes',
        });
      }
      const action = `Uploading "${video.filename}" (bytes ${offset}..${offset + filled} of ${size})`;
      const response = await send(
        context,
        uploadUrl,
        {
          headers: {
            'x-goog-upload-command': last ? 'upload, finalize' : 'upload',
            'x-goog-upload-offset': String(offset),
          },
          // The request has been answered before the buffer is refilled, so it can be reused.
          body: buffer.subarray(0, filled),
        },
        action,
      );
      offset += filled;
      const status = response.headers.get('x-goog-upload-status');
      if (!last) {
        await response.body?.cancel();
        if (status !== 'active') {
          throw new VBucketsError(
            'PROVIDER',
            `${action} failed: the upload session is ${status ?? 'in an unknown state'}`,
            { retryable: true },
          );
        }
        continue;
      }
      let json: unknown;
      try {
        json = await response.json();
      } catch (error) {
        throw toGeminiError(error, action, signal);
      }
      const file = FinalizeResponseSchema.safeParse(json);
      if (status !== 'final' || !file.success) {
        throw new VBucketsError(
          'PROVIDER',
          `${action} failed: the upload was not finalized (status ${status ?? 'missing'})`,
          { retryable: true, cause: file.error },
        );
      }
      return {
        name: file.data.file.name,
        uri: file.data.file.uri,
        mimeType: file.data.file.mimeType ?? video.mimeType,
        state: file.data.file.state,
      };
    }
  } finally {
    await chunks.release();
  }
}
