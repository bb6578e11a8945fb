import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { type AuditEvent, AuditEventSchema, fromZodError, VBucketsError } from '@vbuckets/core';
import { type AuditSink, settingsError, withErrorSource } from '@vbuckets/core/adapter-kit';
import { errAsync, ResultAsync } from 'neverthrow';
import { z } from 'zod';
import { toFsError } from './fs-error';

export interface JsonLinesAuditSinkSettings {
  /** The log file, e.g. `logs/uploads.log`; it and its folders are created on the first write. */
  path: string;
  /** fsync after each line, so a logged event survives a power cut. Default false. */
  fsync?: boolean;
}

const SettingsSchema = z.strictObject({
  path: z.string().min(1, 'must not be empty'),
  fsync: z.boolean().optional(),
});

/**
 * An AuditSink appending one JSON object per line with seed 001's field names (`timestamp`,
 * `video_id`, `platform`, `status`, `upload_id`, `retry_count`, `error_message`, `metadata`)
 * plus `org_id`. Each line goes out in a single write to a file opened with O_APPEND, so
 * writers in this process and in others never interleave lines on a local file system.
 * It throws nothing: with invalid settings every `write` answers their VALIDATION error.
 */
export function createJsonLinesAuditSink(settings: JsonLinesAuditSinkSettings): AuditSink {
  const parsed = SettingsSchema.safeParse(settings);
  if (!parsed.success) {
    const refusal = settingsError(fromZodError(parsed.error, 'JSON-lines audit sink settings'));
    return { specificationVersion: 'v1', write: () => errAsync(sourced(refusal)) };
  }
  const file = path.resolve(parsed.data.path);
  const fsync = parsed.data.fsync ?? false;
  // Lines from this process keep the order of the calls.
  let queue: Promise<unknown> = Promise.resolve();

  async function append(line: Buffer): Promise<void> {
    await mkdir(path.dirname(file), { recursive: true });
    // Opened per line: a log rotated away (renamed) is followed by a fresh file, not written on in secret.
    const handle = await open(file, 'a');
    try {
      const { bytesWritten } = await handle.write(line, 0, line.byteLength, null);
      // Writing the rest separately could interleave with another writer: report, do not patch.
      if (bytesWritten !== line.byteLength) {
        throw new VBucketsError(
          'STORAGE',
          `Appending to the audit log wrote ${bytesWritten} of ${line.byteLength} bytes (disk full?)`,
        );
      }
      if (fsync) await handle.sync();
    } finally {
      await handle.close();
    }
  }

  return {
    specificationVersion: 'v1',
    write(event) {
      const checked = AuditEventSchema.safeParse(event);
      if (!checked.success) return errAsync(sourced(fromZodError(checked.error, 'auditEvent')));
      let line: Buffer;
      try {
        line = Buffer.from(`${JSON.stringify(toSeedLine(checked.data))}\n`, 'utf8');
      } catch (error) {
        // BigInt or a cycle in metadata: the event cannot be a JSON line.
        return errAsync(
          new VBucketsError('VALIDATION', 'The audit event cannot be written as JSON', {
            cause: error,
            path: 'metadata',
            ...SOURCE,
          }),
        );
      }
      const written = queue.then(() => append(line));
      queue = written.catch(() => undefined);
      return ResultAsync.fromPromise(written, (error) =>
        sourced(toFsError(error, 'Appending to the audit log')),
      );
    },
  };
}

/** Seed 001's log line (its field names and order), with the tenant added last. */
function toSeedLine(event: AuditEvent): Record<string, unknown> {
  return {
    timestamp: event.at,
    video_id: event.videoId,
    platform: event.platform,
    status: event.status,
    upload_id: event.uploadId,
    retry_count: event.retryCount,
    error_message: event.errorMessage,
    metadata: event.metadata,
    org_id: event.orgId,
  };
}

const SOURCE = { adapter: 'fs', operation: 'auditSink.write' };

/** Names this adapter and the call in the error's fields; the message stays a sentence. */
function sourced(error: VBucketsError): VBucketsError {
  return withErrorSource(error, SOURCE);
}
