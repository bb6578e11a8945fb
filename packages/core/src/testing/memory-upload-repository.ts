import { err, ok, type Result } from 'neverthrow';
import {
  abandonedAttempt,
  planLeaseRenewal,
  planUploadClaim,
  planUploadCompletion,
} from '../domain/uploads/upload-claim';
import { conflictError, notFoundError, type VBucketsError, validationError } from '../errors';
import type { AuditEventRepository, UploadRepository } from '../ports/store';
import type { Scope } from '../schemas/common';
import type { AuditEvent, Upload, UploadAttempt } from '../schemas/upload';
import type { MemoryStoreAccess } from './memory-store-access';
import {
  compareText,
  compareTimestamps,
  copyJsonObject,
  type MemoryStoreState,
  ownedBy,
  pageOf,
} from './memory-store-state';

export function copyUpload(upload: Upload): Upload {
  const { checkpoint } = upload;
  return {
    id: upload.id,
    orgId: upload.orgId,
    videoId: upload.videoId,
    platform: upload.platform,
    status: upload.status,
    retryCount: upload.retryCount,
    platformPostId: upload.platformPostId,
    errorMessage: upload.errorMessage,
    nextAttemptAt: upload.nextAttemptAt,
    leaseOwner: upload.leaseOwner,
    leaseExpiresAt: upload.leaseExpiresAt,
    checkpoint:
      checkpoint === null
        ? null
        : {
            sessionId: checkpoint.sessionId,
            offset: checkpoint.offset,
            ...(checkpoint.data === undefined
              ? {}
              : { data: copyJsonObject(checkpoint.data) as Record<string, never> }),
          },
    createdAt: upload.createdAt,
    updatedAt: upload.updatedAt,
  };
}

export function copyAttempt(attempt: UploadAttempt): UploadAttempt {
  return { ...attempt };
}

export function copyAuditEvent(event: AuditEvent): AuditEvent {
  return {
    id: event.id,
    at: event.at,
    orgId: event.orgId,
    videoId: event.videoId,
    platform: event.platform,
    status: event.status,
    uploadId: event.uploadId,
    retryCount: event.retryCount,
    errorMessage: event.errorMessage,
    metadata: copyJsonObject(event.metadata) as AuditEvent['metadata'],
  };
}

const uploadNotFound = (id: string) =>
  notFoundError(`No upload "${id}"`, { adapter: 'memory', details: { entity: 'upload', id } });

function checkLimit(limit: number | undefined): Result<void, VBucketsError> {
  return limit === undefined || (Number.isSafeInteger(limit) && limit >= 0)
    ? ok(undefined)
    : err(
        validationError('limit must be a non-negative integer', {
          path: 'limit',
          adapter: 'memory',
        }),
      );
}

function ownedUpload(
  state: MemoryStoreState,
  scope: Scope,
  id: string,
): Result<Upload, VBucketsError> {
  const upload = state.uploads.get(id);
  return upload !== undefined && ownedBy(scope, upload) ? ok(upload) : err(uploadNotFound(id));
}

function attemptsOf(state: MemoryStoreState, uploadId: string): UploadAttempt[] {
  return [...state.uploadAttempts.values()]
    .filter((attempt) => attempt.uploadId === uploadId)
    .sort((left, right) => left.attemptNumber - right.attemptNumber);
}

/** When a due row became due: its retry time, its lease end, or (neither set) its creation. */
function dueAt(upload: Upload): string {
  return upload.nextAttemptAt ?? upload.leaseExpiresAt ?? upload.createdAt;
}

function isDue(upload: Upload, now: number): boolean {
  const at = (value: string | null) => value === null || Date.parse(value) <= now;
  if (upload.status === 'FAILED' || upload.status === 'RATE_LIMITED') {
    return at(upload.nextAttemptAt);
  }
  return upload.status === 'IN_PROGRESS' && at(upload.leaseExpiresAt);
}

/** Uploads and their attempts in memory; a claim is one synchronous step, so it is atomic. */
export function createMemoryUploadRepository(access: MemoryStoreAccess): UploadRepository {
  return {
    claim: (scope, input) =>
      access.write((state) => {
        const video = state.videos.get(input.videoId);
        if (video === undefined || !ownedBy(scope, video)) {
          return err(
            notFoundError(`No video "${input.videoId}"`, {
              adapter: 'memory',
              operation: 'uploads.claim',
              details: { entity: 'video', id: input.videoId },
            }),
          );
        }
        const current =
          [...state.uploads.values()].find(
            (upload) =>
              upload.orgId === scope.orgId &&
              upload.videoId === input.videoId &&
              upload.platform === input.platform,
          ) ?? null;
        const attempts = current === null ? [] : attemptsOf(state, current.id);
        const last = attempts.at(-1);
        return planUploadClaim(scope.orgId, current, last?.attemptNumber ?? 0, input).andThen(
          (plan) => {
            if (!plan.claimed) {
              if (plan.blocked !== null)
                state.uploads.set(plan.blocked.id, copyUpload(plan.blocked));
              const upload = plan.blocked ?? current;
              return ok({
                claimed: false as const,
                upload: upload === null ? null : copyUpload(upload),
                refusal: plan.refusal,
                reason: plan.reason,
              });
            }
            if (current === null && state.uploads.has(plan.upload.id)) {
              return err(
                conflictError(`An upload with id "${plan.upload.id}" already exists`, {
                  adapter: 'memory',
                  details: { id: plan.upload.id },
                }),
              );
            }
            if (state.uploadAttempts.has(plan.attempt.id)) {
              return err(
                conflictError(`An upload attempt with id "${plan.attempt.id}" already exists`, {
                  adapter: 'memory',
                  details: { id: plan.attempt.id },
                }),
              );
            }
            if (
              plan.reclaimedOwner !== null &&
              last !== undefined &&
              last.status === 'IN_PROGRESS'
            ) {
              state.uploadAttempts.set(last.id, abandonedAttempt(last, input.now, input.owner));
            }
            state.uploads.set(plan.upload.id, copyUpload(plan.upload));
            state.uploadAttempts.set(plan.attempt.id, copyAttempt(plan.attempt));
            return ok({
              claimed: true as const,
              upload: copyUpload(plan.upload),
              attempt: copyAttempt(plan.attempt),
            });
          },
        );
      }),

    complete: (scope, input) =>
      access.write((state) =>
        ownedUpload(state, scope, input.uploadId).andThen((upload) => {
          const attempt = state.uploadAttempts.get(input.attemptId);
          if (attempt === undefined || attempt.uploadId !== upload.id) {
            return err(
              conflictError(
                `Lease lost: attempt "${input.attemptId}" is not the running attempt of upload "${upload.id}"`,
                { adapter: 'memory', operation: 'uploads.complete' },
              ),
            );
          }
          return planUploadCompletion(upload, attempt, input).map((next) => {
            state.uploads.set(next.upload.id, copyUpload(next.upload));
            state.uploadAttempts.set(next.attempt.id, copyAttempt(next.attempt));
            return { upload: copyUpload(next.upload), attempt: copyAttempt(next.attempt) };
          });
        }),
      ),

    saveCheckpoint: (scope, input) =>
      access.write((state) =>
        ownedUpload(state, scope, input.uploadId)
          .andThen((upload) => planLeaseRenewal(upload, input, input.checkpoint))
          .map((next) => {
            state.uploads.set(next.id, copyUpload(next));
            return copyUpload(next);
          }),
      ),

    renewLease: (scope, input) =>
      access.write((state) =>
        ownedUpload(state, scope, input.uploadId)
          .andThen((upload) => planLeaseRenewal(upload, input))
          .map((next) => {
            state.uploads.set(next.id, copyUpload(next));
            return copyUpload(next);
          }),
      ),

    get: (scope, videoId, platform) =>
      access.read((state) => {
        const found = [...state.uploads.values()].find(
          (upload) =>
            ownedBy(scope, upload) && upload.videoId === videoId && upload.platform === platform,
        );
        return ok(found === undefined ? null : copyUpload(found));
      }),

    getById: (scope, uploadId) =>
      access.read((state) => ownedUpload(state, scope, uploadId).map(copyUpload)),

    listByVideo: (scope, videoId) =>
      access.read((state) =>
        ok(
          [...state.uploads.values()]
            .filter((upload) => ownedBy(scope, upload) && upload.videoId === videoId)
            .sort(
              (left, right) =>
                compareText(left.platform, right.platform) || compareText(left.id, right.id),
            )
            .map(copyUpload),
        ),
      ),

    list: (scope, filter = {}) =>
      access.read((state) => {
        const rows = [...state.uploads.values()]
          .filter(
            (upload) =>
              ownedBy(scope, upload) &&
              (filter.status === undefined || upload.status === filter.status) &&
              (filter.platform === undefined || upload.platform === filter.platform),
          )
          .sort(
            (left, right) =>
              compareTimestamps(right.updatedAt, left.updatedAt) || compareText(left.id, right.id),
          );
        return pageOf(rows, filter, 'uploads.list').map((found) => found.map(copyUpload));
      }),

    listDue: (scope, options) =>
      access.read((state) => {
        const now = Date.parse(options.now);
        if (Number.isNaN(now)) {
          return err(validationError('Invalid now: not an ISO-8601 time', { path: 'now' }));
        }
        return checkLimit(options.limit).map(() =>
          [...state.uploads.values()]
            .filter((upload) => ownedBy(scope, upload) && isDue(upload, now))
            .sort(
              (left, right) =>
                compareTimestamps(dueAt(left), dueAt(right)) || compareText(left.id, right.id),
            )
            .slice(0, options.limit)
            .map(copyUpload),
        );
      }),

    listAttempts: (scope, uploadId) =>
      access.read((state) =>
        ownedUpload(state, scope, uploadId).map((upload) =>
          attemptsOf(state, upload.id).map(copyAttempt),
        ),
      ),
  };
}

/** The audit trail in memory, append-only. */
export function createMemoryAuditEventRepository(access: MemoryStoreAccess): AuditEventRepository {
  return {
    append: (event) =>
      access.write((state) => {
        if (state.auditEvents.has(event.id)) {
          return err(
            conflictError(`An audit event with id "${event.id}" already exists`, {
              adapter: 'memory',
              details: { id: event.id },
            }),
          );
        }
        const stored = copyAuditEvent(event);
        state.auditEvents.set(stored.id, stored);
        return ok(copyAuditEvent(stored));
      }),

    list: (scope, filter = {}) =>
      access.read((state) =>
        checkLimit(filter.limit).map(() => {
          const events = [...state.auditEvents.values()].filter(
            (event) =>
              ownedBy(scope, event) &&
              (filter.videoId === undefined || event.videoId === filter.videoId) &&
              (filter.platform === undefined || event.platform === filter.platform),
          );
          // A stable sort: equal instants keep insertion order.
          events.sort((left, right) => compareTimestamps(left.at, right.at));
          return events.slice(0, filter.limit).map(copyAuditEvent);
        }),
      ),
  };
}
