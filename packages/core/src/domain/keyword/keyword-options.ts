import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import { fromZodError, VBucketsError } from '../../errors';

/** The bucket fields the keyword categorizer reads. */
export type BucketTextField =
  | 'name'
  | 'bestFor'
  | 'angle'
  | 'avatar'
  | 'painPoints'
  | 'solutionMechanism'
  | 'keyCopyHooks';

/** The fields in the order explanations list them. */
export const BUCKET_TEXT_FIELDS: readonly BucketTextField[] = [
  'name',
  'painPoints',
  'bestFor',
  'keyCopyHooks',
  'solutionMechanism',
  'avatar',
  'angle',
];

/**
 * How much one occurrence of a word in each field counts. The name and the pain points say
 * most directly what a bucket is about; `bestFor` describes the videos that belong; the
 * rest describe the audience and the pitch.
 */
export const DEFAULT_KEYWORD_FIELD_WEIGHTS: Readonly<Record<BucketTextField, number>> = {
  name: 3,
  painPoints: 2,
  bestFor: 1.5,
  keyCopyHooks: 1,
  solutionMechanism: 1,
  avatar: 1,
  angle: 1,
};

const fieldWeight = (field: BucketTextField) =>
  z
    .number()
    .min(0, 'must be at least 0')
    .max(100, 'must be at most 100')
    .default(DEFAULT_KEYWORD_FIELD_WEIGHTS[field]);

/** Options of the keyword categorizer; every one has a default. */
export const KeywordOptionsSchema = z.strictObject({
  /** BM25 term-frequency saturation (default 1.2). */
  k1: z.number().min(0, 'must be at least 0').max(10, 'must be at most 10').default(1.2),
  /** BM25 length normalisation, 0 (none) to 1 (full) (default 0.75). */
  b: z.number().min(0, 'must be at least 0').max(1, 'must be at most 1').default(0.75),
  /** Per-field weights; missing fields keep their default, 0 ignores a field. */
  fieldWeights: z
    .strictObject({
      name: fieldWeight('name'),
      bestFor: fieldWeight('bestFor'),
      angle: fieldWeight('angle'),
      avatar: fieldWeight('avatar'),
      painPoints: fieldWeight('painPoints'),
      solutionMechanism: fieldWeight('solutionMechanism'),
      keyCopyHooks: fieldWeight('keyCopyHooks'),
    })
    .prefault({}),
  /** Whether adjacent word pairs also match as phrases (default true). */
  bigrams: z.boolean().default(true),
  /**
   * How much distinctive evidence the calibrated confidence expects (default 3, the value the
   * calibration was fitted with): the evidence feature is scaled by 3 / confidenceScale, so a
   * larger value asks for more matched distinctive words before the same confidence.
   */
  confidenceScale: z
    .number()
    .gt(0, 'must be greater than 0')
    .max(1000, 'must be at most 1000')
    .default(3),
  /**
   * The calibrated confidence below which the categorizer answers "no bucket fits" (bucket
   * null) instead of its best bucket (default 0.5: more likely wrong than right). 0 always
   * names the best-matching bucket, as before open-set rejection.
   */
  noBucketBelow: z.number().min(0, 'must be at least 0').max(1, 'must be at most 1').default(0.5),
  /** How many terms the analyzer lists as topics (default 10). */
  maxTopics: z
    .number()
    .int('must be an integer')
    .min(0, 'must be at least 0')
    .max(100, 'must be at most 100')
    .default(10),
});

/** Options of the keyword categorizer, as a caller gives them. */
export type KeywordOptions = z.input<typeof KeywordOptionsSchema>;
/** Options of the keyword categorizer with every default applied. */
export type KeywordSettings = z.output<typeof KeywordOptionsSchema>;

/** Checks keyword options and applies defaults; VALIDATION names the bad field. */
export function parseKeywordOptions(
  options: KeywordOptions = {},
): Result<KeywordSettings, VBucketsError> {
  const parsed = KeywordOptionsSchema.safeParse(options);
  if (parsed.success) return ok(parsed.data);
  const error = fromZodError(parsed.error, 'keyword options');
  return err(
    new VBucketsError('VALIDATION', error.message, {
      cause: parsed.error,
      details: error.details,
      adapter: 'keyword',
      ...(error.path === undefined ? {} : { path: error.path }),
    }),
  );
}
