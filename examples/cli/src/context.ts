import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createVBuckets, toVBucketsError, type VBuckets } from '@vbuckets/core';
import { createLocalBlobStore } from '@vbuckets/fs';
import { createSqliteStore } from '@vbuckets/storage-sqlite';
import { unwrap } from './errors';

/** The SQLite file inside the data dir. */
export const DATABASE_FILE = 'vbuckets.db';
/** The folder of video bytes inside the data dir. */
export const BLOBS_DIR = 'blobs';

/**
 * Opens the SDK on a data dir (created on first use: `vbuckets.db` and `blobs/`), runs `fn`,
 * and closes the store whatever happens.
 */
export async function withVBuckets<T>(
  dataDir: string,
  fn: (vbuckets: VBuckets) => Promise<T>,
): Promise<T> {
  const blobsRoot = join(dataDir, BLOBS_DIR);
  await mkdir(blobsRoot, { recursive: true }).catch((error: unknown) => {
    throw toVBucketsError(error, 'STORAGE', `Cannot create the data dir ${dataDir}`);
  });
  const store = await unwrap(createSqliteStore({ path: join(dataDir, DATABASE_FILE) }));
  const vbuckets = createVBuckets({ store, blobs: createLocalBlobStore({ root: blobsRoot }) });
  try {
    return await fn(vbuckets);
  } finally {
    await vbuckets.close();
  }
}
