export * from './access/index';
export { createVBuckets, type VBuckets, type VBucketsOptions } from './create-vbuckets';
export { abortedBlobWrite, type BlobBodyContext, blobBodyChunks } from './domain/blob-body';
export { validateBlobKey } from './domain/blob-keys';
export * from './domain/categorization/index';
export * from './domain/csv/index';
export * from './domain/keyword/index';
export * from './domain/market/index';
export * from './domain/media/index';
export * from './domain/media-types/index';
export { bucketNameKey } from './domain/names';
export { TRANSIENT_NETWORK_CODES, transientNetworkCode } from './domain/network-errors';
export { type PageRequest, pageRequestError, unknownAfterError } from './domain/page-request';
export * from './domain/rate-limit/index';
export { runConcurrently } from './domain/run-concurrently';
export * from './domain/segments/index';
export { createSha256, type Sha256 } from './domain/sha256';
export { untilAborted } from './domain/until-aborted';
export * from './domain/uploads/index';
export {
  cancelledError,
  conflictError,
  type ErrorSource,
  fromZodError,
  isSettingsError,
  isVBucketsError,
  notFoundError,
  settingsError,
  storageError,
  toVBucketsError,
  VBucketsError,
  type VBucketsErrorCode,
  type VBucketsErrorOptions,
  validationError,
  vbucketsError,
  withErrorSource,
} from './errors';
export * from './ports/index';
export * from './schemas/index';
export type { BucketImportCounts, BucketImportItem } from './services/bucket-import';
export {
  type BucketsService,
  type BucketsServiceDependencies,
  createBucketsService,
} from './services/buckets-service';
export * from './services/categorize/index';
export { parseInput } from './services/parse-input';
export * from './services/uploads/index';
export * from './services/videos/index';
