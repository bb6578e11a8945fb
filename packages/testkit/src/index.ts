export {
  type BlobStoreConformanceOptions,
  describeBlobStoreConformance,
} from './blob-store-conformance';
export {
  makeBucket,
  makeCategorization,
  makeSession,
  makeTenant,
  makeVideo,
  randomSha256,
  type Tenant,
  timestamp,
  uniqueId,
} from './builders';
export * from './fake-gemini/index';
export { flatHeaders, listenOnLoopback, readBody } from './fake-http';
export * from './fake-instagram/index';
export * from './fake-meta/index';
export * from './fake-tiktok/index';
export * from './fake-youtube/index';
export {
  type AcquireTestPostgresOptions,
  acquireTestPostgres,
  createTestSchema,
  DEFAULT_TEST_POSTGRES_URL,
  dropTestSchema,
  dropTestSchemas,
  type EmbeddedPostgresLike,
  type EmbeddedPostgresOptionsLike,
  type PgClientLike,
  type PgModuleLike,
  type TestPostgres,
  testSchemaName,
} from './postgres-test-server';
export {
  expectErrorCode,
  expectOk,
  type ResultLike,
  type ResultThenable,
} from './result-assertions';
export * from './s3/index';
export { describeStoreConformance, type StoreConformanceOptions } from './store-conformance';
export { HOSTILE_STRINGS, LONG_HOSTILE_TEXT } from './store-conformance-hostile-strings';
export {
  type ConformanceVideoOptions,
  describeUploaderConformance,
  type UploaderCapabilities,
  type UploaderConformanceHarness,
  type UploaderConformanceOptions,
  type UploaderFailureKind,
  uploadableVideoOf,
} from './uploader-conformance';
