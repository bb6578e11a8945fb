import { createReadStream } from 'node:fs';
import type { VBucketsError } from '@vbuckets/core';
import type { Request, Response } from 'express';
import { err, type Result, type ResultAsync } from 'neverthrow';
import type { z } from 'zod';
import type { HostInfo } from './host-info';
import { type SpooledFile, spoolMultipart } from './multipart-spool';
import { sendProblem } from './problem';
import { checkPart, SENT } from './route-kit';

const MAX_FIELDS = 100;
const MAX_FIELD_BYTES = 64 * 1024;

/**
 * Runs `use` with a form's checked fields and its one file (spooled to disk by
 * `spoolMultipart`, so the SDK may read and probe it by path), then removes the spooled file:
 * the route's whole answer for an upload. A missing file, an unknown field or a bad value is a
 * 400 naming `body.<field>`; a second file or one over the host's size limit a 413.
 */
export function withUploadForm<Fields, Value>(
  context: { request: Request; response: Response },
  host: HostInfo,
  options: { fileField: string; fields: z.ZodType<Fields> },
  use: (fields: Fields, file: SpooledFile) => ResultAsync<Value, VBucketsError>,
): Promise<Result<Value, VBucketsError>> | Promise<typeof SENT> {
  // One promise settles to either; the route kit takes each kind, not a promise of the union.
  return answerUpload(context, host, options, use) as Promise<Result<Value, VBucketsError>>;
}

async function answerUpload<Fields, Value>(
  context: { request: Request; response: Response },
  host: HostInfo,
  options: { fileField: string; fields: z.ZodType<Fields> },
  use: (fields: Fields, file: SpooledFile) => ResultAsync<Value, VBucketsError>,
): Promise<Result<Value, VBucketsError> | typeof SENT> {
  const form = await spoolMultipart(context.request, {
    tempDir: host.tempDir,
    fileBytes: host.limits.fileBytes,
    files: 1,
    fileField: options.fileField,
    noun: 'file',
    fieldCount: MAX_FIELDS,
    fieldBytes: MAX_FIELD_BYTES,
  });
  if (form.isErr()) {
    sendProblem(context.response, form.error.error, {
      ...(form.error.status === undefined ? {} : { status: form.error.status }),
    });
    return SENT;
  }
  try {
    const {
      fields,
      files: [file],
    } = form.value;
    const checked = checkPart(options.fields, fields, 'body');
    if (checked.isErr()) return err(checked.error);
    return await use(checked.value as Fields, file);
  } finally {
    await form.value.remove();
  }
}

/** The spooled file's bytes, streamed (the SDK opens them once). */
export function openFile(path: string): AsyncIterable<Uint8Array> {
  return createReadStream(path);
}

/** The media type to record: the one the caller named, else the part's own unless it is generic. */
export function mimeTypeOf(given: string | undefined, fromPart: string): { mimeType?: string } {
  if (given !== undefined) return { mimeType: given };
  return fromPart === '' || fromPart === 'application/octet-stream' ? {} : { mimeType: fromPart };
}
