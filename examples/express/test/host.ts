import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJwtActorResolver, createVBuckets, type VBuckets } from '@vbuckets/core';
import { nodeSha256 } from '@vbuckets/core/node';
import { createLocalBlobStore } from '@vbuckets/fs';
import { createPostgresStore } from '@vbuckets/storage-postgres';
import { createSqliteStore } from '@vbuckets/storage-sqlite';
import { SignJWT } from 'jose';
import pg from 'pg';
import { inject } from 'vitest';
import { type CreateAppOptions, createApp } from '../src/app';

export const SECRET = 'a-test-secret-of-at-least-32-bytes!!';
export const ISSUER = 'vbuckets-tests';
export const AUDIENCE = 'vbuckets-api';

export type StoreKind = 'sqlite' | 'postgres';
export const STORES: StoreKind[] = ['sqlite', 'postgres'];

/** A signed HS256 token for a user of an org. */
export async function tokenFor(
  who: { userId: string; orgId: string; roles?: readonly string[] },
  options: { expiresIn?: string; secret?: string } = {},
): Promise<string> {
  return new SignJWT({ org_id: who.orgId, roles: [...(who.roles ?? [])] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(who.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '10m')
    .sign(new TextEncoder().encode(options.secret ?? SECRET));
}

/** A running host on 127.0.0.1 with its own store and blob folder. */
export interface TestHost {
  url: string;
  vbuckets: VBuckets;
  dataDir: string;
  /** `fetch` of a path under the host, with a bearer token when given. */
  call(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Starts the host over real HTTP on the given store: SQLite in a temporary folder, or a fresh
 * PostgreSQL schema (dropped on close). Blobs go to a local folder either way.
 */
export async function startTestHost(
  kind: StoreKind,
  options: Partial<Omit<CreateAppOptions, 'vbuckets' | 'auth'>> & {
    vbucketsOptions?: Partial<Parameters<typeof createVBuckets>[0]>;
  } = {},
): Promise<TestHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vbuckets-express-'));
  const schema =
    kind === 'postgres'
      ? `${inject('postgresSchemaPrefix')}_express_${randomBytes(4).toString('hex')}`
      : undefined;
  const store = (
    kind === 'sqlite'
      ? await createSqliteStore({ path: join(dataDir, 'vbuckets.db') })
      : await createPostgresStore({ connectionString: inject('postgresUrl'), schema })
  )._unsafeUnwrap();
  const blobs = createLocalBlobStore({ root: join(dataDir, 'blobs') });
  const vbuckets = createVBuckets({
    store,
    blobs,
    sha256: nodeSha256,
    ...options.vbucketsOptions,
  })._unsafeUnwrap();
  const auth = createJwtActorResolver({
    secret: SECRET,
    issuer: ISSUER,
    audience: AUDIENCE,
  })._unsafeUnwrap();
  const { vbucketsOptions: _ignored, ...appOptions } = options;
  const app = createApp({ vbuckets, auth, ...appOptions });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    vbuckets,
    dataDir,
    call(path, init = {}) {
      const { token, json, headers, ...rest } = init;
      const merged = new Headers(headers);
      if (token !== undefined) merged.set('authorization', `Bearer ${token}`);
      if (json !== undefined) merged.set('content-type', 'application/json');
      return fetch(`${url}${path}`, {
        ...rest,
        headers: merged,
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await vbuckets.close();
      if (schema !== undefined) {
        const client = new pg.Client({ connectionString: inject('postgresUrl') });
        await client.connect();
        try {
          await client.query(`drop schema if exists ${schema} cascade`);
        } finally {
          await client.end();
        }
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The problem document of a response, checking its media type. */
export async function problemOf(response: Response) {
  expectProblemType(response);
  return (await response.json()) as {
    type: string;
    title: string;
    status: number;
    detail: string;
    code: string;
    path?: string;
    retryable: boolean;
  };
}

function expectProblemType(response: Response): void {
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('application/problem+json')) {
    throw new Error(`expected a problem document, got ${response.status} ${type}`);
  }
}
