import { join } from 'node:path';
import { createVBuckets, type VBuckets } from '@vbuckets/core';
import { nodeSha256 } from '@vbuckets/core/node';
import { createLocalBlobStore } from '@vbuckets/fs';
import { createPostgresStore } from '@vbuckets/storage-postgres';
import { createSqliteStore } from '@vbuckets/storage-sqlite';
import pg from 'pg';
import { inject } from 'vitest';
import { keywordProviders } from './categorize-fixtures';
import type { StoreKind, TestHost } from './host';

/** The PostgreSQL schema of a test host: the one of this run whose sessions hold `sessionId`. */
async function schemaHolding(sessionId: string): Promise<string> {
  const client = new pg.Client({ connectionString: inject('postgresUrl') });
  await client.connect();
  try {
    const prefix = `${inject('postgresSchemaPrefix')}_express_`;
    const schemas = await client.query<{ schema_name: string }>(
      'select schema_name from information_schema.schemata where starts_with(schema_name, $1)',
      [prefix],
    );
    for (const { schema_name: schema } of schemas.rows) {
      const found = await client
        .query(`select 1 from "${schema}".categorization_sessions where id = $1`, [sessionId])
        .catch(() => ({ rowCount: 0 }));
      if ((found.rowCount ?? 0) > 0) return schema;
    }
    throw new Error(`no schema of this run holds session ${sessionId}`);
  } finally {
    await client.end();
  }
}

/**
 * Another SDK instance over the same database and blob folder as the host: what a worker in
 * another process is, as far as the host can tell (its own progress events never reach the host).
 */
export async function secondInstance(
  kind: StoreKind,
  host: TestHost,
  blobsDir: string,
  sessionId: string,
): Promise<VBuckets> {
  const store = (
    kind === 'sqlite'
      ? await createSqliteStore({ path: join(host.dataDir, 'vbuckets.db') })
      : await createPostgresStore({
          connectionString: inject('postgresUrl'),
          schema: await schemaHolding(sessionId),
        })
  )._unsafeUnwrap();
  return createVBuckets({
    store,
    blobs: createLocalBlobStore({ root: blobsDir }),
    sha256: nodeSha256,
    providers: keywordProviders(),
  })._unsafeUnwrap();
}
