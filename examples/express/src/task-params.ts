import { IdSchema } from '@vbuckets/core';
import { z } from 'zod';

export const taskParams = z.strictObject({ taskId: IdSchema });
export const taskThumbnailParams = z.strictObject({ taskId: IdSchema, thumbnailId: IdSchema });
export const thumbnailParams = z.strictObject({ thumbnailId: IdSchema });
