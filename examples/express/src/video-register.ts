import { type VBucketsError, VideoRegisterInputSchema, validationError } from '@vbuckets/core';
import { z } from 'zod';
import type { HostInfo } from './host-info';
import { sendProblem } from './problem';
import { checkPart, type RouteContext, SENT } from './route-kit';
import { drained, readVideoForm } from './video-multipart';

/** The text fields of the register form (the file part is `video`). */
export const VideoFormFieldsSchema = z.strictObject({
  title: VideoRegisterInputSchema.shape.title,
  duplicateAllowed: z
    .stringbool()
    .optional()
    .describe('`true` lets the video be posted to a platform more than once'),
});

/** The text fields of a benchmark's video: public, filed under a product category. */
export const BenchmarkVideoFormFieldsSchema = VideoFormFieldsSchema.extend({
  productCategory: VideoRegisterInputSchema.shape.productCategory.describe(
    'The product category `GET /benchmarks` files it under',
  ),
});

const fileField = {
  video: z
    .string()
    .meta({ format: 'binary' })
    .describe('The video file (mp4, mov, avi or webm), after the text fields'),
};

/** The register form as OpenAPI shows it. */
export const VideoFormSchema = VideoFormFieldsSchema.extend(fileField);
/** The benchmark video form as OpenAPI shows it. */
export const BenchmarkVideoFormSchema = BenchmarkVideoFormFieldsSchema.extend(fileField);

/** Who will watch the video: its owner (`private`), or every signed-in caller (`public`). */
export type FormVideoVisibility = 'private' | 'public';

const FIELDS_OF = {
  private: VideoFormFieldsSchema,
  public: BenchmarkVideoFormFieldsSchema,
} as const;

/** Refusals of the file itself that have their own status: too large, or not a video. */
const STATUS_BY_REASON: Record<string, number> = {
  oversize: 413,
  'unsupported-extension': 415,
  'content-mismatch': 415,
};

/**
 * `POST /videos` (and `/benchmarks/videos`, public): streams the form's `video` part into
 * `videos.register` as it arrives (never whole in memory, never spooled), refusing it past
 * `limits.fileBytes` with nothing stored. Answers 201 with the new video, or 200 with the org's
 * video of identical content.
 */
export async function registerVideoFromForm(
  context: RouteContext<unknown, unknown, unknown>,
  host: HostInfo,
  visibility: FormVideoVisibility = 'private',
): Promise<typeof SENT> {
  const fieldsSchema = FIELDS_OF[visibility];
  const { request, response, vbuckets, scope, actor } = context;
  if (request.is('multipart/form-data') !== 'multipart/form-data') {
    await drained(request);
    const type = request.headers['content-type'] ?? 'none';
    sendProblem(
      response,
      validationError(
        `Send the video as multipart/form-data (a "video" file part), not ${JSON.stringify(type)}`,
        { path: 'content-type' },
      ),
      { status: 415 },
    );
    return SENT;
  }
  const form = await readVideoForm(request, {
    fileField: 'video',
    fieldNames: Object.keys(fieldsSchema.shape),
  });
  if (form.isErr()) {
    await drained(request);
    sendProblem(response, form.error);
    return SENT;
  }
  const fields = checkPart(fieldsSchema, form.value.fields, 'body');
  if (fields.isErr()) {
    await form.value.settled();
    sendProblem(response, fields.error);
    return SENT;
  }
  const { title, duplicateAllowed, productCategory } = fields.value as z.output<
    typeof BenchmarkVideoFormFieldsSchema
  >;
  const registered = await vbuckets.videos.register(scope, {
    filename: form.value.filename,
    body: () => form.value.chunks,
    ownerId: actor?.userId ?? '',
    maxFileBytes: host.limits.fileBytes,
    ...(title === undefined ? {} : { title }),
    ...(duplicateAllowed === undefined ? {} : { duplicateAllowed }),
    ...(productCategory === undefined ? {} : { productCategory }),
    visibility,
  });
  await form.value.settled();
  // A rule the rest of the form broke explains the failure better than the store's echo of it.
  const failure = form.value.refusal() ?? (registered.isErr() ? registered.error : undefined);
  if (failure !== undefined) {
    sendProblem(response, failure, { status: statusOfRefusal(failure) });
    return SENT;
  }
  if (registered.isOk())
    response.status(registered.value.created ? 201 : 200).json(registered.value);
  return SENT;
}

function statusOfRefusal(error: VBucketsError | undefined): number | undefined {
  if (error?.code !== 'VALIDATION') return undefined;
  const reason = error.details?.reason;
  return typeof reason === 'string' ? STATUS_BY_REASON[reason] : undefined;
}
