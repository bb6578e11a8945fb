import type { Sleep } from '../../domain/rate-limit/sleep';
import type { BlobBody } from '../../ports/blob-store';
import type { BucketCategorizer, VideoAnalyzer } from '../../ports/video-analyzer';
import type {
  Categorization,
  CategorizationCounts,
  CategorizationSession,
} from '../../schemas/categorization';

/** An AI (or offline) provider a batch can use, registered by name in `createVBuckets({ providers })`. */
export interface CategorizationProvider {
  /** Analyses videos; when it has `analyzeAndCategorize`, each video costs one request. */
  analyzer: VideoAnalyzer;
  /** Picks buckets from an analysis; required when the analyzer cannot categorize, used for re-categorizing saved analyses otherwise. */
  categorizer?: BucketCategorizer;
  /** Requests per minute through this provider (analyze and categorize calls alike, or, for an analyzer or categorizer with `gatesRequests`, the requests it takes tokens for); default 9, `Infinity` for none (offline providers). */
  requestsPerMinute?: number;
  /** Requests that may go at once after an idle spell; default 1 spaces requests evenly, up to `requestsPerMinute` lets a whole window go at once (never more than that in any rolling minute). */
  burst?: number;
  /** Added to the rolling minute for latency between the limiter and the provider, which counts requests on arrival; default 1 000 ms. */
  windowMarginMs?: number;
}

/** One file of a batch. */
export interface CategorizeFile {
  /** The name as the user gave it; a path is reduced to its base name. Its extension must be mp4, mov, avi or webm. */
  filename: string;
  /** Opens the bytes; called once per attempt to store them. */
  body: () => BlobBody;
  /** The size when known: an empty or oversize file is refused without reading it. */
  sizeBytes?: number;
  /** The caller's idea of the type; informational only, the extension and the bytes decide. */
  mimeType?: string;
  /** Text known about the video (sidecar transcript, tags) for analyzers that read it; kept on the row for resumes. */
  knownText?: string;
  /** A local path of the same file: with a MediaProbe configured, an undecodable file is refused and its duration recorded. */
  probePath?: string;
}

/** The stages a row goes through, as progress events report them. */
export type CategorizeStage =
  | 'stored'
  | 'uploading'
  | 'processing'
  | 'analyzing'
  | 'categorizing'
  | 'done'
  | 'failed';

/** One step of one video. */
export interface CategorizeProgressEvent {
  sessionId: string;
  rowId: string;
  filename: string;
  /** The row's position in the session, from 0. */
  index: number;
  /** Rows in the session. */
  total: number;
  stage: CategorizeStage;
  /** Why the row failed, that a retry is coming, or that identical content was already stored. */
  message?: string;
  /** The saved row, on `done` and `failed`. */
  result?: Categorization;
}

/** Called for every progress event; an exception it throws is ignored (a display must not stop a batch). */
export type CategorizeProgressListener = (event: CategorizeProgressEvent) => void;

/** Starts a batch. */
export interface CategorizeRunInput {
  productId: string;
  /** 1..maxBatchSize files (default 20). */
  files: CategorizeFile[];
  /** A key of `createVBuckets({ providers })`. */
  provider: string;
  /** Owner of the Videos registered (default: the scope's org id). */
  ownerId?: string;
  /** Cancels the batch: unfinished rows stay `pending` and `resume` finishes them. */
  signal?: AbortSignal;
  onProgress?: CategorizeProgressListener;
}

/** Options of `resume`. */
export interface CategorizeResumeOptions {
  provider: string;
  signal?: AbortSignal;
  onProgress?: CategorizeProgressListener;
}

/** Options of `retry`. */
export interface CategorizeRetryOptions extends CategorizeResumeOptions {
  /** Only these files (base names); named `analyzed` rows are re-run too. Default: every failed row. */
  filenames?: string[];
}

/** A finished (or resumed, or retried) batch. */
export interface CategorizeRunResult {
  /** The session with its counts by status. */
  session: CategorizationSession;
  /** Every row of the session, in the order the files were given. */
  rows: Categorization[];
}

/** A session as the Results tab lists it. */
export interface SessionSummary {
  session: CategorizationSession;
  /** Rows by status (the session's counts). */
  countsByStatus: CategorizationCounts;
  /** Categorized rows per bucket, most first, then by name. */
  countsByBucket: Array<{ bucketName: string; count: number }>;
  /** Rows marked as uploaded. */
  uploadedCount: number;
}

/** Uploaded rows of one bucket (null: rows without a bucket). */
export interface UploadedBucketGroup {
  bucketName: string | null;
  rows: Categorization[];
}

/** One video of a bucket export. */
export interface BucketExportEntry {
  filename: string;
  blobKey: string;
  sizeBytes: number;
  videoId: string;
  /** The registered SHA-256: a ZIP writer checks the bytes against it. */
  sha256: string;
}

/** The categorized videos of one bucket, for a ZIP writer. */
export interface BucketExportGroup {
  /** Null when the bucket has since been deleted (the name is the one the rows were filed under). */
  bucketId: string | null;
  bucketName: string;
  entries: BucketExportEntry[];
}

/** Tuning of the batch pipeline (`createVBuckets({ categorize })`); all optional. */
export interface CategorizeSettings {
  /** Most files per batch (default 20). */
  maxBatchSize?: number;
  /** Videos analysed at once (default 4); the rate limiter still spaces the requests. */
  concurrency?: number;
  /** Attempts per provider call and per store of a file, the first included (default 4). */
  maxAttempts?: number;
  /** Largest file accepted, in bytes (default 2 GiB, the Gemini Files API limit). */
  maxFileBytes?: number;
  /** Lowest confidence that files a video into a bucket (default 0.3). */
  confidenceFloor?: number;
  /** First backoff after a retryable failure without a retry delay; doubles per attempt (default 2000). */
  retryBaseDelayMs?: number;
  /** Longest such backoff (default 60000). */
  retryMaxDelayMs?: number;
  /**
   * How long a worker's claim on a row lasts without renewal (default 5 min, renewed every
   * third of it while the row is processed); a crashed worker's rows are taken over after it.
   */
  rowLeaseMs?: number;
  /**
   * Names this process's workers in their row claims (default `batch`; a unique suffix is
   * added per run): give what `isWorkerGone` needs to recognise them, e.g. host and pid.
   */
  workerName?: string;
  /**
   * Told the owner of a row that another worker holds, answers whether that worker is known to
   * be gone (its process ended): its row is then taken over at once instead of after its
   * lease. Without it, or when it answers false, a held row is left to its worker.
   */
  isWorkerGone?: (owner: string) => boolean;
  /** How core waits (rate limits, backoff); inject one that moves a manual clock in tests. */
  sleep?: Sleep;
  /** Numbers in [0, 1) for backoff jitter (default Math.random). */
  random?: () => number;
}
