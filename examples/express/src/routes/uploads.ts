import {
  PlatformSchema,
  UploadAttemptSchema,
  UploadSchema,
  UploadStatusSchema,
} from '@vbuckets/core';
import { ok } from 'neverthrow';
import { z } from 'zod';
import type { HostInfo } from '../host-info';
import { QUEUED_JOB } from '../job-schemas';
import { defineRoute, type Route } from '../route-kit';
import { PageQuerySchema, queryNumber, VideoParams } from '../video-http-schemas';

const TAG = 'uploads';

const UploadBodySchema = z
  .strictObject({
    platform: PlatformSchema.describe('A platform with an uploader on this host (`youtube`, …)'),
    metadata: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("The platform's fields (title, description, tags, privacy, …)"),
    force: z
      .boolean()
      .optional()
      .describe(
        "A person's override: post a duplicate, retry after FAILED_FINAL or before the backoff ends",
      ),
    queue: z
      .boolean()
      .optional()
      .describe('Queue the upload for a worker and answer 202 with the job instead of posting now'),
  })
  .refine((body) => body.force !== true || body.queue !== true, {
    message: 'A queued upload cannot be forced: force is a person posting now',
    path: ['force'],
  });

const UploadWithSymbolSchema = UploadSchema.extend({ symbol: z.string() });

/** Uploads of registered videos to platforms (seed 001). */
export function uploadRoutes(_host: HostInfo): Route[] {
  return [
    defineRoute({
      method: 'post',
      path: '/videos/:videoId/uploads',
      tag: TAG,
      operationId: 'uploadVideo',
      summary: 'Posts the video to a platform once (or queues the post with `queue: true`)',
      description:
        'A (video, platform) that is posted or being posted answers 409 `DUPLICATE_UPLOAD` unless the video allows duplicates or `force` is given. With `queue: true` the answer is 202 with the job; a worker posts it.',
      access: 'member',
      params: VideoParams,
      body: UploadBodySchema,
      response: {
        description: 'The upload after the attempt',
        schema: UploadSchema,
        alternatives: [QUEUED_JOB],
      },
      handle: ({ vbuckets, scope, params, body, response, signal }) => {
        if (body.queue === true) {
          // The video is checked here so another org's id is 404 now, not a failed job later.
          return vbuckets.videos.get(scope, params.videoId).andThen((video) => {
            response.status(202);
            return vbuckets.jobs.enqueue('uploads.upload', {
              orgId: video.orgId,
              videoId: video.id,
              platform: body.platform,
              ...(body.metadata === undefined ? {} : { metadata: body.metadata }),
            });
          });
        }
        return vbuckets.uploads.upload(scope, params.videoId, body.platform, body.metadata, {
          signal,
          ...(body.force === true ? { force: true } : {}),
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/videos/:videoId/can-upload',
      tag: TAG,
      operationId: 'canUploadVideo',
      summary: 'Whether the video may be posted to the platform now, and why not',
      description:
        'Answers what a post without force (or retry-due) would do now: refused for a duplicate (posted, blocked, in progress), for a retry whose backoff has not run out (the reason says until when) and for a final failure.',
      access: 'member',
      params: VideoParams,
      query: z.strictObject({ platform: PlatformSchema }),
      response: {
        description: "Seed 001's can_upload: allowed, or the reason it is not",
        schema: z.object({ allowed: z.boolean(), reason: z.string().nullable() }),
      },
      handle: ({ vbuckets, scope, params, query }) =>
        // A path naming an unknown video is 404 here, like every other /videos/:videoId route.
        vbuckets.videos
          .get(scope, params.videoId)
          .andThen(() => vbuckets.uploads.canUpload(scope, params.videoId, query.platform))
          .map(([allowed, reason]) => ({ allowed, reason })),
    }),
    defineRoute({
      method: 'get',
      path: '/videos/:videoId/uploads',
      tag: TAG,
      operationId: 'listVideoUploads',
      summary: "The video's upload per platform with every attempt, oldest first",
      access: 'member',
      params: VideoParams,
      response: {
        description: 'The history',
        schema: z.array(UploadWithSymbolSchema.extend({ attempts: z.array(UploadAttemptSchema) })),
      },
      handle: ({ vbuckets, scope, params }) => vbuckets.uploads.history(scope, params.videoId),
    }),
    defineRoute({
      method: 'get',
      path: '/uploads',
      tag: TAG,
      operationId: 'listUploads',
      summary: "A page of the org's uploads, most recently updated first",
      access: 'member',
      query: PageQuerySchema.extend({
        status: UploadStatusSchema.optional(),
        platform: PlatformSchema.optional(),
      }),
      response: { description: 'The uploads', schema: z.array(UploadWithSymbolSchema) },
      handle: ({ vbuckets, scope, query }) => vbuckets.uploads.status(scope, query),
    }),
    defineRoute({
      method: 'get',
      path: '/platforms',
      tag: TAG,
      operationId: 'listPlatforms',
      summary: 'The platforms this host can post videos to, sorted by name',
      description:
        'Those with an uploader on this host (`local` always, others when their settings are given): what `POST /videos/{videoId}/uploads` accepts as `platform`.',
      access: 'member',
      response: {
        description: 'The platforms',
        schema: z.object({ platforms: z.array(PlatformSchema) }),
      },
      handle: ({ vbuckets }) => ok({ platforms: vbuckets.uploads.platforms() }),
    }),
    defineRoute({
      method: 'post',
      path: '/uploads/retry-due',
      tag: TAG,
      operationId: 'retryDueUploads',
      summary: "Retries the org's failed uploads whose backoff is over (admins)",
      description:
        'Posts again, now, every upload of the org that is due: admins only, since it posts on behalf of everyone in the org. A worker does the same on a schedule.',
      access: 'admin',
      query: z.strictObject({
        limit: queryNumber(z.number().int().min(1).max(1000))
          .optional()
          .describe('Uploads to retry at most'),
      }),
      response: {
        description: 'The retried uploads after their attempt',
        schema: z.array(UploadSchema),
      },
      handle: ({ vbuckets, scope, query }) =>
        vbuckets.uploads.runDue(scope, query.limit === undefined ? {} : { limit: query.limit }),
    }),
  ];
}
