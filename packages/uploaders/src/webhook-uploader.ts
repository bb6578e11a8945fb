import { createHmac, randomBytes } from 'node:crypto';
import { VBucketsError } from '@vbuckets/core';
import type {
  PlatformUploader,
  PlatformUploadOptions,
  UploadableVideo,
  UploadSuccess,
} from '@vbuckets/core/adapter-kit';
import { z } from 'zod';
import { mapHttpFailure } from './uploader-error';
import { platformUploader, refusingUploader, uploaderSettingsError } from './uploader-run';
import { apiSettingsFields, clockSettingsFields, httpUrlSchema } from './uploader-settings';

export interface WebhookUploaderSettings {
  /** The receiving endpoint (http or https). */
  url: string;
  /** The shared HMAC secret. */
  secret: string;
  /** The platform name reported (default `webhook`). */
  platform?: string;
  /** Extra headers on the request. */
  headers?: Record<string, string>;
  /** A fetch implementation (default the global `fetch`). */
  fetch?: typeof globalThis.fetch;
  /** Current time in milliseconds, for the signed timestamp (default `Date.now`). */
  now?: () => number;
}

const SettingsSchema = z.strictObject({
  url: httpUrlSchema,
  secret: z.string().min(16, 'must be at least 16 characters'),
  platform: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/u, 'must be lower-case letters, digits, "-" or "_"')
    .default('webhook'),
  headers: apiSettingsFields.headers,
  fetch: apiSettingsFields.fetch,
  now: clockSettingsFields.now,
});

/**
 * The signature of a webhook delivery: `sha256=` and the hex HMAC-SHA256, keyed with the
 * secret, of `<timestamp>.<video sha256>.<metadata part>`. The body streams, so it cannot be
 * signed whole; the receiver checks the video part against the signed SHA-256 instead.
 */
export function webhookSignature(
  secret: string,
  timestamp: string,
  videoSha256: string,
  metadataJson: string,
): string {
  const hmac = createHmac('sha256', secret).update(`${timestamp}.${videoSha256}.${metadataJson}`);
  return `sha256=${hmac.digest('hex')}`;
}

function quoted(value: string): string {
  return value.replaceAll('"', '%22').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/**
 * A PlatformUploader for self-hosted targets: one `multipart/form-data` POST with a
 * `metadata` JSON part and a streamed `video` part, signed in `X-VBuckets-Signature` over
 * `X-VBuckets-Timestamp` (see `webhookSignature`). A 2xx JSON `{ id }` is the post id. Not
 * resumable: a failed delivery is sent again whole, so the receiver should de-duplicate on
 * `videoId` (sent in the metadata part and in `X-VBuckets-Video-Id`).
 * Throws nothing: with invalid settings `validateMetadata` and `upload` answer their
 * VALIDATION error (`isSettingsError`) and nothing is sent.
 */
export function createWebhookUploader(settings: WebhookUploaderSettings): PlatformUploader {
  const parsed = SettingsSchema.safeParse(settings);
  if (!parsed.success) {
    const named = (settings as { platform?: unknown } | undefined)?.platform;
    const platform = typeof named === 'string' && named !== '' ? named : 'webhook';
    return refusingUploader(platform, uploaderSettingsError(parsed.error, 'webhook settings'));
  }
  const resolved = parsed.data;
  const fetcher = resolved.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const platform = resolved.platform;
  return platformUploader(platform, deliver, 'delivery');

  async function deliver(
    video: UploadableVideo,
    metadata: Record<string, unknown>,
    options: PlatformUploadOptions,
  ): Promise<UploadSuccess> {
    const { signal } = options;
    signal?.throwIfAborted();
    const metadataJson = JSON.stringify({
      videoId: video.videoId,
      title: video.title,
      filename: video.filename,
      mimeType: video.mimeType,
      sizeBytes: video.sizeBytes,
      sha256: video.sha256,
      metadata,
    });
    const opened = await video.open(0);
    if (opened.isErr()) throw opened.error;
    const boundary = `vbuckets-${randomBytes(12).toString('hex')}`;
    const encoder = new TextEncoder();
    const head = encoder.encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n` +
        `Content-Type: application/json\r\n\r\n${metadataJson}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="video"; filename="${quoted(video.filename)}"\r\n` +
        `Content-Type: ${video.mimeType}\r\n\r\n`,
    );
    const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
    const total = video.sizeBytes;
    const reader = opened.value.getReader();
    let sent = 0;
    options.onProgress?.(0, total);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(head);
      },
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) {
          if (sent !== total) {
            controller.error(
              new VBucketsError('MEDIA', `The video stream gave ${sent} bytes, not ${total}`),
            );
            return;
          }
          controller.enqueue(tail);
          controller.close();
          return;
        }
        sent += value.byteLength;
        controller.enqueue(value);
        options.onProgress?.(Math.min(sent, total), total);
      },
      async cancel(reason) {
        await reader.cancel(reason);
      },
    });
    const timestamp = String(Math.floor((resolved.now?.() ?? Date.now()) / 1000));
    const response = await fetcher(resolved.url, {
      method: 'POST',
      headers: {
        ...resolved.headers,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'x-vbuckets-timestamp': timestamp,
        'x-vbuckets-signature': webhookSignature(
          resolved.secret,
          timestamp,
          video.sha256,
          metadataJson,
        ),
        'x-vbuckets-video-id': video.videoId,
      },
      body,
      signal,
      duplex: 'half',
    } as RequestInit);
    const text = await response.text();
    let answer: unknown = text;
    try {
      answer = JSON.parse(text);
    } catch {
      // A non-JSON answer is kept as text for the error message.
    }
    if (!response.ok) {
      throw mapHttpFailure({
        platform,
        status: response.status,
        headers: response.headers,
        body: answer,
        action: 'delivery',
      });
    }
    const record = (answer ?? {}) as { id?: unknown; url?: unknown };
    if (typeof record.id !== 'string' || record.id === '') {
      throw new VBucketsError('PROVIDER', `The ${platform} receiver answered without an id`, {
        retryable: false,
        details: { platform, httpStatus: response.status },
      });
    }
    options.onProgress?.(total, total);
    return {
      platformPostId: record.id,
      ...(typeof record.url === 'string' ? { url: record.url } : {}),
    };
  }
}
