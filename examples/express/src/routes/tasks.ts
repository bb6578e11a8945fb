import {
  GenerationTaskSchema,
  GenerationTaskStatusSchema,
  IdSchema,
  TaskCostRequestSchema,
  TaskCreateSchema,
  TaskListSchema,
  TaskStatusUpdateSchema,
  TaskUpdateSchema,
} from '@vbuckets/core';
import { z } from 'zod';
import type { HostInfo } from '../host-info';
import { defineRoute, type Route } from '../route-kit';
import { taskParams } from '../task-params';
import { queryNumber } from '../task-query-values';
import {
  AttachedVideoSchema,
  CostEstimateSchema,
  TaskDeletionSchema,
  TaskStatsSchema,
} from '../task-schemas';
import { mimeTypeOf, openFile, withUploadForm } from '../task-upload-form';
import { thumbnailRoutes } from '../thumbnail-routes';

const TAG = 'tasks';
const list = TaskListSchema.shape;

/** Generation tasks (seed 002): CRUD, status changes, retry, stats, cost, the generated video. */
export function taskRoutes(host: HostInfo): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/tasks',
      tag: TAG,
      operationId: 'listTasks',
      summary: "The org's generation tasks, newest first",
      description:
        'Filter by `userId` and `status`; page with `limit` and `offset`, or `after` the last id of the previous page.',
      access: 'member',
      query: z
        .strictObject({
          userId: IdSchema.optional(),
          status: GenerationTaskStatusSchema.optional(),
          limit: queryNumber(list.limit).optional(),
          offset: queryNumber(list.offset).optional(),
          after: IdSchema.optional(),
        })
        .refine((query) => query.offset === undefined || query.after === undefined, {
          message: 'give offset or after, not both',
          path: ['after'],
        }),
      response: { description: 'The tasks', schema: z.array(GenerationTaskSchema) },
      handle: ({ vbuckets, scope, query }) => vbuckets.tasks.list(scope, query),
    }),
    defineRoute({
      method: 'post',
      path: '/tasks',
      tag: TAG,
      operationId: 'createTask',
      summary: 'Creates a pending generation task',
      description: 'A caller-chosen `id` already taken in the org is 409.',
      access: 'member',
      body: TaskCreateSchema,
      response: { status: 201, description: 'The new task', schema: GenerationTaskSchema },
      handle: ({ vbuckets, scope, body }) => vbuckets.tasks.create(scope, body),
    }),
    defineRoute({
      method: 'get',
      path: '/tasks/stats',
      tag: TAG,
      operationId: 'taskStats',
      summary: "Totals of the org's tasks (or one user's): by status, cost, credits, thumbnails",
      access: 'member',
      query: z.strictObject({ userId: IdSchema.optional() }),
      response: { description: 'The totals', schema: TaskStatsSchema },
      handle: ({ vbuckets, scope, query }) => vbuckets.tasks.stats(scope, query),
    }),
    defineRoute({
      method: 'get',
      path: '/tasks/cost-estimate',
      tag: TAG,
      operationId: 'estimateTaskCost',
      summary: "Prices a generation from the engine's pricing table",
      description: 'An unpriced engine is 400, naming the priced ones.',
      access: 'member',
      query: z.strictObject({
        engine: TaskCostRequestSchema.shape.engine,
        durationSec: queryNumber(TaskCostRequestSchema.shape.durationSec),
      }),
      response: { description: 'The estimate', schema: CostEstimateSchema },
      handle: ({ vbuckets, query }) => vbuckets.tasks.estimateCost(query),
    }),
    defineRoute({
      method: 'get',
      path: '/tasks/:taskId',
      tag: TAG,
      operationId: 'getTask',
      summary: 'One task',
      access: 'member',
      params: taskParams,
      response: { description: 'The task', schema: GenerationTaskSchema },
      handle: ({ vbuckets, scope, params }) => vbuckets.tasks.get(scope, params.taskId),
    }),
    defineRoute({
      method: 'patch',
      path: '/tasks/:taskId',
      tag: TAG,
      operationId: 'updateTask',
      summary: 'Changes the fields given (null clears one); the status has its own route',
      access: 'member',
      params: taskParams,
      body: TaskUpdateSchema,
      response: { description: 'The task after the change', schema: GenerationTaskSchema },
      handle: ({ vbuckets, scope, params, body }) =>
        vbuckets.tasks.update(scope, params.taskId, body),
    }),
    defineRoute({
      method: 'delete',
      path: '/tasks/:taskId',
      tag: TAG,
      operationId: 'deleteTask',
      summary: 'Deletes a task, its thumbnails and their stored images',
      description:
        'The registry video stays. `imagesLeft` lists images whose delete failed after the rows were gone.',
      access: 'member',
      params: taskParams,
      response: { description: 'What was deleted', schema: TaskDeletionSchema },
      handle: ({ vbuckets, scope, params }) => vbuckets.tasks.delete(scope, params.taskId),
    }),
    defineRoute({
      method: 'post',
      path: '/tasks/:taskId/status',
      tag: TAG,
      operationId: 'updateTaskStatus',
      summary: 'Moves a task along pending → processing → completed | failed',
      description:
        '`videoUrl` and `completedAt` go with `completed`, `errorMessage` with `failed`. Any other move is 409 naming the current status.',
      access: 'member',
      params: taskParams,
      body: TaskStatusUpdateSchema,
      response: { description: 'The task after the change', schema: GenerationTaskSchema },
      handle: ({ vbuckets, scope, params, body }) =>
        vbuckets.tasks.updateStatus(scope, params.taskId, body),
    }),
    defineRoute({
      method: 'post',
      path: '/tasks/:taskId/retry',
      tag: TAG,
      operationId: 'retryTask',
      summary: 'Sends a failed task back to pending, clearing its error',
      description: 'A task that has not failed is 409.',
      access: 'member',
      params: taskParams,
      response: { description: 'The task, pending again', schema: GenerationTaskSchema },
      handle: ({ vbuckets, scope, params }) => vbuckets.tasks.retry(scope, params.taskId),
    }),
    defineRoute({
      method: 'put',
      path: '/tasks/:taskId/video',
      tag: TAG,
      operationId: 'attachTaskVideo',
      summary: 'Registers the generated video (form field `file`) and links it to the task',
      description:
        'The registry deduplicates by content (`created` false). A video another task links is 409.',
      access: 'member',
      params: taskParams,
      bodyType: 'multipart',
      multipartSchema: z.object({
        file: z.string().describe('The video file (binary)'),
        mimeType: z.string().optional(),
      }),
      response: { description: 'The task and its video', schema: AttachedVideoSchema },
      handle: (context) =>
        withUploadForm(
          context,
          host,
          {
            fileField: 'file',
            fields: z.strictObject({ mimeType: z.string().min(1).max(200).optional() }),
          },
          (fields, file) =>
            context.vbuckets.tasks.attachVideo(context.scope, context.params.taskId, {
              filename: file.filename,
              body: () => openFile(file.path),
              probePath: file.path,
              ...mimeTypeOf(fields.mimeType, file.mimeType),
            }),
        ),
    }),
    ...thumbnailRoutes(host),
  ];
}
