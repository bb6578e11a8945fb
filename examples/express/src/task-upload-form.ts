import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type VBucketsError, validationError, vbucketsError } from '@vbuckets/core';
import busboy from 'busboy';
import type { Request, Response } from 'express';
import { err, ok, type Result, type ResultAsync } from 'neverthrow';
import type { z } from 'zod';
import type { HostInfo } from './host-info';
import { sendProblem } from './problem';
import { checkPart, SENT } from './route-kit';

/** The one file of a form, spooled to disk so the SDK may read it (and probe it) by path. */
export interface FormFile {
  path: string;
  filename: string;
  mimeType: string;
}

/** A multipart form with at most one file; `remove` deletes the spooled file. */
export interface UploadForm {
  /** Text fields; a field given more than once is a list. */
  fields: Record<string, string | string[]>;
  file: FormFile | null;
  remove(): Promise<void>;
}

/** An upload refused before the SDK saw it, with the HTTP status it deserves (400, 413, 415). */
export interface FormRefusal {
  error: VBucketsError;
  status: number;
}

const MAX_FIELDS = 100;
const MAX_FIELD_BYTES = 64 * 1024;

/**
 * Reads a `multipart/form-data` request whose file part is `fileField`, streaming the file to
 * the host's temporary folder (never into memory) within the host's size limit.
 */
export async function receiveUploadForm(
  request: Request,
  host: HostInfo,
  fileField: string,
): Promise<Result<UploadForm, FormRefusal>> {
  if (request.is('multipart/form-data') !== 'multipart/form-data') {
    const type = request.headers['content-type'] ?? 'none';
    return err({
      error: validationError(`This route takes multipart/form-data, not ${JSON.stringify(type)}`, {
        path: 'content-type',
      }),
      status: 415,
    });
  }
  const folder = await mkdtemp(join(host.tempDir, 'vbuckets-form-'));
  const remove = () => rm(folder, { recursive: true, force: true });
  const received = await new Promise<Result<Omit<UploadForm, 'remove'>, FormRefusal>>((resolve) => {
    const fields: Record<string, string | string[]> = {};
    let file: FormFile | null = null;
    let refusal: FormRefusal | null = null;
    let writing: Promise<void> = Promise.resolve();
    const refuse = (error: VBucketsError, status = 400) => {
      refusal ??= { error, status };
    };
    const unreadable = (cause: unknown) =>
      resolve(
        err({
          error: validationError('The multipart body could not be read', { path: 'body', cause }),
          status: 400,
        }),
      );
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        limits: {
          files: 1,
          fields: MAX_FIELDS,
          fieldSize: MAX_FIELD_BYTES,
          fileSize: host.limits.fileBytes,
        },
      });
    } catch (thrown) {
      // A content type without a boundary: busboy refuses it before reading anything.
      unreadable(thrown);
      return;
    }
    parser.on('field', (name, value) => {
      const earlier = fields[name];
      fields[name] =
        earlier === undefined ? value : [...(Array.isArray(earlier) ? earlier : [earlier]), value];
    });
    parser.on('file', (name, stream, info) => {
      // A truncated form destroys the part with busboy's error as well: the parser's 'error'
      // reports it, and a part nobody listens to must not crash the process with it.
      stream.on('error', () => undefined);
      if (name !== fileField || file !== null) {
        refuse(
          validationError(`Send one file, in the form field "${fileField}"`, {
            path: `body.${name}`,
          }),
        );
        stream.resume();
        return;
      }
      const path = join(folder, 'upload');
      file = { path, filename: basename(info.filename ?? 'upload'), mimeType: info.mimeType };
      stream.on('limit', () =>
        refuse(
          validationError(`The file is larger than the ${host.limits.fileBytes} bytes allowed`, {
            path: `body.${fileField}`,
          }),
          413,
        ),
      );
      writing = pipeline(stream, createWriteStream(path));
    });
    parser.on('filesLimit', () =>
      refuse(validationError('Send only one file', { path: `body.${fileField}` })),
    );
    parser.on('error', unreadable);
    parser.on('close', () => {
      writing.then(
        () => resolve(refusal === null ? ok({ fields, file }) : err(refusal)),
        (error: unknown) =>
          resolve(
            err({
              error: vbucketsError('CANCELLED', 'The upload ended before the file arrived', {
                cause: error,
              }),
              status: 400,
            }),
          ),
      );
    });
    request.pipe(parser);
  });
  if (received.isErr()) {
    await remove();
    return err(received.error);
  }
  return ok({ ...received.value, remove });
}

/**
 * Runs `use` with a form's checked fields and its file, then removes the spooled file: the
 * route's whole answer for an upload. A missing file, an unknown field or a bad value is a 400
 * naming `body.<field>`.
 */
export function withUploadForm<Fields, Value>(
  context: { request: Request; response: Response },
  host: HostInfo,
  options: { fileField: string; fields: z.ZodType<Fields> },
  use: (fields: Fields, file: FormFile) => ResultAsync<Value, VBucketsError>,
): Promise<Result<Value, VBucketsError>> | Promise<typeof SENT> {
  // One promise settles to either; the route kit takes each kind, not a promise of the union.
  return answerUpload(context, host, options, use) as Promise<Result<Value, VBucketsError>>;
}

async function answerUpload<Fields, Value>(
  context: { request: Request; response: Response },
  host: HostInfo,
  options: { fileField: string; fields: z.ZodType<Fields> },
  use: (fields: Fields, file: FormFile) => ResultAsync<Value, VBucketsError>,
): Promise<Result<Value, VBucketsError> | typeof SENT> {
  const form = await receiveUploadForm(context.request, host, options.fileField);
  if (form.isErr()) {
    sendProblem(context.response, form.error.error, { status: form.error.status });
    return SENT;
  }
  try {
    const { fields, file } = form.value;
    if (file === null) {
      return err(
        validationError(`Send the file in the form field "${options.fileField}"`, {
          path: `body.${options.fileField}`,
        }),
      );
    }
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
