import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import { fromZodError, type VBucketsError } from '../../errors';
import type { CategorizerAnswer } from '../../ports/video-analyzer';
import type { Bucket } from '../../schemas/bucket';
import { bucketNameKey } from '../names';

/** Options of `decideCategorization`. */
export const CategorizationDecisionOptionsSchema = z.strictObject({
  /** The lowest confidence that still files a video into a bucket (inclusive). */
  confidenceFloor: z.number().min(0, 'must be at least 0').max(1, 'must be at most 1').default(0.3),
});
export type CategorizationDecisionOptions = z.input<typeof CategorizationDecisionOptionsSchema>;

/** The outcome for one video: filed into a known bucket, or analysed and left uncategorized. */
export type CategorizationDecision =
  | {
      status: 'categorized';
      bucketId: string;
      /** The bucket's own spelling, not the model's. */
      bucketName: string;
      confidence: number;
      reasoning: string;
    }
  | {
      status: 'analyzed';
      bucketId: null;
      bucketName: null;
      confidence: number;
      reasoning: string;
    };

/** A confidence within 0..1; NaN (an unreadable answer) counts as no confidence. */
export function clampConfidence(confidence: number): number {
  if (Number.isNaN(confidence)) return 0;
  return Math.min(1, Math.max(0, confidence));
}

function withNote(reasoning: string, note: string): string {
  const trimmed = reasoning.trim();
  return trimmed === '' ? note : `${trimmed} ${note}`;
}

/**
 * Applies core's rules to a model's bucket choice. The model's name is matched against the
 * product's buckets ignoring case and white space; a name that matches none gives `analyzed`
 * (never a made-up bucket), as does no choice or a confidence below the floor. Confidence is
 * clamped to 0..1. When a rule overrides the model, the reasoning gains a note saying why,
 * so the row explains itself. Fails only for an invalid floor (VALIDATION, path
 * `confidenceFloor`).
 */
export function decideCategorization(
  answer: CategorizerAnswer,
  buckets: readonly Bucket[],
  options: CategorizationDecisionOptions = {},
): Result<CategorizationDecision, VBucketsError> {
  const parsed = CategorizationDecisionOptionsSchema.safeParse(options);
  if (!parsed.success) return err(fromZodError(parsed.error, 'categorization options'));
  const { confidenceFloor } = parsed.data;

  const confidence = clampConfidence(answer.confidence);
  const uncategorized = (reasoning: string): CategorizationDecision => ({
    status: 'analyzed',
    bucketId: null,
    bucketName: null,
    confidence,
    reasoning,
  });

  const wanted = answer.bucketName === null ? '' : bucketNameKey(answer.bucketName);
  if (wanted === '') return ok(uncategorized(answer.reasoning.trim()));

  const bucket = buckets.find((candidate) => bucketNameKey(candidate.name) === wanted);
  if (bucket === undefined) {
    return ok(
      uncategorized(
        withNote(
          answer.reasoning,
          `(Not categorized: the model chose "${answer.bucketName?.trim()}", which is not one of this product's buckets.)`,
        ),
      ),
    );
  }
  if (confidence < confidenceFloor) {
    return ok(
      uncategorized(
        withNote(
          answer.reasoning,
          `(Not categorized: confidence ${confidence} for "${bucket.name}" is below the floor of ${confidenceFloor}.)`,
        ),
      ),
    );
  }
  return ok({
    status: 'categorized',
    bucketId: bucket.id,
    bucketName: bucket.name,
    confidence,
    reasoning: answer.reasoning.trim(),
  });
}
