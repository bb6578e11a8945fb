import { IdSchema, SegmentSchema, SegmentSplitSchema, SegmentUpdateSchema } from '@vbuckets/core';
import { z } from 'zod';
import type { HostInfo } from '../host-info';
import { acceptedJob, QUEUED_JOB, QueueFlagSchema } from '../job-schemas';
import { defineRoute, type Route } from '../route-kit';
import {
  SegmentAnalyticsQuerySchema,
  SegmentFormFieldsSchema,
  SegmentListQuerySchema,
  segmentFilterOf,
  segmentListQueryOf,
} from '../segment-query';
import { SegmentDeletionSchema, SegmentUsageTotalsSchema } from '../segment-schemas';
import { segmentUsageRoutes } from '../segment-usage-routes';
import { openFile, withUploadForm } from '../task-upload-form';

const TAG = 'segments';
const SegmentParams = z.strictObject({ segmentId: IdSchema });
const VideoParams = z.strictObject({ videoId: IdSchema });
const split = SegmentSplitSchema.shape;

const SplitBodySchema = z
  .strictObject({
    segmentSeconds: split.segmentSeconds,
    cutPointsSec: split.cutPointsSec,
    segmentType: split.segmentType.unwrap().optional(),
    queue: QueueFlagSchema,
  })
  .refine((body) => (body.segmentSeconds === undefined) !== (body.cutPointsSec === undefined), {
    message: 'give segmentSeconds or cutPointsSec, exactly one',
    path: ['segmentSeconds'],
  })
  .refine((body) => !body.queue || body.segmentType === undefined, {
    message: 'a queued split makes processed segments: leave segmentType out, or split inline',
    path: ['segmentType'],
  });

/** Segments of registered videos (seed 004's `/api/segments…`, under `/api/v1`). */
export function segmentRoutes(host: HostInfo): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/segments',
      tag: TAG,
      operationId: 'listSegments',
      summary: "The org's segments, filtered and sorted by the database (seed 004's filters)",
      description:
        'Filters: `videoId`, `ownerId`, `type`, `minDuration`/`maxDuration` (seconds, inclusive), `tags` (every one required), `hasSocialMedia`, `platform`. Order: `sortBy` createdAt | durationSec | views | engagement, `sortOrder` asc | desc. Page with `limit` and `after`. Unknown parameters are 400.',
      access: 'member',
      query: SegmentListQuerySchema,
      response: { description: 'The segments with their usage', schema: z.array(SegmentSchema) },
      handle: ({ vbuckets, scope, query }) =>
        vbuckets.segments.list(scope, segmentListQueryOf(query)),
    }),
    defineRoute({
      method: 'post',
      path: '/segments',
      tag: TAG,
      operationId: 'createSegment',
      summary: 'Stores a file (form field `file`) as a segment of a registered video',
      description:
        'Text fields: `videoId`, `durationSec` (required), `id`, `segmentType`, `segmentNumber`, `ownerId`, `title`, `description`, `tags` (repeat), `contentType`. A taken id or (type, number) is 409; an unknown video 404.',
      access: 'member',
      bodyType: 'multipart',
      multipartSchema: z.object({
        file: z.string().describe('The segment bytes (binary)'),
        videoId: z.string(),
        durationSec: z.string(),
        id: z.string().optional(),
        segmentType: z.string().optional(),
        segmentNumber: z.string().optional(),
        ownerId: z.string().optional(),
        title: z.string().optional(),
        description: z.string().optional(),
        tags: z.array(z.string()).optional(),
        contentType: z.string().optional(),
      }),
      response: { status: 201, description: 'The new segment', schema: SegmentSchema },
      handle: (context) =>
        withUploadForm(
          context,
          host,
          { fileField: 'file', fields: SegmentFormFieldsSchema },
          (fields, file) =>
            context.vbuckets.segments.create(context.scope, {
              ...fields,
              body: () => openFile(file.path),
            }),
        ),
    }),
    defineRoute({
      method: 'get',
      path: '/segments/analytics',
      tag: TAG,
      operationId: 'segmentAnalyticsBy',
      summary: "Usage sums of the org's segments grouped by platform, tag, video or bucket",
      description: '`groupBy=bucket` needs `productId`. Takes the filters of the list.',
      access: 'member',
      query: SegmentAnalyticsQuerySchema,
      response: { description: 'One row per group', schema: z.array(SegmentUsageTotalsSchema) },
      handle: ({ vbuckets, scope, query }) =>
        vbuckets.segments.analyticsBy(scope, query.groupBy, {
          ...segmentFilterOf(query),
          ...(query.productId === undefined ? {} : { productId: query.productId }),
        }),
    }),
    defineRoute({
      method: 'get',
      path: '/segments/:segmentId',
      tag: TAG,
      operationId: 'getSegment',
      summary: 'One segment with its usage per platform',
      access: 'member',
      params: SegmentParams,
      response: { description: 'The segment', schema: SegmentSchema },
      handle: ({ vbuckets, scope, params }) => vbuckets.segments.get(scope, params.segmentId),
    }),
    defineRoute({
      method: 'put',
      path: '/segments/:segmentId',
      tag: TAG,
      operationId: 'updateSegment',
      summary: 'Changes the fields given (seed 004 uses PUT; absent fields stay)',
      description:
        '`usage` entries are written per platform (inserted, or their given fields updated), in the same transaction.',
      access: 'member',
      params: SegmentParams,
      body: SegmentUpdateSchema,
      response: { description: 'The segment after the change', schema: SegmentSchema },
      handle: ({ vbuckets, scope, params, body }) =>
        vbuckets.segments.update(scope, params.segmentId, body),
    }),
    defineRoute({
      method: 'delete',
      path: '/segments/:segmentId',
      tag: TAG,
      operationId: 'deleteSegment',
      summary: 'Deletes a segment, its usage and its bytes (an original keeps the video’s)',
      access: 'member',
      params: SegmentParams,
      response: { description: 'What was deleted', schema: SegmentDeletionSchema },
      handle: ({ vbuckets, scope, params }) => vbuckets.segments.delete(scope, params.segmentId),
    }),
    defineRoute({
      method: 'get',
      path: '/videos/:videoId/segments',
      tag: TAG,
      operationId: 'listVideoSegments',
      summary: "Every segment of the org's video, by type then number",
      access: 'member',
      params: VideoParams,
      response: { description: 'The segments', schema: z.array(SegmentSchema) },
      handle: ({ vbuckets, scope, params }) => vbuckets.segments.listByVideo(scope, params.videoId),
    }),
    defineRoute({
      method: 'post',
      path: '/videos/:videoId/segments/split',
      tag: TAG,
      operationId: 'splitVideo',
      summary: 'Cuts a video into segments every `segmentSeconds`, or at `cutPointsSec`',
      description:
        'Inline (201): the new segments, all or nothing (ffmpeg stream copy: a cut lands on the first keyframe at or after the time asked). With `queue: true` (202): a `segments.split` job, skipped by the worker when the video already has segments. A host without ffmpeg answers 400.',
      access: 'member',
      params: VideoParams,
      body: SplitBodySchema,
      response: {
        status: 201,
        description: 'The new segments',
        schema: z.array(SegmentSchema),
        alternatives: [QUEUED_JOB],
      },
      handle: ({ vbuckets, scope, params, body, response, signal }) => {
        const { queue, ...options } = body;
        if (!queue) return vbuckets.segments.split(scope, params.videoId, { ...options, signal });
        // The job's payload names the video, so make sure it is the caller's org's first.
        return vbuckets.videos
          .get(scope, params.videoId)
          .andThen(() =>
            vbuckets.jobs.enqueue('segments.split', {
              orgId: scope.orgId,
              videoId: params.videoId,
              ...(options.segmentSeconds === undefined
                ? {}
                : { segmentSeconds: options.segmentSeconds }),
              ...(options.cutPointsSec === undefined ? {} : { cutPointsSec: options.cutPointsSec }),
            }),
          )
          .map(acceptedJob(response));
      },
    }),
    ...segmentUsageRoutes(host),
  ];
}
