import type { ResultAsync } from 'neverthrow';
import type { VBucketsError } from '../errors';
import type { AuditEvent } from '../schemas/upload';

/** Somewhere audit events are also written (a JSON-lines file, a log pipeline). */
export interface AuditSink {
  readonly specificationVersion: 'v1';
  /** Appends one event; concurrent writers never interleave lines. */
  write(event: AuditEvent): ResultAsync<void, VBucketsError>;
}
