export { isR2Ref, parseR2Ref, R2_REF_PREFIX, type R2Ref, toR2Ref } from './r2-refs';
export { createR2Storage, type R2Storage, type R2StorageSettings } from './r2-storage';
export {
  createS3BlobStore,
  encodeKeyForUrl,
  type S3BlobStore,
  type S3BlobStoreSettings,
  type S3Credentials,
  s3ClientConfig,
} from './s3-blob-store';
export { toS3Error } from './s3-error';
export {
  DEFAULT_PART_SIZE_BYTES,
  DEFAULT_PRESIGN_TTL_SEC,
  DEFAULT_QUEUE_SIZE,
  MAX_PRESIGN_TTL_SEC,
  MIN_PART_SIZE_BYTES,
} from './s3-settings';
