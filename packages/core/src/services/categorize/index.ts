export { NOT_STORED_MESSAGE } from './batch-runs';
export type { CategorizeServiceDependencies } from './categorize-context';
export { type CategorizeService, createCategorizeService } from './categorize-service';
export type {
  BucketExportEntry,
  BucketExportGroup,
  CategorizationProvider,
  CategorizeFile,
  CategorizeProgressEvent,
  CategorizeProgressListener,
  CategorizeResumeOptions,
  CategorizeRetryOptions,
  CategorizeRunInput,
  CategorizeRunResult,
  CategorizeSettings,
  CategorizeStage,
  SessionSummary,
  UploadedBucketGroup,
} from './categorize-types';
export { CATEGORIZATION_CSV_COLUMNS } from './session-reports';
