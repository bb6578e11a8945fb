import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ActorResolver,
  createJwtActorResolver,
  createVBuckets,
  type JobQueue,
  type VBuckets,
} from '@vbuckets/core';
import type { BlobStore } from '@vbuckets/core/adapter-kit';
import { nodeSha256 } from '@vbuckets/core/node';
import { openBlobStore, type WorkerSetup, workerSetup } from '@vbuckets/example-cli/host';
import { SignJWT } from 'jose';
import type { ServerSettings } from './server-settings';

/** The file of the development secret in the data dir (only when no JWT settings are given). */
export const DEV_SECRET_FILE = 'dev-jwt-secret';

/** What the server composed from its settings. */
export interface ComposedHost {
  vbuckets: VBuckets;
  blobs: BlobStore;
  auth: ActorResolver;
  /** What the environment configured (providers, platforms, metrics, analyzer), for the start-up line. */
  setup: WorkerSetup;
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

/** Who a development token speaks for: an admin of org `local`. */
export const DEV_ACTOR = { userId: 'dev', orgId: 'local', roles: ['admin'] };

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
 * Opens the stores and the SDK the settings describe: SQLite in the data dir (or PostgreSQL),
 * blobs in the data dir (or an S3 bucket), the store's embedded job queue (or BullMQ on Redis),
 * and what the environment configures, as for the CLI's worker: the offline keyword categorizer
 * (Gemini and Claude with their keys), platform uploaders and metrics sources, the market
 * analyzer, ffmpeg for splits and thumbnails. Throws the SDK's error when a part cannot open.
 */
export async function composeHost(
  settings: ServerSettings,
  log: (line: string) => void = () => {},
): Promise<ComposedHost> {
  await mkdir(join(settings.dataDir, 'blobs'), { recursive: true });
  const io = {
    stdout: process.stdout,
    stderr: { write: (text: string) => log(text.trimEnd()) },
    env: settings.env,
    cwd: settings.dataDir,
  };
  const setup = await workerSetup(io, settings);
  // Only the engines in use are loaded: each of the others costs the process 15-25 MB.
  const store = (
    settings.databaseUrl === undefined
      ? await (await import('@vbuckets/storage-sqlite')).createSqliteStore({
          path: join(settings.dataDir, 'vbuckets.db'),
        })
      : await (await import('@vbuckets/storage-postgres')).createPostgresStore({
          connectionString: settings.databaseUrl,
          schema: settings.databaseSchema,
        })
  ).match(
    (opened) => opened,
    (error) => {
      throw error;
    },
  );
  const opened = await openBlobStore(settings.storage, settings.dataDir);
  const { blobs } = opened;
  const queue: JobQueue | undefined =
    settings.redisUrl === undefined
      ? undefined
      : (await import('@vbuckets/queue-bullmq')).createBullMqJobQueue({
          redisUrl: settings.redisUrl,
          prefix: settings.redisPrefix,
        });
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
    ...setup.extra,
    store,
    blobs,
    sha256: nodeSha256,
    ...(queue === undefined ? {} : { queue }),
  });
  if (auth.isErr() || composed.isErr()) {
    await queue?.close();
    await store.close();
    opened.close();
    throw auth.isErr() ? auth.error : composed._unsafeUnwrapErr();
  }
  const vbuckets = composed.value;
  return {
    vbuckets,
    blobs,
    auth: auth.value,
    devSecret,
    setup,
    close: async () => {
      try {
        await vbuckets.close();
      } finally {
        opened.close();
      }
    },
  };
}
