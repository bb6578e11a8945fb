import {
  IdSchema,
  notFoundError,
  SegmentDownloadOptionsSchema,
  SegmentSyncMetricsSchema,
  SocialUsageInputSchema,
  SocialUsageSchema,
  type SyncMetricsSummary,
} from '@vbuckets/core';
import { errAsync, okAsync } from 'neverthrow';
import { z } from 'zod';
import { sendBlob } from './blob-response';
import type { HostInfo } from './host-info';
import { acceptedJob, EnqueuedJobSchema, QueueFlagSchema } from './job-schemas';
import { sendProblem } from './problem';
import { defineRoute, type Route, SENT } from './route-kit';
import {
  SegmentAnalyticsSchema,
  SegmentDownloadSchema,
  SyncSummarySchema,
} from './segment-schemas';
import { attachment } from './session-downloads';
import { queryBoolean, queryNumber } from './task-query-values';

const TAG = 'segments';
const SegmentParams = z.strictObject({ segmentId: IdSchema });
const sync = SegmentSyncMetricsSchema.shape;

const SyncBodySchema = z
  .strictObject({
    segmentIds: sync.segmentIds,
    platforms: sync.platforms,
    syncedBefore: sync.syncedBefore,
    queue: QueueFlagSchema,
  })
  .refine((body) => !body.queue || body.syncedBefore === undefined, {
    message: 'resumes an inline sync only: leave it out of a queued one',
    path: ['syncedBefore'],
  });

/** A sync's results for JSON: each failure as its code and message, never its stack or cause. */
function syncSummaryJson(summary: SyncMetricsSummary) {
  return {
    ...summary,
    results: summary.results.map((result) =>
      result.ok
        ? result
        : {
            segmentId: result.segmentId,
            platform: result.platform,
            postId: result.postId,
            ok: false,
            error: {
              code: result.error.code,
              message: result.error.message,
              retryable: result.error.retryable,
            },
          },
    ),
  };
}

/** `segment-<id>.mp4`: the id, and the extension of the stored key when it has one. */
function segmentFileName(segment: { id: string; blobKey: string }): string {
  const extension = /\.[A-Za-z0-9]{1,8}$/u.exec(segment.blobKey)?.[0] ?? '';
  return `segment-${segment.id}${extension}`;
}

/** Seed 004's social endpoints: usage rows, analytics, downloads and metric syncs. */
export function segmentUsageRoutes(_host: HostInfo): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/segments/:segmentId/social-media',
      tag: TAG,
      operationId: 'listSegmentSocialMedia',
      summary: "The segment's usage rows, one per platform",
      access: 'member',
      params: SegmentParams,
      response: { description: 'The usage rows', schema: z.array(SocialUsageSchema) },
      handle: ({ vbuckets, scope, params }) =>
        vbuckets.segments.get(scope, params.segmentId).map((segment) => segment.socialUsage),
    }),
    defineRoute({
      method: 'post',
      path: '/segments/:segmentId/social-media',
      tag: TAG,
      operationId: 'recordSegmentSocialMedia',
      summary:
        "Records the segment's post on a platform (inserts the row, or updates the fields given)",
      description:
        'One row per (segment, platform). The engagement rate is recomputed from the counts; `POST /segments/metrics-sync` reads the numbers from the platform instead.',
      access: 'member',
      params: SegmentParams,
      body: SocialUsageInputSchema,
      response: { description: 'The platform’s usage row', schema: SocialUsageSchema },
      handle: ({ vbuckets, scope, params, body }) =>
        vbuckets.segments.update(scope, params.segmentId, { usage: [body] }).andThen((segment) => {
          const row = segment.socialUsage.find((usage) => usage.platform === body.platform);
          return row === undefined
            ? errAsync(notFoundError(`No ${body.platform} usage on segment ${segment.id}`))
            : okAsync(row);
        }),
    }),
    defineRoute({
      method: 'get',
      path: '/segments/:segmentId/analytics',
      tag: TAG,
      operationId: 'segmentAnalytics',
      summary: "The segment's usage analysed: totals, rates, platforms, the top platform",
      access: 'member',
      params: SegmentParams,
      response: { description: 'The analytics', schema: SegmentAnalyticsSchema },
      handle: ({ vbuckets, scope, params }) => vbuckets.segments.analytics(scope, params.segmentId),
    }),
    defineRoute({
      method: 'get',
      path: '/segments/:segmentId/download',
      tag: TAG,
      operationId: 'downloadSegment',
      summary: 'A presigned URL of the segment’s bytes, for its owner or an admin of its org',
      description:
        'JSON with the URL by default; `redirect=true` answers 302 to it instead (for `<a href>` and `curl -L`). Anyone else in the org gets 404, as for a missing segment. A blob store that cannot presign (local files) answers 503.',
      access: 'member',
      params: SegmentParams,
      query: z.strictObject({
        ttlSec: queryNumber(SegmentDownloadOptionsSchema.shape.ttlSec)
          .optional()
          .describe('How long the URL works, in seconds (default 3600, at most 7 days)'),
        redirect: queryBoolean(z.boolean())
          .optional()
          .describe('Answer 302 to the URL instead of JSON'),
      }),
      response: { description: 'The URL and when it expires', schema: SegmentDownloadSchema },
      handle: ({ vbuckets, actor, params, query, response }) => {
        const download = vbuckets.segments.downloadUrl(actor, params.segmentId, {
          ...(query.ttlSec === undefined ? {} : { ttlSec: query.ttlSec }),
        });
        if (query.redirect !== true) return download;
        return download.match<typeof SENT>(
          (found) => {
            response.setHeader('Cache-Control', 'no-store');
            response.redirect(302, found.url);
            return SENT;
          },
          (error) => {
            sendProblem(response, error);
            return SENT;
          },
        );
      },
    }),
    defineRoute({
      method: 'get',
      path: '/segments/:segmentId/file',
      tag: TAG,
      operationId: 'downloadSegmentFile',
      summary: 'The segment’s bytes as an attachment, streamed by this server',
      description:
        'For the same callers as `GET /segments/{segmentId}/download` (its owner or an admin of its org; anyone else 404), on any blob store, also one that cannot presign (local files). The bytes stream from the blob store; a failure once they flow breaks the connection.',
      access: 'member',
      params: SegmentParams,
      response: { description: 'The segment file', contentType: 'application/octet-stream' },
      handle: async ({ vbuckets, actor, params, response }): Promise<typeof SENT> => {
        const opened = await vbuckets.segments.open(actor, params.segmentId);
        if (opened.isErr()) throw opened.error;
        const { segment, object } = opened.value;
        await sendBlob(response, object, {
          contentType: segment.contentType,
          cacheControl: 'private, no-store',
          disposition: attachment(segmentFileName(segment)),
        });
        return SENT;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/segments/metrics-sync',
      tag: TAG,
      operationId: 'syncSegmentMetrics',
      summary: "Reads the posted segments' metrics from each platform's API (admins)",
      description:
        'Admins only: it spends the org’s platform quotas. Inline (200) answers what each post gave; a failed post keeps its row and never stops the others. With `queue: true` (202): a `segments.syncMetrics` job.',
      access: 'admin',
      body: SyncBodySchema,
      response: {
        status: 200,
        description: 'The summary (200), or the queued job (202)',
        schema: z.union([SyncSummarySchema, EnqueuedJobSchema]),
      },
      handle: ({ vbuckets, scope, body, response, signal }) => {
        const { queue, ...options } = body;
        if (!queue) {
          return vbuckets.segments.syncMetrics(scope, { ...options, signal }).map(syncSummaryJson);
        }
        return vbuckets.jobs
          .enqueue('segments.syncMetrics', { orgId: scope.orgId, ...options })
          .map(acceptedJob(response));
      },
    }),
  ];
}
