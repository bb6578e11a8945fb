import {
  CategorizationSchema,
  CategorizationSessionSchema,
  DEFAULT_PAGE_SIZE,
  IdSchema,
  KEYWORD_PROVIDER,
  MAX_PAGE_SIZE,
} from '@vbuckets/core';
import type { Response } from 'express';
import { z } from 'zod';
import type { HostInfo } from '../host-info';
import { defineRoute, type Route, SENT } from '../route-kit';
import { sendBucketZip, sendSessionCsv } from '../session-downloads';
import { streamSessionEvents } from '../sse-session-events';

const TAG = 'sessions';
const SessionParams = z.strictObject({ sessionId: IdSchema });
const ProductParams = z.strictObject({ productId: IdSchema });
const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
  after: IdSchema.optional().describe('The id of the last row of the previous page'),
});
const CountsSchema = CategorizationSessionSchema.shape.counts;
const SummarySchema = z.object({
  session: CategorizationSessionSchema,
  countsByStatus: CountsSchema,
  countsByBucket: z.array(z.object({ bucketName: z.string(), count: z.number().int() })),
  uploadedCount: z.number().int(),
});
const RunSchema = z.object({
  session: CategorizationSessionSchema,
  rows: z.array(CategorizationSchema),
});

/** `Link: <…?after=id>; rel="next"` when a page came back full, so a client can follow it. */
function linkNext(response: Response, page: { limit?: number | undefined }, lastId?: string) {
  if (page.limit === undefined || lastId === undefined) return;
  const url = new URL(response.req.originalUrl, 'http://host');
  url.searchParams.set('after', lastId);
  response.setHeader('Link', `<${url.pathname}${url.search}>; rel="next"`);
}

/** Sessions, their results (JSON, CSV, ZIP per bucket, live events), retries and uploaded marks. */
export function sessionRoutes(host: HostInfo): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/products/:productId/sessions',
      tag: TAG,
      operationId: 'listSessions',
      summary: "A product's latest sessions, newest first, with counts by status and bucket",
      access: 'member',
      params: ProductParams,
      query: z.strictObject({ limit: z.coerce.number().int().min(1).max(100).optional() }),
      response: { description: 'The sessions', schema: z.array(SummarySchema) },
      handle: ({ vbuckets, scope, params, query }) =>
        vbuckets.categorize.recentSessions(scope, {
          productId: params.productId,
          ...(query.limit === undefined ? {} : { limit: query.limit }),
        }),
    }),
    defineRoute({
      method: 'get',
      path: '/sessions/:sessionId',
      tag: TAG,
      operationId: 'getSession',
      summary: 'One session with its counts by status and bucket',
      access: 'member',
      params: SessionParams,
      response: { description: 'The session', schema: SummarySchema },
      handle: ({ vbuckets, scope, params }) =>
        vbuckets.categorize.sessionSummary(scope, params.sessionId),
    }),
    defineRoute({
      method: 'get',
      path: '/sessions/:sessionId/results',
      tag: TAG,
      operationId: 'listSessionResults',
      summary: "A session's rows in file order (every row, or keyset pages with limit and after)",
      access: 'member',
      params: SessionParams,
      query: PageQuery,
      response: { description: 'The rows', schema: z.array(CategorizationSchema) },
      handle: ({ vbuckets, scope, params, query, response }) =>
        vbuckets.categorize.results(scope, params.sessionId, query).map((rows) => {
          if (rows.length === query.limit) linkNext(response, query, rows.at(-1)?.id);
          return rows;
        }),
    }),
    defineRoute({
      method: 'get',
      path: '/sessions/:sessionId/results.csv',
      tag: TAG,
      operationId: 'exportSessionCsv',
      summary: "A session's results as a CSV download",
      description:
        'Columns filename, bucket, confidence, status, reasoning, summary, uploaded, error (RFC 4180, CRLF, formula cells neutralised).',
      access: 'member',
      params: SessionParams,
      response: { description: 'The CSV file', contentType: 'text/csv' },
      handle: async ({ vbuckets, scope, params, response }): Promise<typeof SENT> => {
        await sendSessionCsv(vbuckets, scope, params.sessionId, response);
        return SENT;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/sessions/:sessionId/buckets/:bucketId/zip',
      tag: TAG,
      operationId: 'downloadBucketZip',
      summary: "One bucket's videos of a session as a ZIP, streamed from the blob store",
      description:
        'A stored (uncompressed) ZIP, streamed with bounded memory. A failure once bytes were sent breaks the connection: a download that ends cleanly is complete. 503 when the server has no blob store.',
      access: 'member',
      params: z.strictObject({ sessionId: IdSchema, bucketId: IdSchema }),
      response: { description: 'The ZIP file', contentType: 'application/zip' },
      handle: async ({ vbuckets, scope, params, response, signal }): Promise<typeof SENT> => {
        await sendBucketZip(vbuckets, host, { scope, ...params, signal }, response);
        return SENT;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/sessions/:sessionId/events',
      tag: TAG,
      operationId: 'streamSessionEvents',
      summary: "A session's live progress as server-sent events, ending with a summary",
      description:
        '`stage` events per video (`stored`, `analyzing`, `categorizing` as hints without ids; `done` and `failed` with ids, read from the store), then one `summary` event (the session with its counts), then the end. Reconnect with `Last-Event-ID` to get exactly the finished rows missed; a reconnect after the summary gets 204. Comment lines every 15 s keep proxies from closing it.',
      access: 'member',
      params: SessionParams,
      response: { description: 'The event stream', contentType: 'text/event-stream' },
      handle: async ({ vbuckets, scope, params, request, response }): Promise<typeof SENT> => {
        await streamSessionEvents(
          vbuckets,
          host,
          { scope, sessionId: params.sessionId, lastEventId: request.header('last-event-id') },
          response,
        );
        return SENT;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/sessions/:sessionId/retry',
      tag: TAG,
      operationId: 'retrySession',
      summary: "Runs a session's failed videos again (only the named files when given)",
      description:
        'Runs in the request and answers when done. Naming a file also re-runs it when it ended uncategorized (after adding a bucket).',
      access: 'member',
      params: SessionParams,
      body: z.strictObject({
        filenames: z.array(z.string().min(1)).max(1000).optional(),
        provider: z.string().min(1).optional().describe(`Default \`${KEYWORD_PROVIDER}\``),
      }),
      response: { description: 'The session and every row after the retry', schema: RunSchema },
      handle: ({ vbuckets, scope, params, body }) =>
        vbuckets.categorize.retry(scope, params.sessionId, {
          provider: body.provider ?? KEYWORD_PROVIDER,
          ...(body.filenames === undefined ? {} : { filenames: body.filenames }),
          signal: host.closing,
        }),
    }),
    defineRoute({
      method: 'post',
      path: '/categorizations/uploaded',
      tag: TAG,
      operationId: 'markUploaded',
      summary: 'Marks rows as uploaded (or not, with uploaded: false)',
      access: 'member',
      body: z.strictObject({
        ids: z.array(IdSchema).max(10_000),
        uploaded: z.boolean().optional(),
      }),
      response: {
        description: "How many of the org's rows matched",
        schema: z.object({ updated: z.number().int() }),
      },
      handle: ({ vbuckets, scope, body }) =>
        vbuckets.categorize
          .markUploaded(scope, body.ids, body.uploaded ?? true)
          .map((updated) => ({ updated })),
    }),
    defineRoute({
      method: 'get',
      path: '/products/:productId/uploaded',
      tag: TAG,
      operationId: 'listUploaded',
      summary: "A product's uploaded rows grouped by bucket (keyset pages: limit, after)",
      access: 'member',
      params: ProductParams,
      query: PageQuery,
      response: {
        description: 'Uploaded rows by bucket; a bucket may go on over the next page',
        schema: z.array(
          z.object({ bucketName: z.string().nullable(), rows: z.array(CategorizationSchema) }),
        ),
      },
      handle: ({ vbuckets, scope, params, query, response }) =>
        vbuckets.categorize
          .uploadedByBucket(scope, { productId: params.productId, ...query })
          .map((groups) => {
            const limit = query.limit ?? DEFAULT_PAGE_SIZE;
            const rows = groups.flatMap((group) => group.rows);
            if (rows.length === limit) linkNext(response, { limit }, rows.at(-1)?.id);
            return groups;
          }),
    }),
  ];
}
