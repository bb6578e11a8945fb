import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createVBuckets,
  toVBucketsError,
  type VBuckets,
  type VBucketsOptions,
} from '@vbuckets/core';
import type { BlobStore } from '@vbuckets/core/adapter-kit';
import { nodeSha256 } from '@vbuckets/core/node';
import { createPostgresStore } from '@vbuckets/storage-postgres';
import { createSqliteStore } from '@vbuckets/storage-sqlite';
import { unwrap } from './errors';
import { jobQueueFor } from './job-tuning';
import type { Settings } from './settings';
import { BLOBS_DIR, openBlobStore } from './storage';

export { BLOBS_DIR } from './storage';
export { UPLOAD_AUDIT_FILE, uploadAuditSink } from './upload-audit';

/** The SQLite file inside the data dir. */
export const DATABASE_FILE = 'vbuckets.db';

/**
 * What a command adds to the SDK beyond its stores: categorization providers and tuning,
 * platform uploaders, the media probe, the market analyzer, the upload audit sink, upload
 * tuning and the metrics sources of `segments sync`.
 */
export type ExtraOptions = Pick<
  VBucketsOptions,
  | 'providers'
  | 'categorize'
  | 'uploaders'
  | 'mediaProbe'
  | 'localFiles'
  | 'thumbnailScorer'
  | 'analyzers'
  | 'auditSink'
  | 'uploads'
  | 'metricsSources'
  | 'onWarning'
  | 'jobs'
>;

/**
 * What the CLI composed besides the SDK: its blob store, which the ZIP writer reads (the facade
 * hands out services only).
 */
export interface CliHost {
  blobs: BlobStore;
}

/**
 * Opens the SDK on a data dir (created on first use: `vbuckets.db` and `blobs/`), or on
 * PostgreSQL when a database URL is set; video bytes live in the data dir's `blobs/`, or in
 * the S3 bucket `--storage` names. Runs `fn`, and closes the stores whatever happens.
 */
export async function withVBuckets<T>(
  {
    dataDir,
    databaseUrl,
    databaseSchema,
    storage,
    redisUrl,
    redisPrefix,
    tuning,
  }: Pick<
    Settings,
    'dataDir' | 'databaseUrl' | 'databaseSchema' | 'storage' | 'redisUrl' | 'redisPrefix' | 'tuning'
  >,
  fn: (vbuckets: VBuckets, host: CliHost) => Promise<T>,
  extra: ExtraOptions = {},
): Promise<T> {
  // The data dir holds the SQLite file, exports and logs whatever the blob storage.
  await mkdir(storage.kind === 'local' ? join(dataDir, BLOBS_DIR) : dataDir, {
    recursive: true,
  }).catch((error: unknown) => {
    throw toVBucketsError(error, 'STORAGE', `Cannot create the data dir ${dataDir}`);
  });
  const store = await unwrap(
    databaseUrl === undefined
      ? createSqliteStore({ path: join(dataDir, DATABASE_FILE) })
      : createPostgresStore({ connectionString: databaseUrl, schema: databaseSchema }),
  );
  let opened: Awaited<ReturnType<typeof openBlobStore>>;
  try {
    opened = await openBlobStore(storage, dataDir);
  } catch (error) {
    await store.close();
    throw error;
  }
  // Without a Redis URL, jobs stay in the database (core's embedded queue).
  // The CLI builds even the embedded queue itself, to give it VBUCKETS_JOB_LEASE_MS and VBUCKETS_JOB_POLL_MS.
  const queue = jobQueueFor(store, { redisUrl, redisPrefix, tuning }, extra.onWarning);
  const composed = createVBuckets({
    sha256: nodeSha256,
    ...extra,
    ...(tuning.uploadLeaseMs === undefined
      ? {}
      : { uploads: { ...extra.uploads, leaseMs: tuning.uploadLeaseMs } }),
    store,
    blobs: opened.blobs,
    queue,
  });
  if (composed.isErr()) {
    await queue.close();
    await store.close();
    opened.close();
    throw composed.error;
  }
  const vbuckets = composed.value;
  try {
    return await fn(vbuckets, { blobs: opened.blobs });
  } finally {
    try {
      await vbuckets.close();
    } finally {
      opened.close();
    }
  }
}
