import {
  BucketCreateInputSchema,
  BucketImportItemSchema,
  BucketSchema,
  BucketUpdateInputSchema,
  IdSchema,
  toBucketImportItem,
} from '@vbuckets/core';
import { z } from 'zod';
import { defineRoute, type Route } from '../route-kit';

const TAG = 'buckets';
const BucketParams = z.strictObject({ bucketId: IdSchema });
const ProductParams = z.strictObject({ productId: IdSchema });
const ImportCountsSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});

/** Buckets CRUD, reorder, import and export (seed 000). */
export function bucketRoutes(): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/buckets',
      tag: TAG,
      operationId: 'listBuckets',
      summary: "The org's buckets, in display order",
      access: 'member',
      query: z.strictObject({ productId: IdSchema.optional() }),
      response: { description: 'The buckets', schema: z.array(BucketSchema) },
      handle: ({ vbuckets, scope, query }) =>
        vbuckets.buckets.list(
          scope,
          query.productId === undefined ? {} : { productId: query.productId },
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/buckets',
      tag: TAG,
      operationId: 'createBucket',
      summary: 'Creates a bucket (names are unique per product, case-insensitively)',
      access: 'member',
      body: BucketCreateInputSchema,
      response: { status: 201, description: 'The new bucket', schema: BucketSchema },
      handle: ({ vbuckets, scope, body }) => vbuckets.buckets.create(scope, body),
    }),
    defineRoute({
      method: 'get',
      path: '/buckets/:bucketId',
      tag: TAG,
      operationId: 'getBucket',
      summary: 'One bucket',
      access: 'member',
      params: BucketParams,
      response: { description: 'The bucket', schema: BucketSchema },
      handle: ({ vbuckets, scope, params }) => vbuckets.buckets.get(scope, params.bucketId),
    }),
    defineRoute({
      method: 'patch',
      path: '/buckets/:bucketId',
      tag: TAG,
      operationId: 'updateBucket',
      summary: 'Changes the fields given; absent fields stay',
      access: 'member',
      params: BucketParams,
      body: BucketUpdateInputSchema,
      response: { description: 'The bucket after the change', schema: BucketSchema },
      handle: ({ vbuckets, scope, params, body }) =>
        vbuckets.buckets.update(scope, params.bucketId, body),
    }),
    defineRoute({
      method: 'delete',
      path: '/buckets/:bucketId',
      tag: TAG,
      operationId: 'deleteBucket',
      summary: 'Deletes a bucket',
      access: 'member',
      params: BucketParams,
      response: { description: 'Deleted' },
      handle: ({ vbuckets, scope, params }) => vbuckets.buckets.delete(scope, params.bucketId),
    }),
    defineRoute({
      method: 'put',
      path: '/products/:productId/bucket-order',
      tag: TAG,
      operationId: 'reorderBuckets',
      summary: "Sets the order of a product's buckets (every bucket's id, once)",
      access: 'member',
      params: ProductParams,
      body: z.strictObject({ bucketIds: z.array(IdSchema).max(10_000) }),
      response: { description: 'The buckets in their new order', schema: z.array(BucketSchema) },
      handle: ({ vbuckets, scope, params, body }) =>
        vbuckets.buckets.reorder(scope, params.productId, body.bucketIds),
    }),
    defineRoute({
      method: 'post',
      path: '/products/:productId/buckets/import',
      tag: TAG,
      operationId: 'importBuckets',
      summary: 'Creates or updates buckets by name (the JSON an export wrote)',
      access: 'member',
      params: ProductParams,
      body: z.strictObject({ buckets: z.array(BucketImportItemSchema).max(10_000) }),
      response: { description: 'What the import did', schema: ImportCountsSchema },
      handle: ({ vbuckets, scope, params, body }) =>
        vbuckets.buckets.import(scope, params.productId, body.buckets),
    }),
    defineRoute({
      method: 'get',
      path: '/products/:productId/buckets/export',
      tag: TAG,
      operationId: 'exportBuckets',
      summary: "A product's buckets as import JSON",
      access: 'member',
      params: ProductParams,
      response: {
        description: 'The buckets, ready to import elsewhere',
        schema: z.object({ productId: z.string(), buckets: z.array(BucketImportItemSchema) }),
      },
      handle: ({ vbuckets, scope, params }) =>
        vbuckets.buckets.list(scope, { productId: params.productId }).map((buckets) => ({
          productId: params.productId,
          buckets: buckets.map(toBucketImportItem),
        })),
    }),
  ];
}
