import { isSettingsError, type VBucketsError, validationError } from '@vbuckets/core';
import type { BlobStore, PlatformUploader } from '@vbuckets/core/adapter-kit';

/**
 * The SDK's factories throw nothing: an object built from bad settings answers every call with
 * a settings error (`isSettingsError`). The CLI built those settings from the environment, so it
 * says which variables to check; any other error passes unchanged.
 */
function explained(
  error: VBucketsError,
  explain: (message: string) => string,
  path: string,
): VBucketsError {
  if (!isSettingsError(error)) return error;
  return validationError(explain(error.message), {
    path,
    cause: error,
    ...(error.adapter === undefined ? {} : { adapter: error.adapter }),
    ...(error.operation === undefined ? {} : { operation: error.operation }),
    details: { ...error.details },
  });
}

/** The uploader, its settings errors turned into `explain(message)` (path `platform`). */
export function explainUploaderSettings(
  uploader: PlatformUploader,
  explain: (message: string) => string,
): PlatformUploader {
  const mapped = (error: VBucketsError) => explained(error, explain, 'platform');
  const { validateMetadata } = uploader;
  return {
    specificationVersion: 'v1',
    platform: uploader.platform,
    ...(validateMetadata === undefined
      ? {}
      : {
          validateMetadata: (metadata) => validateMetadata.call(uploader, metadata).mapErr(mapped),
        }),
    upload: (video, metadata, options) => uploader.upload(video, metadata, options).mapErr(mapped),
  };
}

/** The blob store, its settings errors turned into `explain(message)` (path `storage`). */
export function explainBlobStoreSettings<Store extends BlobStore>(
  store: Store,
  explain: (message: string) => string,
): Store {
  const mapped = (error: VBucketsError) => explained(error, explain, 'storage');
  const { presignGet } = store;
  return Object.assign(Object.create(store) as Store, {
    put: (...args: Parameters<BlobStore['put']>) => store.put(...args).mapErr(mapped),
    get: (key: string) => store.get(key).mapErr(mapped),
    head: (key: string) => store.head(key).mapErr(mapped),
    delete: (key: string) => store.delete(key).mapErr(mapped),
    ...(presignGet === undefined
      ? {}
      : {
          presignGet: (key: string, ttlSec: number) =>
            presignGet.call(store, key, ttlSec).mapErr(mapped),
        }),
  });
}
