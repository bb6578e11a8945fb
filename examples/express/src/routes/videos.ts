import { VideoSchema } from '@vbuckets/core';
import { z } from 'zod';
import type { HostInfo } from '../host-info';
import { defineRoute, type Route } from '../route-kit';
import {
  AccessQuerySchema,
  PageQuerySchema,
  RegisteredVideoSchema,
  VideoAccessSchema,
  VideoParams,
  VideoVerificationSchema,
  VideoWithUploadsSchema,
} from '../video-http-schemas';
import { registerVideoFromForm, VideoFormSchema } from '../video-register';

const TAG = 'videos';

/** The video registry (seed 001): register, list, read, allow duplicates, verify, watch. */
export function videoRoutes(host: HostInfo): Route[] {
  return [
    defineRoute({
      method: 'post',
      path: '/videos',
      tag: TAG,
      operationId: 'registerVideo',
      summary: 'Registers a video: its bytes stream to the blob store as they arrive',
      description:
        'A `multipart/form-data` body: the optional text fields `title` and `duplicateAllowed` first, then one file part `video` (mp4, mov, avi or webm). A file over the host limit is refused with 413 and nothing is stored; a file that is not a video with 415. Identical content already registered in the org answers 200 with that video instead of 201.',
      access: 'member',
      bodyType: 'multipart',
      multipartSchema: VideoFormSchema,
      response: { status: 201, description: 'The new video', schema: RegisteredVideoSchema },
      handle: (context) => registerVideoFromForm(context, host),
    }),
    defineRoute({
      method: 'get',
      path: '/videos',
      tag: TAG,
      operationId: 'listVideos',
      summary: "A page of the org's videos, newest first, with each platform's upload status",
      access: 'member',
      query: PageQuerySchema,
      response: { description: 'The videos', schema: z.array(VideoWithUploadsSchema) },
      handle: ({ vbuckets, scope, query }) => vbuckets.videos.list(scope, query),
    }),
    defineRoute({
      method: 'get',
      path: '/videos/:videoId',
      tag: TAG,
      operationId: 'getVideo',
      summary: 'One video',
      access: 'member',
      params: VideoParams,
      response: { description: 'The video', schema: VideoSchema },
      handle: ({ vbuckets, scope, params }) => vbuckets.videos.get(scope, params.videoId),
    }),
    defineRoute({
      method: 'patch',
      path: '/videos/:videoId',
      tag: TAG,
      operationId: 'updateVideo',
      summary: 'Allows or forbids posting the video to a platform more than once',
      access: 'member',
      params: VideoParams,
      body: z.strictObject({ duplicateAllowed: VideoSchema.shape.duplicateAllowed }),
      response: { description: 'The video after the change', schema: VideoSchema },
      handle: ({ vbuckets, scope, params, body }) =>
        vbuckets.videos.setDuplicateAllowed(scope, params.videoId, body.duplicateAllowed),
    }),
    defineRoute({
      method: 'post',
      path: '/videos/:videoId/verify',
      tag: TAG,
      operationId: 'verifyVideo',
      summary: "Re-reads the stored bytes and compares their size and SHA-256 with the registry's",
      access: 'member',
      params: VideoParams,
      response: { description: 'What the re-read found', schema: VideoVerificationSchema },
      handle: ({ vbuckets, scope, params }) => vbuckets.videos.verify(scope, params.videoId),
    }),
    defineRoute({
      method: 'get',
      path: '/videos/:videoId/access',
      tag: TAG,
      operationId: 'getVideoAccess',
      summary: 'A URL that plays the video (presigned for a private one)',
      description:
        "A private video is its owner's (and the org's admins'); anyone else gets 404, as for a video that does not exist. A public benchmark plays for any signed-in caller.",
      access: 'member',
      params: VideoParams,
      query: AccessQuerySchema,
      response: { description: 'The URL and when it expires', schema: VideoAccessSchema },
      handle: ({ vbuckets, actor, params, query }) =>
        vbuckets.access.getVideoAccess(
          actor,
          params.videoId,
          query.ttlSec === undefined ? {} : { ttlSec: query.ttlSec },
        ),
    }),
  ];
}
