import { err, ok, type Result } from 'neverthrow';
import { timerSleep } from '../../domain/rate-limit/sleep';
import { createTokenBucket, type TokenBucket } from '../../domain/rate-limit/token-bucket';
import { createSha256, type Sha256 } from '../../domain/sha256';
import { createRetryPolicy, type RetryPolicy } from '../../domain/uploads/retry-policy';
import { type VBucketsError, validationError } from '../../errors';
import type { AuditSink } from '../../ports/audit-sink';
import type { BlobStore } from '../../ports/blob-store';
import type { Clock } from '../../ports/clock';
import type { IdGenerator } from '../../ports/id-generator';
import type { PlatformUploader } from '../../ports/platform-uploader';
import type { Store } from '../../ports/store';
import type { BuiltinJobEnqueue } from '../jobs/job-kinds';
import type { UploadOptions, UploadsServiceDependencies } from './uploads-types';

/** What every part of the uploads service shares: the ports, and the settings resolved once. */
export interface UploadsContext {
  store: Store;
  blobs: BlobStore;
  clock: Clock;
  ids: IdGenerator;
  auditSink: AuditSink | undefined;
  sha256: () => Sha256;
  leaseMs: number;
  retryPolicy: RetryPolicy;
  /** The uploader of each platform. */
  uploaders: ReadonlyMap<string, PlatformUploader>;
  /** The token bucket of each platform that has a requests-per-minute setting. */
  limiters: ReadonlyMap<string, TokenBucket>;
  /** The lease owner of a call: its own, else the service's. */
  ownerOf(options: UploadOptions): string;
  /** Tells the host about a problem that does not fail the upload. */
  warn(warning: VBucketsError): void;
  /** Queues the metrics sync after a post (with `metricsSyncAfterUploadMs`). */
  jobs: BuiltinJobEnqueue | undefined;
  metricsSyncAfterUploadMs: number | undefined;
}

const DEFAULT_LEASE_MS = 10 * 60 * 1000;

/** The context of one service, or the VALIDATION error of a bad setting. */
export function createUploadsContext(
  dependencies: UploadsServiceDependencies,
): Result<UploadsContext, VBucketsError> {
  const { store, blobs, clock, ids, auditSink, onWarning } = dependencies;
  const settings = dependencies.settings ?? {};
  const leaseMs = settings.leaseMs ?? DEFAULT_LEASE_MS;
  if (!Number.isSafeInteger(leaseMs) || leaseMs <= 0) {
    return err(validationError('Invalid leaseMs: must be a positive integer', { path: 'leaseMs' }));
  }
  const policy = createRetryPolicy({
    maxAutomaticRetries: settings.maxAutomaticRetries,
    baseDelayMs: settings.baseDelayMs,
    maxDelayMs: settings.maxDelayMs,
    random: settings.random,
  });
  if (policy.isErr()) return err(policy.error);
  const uploaders = new Map<string, PlatformUploader>();
  for (const uploader of dependencies.uploaders ?? []) uploaders.set(uploader.platform, uploader);
  const limiters = new Map<string, TokenBucket>();
  for (const [platform, requestsPerMinute] of Object.entries(settings.requestsPerMinute ?? {})) {
    const bucket = createTokenBucket(
      { requestsPerMinute },
      { clock, sleep: dependencies.sleep ?? timerSleep },
    );
    if (bucket.isErr()) return err(bucket.error);
    limiters.set(platform, bucket.value);
  }
  // Drawn on first use, so composing the SDK takes no id from the generator.
  let defaultOwner = settings.owner;
  return ok({
    store,
    blobs,
    clock,
    ids,
    auditSink,
    sha256: dependencies.sha256 ?? createSha256,
    leaseMs,
    retryPolicy: policy.value,
    uploaders,
    limiters,
    ownerOf: (options) => {
      if (options.owner !== undefined) return options.owner;
      defaultOwner ??= `worker-${ids.next()}`;
      return defaultOwner;
    },
    warn: (warning) => onWarning?.(warning),
    jobs: dependencies.jobs,
    metricsSyncAfterUploadMs: dependencies.metricsSyncAfterUploadMs,
  });
}
