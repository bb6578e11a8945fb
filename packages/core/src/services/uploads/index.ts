export { UPLOAD_STATUS_SYMBOLS } from './upload-status-symbols';
export { createUploadsService } from './uploads-service';
export type {
  MetadataFor,
  UploadAllSummary,
  UploadHistoryEntry,
  UploadOptions,
  UploadsService,
  UploadsServiceDependencies,
  UploadsSettings,
} from './uploads-types';
