import { S3Client } from '@aws-sdk/client-s3';
import { fromZodError, type VBucketsError, validationError } from '@vbuckets/core';
import { type BlobStore, settingsError, withErrorSource } from '@vbuckets/core/adapter-kit';
import { err, errAsync, ok, type Result, type ResultAsync } from 'neverthrow';
import { isR2Ref, parseR2Ref, toR2Ref } from './r2-refs';
import {
  buildS3BlobStore,
  refusingS3BlobStore,
  type S3BlobStore,
  type S3Credentials,
  s3ClientConfig,
} from './s3-blob-store';
import { R2StorageSettingsSchema } from './s3-settings';

export interface R2StorageSettings {
  /** Cloudflare account id: the endpoint becomes `https://{accountId}.r2.cloudflarestorage.com`. */
  accountId?: string;
  /** The S3 API endpoint, instead of `accountId` (also for S3 or MinIO). Default `R2_ENDPOINT_URL`. */
  endpoint?: string;
  /** Default `auto`, which R2 expects. */
  region?: string;
  /** R2 API token keys. Default `R2_ACCESS_KEY_ID` / `R2_SECRET_ACCESS_KEY`, else the AWS SDK's chain. */
  credentials?: S3Credentials;
  /** Bucket for public objects (market benchmarks), e.g. `market-benchmarks`. */
  publicBucket: string;
  /** Bucket for private objects (client assets), e.g. `client-assets`. */
  privateBucket: string;
  /** Where the public bucket is served (custom domain or r2.dev URL); enables `publicUrl`. */
  publicBaseUrl?: string;
  /** Path-style URLs, for MinIO and emulators. Default false. */
  forcePathStyle?: boolean;
  /** An S3Client of your own, shared by both buckets (endpoint, region and credentials are then ignored). */
  client?: S3Client;
  /** Multipart part size, at least 5 MiB. Default 8 MiB. */
  partSizeBytes?: number;
  /** Parts uploaded at once per put. Default 4. */
  queueSize?: number;
  /** Attempts per request, the SDK's own retries included. Default: the SDK's (3). */
  maxAttempts?: number;
}

/** One BlobStore over a public and a private bucket, addressed by `r2://{bucket}/{key}` references. */
export interface R2Storage extends BlobStore {
  readonly publicBucket: string;
  readonly privateBucket: string;
  /** The store of each bucket, for work that needs a bucket directly. */
  readonly publicStore: S3BlobStore;
  readonly privateStore: S3BlobStore;
  presignGet(refOrKey: string, ttlSec?: number): ResultAsync<string, VBucketsError>;
  publicUrl(refOrKey: string): string | null;
}

const ADAPTER = 'r2';

/** Names this adapter and the call in the error's fields; the message stays a sentence. */
const at = (operation: string) => (error: VBucketsError) =>
  withErrorSource(error, { adapter: ADAPTER, operation });

function environment(name: string): string | undefined {
  const value = typeof process === 'undefined' ? undefined : process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Wires the two buckets of seed 003 into one BlobStore: `put` with `visibility: 'public'`
 * writes to the public bucket, anything else to the private one, and reports the object's
 * internal reference `r2://{bucket}/{key}` as its key. The other methods take such a
 * reference (routed by its bucket) or a plain key (the private bucket). It throws nothing:
 * with invalid settings every call answers their VALIDATION error and no request is sent.
 * Errors name `r2` in `error.adapter`.
 */
export function createR2Storage(settings: R2StorageSettings): R2Storage {
  const parsed = R2StorageSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    return refusingR2Storage(
      settings,
      settingsError(fromZodError(parsed.error, 'R2 storage settings')),
    );
  }
  const options = parsed.data;
  const endpoint =
    options.endpoint ??
    (options.accountId === undefined
      ? environment('R2_ENDPOINT_URL')
      : `https://${options.accountId}.r2.cloudflarestorage.com`);
  if (endpoint === undefined && options.client === undefined) {
    return refusingR2Storage(
      settings,
      settingsError(
        validationError(
          'Invalid R2 storage settings.endpoint: give accountId, endpoint or R2_ENDPOINT_URL',
          { path: 'endpoint' },
        ),
      ),
    );
  }
  const accessKeyId = environment('R2_ACCESS_KEY_ID');
  const secretAccessKey = environment('R2_SECRET_ACCESS_KEY');
  const credentials =
    options.credentials ??
    (accessKeyId !== undefined && secretAccessKey !== undefined
      ? { accessKeyId, secretAccessKey }
      : undefined);
  const region = options.region ?? 'auto';
  const client =
    options.client ??
    new S3Client(
      s3ClientConfig({
        endpoint,
        region,
        credentials,
        forcePathStyle: options.forcePathStyle,
        maxAttempts: options.maxAttempts,
      }),
    );
  const shared = {
    region,
    client,
    ...(options.partSizeBytes === undefined ? {} : { partSizeBytes: options.partSizeBytes }),
    ...(options.queueSize === undefined ? {} : { queueSize: options.queueSize }),
  };
  const publicStore = buildS3BlobStore(
    {
      ...shared,
      bucket: options.publicBucket,
      ...(options.publicBaseUrl === undefined ? {} : { publicBaseUrl: options.publicBaseUrl }),
    },
    ADAPTER,
  );
  const privateStore = buildS3BlobStore({ ...shared, bucket: options.privateBucket }, ADAPTER);
  const stores = new Map([
    [options.publicBucket, publicStore],
    [options.privateBucket, privateStore],
  ]);

  /** The store and key a reference (or a plain key, meaning the private bucket) names. */
  function route(refOrKey: string): Result<{ store: S3BlobStore; key: string }, VBucketsError> {
    if (!isR2Ref(refOrKey)) return ok({ store: privateStore, key: refOrKey });
    return parseR2Ref(refOrKey).andThen(({ bucket, key }) => {
      const store = stores.get(bucket);
      if (store !== undefined) return ok({ store, key });
      return err(
        validationError(
          `${JSON.stringify(refOrKey)} names bucket ${JSON.stringify(bucket)}, which is neither ${options.publicBucket} nor ${options.privateBucket}`,
          { path: 'key', details: { ref: refOrKey, bucket }, adapter: ADAPTER },
        ),
      );
    });
  }

  return {
    specificationVersion: 'v1',
    publicBucket: options.publicBucket,
    privateBucket: options.privateBucket,
    publicStore,
    privateStore,

    put(refOrKey, body, putOptions = {}) {
      const wanted = putOptions.visibility;
      let target: Result<{ store: S3BlobStore; key: string }, VBucketsError>;
      if (isR2Ref(refOrKey)) {
        target = route(refOrKey).andThen((routed) => {
          const visibility = routed.store === publicStore ? 'public' : 'private';
          if (wanted === undefined || wanted === visibility) return ok(routed);
          return err(
            validationError(
              `${JSON.stringify(refOrKey)} is in the ${visibility} bucket but visibility is ${wanted}`,
              { path: 'visibility', adapter: ADAPTER },
            ),
          );
        });
      } else {
        target = ok({ store: wanted === 'public' ? publicStore : privateStore, key: refOrKey });
      }
      if (target.isErr()) return errAsync(at('blobs.put')(target.error));
      const { store, key } = target.value;
      const visibility = store === publicStore ? 'public' : 'private';
      return store
        .put(key, body, { ...putOptions, visibility })
        .andThen((result) => toR2Ref(store.bucket, key).map((ref) => ({ ...result, key: ref })))
        .mapErr(at('blobs.put'));
    },

    get(refOrKey) {
      return route(refOrKey)
        .asyncAndThen(({ store, key }) => store.get(key))
        .map((object) => Object.assign(object, { key: refOrKey }))
        .mapErr(at('blobs.get'));
    },

    head(refOrKey) {
      return route(refOrKey)
        .asyncAndThen(({ store, key }) => store.head(key))
        .map((info) => (info === null ? null : { ...info, key: refOrKey }))
        .mapErr(at('blobs.head'));
    },

    delete(refOrKey) {
      return route(refOrKey)
        .asyncAndThen(({ store, key }) => store.delete(key))
        .mapErr(at('blobs.delete'));
    },

    presignGet(refOrKey, ttlSec) {
      return route(refOrKey)
        .asyncAndThen(({ store, key }) => store.presignGet(key, ttlSec))
        .mapErr(at('blobs.presignGet'));
    },

    publicUrl(refOrKey) {
      const routed = route(refOrKey);
      if (routed.isErr() || routed.value.store !== publicStore) return null;
      return publicStore.publicUrl(routed.value.key);
    },
  };
}

/** The storage of invalid settings: every call answers the settings error, no request is sent. */
function refusingR2Storage(settings: R2StorageSettings, refusal: VBucketsError): R2Storage {
  const given = (settings ?? {}) as Partial<Record<'publicBucket' | 'privateBucket', unknown>>;
  const name = (value: unknown) => (typeof value === 'string' ? value : '');
  const client = (settings as { client?: unknown } | undefined)?.client;
  const store = (bucket: string) =>
    refusingS3BlobStore(
      { region: '', bucket, ...(client instanceof S3Client ? { client } : {}) },
      refusal,
      ADAPTER,
    );
  const refuse = (operation: string) => errAsync(at(operation)(refusal));
  return {
    specificationVersion: 'v1',
    publicBucket: name(given.publicBucket),
    privateBucket: name(given.privateBucket),
    publicStore: store(name(given.publicBucket)),
    privateStore: store(name(given.privateBucket)),
    put: () => refuse('blobs.put'),
    get: () => refuse('blobs.get'),
    head: () => refuse('blobs.head'),
    delete: () => refuse('blobs.delete'),
    presignGet: () => refuse('blobs.presignGet'),
    publicUrl: () => null,
  };
}
