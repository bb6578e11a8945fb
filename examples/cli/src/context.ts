import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type AuditSink,
  createVBuckets,
  toVBucketsError,
  type VBuckets,
  type VBucketsOptions,
} from '@vbuckets/core';
import { createJsonLinesAuditSink, createLocalBlobStore } from '@vbuckets/fs';
import { createPostgresStore } from '@vbuckets/storage-postgres';
import { createSqliteStore } from '@vbuckets/storage-sqlite';
import { unwrap } from './errors';
import type { Settings } from './settings';

/** The SQLite file inside the data dir. */
export const DATABASE_FILE = 'vbuckets.db';
/** The folder of video bytes inside the data dir. */
export const BLOBS_DIR = 'blobs';

/** The JSON-lines log of upload transitions inside the data dir. */
export const UPLOAD_AUDIT_FILE = 'upload-audit.jsonl';

/**
 * What a command adds to the SDK beyond its stores: categorization providers and tuning,
 * platform uploaders, the media probe, the upload audit sink and upload tuning.
 */
export type ExtraOptions = Pick<
  VBucketsOptions,
  'providers' | 'categorize' | 'uploaders' | 'mediaProbe' | 'auditSink' | 'uploads' | 'onWarning'
>;

/**
 * Opens the SDK on a data dir (created on first use: `vbuckets.db` and `blobs/`), or on
 * PostgreSQL when a database URL is set (videos still live in the data dir's `blobs/`),
 * runs `fn`, and closes the store whatever happens.
 */
export async function withVBuckets<T>(
  {
    dataDir,
    databaseUrl,
    databaseSchema,
  }: Pick<Settings, 'dataDir' | 'databaseUrl' | 'databaseSchema'>,
  fn: (vbuckets: VBuckets) => Promise<T>,
  extra: ExtraOptions = {},
): Promise<T> {
  const blobsRoot = join(dataDir, BLOBS_DIR);
  await mkdir(blobsRoot, { recursive: true }).catch((error: unknown) => {
    throw toVBucketsError(error, 'STORAGE', `Cannot create the data dir ${dataDir}`);
  });
  const store = await unwrap(
    databaseUrl === undefined
      ? createSqliteStore({ path: join(dataDir, DATABASE_FILE) })
      : createPostgresStore({ connectionString: databaseUrl, schema: databaseSchema }),
  );
  const composed = createVBuckets({
    ...extra,
    store,
    blobs: createLocalBlobStore({ root: blobsRoot }),
  });
  if (composed.isErr()) {
    await store.close();
    throw composed.error;
  }
  const vbuckets = composed.value;
  try {
    return await fn(vbuckets);
  } finally {
    await vbuckets.close();
  }
}

/** Appends every upload transition to `<data-dir>/upload-audit.jsonl` (seed 001's log lines). */
export function uploadAuditSink(dataDir: string): AuditSink {
  return createJsonLinesAuditSink({ path: join(dataDir, UPLOAD_AUDIT_FILE) });
}
