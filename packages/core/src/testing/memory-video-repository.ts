import { err, ok, type Result } from 'neverthrow';
import { conflictError, notFoundError, type VBucketsError, validationError } from '../errors';
import type { PageRequest } from '../ports/page-request';
import type { VideoPatch, VideoRepository } from '../ports/store';
import type { Video } from '../schemas/video';
import type { MemoryStoreAccess } from './memory-store-access';
import {
  applyPatch,
  compareText,
  compareTimestamps,
  copyVideo,
  ownedBy,
  pageOf,
} from './memory-store-state';

const PATCHABLE: ReadonlyArray<keyof VideoPatch> = [
  'title',
  'duplicateAllowed',
  'durationSec',
  'visibility',
  'productCategory',
];

const videoNotFound = (id: string) =>
  notFoundError(`No video "${id}"`, { adapter: 'memory', details: { id } });

/** Newest first, ties by id; then the page (`offset` or `after`, not both). */
function newestFirstPage(
  videos: Video[],
  page: (PageRequest & { offset?: number }) | undefined,
  operation: string,
): Result<Video[], VBucketsError> {
  videos.sort(
    (left, right) =>
      compareTimestamps(right.createdAt, left.createdAt) || compareText(left.id, right.id),
  );
  const offset = page?.offset;
  if (offset === undefined)
    return pageOf(videos, page, operation).map((found) => found.map(copyVideo));
  if (!Number.isSafeInteger(offset) || offset < 0 || page?.after !== undefined) {
    return err(
      validationError(
        page?.after === undefined
          ? 'offset must be a non-negative integer'
          : 'Give offset or after, not both',
        { path: 'offset', adapter: 'memory', operation },
      ),
    );
  }
  return pageOf(
    videos.slice(offset),
    { ...(page?.limit === undefined ? {} : { limit: page.limit }) },
    operation,
  ).map((found) => found.map(copyVideo));
}

/** The org's video with this content, as the SQL unique (org_id, content_sha256) finds it. */
function sameContent(videos: Iterable<Video>, video: Video): Video | undefined {
  for (const candidate of videos) {
    if (candidate.orgId === video.orgId && candidate.sha256 === video.sha256) return candidate;
  }
  return undefined;
}

export function createMemoryVideoRepository(access: MemoryStoreAccess): VideoRepository {
  const idTaken = (id: string) =>
    conflictError(`A video with id "${id}" already exists`, { adapter: 'memory', details: { id } });

  return {
    insert: (video) =>
      access.write((state) => {
        if (state.videos.has(video.id)) return err(idTaken(video.id));
        const existing = sameContent(state.videos.values(), video);
        if (existing !== undefined) {
          return err(
            conflictError(`Video "${existing.id}" already has the same content`, {
              adapter: 'memory',
              details: { id: video.id, existingId: existing.id },
            }),
          );
        }
        const stored = copyVideo(video);
        state.videos.set(stored.id, stored);
        return ok(copyVideo(stored));
      }),

    register: (video) =>
      access.write((state) => {
        const existing = sameContent(state.videos.values(), video);
        if (existing !== undefined) return ok({ video: copyVideo(existing), created: false });
        if (state.videos.has(video.id)) return err(idTaken(video.id));
        const stored = copyVideo(video);
        state.videos.set(stored.id, stored);
        return ok({ video: copyVideo(stored), created: true });
      }),

    get: (scope, id) =>
      access.read((state) => {
        const video = state.videos.get(id);
        return video !== undefined && ownedBy(scope, video)
          ? ok(copyVideo(video))
          : err(videoNotFound(id));
      }),

    findBySha256: (scope, sha256) =>
      access.read((state) => {
        const matches = [...state.videos.values()].filter(
          (video) => ownedBy(scope, video) && video.sha256 === sha256,
        );
        matches.sort(
          (left, right) =>
            compareTimestamps(left.createdAt, right.createdAt) || compareText(left.id, right.id),
        );
        const oldest = matches[0];
        return ok(oldest === undefined ? null : copyVideo(oldest));
      }),

    // Videos honour no `allOrgs`: the port documents it for no video method.
    list: (scope, options) =>
      access.read((state) => {
        return newestFirstPage(
          [...state.videos.values()].filter((video) => ownedBy(scope, video)),
          options,
          'videos.list',
        );
      }),

    getPublic: (id) =>
      access.read((state) => {
        const video = state.videos.get(id);
        return video !== undefined && video.visibility === 'public'
          ? ok(copyVideo(video))
          : err(videoNotFound(id));
      }),

    listPublic: (filter = {}) =>
      access.read((state) => {
        const videos = [...state.videos.values()].filter(
          (video) =>
            video.visibility === 'public' &&
            (filter.productCategory === undefined ||
              video.productCategory === filter.productCategory),
        );
        return newestFirstPage(videos, filter, 'videos.listPublic');
      }),

    update: (scope, id, patch) =>
      access.write((state) => {
        const current = state.videos.get(id);
        if (current === undefined || !ownedBy(scope, current)) return err(videoNotFound(id));
        const next = copyVideo(applyPatch(current, patch, PATCHABLE));
        state.videos.set(id, next);
        return ok(copyVideo(next));
      }),

    delete: (scope, id) =>
      access.write((state) => {
        const current = state.videos.get(id);
        if (current === undefined || !ownedBy(scope, current)) return err(videoNotFound(id));
        state.videos.delete(id);
        // As the SQL foreign keys cascade: a video's upload rows, attempts and segments go with it
        // (the audit trail stays).
        for (const upload of [...state.uploads.values()]) {
          if (upload.videoId === id) state.uploads.delete(upload.id);
        }
        for (const attempt of [...state.uploadAttempts.values()]) {
          if (attempt.videoId === id) state.uploadAttempts.delete(attempt.id);
        }
        // Its segments and their usage rows too (segments.video_id … on delete cascade).
        for (const [slot, segment] of [...state.segments.entries()]) {
          if (segment.orgId === current.orgId && segment.videoId === id) {
            state.segments.delete(slot);
          }
        }
        return ok(undefined);
      }),
  };
}
