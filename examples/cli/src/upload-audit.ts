import { join } from 'node:path';
import type { AuditSink } from '@vbuckets/core/adapter-kit';
import { createJsonLinesAuditSink } from '@vbuckets/fs';

/** The JSON-lines log of upload transitions inside the data dir. */
export const UPLOAD_AUDIT_FILE = 'upload-audit.jsonl';

/** Appends every upload transition to `<data-dir>/upload-audit.jsonl` (seed 001's log lines). */
export function uploadAuditSink(dataDir: string): AuditSink {
  return createJsonLinesAuditSink({ path: join(dataDir, UPLOAD_AUDIT_FILE) });
}
