import type { ContentBlockParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { VBucketsError } from '@vbuckets/core';
import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import type { SizedJpeg } from './anthropic-frame-resize';

export const THUMBNAIL_TOOL_NAME = 'rate_thumbnails';

/** The forced tool: one rating per candidate, numbered as the prompt numbers them. */
export function thumbnailTool(count: number): Tool {
  return {
    name: THUMBNAIL_TOOL_NAME,
    description: 'Records how likely each thumbnail candidate is to be clicked, with a reason.',
    input_schema: {
      type: 'object',
      properties: {
        ratings: {
          type: 'array',
          description: `Exactly ${count} ratings, one per candidate.`,
          items: {
            type: 'object',
            properties: {
              candidate: {
                type: 'integer',
                description: `The candidate's number, 1 to ${count}.`,
              },
              clickPrediction: {
                type: 'number',
                description:
                  'How likely a viewer is to click this thumbnail, from 0 (never) to 1 (certainly).',
              },
              reason: { type: 'string', description: 'One sentence: why.' },
            },
            required: ['candidate', 'clickPrediction', 'reason'],
            additionalProperties: false,
          },
        },
      },
      required: ['ratings'],
      additionalProperties: false,
    },
  };
}

/** What the prompt says about the video. */
export interface ThumbnailPromptContext {
  title?: string;
  description?: string;
}

/** The candidates as numbered images, then the task. */
export function thumbnailContent(
  images: readonly { jpeg: SizedJpeg; timestampSec: number }[],
  context: ThumbnailPromptContext,
): ContentBlockParam[] {
  const content: ContentBlockParam[] = [];
  for (const [index, image] of images.entries()) {
    content.push({
      type: 'text',
      text: `Candidate ${index + 1} (at ${image.timestampSec.toFixed(1)} s):`,
    });
    content.push({
      type: 'image',
      source: {
        type: 'base64',
        media_type: 'image/jpeg',
        data: Buffer.from(image.jpeg.bytes).toString('base64'),
      },
    });
  }
  const about = [
    context.title ? `Title: ${context.title}` : undefined,
    context.description ? `Description: ${context.description}` : undefined,
  ].filter((line) => line !== undefined);
  content.push({
    type: 'text',
    text: `You choose YouTube thumbnails. Above are ${images.length} candidate frames cut from one video.
${about.length === 0 ? 'Nothing else is known about the video.' : `The video:\n${about.join('\n')}`}
For every candidate, predict how likely a viewer browsing YouTube is to click it, from 0 to 1, weighing clarity at small size, a readable subject or face, emotion, contrast and fit with the title. Record one rating per candidate, numbered as above, with the ${THUMBNAIL_TOOL_NAME} tool.`,
  });
  return content;
}

/** A rating as the adapter keeps it. */
export interface ThumbnailRating {
  clickPrediction: number;
  reason: string;
}

const RatingsSchema = z.object({
  ratings: z.array(
    z.object({
      candidate: z.coerce.number().int(),
      clickPrediction: z.coerce.number().min(0).max(1),
      reason: z.string().trim().default(''),
    }),
  ),
});

function invalidAnswer(action: string, message: string, cause?: unknown): VBucketsError {
  return new VBucketsError(
    'PROVIDER',
    `${action} failed: Claude's tool input is invalid: ${message}`,
    { retryable: false, ...(cause === undefined ? {} : { cause }) },
  );
}

/**
 * The ratings in candidate order, or a final PROVIDER error: every candidate must be rated
 * exactly once, with a click prediction between 0 and 1.
 */
export function ratingsFromToolInput(
  input: unknown,
  count: number,
  action: string,
): Result<ThumbnailRating[], VBucketsError> {
  const parsed = RatingsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    return err(
      invalidAnswer(action, `${path === '' ? '' : `${path}: `}${issue?.message}`, parsed.error),
    );
  }
  const byCandidate = new Map<number, ThumbnailRating>();
  for (const rating of parsed.data.ratings) {
    if (rating.candidate < 1 || rating.candidate > count) {
      return err(invalidAnswer(action, `there is no candidate ${rating.candidate}`));
    }
    if (byCandidate.has(rating.candidate)) {
      return err(invalidAnswer(action, `candidate ${rating.candidate} is rated twice`));
    }
    byCandidate.set(rating.candidate, {
      clickPrediction: rating.clickPrediction,
      reason: rating.reason,
    });
  }
  const ratings: ThumbnailRating[] = [];
  for (let candidate = 1; candidate <= count; candidate += 1) {
    const rating = byCandidate.get(candidate);
    if (rating === undefined) {
      return err(invalidAnswer(action, `candidate ${candidate} is not rated`));
    }
    ratings.push(rating);
  }
  return ok(ratings);
}
