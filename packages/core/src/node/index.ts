export {
  MAX_ZIP_ENTRY_NAME_BYTES,
  type SafeZipEntryNamesOptions,
  safeZipEntryNames,
} from '../domain/zip-entry-names';
export {
  type BucketZipGroup,
  type WriteBucketZipsOptions,
  type WrittenBucketZip,
  type WrittenBucketZipEntry,
  writeBucketZips,
} from './bucket-zip';
export {
  type BucketZipStream,
  type BucketZipStreamOptions,
  openBucketZipStream,
} from './bucket-zip-stream';
export { nodeSha256 } from './node-sha256';
export { type ReadSidecarTextOptions, readSidecarText, type SidecarText } from './sidecar-text';
export { createTempLocalFiles, type TempLocalFilesSettings } from './temp-local-files';
export { type VideoFileInput, videoFile } from './video-file';
export {
  createZipStream,
  MAX_ZIP_BYTES,
  MAX_ZIP_ENTRIES,
  type ZipEntrySource,
  type ZipStreamEntry,
  type ZipStreamOptions,
} from './zip-stream';
