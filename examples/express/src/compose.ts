import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ActorResolver,
  createJwtActorResolver,
  createKeywordProvider,
  createVBuckets,
  type JobQueue,
  KEYWORD_PROVIDER,
  type VBuckets,
} from '@vbuckets/core';
import type { BlobStore } from '@vbuckets/core/adapter-kit';
import { nodeSha256 } from '@vbuckets/core/node';
import { createLocalBlobStore } from '@vbuckets/fs';
import { createBullMqJobQueue } from '@vbuckets/queue-bullmq';
import { createPostgresStore } from '@vbuckets/storage-postgres';
import { createSqliteStore } from '@vbuckets/storage-sqlite';
import { SignJWT } from 'jose';
import type { ServerSettings } from './server-settings';

/** The file of the development secret in the data dir (only when no JWT settings are given). */
export const DEV_SECRET_FILE = 'dev-jwt-secret';

/** What the server composed from its settings. */
export interface ComposedHost {
  vbuckets: VBuckets;
  blobs: BlobStore;
  auth: ActorResolver;
  /** Set when tokens are checked against the data dir's development secret. */
  devSecret: string | undefined;
  close(): Promise<void>;
}

/** The data dir's development secret, made on first use (only readable by its owner). */
async function devSecretOf(dataDir: string): Promise<string> {
  const path = join(dataDir, DEV_SECRET_FILE);
  const existing = await readFile(path, 'utf8').catch(() => '');
  if (existing.trim().length >= 32) return existing.trim();
  const secret = randomBytes(48).toString('base64url');
  await writeFile(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** A token signed with the development secret, for trying the API locally. */
export function devToken(
  settings: Pick<ServerSettings, 'jwtIssuer' | 'jwtAudience'>,
  secret: string,
  who: { userId: string; orgId: string; roles: string[] },
  expiresIn = '12h',
): Promise<string> {
  return new SignJWT({ org_id: who.orgId, roles: who.roles })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(who.userId)
    .setIssuer(settings.jwtIssuer)
    .setAudience(settings.jwtAudience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}

/**
 * Opens the stores and the SDK the settings describe: SQLite and blobs in the data dir (or
 * PostgreSQL), the store's embedded job queue (or BullMQ on Redis), the offline keyword
 * categorizer, and the token verifier. Throws the SDK's error when a part cannot open.
 */
export async function composeHost(settings: ServerSettings): Promise<ComposedHost> {
  await mkdir(join(settings.dataDir, 'blobs'), { recursive: true });
  const store = (
    settings.databaseUrl === undefined
      ? await createSqliteStore({ path: join(settings.dataDir, 'vbuckets.db') })
      : await createPostgresStore({
          connectionString: settings.databaseUrl,
          schema: settings.databaseSchema,
        })
  ).match(
    (opened) => opened,
    (error) => {
      throw error;
    },
  );
  const blobs = createLocalBlobStore({ root: join(settings.dataDir, 'blobs') });
  const queue: JobQueue | undefined =
    settings.redisUrl === undefined
      ? undefined
      : createBullMqJobQueue({ redisUrl: settings.redisUrl, prefix: settings.redisPrefix });
  const devSecret =
    settings.jwtSecret === undefined && settings.jwksUrl === undefined
      ? await devSecretOf(settings.dataDir)
      : undefined;
  const auth = createJwtActorResolver({
    ...(settings.jwksUrl === undefined
      ? { secret: settings.jwtSecret ?? devSecret }
      : { jwks: settings.jwksUrl }),
    issuer: settings.jwtIssuer,
    audience: settings.jwtAudience,
  });
  const composed = createVBuckets({
    store,
    blobs,
    sha256: nodeSha256,
    ...(queue === undefined ? {} : { queue }),
    providers: {
      [KEYWORD_PROVIDER]: {
        ...createKeywordProvider(),
        requestsPerMinute: Number.POSITIVE_INFINITY,
      },
    },
  });
  if (auth.isErr() || composed.isErr()) {
    await queue?.close();
    await store.close();
    throw auth.isErr() ? auth.error : composed._unsafeUnwrapErr();
  }
  const vbuckets = composed.value;
  return {
    vbuckets,
    blobs,
    auth: auth.value,
    devSecret,
    close: () => vbuckets.close(),
  };
}
