import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { BlobObject } from '@vbuckets/core/adapter-kit';
import type { Response } from 'express';

/**
 * Answers 200 with a stored object's bytes, streamed from the blob store: its length, the type
 * given, never sniffed. A store failing once the bytes flow destroys the response (and so the
 * socket): the client sees a broken download, never a short one that looks whole.
 */
export async function sendBlob(
  response: Response,
  object: Pick<BlobObject, 'body' | 'sizeBytes'>,
  headers: { contentType: string; cacheControl: string; disposition?: string },
): Promise<void> {
  response.status(200);
  response.setHeader('Content-Type', headers.contentType);
  response.setHeader('Content-Length', String(object.sizeBytes));
  if (headers.disposition !== undefined) {
    response.setHeader('Content-Disposition', headers.disposition);
  }
  response.setHeader('Cache-Control', headers.cacheControl);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  const body = Readable.fromWeb(object.body as NodeReadableStream<Uint8Array>);
  await pipeline(body, response).catch(() => undefined);
}
