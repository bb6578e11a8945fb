import type { Readable } from 'node:stream';
import { type VBucketsError, validationError } from '@vbuckets/core';
import busboy from 'busboy';
import type { Request } from 'express';
import { err, ok, type Result } from 'neverthrow';

/** A text field of a form: a title or a flag, never a file's worth of text. */
const MAX_FIELD_BYTES = 4096;
const MAX_FIELDS = 20;

/** The one file part of a form, as it arrives, with the text fields sent before it. */
export interface VideoFormFile {
  /** The text fields that came before the file part. */
  fields: Record<string, string>;
  /** The file name the client gave the part. */
  filename: string;
  /**
   * The part's bytes as they arrive (never held whole). It ends only once the rest of the form
   * was read, and throws the form's refusal when the rest broke a rule (a field after the file,
   * a second file), so a store writing these bytes keeps nothing of a refused form.
   */
  chunks: AsyncIterable<Uint8Array>;
  /** What the rest of the form broke, once it was read; undefined while it is fine. */
  refusal(): VBucketsError | undefined;
  /** Resolves once the whole request body was read (the rest is discarded), so an answer can follow. */
  settled(): Promise<void>;
}

/**
 * Reads a `multipart/form-data` request up to its one file part named `fileField` and hands the
 * part over as a stream: the fields must come before the file (as `curl -F` and a browser's
 * FormData send them in order), because the file is stored while it streams.
 */
export function readVideoForm(
  request: Request,
  options: { fileField: string; fieldNames: readonly string[] },
): Promise<Result<VideoFormFile, VBucketsError>> {
  const { fileField, fieldNames } = options;
  return new Promise((resolve) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        limits: { fieldSize: MAX_FIELD_BYTES, fields: MAX_FIELDS },
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      resolve(
        err(
          validationError(`The multipart body cannot be read: ${reason}`, {
            path: 'content-type',
          }),
        ),
      );
      return;
    }
    const fields: Record<string, string> = {};
    let refusal: VBucketsError | undefined;
    let handedOver = false;
    const refuse = (message: string, path: string) => {
      refusal ??= validationError(message, { path });
    };
    const finished = new Promise<void>((done, fail) => {
      parser.on('close', done);
      parser.on('error', fail);
    });
    // A broken form must not become an unhandled rejection when nothing awaits `finished`.
    finished.catch(() => undefined);

    parser.on('field', (name, value, info) => {
      if (handedOver) {
        refuse(
          `Send the form field ${JSON.stringify(name)} before the ${fileField} file part: the video is stored while it streams`,
          `body.${name}`,
        );
      } else if (!fieldNames.includes(name)) {
        refuse(
          `Unknown form field ${JSON.stringify(name)} (known: ${[fileField, ...fieldNames].join(', ')})`,
          `body.${name}`,
        );
      } else if (info.valueTruncated) {
        refuse(`The form field ${name} is longer than ${MAX_FIELD_BYTES} bytes`, `body.${name}`);
      } else {
        fields[name] = value;
      }
    });
    parser.on('fieldsLimit', () => refuse(`Send at most ${MAX_FIELDS} form fields`, 'body'));
    parser.on('file', (name, stream, info) => {
      // A truncated form destroys the part with busboy's error as well: the parser's 'error'
      // reports it, and a part nobody listens to must not crash the process with it.
      stream.on('error', () => undefined);
      if (handedOver || name !== fileField) {
        refuse(
          handedOver
            ? `Send one ${fileField} file part per request`
            : `Unknown file part ${JSON.stringify(name)}: send the video as the ${fileField} part`,
          `body.${name}`,
        );
        stream.resume();
        return;
      }
      handedOver = true;
      if (info.filename === undefined || info.filename.trim() === '') {
        refuse(
          `The ${fileField} part needs a file name (mp4, mov, avi or webm)`,
          `body.${fileField}`,
        );
      }
      if (refusal !== undefined) {
        stream.resume();
        resolve(err(refusal));
        return;
      }
      resolve(
        ok({
          fields,
          filename: info.filename ?? '',
          chunks: partChunks(stream, finished, () => refusal),
          refusal: () => refusal,
          settled: async () => {
            // Bytes nobody read (a refusal before the store opened the part) are discarded.
            stream.resume();
            await finished.catch(() => undefined);
            await drained(request);
          },
        }),
      );
    });
    finished.then(
      () => {
        if (!handedOver) {
          resolve(
            err(
              refusal ??
                validationError(`Attach the video as a file part named ${fileField}`, {
                  path: `body.${fileField}`,
                }),
            ),
          );
        }
      },
      (error: unknown) => {
        if (!handedOver) resolve(err(unreadable(error)));
      },
    );
    // A client gone mid-form never ends the pipe: end the parser, so the part's reader fails
    // (and the store keeps nothing) instead of waiting forever.
    request.once('close', () => {
      if (!request.readableEnded) {
        parser.destroy(new Error('the client closed the request before the form was complete'));
      }
    });
    request.pipe(parser);
  });
}

async function* partChunks(
  stream: Readable,
  finished: Promise<void>,
  refusal: () => VBucketsError | undefined,
): AsyncGenerator<Uint8Array> {
  try {
    // Not destroyed when the reader stops early (a refused type): the parser must read on.
    for await (const chunk of stream.iterator({ destroyOnReturn: false })) {
      yield chunk as Uint8Array;
    }
    try {
      await finished;
    } catch (error) {
      throw unreadable(error);
    }
    const refused = refusal();
    if (refused !== undefined) throw refused;
  } finally {
    stream.resume();
  }
}

/** Waits until the whole request was read, discarding what nobody reads, so the client hears the answer. */
export async function drained(request: Request): Promise<void> {
  if (request.readableEnded || request.destroyed) return;
  await new Promise<void>((done) => {
    request.once('end', done);
    request.once('close', done);
    request.resume();
  });
}

function unreadable(error: unknown): VBucketsError {
  const reason = error instanceof Error ? error.message : String(error);
  return validationError(`The multipart body could not be read: ${reason}`, { path: 'body' });
}
