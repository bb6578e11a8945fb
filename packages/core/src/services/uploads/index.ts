export { UPLOAD_STATUS_SYMBOLS } from './upload-status-symbols';
export {
  createUploadsService,
  type MetadataFor,
  type UploadAllSummary,
  type UploadHistoryEntry,
  type UploadOptions,
  type UploadsService,
  type UploadsServiceDependencies,
  type UploadsSettings,
} from './uploads-service';
