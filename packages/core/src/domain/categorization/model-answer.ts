import { err, ok, type Result } from 'neverthrow';
import { type VBucketsError, vbucketsError } from '../../errors';
import type { CategorizerAnswer } from '../../ports/video-analyzer';

const EXCERPT_LENGTH = 200;
// Each start costs a scan to the end of the text; a bound keeps a pathological answer
// (thousands of unmatched braces) linear instead of quadratic.
const MAX_CANDIDATE_STARTS = 64;

/** Bucket names a model uses to say that no bucket fits. */
const NO_FIT_NAMES: ReadonlySet<string> = new Set(['', 'none', 'null', 'n/a', 'uncategorized']);

function excerptOf(answer: string): string {
  const flat = answer.replace(/\s+/gu, ' ').trim();
  return flat.length <= EXCERPT_LENGTH ? flat : `${flat.slice(0, EXCERPT_LENGTH)}…`;
}

function answerError(
  description: string,
  answer: string,
  cause?: unknown,
  path?: string,
): VBucketsError {
  const excerpt = excerptOf(answer);
  return vbucketsError('PROVIDER', `${description}: "${excerpt}"`, {
    retryable: false,
    cause,
    path,
    details: { excerpt },
  });
}

/** The index of the `}` closing the object opened at `start`, or -1 when it never closes. */
function findObjectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let index = start; index < text.length; index += 1) {
    const character = text[index];
    if (inString) {
      if (escaped) escaped = false;
      else if (character === '\\') escaped = true;
      else if (character === '"') inString = false;
    } else if (character === '"') {
      inString = true;
    } else if (character === '{') {
      depth += 1;
    } else if (character === '}') {
      depth -= 1;
      if (depth === 0) return index;
    }
  }
  return -1;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Search =
  | { found: Record<string, unknown> }
  | { found: null; sawBalanced: boolean; sawOpening: boolean; syntaxError: unknown };

/** The first balanced `{…}` in `text` that parses as a JSON object. */
function searchObject(text: string): Search {
  let sawBalanced = false;
  let syntaxError: unknown;
  let start = text.indexOf('{');
  const sawOpening = start !== -1;
  for (let tried = 0; start !== -1 && tried < MAX_CANDIDATE_STARTS; tried += 1) {
    const end = findObjectEnd(text, start);
    if (end !== -1) {
      sawBalanced = true;
      try {
        const value: unknown = JSON.parse(text.slice(start, end + 1));
        if (isPlainObject(value)) return { found: value };
      } catch (error) {
        syntaxError ??= error;
      }
    }
    // Prose such as "{curly} words" can precede the real object, so keep looking.
    start = text.indexOf('{', start + 1);
  }
  return { found: null, sawBalanced, sawOpening, syntaxError };
}

function notTextError(subject: string, value: unknown, expected = 'text'): VBucketsError {
  const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  return vbucketsError('PROVIDER', `${subject} is not ${expected} (got ${got})`, {
    retryable: false,
    details: { got },
  });
}

function fencedBlocks(text: string): string[] {
  return [...text.matchAll(/```[\w-]*[^\S\n]*\n?([\s\S]*?)```/gu)].map((match) => match[1] ?? '');
}

/**
 * Reads the JSON object out of a model's text answer: plain JSON, a fenced block (```json or
 * bare ```), or an object wrapped in prose. Fenced blocks win over prose because that is
 * where a model puts the answer it means. Fails with a non-retryable PROVIDER error whose
 * message quotes an excerpt of the answer.
 */
export function parseModelJsonObject(
  answer: string,
): Result<Record<string, unknown>, VBucketsError> {
  // Callers in plain JavaScript (or a provider that lost its text) can pass anything.
  if (typeof answer !== 'string') {
    return err(notTextError('Model answer', answer));
  }
  if (answer.trim() === '') return err(answerError('Model answer is empty', answer));

  for (const block of fencedBlocks(answer)) {
    const search = searchObject(block);
    if (search.found !== null) return ok(search.found);
  }
  const search = searchObject(answer);
  if (search.found !== null) return ok(search.found);

  if (search.sawBalanced) {
    const detail = search.syntaxError instanceof Error ? ` (${search.syntaxError.message})` : '';
    return err(
      answerError(`Model answer contains invalid JSON${detail}`, answer, search.syntaxError),
    );
  }
  if (search.sawOpening) {
    return err(answerError('Model answer contains an unterminated JSON object', answer));
  }
  return err(answerError('Model answer contains no JSON object', answer));
}

function firstPresent(
  object: Record<string, unknown>,
  keys: readonly string[],
): { key: string; value: unknown } | undefined {
  const key = keys.find((candidate) => Object.hasOwn(object, candidate));
  return key === undefined ? undefined : { key, value: object[key] };
}

/**
 * A confidence on the 0..1 scale, read from a number, a numeric string or a percentage such
 * as "85%". Numbers above 1 and up to 100 are read as percentages, since models mix scales;
 * anything unreadable is 0. Out-of-range values are left for the decision rules to clamp.
 */
export function parseConfidence(value: unknown): number {
  let number: number;
  let percent = false;
  if (typeof value === 'number') {
    number = value;
  } else if (typeof value === 'string') {
    const text = value.trim();
    percent = text.endsWith('%');
    const digits = percent ? text.slice(0, -1).trim() : text;
    // Number('') is 0, which would read an empty string as a real answer.
    number = digits === '' ? Number.NaN : Number(digits);
  } else {
    return 0;
  }
  if (Number.isNaN(number)) return 0;
  if (percent || (number > 1 && number <= 100)) return number / 100;
  return number;
}

function readBucketName(
  object: Record<string, unknown>,
  answerText: string,
): Result<string | null, VBucketsError> {
  const entry = firstPresent(object, ['bucket_name', 'bucketName', 'bucket']);
  if (entry === undefined || entry.value === null) return ok(null);
  if (typeof entry.value !== 'string') {
    return err(
      answerError(
        `Model answer has a ${Array.isArray(entry.value) ? 'list' : typeof entry.value} for ${entry.key}, expected a bucket name or null`,
        answerText,
        undefined,
        entry.key,
      ),
    );
  }
  const name = entry.value.trim();
  return ok(NO_FIT_NAMES.has(name.toLowerCase()) ? null : name);
}

function readReasoning(object: Record<string, unknown>): string {
  const entry = firstPresent(object, ['reasoning', 'reason']);
  if (entry === undefined || entry.value === null || entry.value === undefined) return '';
  if (typeof entry.value === 'string') return entry.value.trim();
  return JSON.stringify(entry.value);
}

/**
 * Reads the categorizer's fields from a parsed answer object: the bucket under `bucket_name`,
 * `bucketName` or `bucket` (null, "", "none", "null", "n/a" and "uncategorized" mean no fit),
 * the confidence under `confidence` or `confidence_score` (see `parseConfidence`) and the
 * reasoning under `reasoning` or `reason` (default ""). A bucket that is neither text nor
 * null is a PROVIDER error naming the field.
 */
export function categorizerAnswerFromObject(
  object: Record<string, unknown>,
): Result<CategorizerAnswer, VBucketsError> {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    return err(notTextError('Model answer object', object, 'a JSON object'));
  }
  return readBucketName(object, JSON.stringify(object)).map((bucketName) => ({
    bucketName,
    confidence: parseConfidence(
      firstPresent(object, ['confidence', 'confidence_score', 'confidenceScore'])?.value,
    ),
    reasoning: readReasoning(object),
  }));
}

/** `parseModelJsonObject` then `categorizerAnswerFromObject`: a model's text to a CategorizerAnswer. */
export function parseCategorizerAnswer(answer: string): Result<CategorizerAnswer, VBucketsError> {
  return parseModelJsonObject(answer).andThen(categorizerAnswerFromObject);
}
