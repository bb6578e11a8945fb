import {
  CategorizationSchema,
  CategorizationSessionSchema,
  IdSchema,
  KEYWORD_PROVIDER,
} from '@vbuckets/core';
import { z } from 'zod';
import { categorizeUpload, UPLOAD_FIELD } from '../categorize-upload';
import type { HostInfo } from '../host-info';
import { sendProblem } from '../problem';
import { defineRoute, type Route, SENT } from '../route-kit';

const TAG = 'categorize';

const binary = (description: string) =>
  z.string().meta({ format: 'binary', contentMediaType: 'application/octet-stream', description });

/** What the multipart body holds (for the OpenAPI document; the route streams it itself). */
const CategorizeFormSchema = z.object({
  [UPLOAD_FIELD]: z
    .array(binary('A video (mp4, mov, avi, webm)'))
    .min(1)
    .describe('The videos, one part each, in the order the rows should keep'),
  transcripts: z
    .array(binary('A transcript or captions (.txt, .srt, .vtt) named like its video'))
    .optional()
    .describe(
      '`clip.srt` or `clip.en.vtt` beside `clip.mp4`: their text is what the keyword categorizer reads (any field name works for these)',
    ),
  provider: z
    .string()
    .optional()
    .describe(`A provider the host configured; default \`${KEYWORD_PROVIDER}\` (offline)`),
  mode: z
    .enum(['queued', 'inline'])
    .optional()
    .describe(
      "`queued` answers 202 at once and a worker files them; `inline` answers 201 when done. Default: the host's",
    ),
});

const RunSchema = z.object({
  session: CategorizationSessionSchema,
  rows: z.array(CategorizationSchema),
});
const StartSchema = RunSchema.extend({
  job: z.object({ kind: z.string(), id: z.string(), created: z.boolean() }),
});

/** Uploading videos to be filed into a product's buckets (seed 000). */
export function categorizeRoutes(host: HostInfo): Route[] {
  return [
    defineRoute({
      method: 'post',
      path: '/products/:productId/categorize',
      tag: TAG,
      operationId: 'categorizeVideos',
      summary: "Uploads videos and files each into the product's best bucket",
      description:
        'A multipart/form-data body of `videos` parts (and optional transcripts named like them), streamed to disk, never held in memory. Queued (202): the session and its pending rows are answered once the videos are stored, and a worker files them; follow `GET /sessions/{sessionId}/events`. Inline (201): answered when every video is filed. A refused request (413, 415, 400) stores nothing.',
      access: 'member',
      params: z.strictObject({ productId: IdSchema }),
      bodyType: 'multipart',
      multipartSchema: CategorizeFormSchema,
      response: {
        status: 202,
        description: 'Queued: the session, its pending rows and the job',
        schema: StartSchema,
        alternatives: [
          {
            status: 201,
            description: 'Inline: the session and its finished rows',
            schema: RunSchema,
          },
        ],
      },
      handle: async ({
        vbuckets,
        actor,
        scope,
        params,
        request,
        response,
      }): Promise<typeof SENT> => {
        const outcome = await categorizeUpload(vbuckets, host, request, {
          scope,
          productId: params.productId,
          ownerId: actor?.userId ?? scope.orgId,
        });
        if (outcome.isErr()) {
          const { error, status } = outcome.error;
          // The app's error path reports a server fault; it cannot give 413 or 415, so those are sent here.
          if (status === undefined) throw error;
          sendProblem(response, error, { status });
          return SENT;
        }
        const { mode, result } = outcome.value;
        response.status(mode === 'queued' ? 202 : 201).json(result);
        return SENT;
      },
    }),
  ];
}
