import { ThumbnailAddSchema, ThumbnailGenerateSchema, ThumbnailSchema } from '@vbuckets/core';
import { z } from 'zod';
import { sendBlob } from './blob-response';
import type { HostInfo } from './host-info';
import { acceptedJob, QUEUED_JOB, QueueFlagSchema } from './job-schemas';
import { defineRoute, type Route, SENT } from './route-kit';
import { taskParams, taskThumbnailParams, thumbnailParams } from './task-params';
import { GeneratedCandidateSchema } from './task-schemas';

const TAG = 'thumbnails';
const add = ThumbnailAddSchema.shape;
const generate = ThumbnailGenerateSchema.shape;

/** A thumbnail given by URL (images as bytes come from `generate`, cut from the task's video). */
const ThumbnailAddBodySchema = z.strictObject({
  id: add.id,
  variant: add.variant,
  imageUrl: add.imageUrl.unwrap(),
  clickPrediction: add.clickPrediction,
  isSelected: add.isSelected,
});

const GenerateBodySchema = z.strictObject({
  count: generate.count.unwrap().optional(),
  maxWidth: generate.maxWidth.unwrap().optional(),
  queue: QueueFlagSchema,
});

/** Thumbnail variants of generation tasks (seed 002): at most one selected per task. */
export function thumbnailRoutes(_host: HostInfo): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/tasks/:taskId/thumbnails',
      tag: TAG,
      operationId: 'listThumbnails',
      summary:
        "A task's thumbnails, highest click prediction first (unpredicted last), then newest",
      access: 'member',
      params: taskParams,
      response: { description: 'The thumbnails', schema: z.array(ThumbnailSchema) },
      handle: ({ vbuckets, scope, params }) => vbuckets.thumbnails.list(scope, params.taskId),
    }),
    defineRoute({
      method: 'post',
      path: '/tasks/:taskId/thumbnails',
      tag: TAG,
      operationId: 'addThumbnail',
      summary: 'Adds a thumbnail variant given by image URL',
      description: '`isSelected: true` selects it and deselects the others. A taken `id` is 409.',
      access: 'member',
      params: taskParams,
      body: ThumbnailAddBodySchema,
      response: { status: 201, description: 'The new thumbnail', schema: ThumbnailSchema },
      handle: ({ vbuckets, scope, params, body }) =>
        vbuckets.thumbnails.add(scope, params.taskId, body),
    }),
    defineRoute({
      method: 'get',
      path: '/tasks/:taskId/thumbnails/selected',
      tag: TAG,
      operationId: 'selectedThumbnail',
      summary: "The task's selected thumbnail, or null when none is",
      access: 'member',
      params: taskParams,
      response: { description: 'The selected thumbnail', schema: ThumbnailSchema.nullable() },
      handle: ({ vbuckets, scope, params }) => vbuckets.thumbnails.selected(scope, params.taskId),
    }),
    defineRoute({
      method: 'post',
      path: '/tasks/:taskId/thumbnails/generate',
      tag: TAG,
      operationId: 'generateThumbnails',
      summary: "Cuts candidate thumbnails from the task's video and scores them",
      description:
        'Inline (201): the saved candidates, in time order, none selected. With `queue: true` (202): a `thumbnails.generate` job, deduplicated per task. A task without a video is 400; a host without ffmpeg is 400 too.',
      access: 'member',
      params: taskParams,
      body: GenerateBodySchema,
      response: {
        status: 201,
        description: 'The candidates, in time order, none selected',
        schema: z.array(GeneratedCandidateSchema),
        alternatives: [QUEUED_JOB],
      },
      handle: ({ vbuckets, scope, params, body, response, signal }) => {
        const { queue, ...options } = body;
        if (!queue) {
          return vbuckets.thumbnails.generateCandidates(scope, params.taskId, {
            ...options,
            signal,
          });
        }
        // The job's payload names the task, so make sure it is the caller's org's first.
        return vbuckets.tasks
          .get(scope, params.taskId)
          .andThen(() =>
            vbuckets.jobs.enqueue('thumbnails.generate', {
              orgId: scope.orgId,
              taskId: params.taskId,
              ...(options.count === undefined ? {} : { count: options.count }),
            }),
          )
          .map(acceptedJob(response));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/tasks/:taskId/thumbnails/:thumbnailId/select',
      tag: TAG,
      operationId: 'selectThumbnail',
      summary: "Selects a thumbnail and deselects the task's others in one step",
      access: 'member',
      params: taskThumbnailParams,
      response: { description: 'The selected thumbnail', schema: ThumbnailSchema },
      handle: ({ vbuckets, scope, params }) =>
        vbuckets.thumbnails.select(scope, params.taskId, params.thumbnailId),
    }),
    defineRoute({
      method: 'get',
      path: '/tasks/:taskId/thumbnails/:thumbnailId/image',
      tag: TAG,
      operationId: 'thumbnailImage',
      summary: 'The stored image of a thumbnail cut from the video (a JPEG)',
      description: 'A thumbnail given by URL has no stored image: 404 naming its `imageUrl`.',
      access: 'member',
      params: taskThumbnailParams,
      response: { description: 'The image', contentType: 'image/jpeg' },
      handle: async ({ vbuckets, scope, params, response }): Promise<typeof SENT> => {
        const found = await vbuckets.thumbnails.image(scope, params.taskId, params.thumbnailId);
        if (found.isErr()) throw found.error;
        const { image } = found.value;
        await sendBlob(response, image, {
          contentType: image.contentType ?? 'image/jpeg',
          cacheControl: 'private, max-age=3600',
        });
        return SENT;
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/thumbnails/:thumbnailId',
      tag: TAG,
      operationId: 'removeThumbnail',
      summary: 'Deletes a thumbnail and its stored image',
      description: '`imageLeft` names an image whose delete failed after the row was gone.',
      access: 'member',
      params: thumbnailParams,
      response: {
        description: 'What was deleted',
        schema: z.object({ thumbnail: ThumbnailSchema, imageLeft: z.string().nullable() }),
      },
      handle: ({ vbuckets, scope, params }) =>
        vbuckets.thumbnails.remove(scope, params.thumbnailId),
    }),
  ];
}
