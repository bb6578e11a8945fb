export {
  cancelledError,
  conflictError,
  fromZodError,
  isVBucketsError,
  notFoundError,
  storageError,
  toVBucketsError,
  VBucketsError,
  type VBucketsErrorCode,
  type VBucketsErrorOptions,
  validationError,
  vbucketsError,
} from './errors';
export { bucketNameKey } from './domain/names';
export * from './ports/index';
export * from './schemas/index';
export * from './domain/categorization/index';
export * from './domain/market/index';
export * from './domain/media/index';
export * from './domain/segments/index';
export * from './domain/uploads/index';
export { createVBuckets, type VBuckets, type VBucketsOptions } from './create-vbuckets';
export {
  type BucketsService,
  type BucketsServiceDependencies,
  createBucketsService,
} from './services/buckets-service';
export { parseInput } from './services/parse-input';
