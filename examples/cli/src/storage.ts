import { join } from 'node:path';
import { validationError } from '@vbuckets/core';
import { type BlobStore, validateBlobKey } from '@vbuckets/core/adapter-kit';
import { createLocalBlobStore } from '@vbuckets/fs';
import type { S3Credentials } from '@vbuckets/r2';
import type { CliIo } from './io';
import { explainBlobStoreSettings } from './settings-errors';
import { loadS3 } from './vendors';

/** The folder of video bytes inside the data dir. */
export const BLOBS_DIR = 'blobs';

/** Region used with an R2 endpoint when none is set. */
export const R2_DEFAULT_REGION = 'auto';
/** Region used elsewhere (AWS S3, MinIO, emulators) when none is set. */
export const S3_DEFAULT_REGION = 'us-east-1';

/** Where video bytes live: the data dir's `blobs/`, or a bucket of an S3-compatible service. */
export type StorageSettings =
  | { kind: 'local' }
  | {
      kind: 's3';
      bucket: string;
      /** Keys are stored under `<prefix>/` in the bucket; empty for the bucket's root. */
      prefix: string;
      endpoint: string | undefined;
      region: string;
      /** Absent only for AWS S3 itself: the AWS SDK's default chain (profiles, roles) applies. */
      credentials: S3Credentials | undefined;
      forcePathStyle: boolean;
      publicBaseUrl: string | undefined;
    };

type Env = CliIo['env'];

const ENDPOINT_VARIABLES = ['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL', 'R2_ENDPOINT_URL'] as const;
const REGION_VARIABLES = ['AWS_REGION', 'AWS_DEFAULT_REGION'] as const;
const CREDENTIAL_PAIRS = [
  ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
  ['R2_ACCESS_KEY_ID', 'R2_SECRET_ACCESS_KEY'],
] as const;
/** S3 bucket names (R2's are a subset): 3 to 63 lower-case letters, digits, dots and hyphens. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/u;

const SETTINGS_HINT = `set ${ENDPOINT_VARIABLES.join(' / ')} (omit for AWS S3), AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (or R2_ACCESS_KEY_ID + R2_SECRET_ACCESS_KEY), optionally AWS_REGION, VBUCKETS_S3_FORCE_PATH_STYLE=1 (MinIO, emulators) and VBUCKETS_S3_PUBLIC_BASE_URL`;

function invalid(message: string): never {
  throw validationError(message, { path: 'storage' });
}

/**
 * `--storage` (or `VBUCKETS_STORAGE`) and the S3 variables, checked: absent or `file:` is the
 * data dir's `blobs/`; `s3://bucket[/prefix]` a bucket of S3, R2 or MinIO. VALIDATION naming
 * what to set when the URL or a setting is wrong or missing.
 */
export function parseStorage(url: string | undefined, env: Env): StorageSettings {
  const text = url?.trim() ?? '';
  if (text === '' || /^file:(\/\/)?$/iu.test(text)) return { kind: 'local' };
  const scheme = /^([a-z][a-z0-9+.-]*):/iu.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'file') {
    invalid(
      `--storage ${text}: give "file:" alone (videos in <data-dir>/blobs); choose the folder with --data-dir`,
    );
  }
  if (scheme !== 's3') {
    invalid(
      `--storage ${JSON.stringify(text)} is not a storage URL: use "file:" (the data dir, the default) or "s3://<bucket>[/<prefix>]" (S3, R2, MinIO)`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    invalid(`--storage ${JSON.stringify(text)} is not a valid URL: use "s3://<bucket>[/<prefix>]"`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    invalid(
      '--storage must not carry credentials: set AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (or R2_ACCESS_KEY_ID + R2_SECRET_ACCESS_KEY)',
    );
  }
  if (parsed.port !== '' || parsed.search !== '' || parsed.hash !== '') {
    invalid(
      `--storage ${JSON.stringify(text)}: an s3:// URL is "s3://<bucket>[/<prefix>]", no port, query or fragment (the endpoint comes from ${ENDPOINT_VARIABLES.join(' / ')})`,
    );
  }
  const bucket = parsed.hostname;
  if (!BUCKET_NAME.test(bucket)) {
    invalid(
      `--storage ${JSON.stringify(text)}: "${bucket}" is not a bucket name (3 to 63 lower-case letters, digits, dots and hyphens)`,
    );
  }
  const prefix = decodeURIComponent(parsed.pathname).replace(/^\/+|\/+$/gu, '');
  if (prefix !== '') {
    const checked = validateBlobKey(prefix);
    if (checked.isErr()) {
      invalid(`--storage ${JSON.stringify(text)}: the prefix ${checked.error.message}`);
    }
  }

  const endpointVariable = ENDPOINT_VARIABLES.find((name) => value(env, name) !== undefined);
  const endpoint = endpointVariable === undefined ? undefined : value(env, endpointVariable);
  if (endpoint !== undefined && !isHttpUrl(endpoint)) {
    invalid(
      `${endpointVariable} must be the http(s) URL of the S3 API (R2: https://<account>.r2.cloudflarestorage.com, MinIO: http://host:9000), not ${JSON.stringify(endpoint)}`,
    );
  }
  const isR2 =
    endpointVariable === 'R2_ENDPOINT_URL' ||
    (endpoint !== undefined && new URL(endpoint).hostname.endsWith('.r2.cloudflarestorage.com'));
  const regionVariable = REGION_VARIABLES.find((name) => value(env, name) !== undefined);
  const region =
    (regionVariable === undefined ? undefined : value(env, regionVariable)) ??
    (isR2 ? R2_DEFAULT_REGION : S3_DEFAULT_REGION);

  const credentials = credentialsOf(env);
  if (credentials === undefined && endpoint !== undefined) {
    invalid(
      `--storage ${text} with the endpoint ${endpoint} needs credentials: set AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (or R2_ACCESS_KEY_ID + R2_SECRET_ACCESS_KEY)`,
    );
  }

  const pathStyle = value(env, 'VBUCKETS_S3_FORCE_PATH_STYLE');
  if (pathStyle !== undefined && !/^(1|0|true|false)$/iu.test(pathStyle)) {
    invalid(`VBUCKETS_S3_FORCE_PATH_STYLE must be 1 or 0 (true or false), not "${pathStyle}"`);
  }
  const publicBaseUrl = value(env, 'VBUCKETS_S3_PUBLIC_BASE_URL');
  if (publicBaseUrl !== undefined && !isHttpUrl(publicBaseUrl)) {
    invalid(
      `VBUCKETS_S3_PUBLIC_BASE_URL must be the http(s) URL the bucket is served at publicly, not ${JSON.stringify(publicBaseUrl)}`,
    );
  }
  return {
    kind: 's3',
    bucket,
    prefix,
    endpoint,
    region,
    credentials,
    forcePathStyle: pathStyle !== undefined && /^(1|true)$/iu.test(pathStyle),
    publicBaseUrl,
  };
}

/** The first complete pair of keys; VALIDATION when a pair is half set. */
function credentialsOf(env: Env): S3Credentials | undefined {
  for (const [idVariable, secretVariable] of CREDENTIAL_PAIRS) {
    const accessKeyId = value(env, idVariable);
    const secretAccessKey = value(env, secretVariable);
    if (accessKeyId === undefined && secretAccessKey === undefined) continue;
    if (accessKeyId === undefined || secretAccessKey === undefined) {
      invalid(
        `${accessKeyId === undefined ? secretVariable : idVariable} is set but ${accessKeyId === undefined ? idVariable : secretVariable} is not: set both`,
      );
    }
    const sessionToken =
      idVariable === 'AWS_ACCESS_KEY_ID' ? value(env, 'AWS_SESSION_TOKEN') : undefined;
    return {
      accessKeyId,
      secretAccessKey,
      ...(sessionToken === undefined ? {} : { sessionToken }),
    };
  }
  return undefined;
}

/** The BlobStore the settings describe, and how to release it. */
export async function openBlobStore(
  storage: StorageSettings,
  dataDir: string,
): Promise<{ blobs: BlobStore; close: () => void }> {
  if (storage.kind === 'local') {
    return { blobs: createLocalBlobStore({ root: join(dataDir, BLOBS_DIR) }), close: () => {} };
  }
  const { createS3BlobStore } = await loadS3();
  const store = createS3BlobStore({
    bucket: storage.bucket,
    prefix: storage.prefix,
    region: storage.region,
    forcePathStyle: storage.forcePathStyle,
    ...(storage.endpoint === undefined ? {} : { endpoint: storage.endpoint }),
    ...(storage.credentials === undefined ? {} : { credentials: storage.credentials }),
    ...(storage.publicBaseUrl === undefined ? {} : { publicBaseUrl: storage.publicBaseUrl }),
  });
  return {
    // Settings the checks above let through are refused by the store's first call; say what to set.
    blobs: explainBlobStoreSettings(
      store,
      (message) => `--storage s3://${storage.bucket}: ${message} (${SETTINGS_HINT})`,
    ),
    close: () => store.client.destroy(),
  };
}

/** A short description for messages: `the data dir` or `s3://bucket/prefix`. */
export function describeStorage(storage: StorageSettings): string {
  if (storage.kind === 'local') return 'the data dir';
  return `s3://${storage.bucket}${storage.prefix === '' ? '' : `/${storage.prefix}`}`;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function value(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}
