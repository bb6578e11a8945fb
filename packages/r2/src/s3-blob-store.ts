import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { fromZodError, notFoundError, type VBucketsError, validationError } from '@vbuckets/core';
import {
  abortedBlobWrite,
  type BlobBody,
  type BlobInfo,
  type BlobObject,
  type BlobPutOptions,
  type BlobPutResult,
  type BlobStore,
  type BlobVisibility,
  blobBodyChunks,
  settingsError,
  validateBlobKey,
  withErrorSource,
} from '@vbuckets/core/adapter-kit';
import { errAsync, ResultAsync } from 'neverthrow';
import { toS3Error } from './s3-error';
import {
  DEFAULT_PART_SIZE_BYTES,
  DEFAULT_PRESIGN_TTL_SEC,
  DEFAULT_QUEUE_SIZE,
  MAX_PRESIGN_TTL_SEC,
  S3BlobStoreSettingsSchema,
} from './s3-settings';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** For temporary credentials (AWS STS). */
  sessionToken?: string;
}

export interface S3BlobStoreSettings {
  /** The S3 API endpoint: R2 `https://<account>.r2.cloudflarestorage.com`, MinIO `http://host:9000`; omitted for AWS S3. */
  endpoint?: string;
  /** AWS region; `auto` for R2. */
  region: string;
  /** Bucket the objects live in (it must exist). */
  bucket: string;
  /** A folder of the bucket to keep every object under (`prefix/key`); keys given and returned stay without it. */
  prefix?: string;
  /** Access key; omitted: the AWS SDK's default chain (`AWS_ACCESS_KEY_ID`, profiles, roles). */
  credentials?: S3Credentials;
  /** Path-style URLs (`endpoint/bucket/key`), needed by MinIO and most emulators. Default false. */
  forcePathStyle?: boolean;
  /** Where the bucket is served publicly (R2 custom domain or r2.dev URL); enables `publicUrl`. */
  publicBaseUrl?: string;
  /** An S3Client of your own (endpoint, region, credentials and forcePathStyle above are then ignored). */
  client?: S3Client;
  /** Multipart part size, at least 5 MiB. Default 8 MiB. */
  partSizeBytes?: number;
  /** Parts uploaded at once; memory per upload is about `queueSize × partSizeBytes`. Default 4. */
  queueSize?: number;
  /** Attempts per request, the SDK's own retries included. Default: the SDK's (3). */
  maxAttempts?: number;
}

/** An S3-compatible BlobStore plus the facts createR2Storage routes by. */
export interface S3BlobStore extends BlobStore {
  /** The bucket this store writes to. */
  readonly bucket: string;
  /** The S3 client in use (yours, or the one built from the settings). */
  readonly client: S3Client;
  presignGet(key: string, ttlSec?: number): ResultAsync<string, VBucketsError>;
  publicUrl(key: string): string | null;
}

/** User metadata (`x-amz-meta-…`) that keeps the visibility the object was put with. */
const VISIBILITY_METADATA = 'vbuckets-visibility';

/**
 * The S3Client settings that R2, MinIO and s3rver accept: SDKs from 3.729 on send CRC32
 * checksums (trailing, in aws-chunked framing for streams) by default, which R2 refuses and
 * some emulators store as part of the object.
 */
export function s3ClientConfig(settings: {
  endpoint?: string | undefined;
  region: string;
  credentials?: S3Credentials | undefined;
  forcePathStyle?: boolean | undefined;
  maxAttempts?: number | undefined;
}): S3ClientConfig {
  return {
    region: settings.region,
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
    ...(settings.forcePathStyle === undefined ? {} : { forcePathStyle: settings.forcePathStyle }),
    ...(settings.maxAttempts === undefined ? {} : { maxAttempts: settings.maxAttempts }),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

/** `a b/ü.mp4` → `a%20b/%C3%BC.mp4`: each segment encoded, the slashes kept. */
export function encodeKeyForUrl(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/gu,
        (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');
}

function visibilityOf(metadata: Record<string, string> | undefined): BlobVisibility {
  return metadata?.[VISIBILITY_METADATA] === 'public' ? 'public' : 'private';
}

function isAbsent(error: VBucketsError): boolean {
  return error.code === 'NOT_FOUND';
}

/**
 * A BlobStore on one bucket of Cloudflare R2, AWS S3 or any S3-compatible server (MinIO).
 * `put` streams the body through SHA-256 into a lib-storage multipart upload (parts of
 * `partSizeBytes`, `queueSize` at once), so memory stays bounded whatever the size; a
 * failed or aborted put aborts its multipart upload and leaves the previous object.
 * It throws nothing: with invalid settings every call answers their VALIDATION error (`path`
 * names the field) and no request is sent. Errors name `s3` in `error.adapter`.
 */
export function createS3BlobStore(settings: S3BlobStoreSettings): S3BlobStore {
  return buildS3BlobStore(settings, 's3');
}

/**
 * {@link createS3BlobStore} with the adapter name its errors carry in `error.adapter`, so the
 * stores of `createR2Storage` say `r2`. Internal: not exported from the package.
 */
export function buildS3BlobStore(settings: S3BlobStoreSettings, adapter: string): S3BlobStore {
  const parsed = S3BlobStoreSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    const refusal = settingsError(fromZodError(parsed.error, 'S3 blob store settings'));
    return refusingS3BlobStore(settings, refusal, adapter);
  }
  const options = parsed.data;
  const bucket = options.bucket;
  const client = options.client ?? new S3Client(s3ClientConfig(options));
  const partSize = options.partSizeBytes ?? DEFAULT_PART_SIZE_BYTES;
  const queueSize = options.queueSize ?? DEFAULT_QUEUE_SIZE;
  const publicBaseUrl = options.publicBaseUrl?.replace(/\/+$/u, '');

  const checkKey = (key: string) => validateBlobKey(key, { adapter });
  const prefix = (options.prefix ?? '').replace(/^\/+|\/+$/gu, '');
  if (prefix !== '') {
    const checked = validateBlobKey(prefix, { adapter });
    if (checked.isErr()) {
      const problem = checked.error.message.replace(/^Invalid blob key /u, '');
      const refusal = settingsError(
        validationError(`Invalid S3 blob store settings.prefix ${problem}`, { path: 'prefix' }),
      );
      return refusingS3BlobStore(settings, refusal, adapter, client);
    }
  }
  const at = (operation: string) => (error: VBucketsError) =>
    withErrorSource(error, { adapter, operation });
  // Keys are checked before the prefix is added, so `../x` cannot climb out of it.
  const objectKey = (key: string) => (prefix === '' ? key : `${prefix}/${key}`);
  const where = (key: string) => `${bucket}/${objectKey(key)}`;

  async function upload(
    key: string,
    body: BlobBody,
    putOptions: BlobPutOptions,
  ): Promise<BlobPutResult> {
    const { signal } = putOptions;
    if (signal?.aborted) throw abortedBlobWrite(adapter, key, signal);
    // Stops reading the body when the caller aborts or a request fails: lib-storage's other
    // part uploaders would otherwise go on reading (and waiting on a stalled) body.
    const stopReading = new AbortController();
    const forwardAbort = () => stopReading.abort(signal?.reason);
    signal?.addEventListener('abort', forwardAbort, { once: true });
    let firstFailure: unknown;
    const hash = createHash('sha256');
    let sizeBytes = 0;
    // Hashing here, as lib-storage pulls the bytes, keeps it one pass over the stream.
    async function* hashed(): AsyncGenerator<Uint8Array> {
      const context = { adapter, key, signal: stopReading.signal };
      for await (const chunk of blobBodyChunks(body, context)) {
        hash.update(chunk);
        sizeBytes += chunk.byteLength;
        yield chunk;
      }
    }
    const source = Readable.from(hashed(), { objectMode: false });
    const watchedClient: S3Client = Object.create(client, {
      send: {
        value: (...args: Parameters<S3Client['send']>) =>
          (Reflect.apply(client.send, client, args) as Promise<unknown>).catch((error: unknown) => {
            firstFailure ??= error;
            stopReading.abort(error);
            throw error;
          }),
      },
    });
    const transfer = new Upload({
      client: watchedClient,
      partSize,
      queueSize,
      leavePartsOnError: false,
      params: {
        Bucket: bucket,
        Key: objectKey(key),
        Body: source,
        ...(putOptions.contentType === undefined ? {} : { ContentType: putOptions.contentType }),
        Metadata: { [VISIBILITY_METADATA]: putOptions.visibility ?? 'private' },
      },
    });
    // Failing the body (rather than calling Upload.abort(), which settles done() at once and
    // leaves its cleanup running) makes done() settle after the multipart upload is aborted.
    try {
      await transfer.done();
    } catch (error) {
      if (signal?.aborted) throw abortedBlobWrite(adapter, key, signal);
      throw firstFailure ?? error;
    } finally {
      signal?.removeEventListener('abort', forwardAbort);
      source.destroy();
    }
    return { key, sizeBytes, sha256: hash.digest('hex') };
  }

  async function headObject(key: string): Promise<BlobInfo | null> {
    try {
      const answer = await client.send(
        new HeadObjectCommand({ Bucket: bucket, Key: objectKey(key) }),
      );
      return {
        key,
        sizeBytes: answer.ContentLength ?? 0,
        contentType: answer.ContentType,
        visibility: visibilityOf(answer.Metadata),
      };
    } catch (error) {
      const mapped = toS3Error(error, `Reading the metadata of ${where(key)}`);
      if (isAbsent(mapped)) return null;
      throw mapped;
    }
  }

  async function getObject(key: string): Promise<BlobObject> {
    let answer: GetObjectCommandOutput;
    try {
      answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
    } catch (error) {
      const mapped = toS3Error(error, `Reading ${where(key)}`);
      if (isAbsent(mapped))
        throw notFoundError(`No object ${JSON.stringify(key)} in ${bucket}`, { cause: error });
      throw mapped;
    }
    if (answer.Body === undefined) throw notFoundError(`${where(key)} has no body`);
    return {
      key,
      sizeBytes: answer.ContentLength ?? 0,
      contentType: answer.ContentType,
      visibility: visibilityOf(answer.Metadata),
      body: answer.Body.transformToWebStream() as ReadableStream<Uint8Array>,
    };
  }

  async function deleteObject(key: string): Promise<void> {
    try {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
    } catch (error) {
      const mapped = toS3Error(error, `Deleting ${where(key)}`);
      // S3 answers 204 for an absent key; a server that says 404 means the same.
      if (mapped.code === 'NOT_FOUND' && mapped.details?.s3Code !== 'NoSuchBucket') return;
      throw mapped;
    }
  }

  const attempt = <T>(operation: string, action: string, key: string, run: () => Promise<T>) =>
    ResultAsync.fromPromise(run(), (error) => toS3Error(error, `${action} ${where(key)}`)).mapErr(
      at(operation),
    );

  return {
    specificationVersion: 'v1',
    bucket,
    client,

    put(key, body, putOptions = {}) {
      return checkKey(key)
        .mapErr(at('blobs.put'))
        .asyncAndThen(() =>
          attempt('blobs.put', 'Writing', key, () => upload(key, body, putOptions)),
        );
    },

    get(key) {
      return checkKey(key)
        .mapErr(at('blobs.get'))
        .asyncAndThen(() => attempt('blobs.get', 'Reading', key, () => getObject(key)));
    },

    head(key) {
      return checkKey(key)
        .mapErr(at('blobs.head'))
        .asyncAndThen(() =>
          attempt('blobs.head', 'Reading the metadata of', key, () => headObject(key)),
        );
    },

    delete(key) {
      return checkKey(key)
        .mapErr(at('blobs.delete'))
        .asyncAndThen(() => attempt('blobs.delete', 'Deleting', key, () => deleteObject(key)));
    },

    presignGet(key, ttlSec = DEFAULT_PRESIGN_TTL_SEC) {
      const checked = checkKey(key);
      if (checked.isErr()) return errAsync(at('blobs.presignGet')(checked.error));
      if (!Number.isInteger(ttlSec) || ttlSec <= 0 || ttlSec > MAX_PRESIGN_TTL_SEC) {
        return errAsync(
          validationError(
            `Invalid ttlSec ${String(ttlSec)}: must be a whole number of seconds from 1 to ${MAX_PRESIGN_TTL_SEC} (7 days)`,
            { path: 'ttlSec', details: { ttlSec }, adapter, operation: 'blobs.presignGet' },
          ),
        );
      }
      return attempt('blobs.presignGet', 'Presigning', key, () =>
        getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: objectKey(key) }), {
          expiresIn: ttlSec,
        }),
      );
    },

    publicUrl(key) {
      if (publicBaseUrl === undefined || checkKey(key).isErr()) return null;
      return `${publicBaseUrl}/${encodeKeyForUrl(objectKey(key))}`;
    },
  };
}

/**
 * The store of invalid settings: every call answers the settings error and no request is sent.
 * Its `client` (yours, or a default one made on first read) is there for `destroy()`.
 * Internal: not exported from the package.
 */
export function refusingS3BlobStore(
  settings: S3BlobStoreSettings,
  refusal: VBucketsError,
  adapter: string,
  client?: S3Client,
): S3BlobStore {
  const refuse = (operation: string) => errAsync(withErrorSource(refusal, { adapter, operation }));
  const given = (settings as { client?: unknown } | undefined)?.client;
  let ownClient = client ?? (given instanceof S3Client ? given : undefined);
  const bucket = (settings as { bucket?: unknown } | undefined)?.bucket;
  return {
    specificationVersion: 'v1',
    bucket: typeof bucket === 'string' ? bucket : '',
    get client() {
      ownClient ??= new S3Client(s3ClientConfig({ region: 'us-east-1' }));
      return ownClient;
    },
    put: () => refuse('blobs.put'),
    get: () => refuse('blobs.get'),
    head: () => refuse('blobs.head'),
    delete: () => refuse('blobs.delete'),
    presignGet: () => refuse('blobs.presignGet'),
    publicUrl: () => null,
  };
}
