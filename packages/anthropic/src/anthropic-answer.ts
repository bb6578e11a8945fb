import { VBucketsError } from '@vbuckets/core';
import {
  type CategorizerAnswer,
  categorizerAnswerFromObject,
  type VideoAnalysis,
} from '@vbuckets/core/adapter-kit';
import { err, ok, type Result } from 'neverthrow';
import { type ZodType, z } from 'zod';
import type { ClaudeFrame, FrameLabel } from './anthropic-frames';
import { PACINGS } from './anthropic-prompts';

/** Token counts of one Messages request, as the API reports them. */
export interface ClaudeTokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
}

/** A frame as it was sent, for the record. */
export interface ClaudeSentFrame {
  label: FrameLabel;
  timestampSec: number;
  width: number;
  height: number;
  bytes: number;
}

/**
 * `VideoAnalysis.raw` of a Claude analysis: the tags of seed 003 (hook type, emotion, pacing,
 * target audience pain, more tags), what was sent and what it cost. The bucket choice of a
 * combined request is there too.
 */
export interface ClaudeAnalysisRaw {
  provider: 'claude';
  summary: string;
  hook: string;
  /** snake_case, e.g. `problem_agitation`. */
  hookType: string;
  /** snake_case, e.g. `frustration`. */
  emotion: string;
  pacing: (typeof PACINGS)[number];
  /** snake_case, e.g. `no_time`. */
  targetAudiencePain: string;
  tags: string[];
  onScreenText: string;
  /** The bucket choice of a combined request (null: none fits). */
  bucketName?: string | null;
  confidence?: number;
  reasoning?: string;
  model: string;
  messageId: string;
  durationSec: number;
  frames: ClaudeSentFrame[];
  usage: ClaudeTokenUsage;
}

/** "Problem Agitation" and "problem-agitation" are the same label: `problem_agitation`. */
function snakeCase(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/gu, '');
}

const label = z.string().transform(snakeCase).pipe(z.string().min(1, 'must not be empty'));

/** Some models give a list as one string; a comma- or line-separated string is read as one. */
const tagList = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(/[,;\n]/u) : value),
  z.array(z.string()),
);

const AnalysisInputSchema = z.object({
  summary: z.string().trim().min(1, 'must not be empty'),
  hook: z.string().trim().default(''),
  hookType: label,
  emotion: label,
  pacing: z.preprocess(
    (value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
    z.enum(PACINGS),
  ),
  targetAudiencePain: label,
  tags: tagList.default([]),
  onScreenText: z.string().trim().default(''),
});

const ChoiceInputSchema = z.object({
  reasoning: z.string().trim().default(''),
  bucketName: z.string().nullable(),
  confidence: z.unknown(),
});

/** The tool input checked against `schema`; a mismatch is a final PROVIDER error naming the field. */
function parseInput<T>(
  schema: ZodType<T>,
  input: unknown,
  action: string,
): Result<T, VBucketsError> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  return err(
    new VBucketsError(
      'PROVIDER',
      `${action} failed: Claude's tool input is invalid: ${path === '' ? '' : `${path}: `}${issue?.message ?? 'invalid input'}`,
      {
        retryable: false,
        cause: parsed.error,
        path,
        details: {
          issues: parsed.error.issues.map((each) => ({
            path: each.path.map(String).join('.'),
            message: each.message,
          })),
        },
      },
    ),
  );
}

function unique(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const value of values.map((each) => each.trim())) {
    const key = value.toLowerCase();
    if (value === '' || seen.has(key)) continue;
    seen.add(key);
    result.push(value);
  }
  return result;
}

/** What the analyzer knows of the request besides the tool input. */
export interface AnalysisContext {
  model: string;
  messageId: string;
  durationSec: number;
  frames: readonly ClaudeFrame[];
  usage: ClaudeTokenUsage;
}

/**
 * A VideoAnalysis from the tool input. The frames carry no sound, so `transcript` is empty;
 * `topics` and `tags.extra` are the extra tags; `tags` holds seed 003's tags, which
 * `vb.market` fills a creative's empty tag fields from; `usage` the tokens; `raw` also keeps
 * the frames sent and the cache token counts.
 */
export function analysisFromToolInput(
  input: unknown,
  context: AnalysisContext,
  action: string,
  answer?: CategorizerAnswer,
): Result<VideoAnalysis, VBucketsError> {
  return parseInput(AnalysisInputSchema, input, action).map((fields) => {
    const tags = unique(fields.tags);
    const raw: ClaudeAnalysisRaw = {
      provider: 'claude',
      ...fields,
      tags,
      ...(answer === undefined ? {} : answer),
      model: context.model,
      messageId: context.messageId,
      durationSec: context.durationSec,
      frames: context.frames.map((frame) => ({
        label: frame.label,
        timestampSec: frame.timestampSec,
        width: frame.jpeg.width,
        height: frame.jpeg.height,
        bytes: frame.jpeg.bytes.byteLength,
      })),
      usage: context.usage,
    };
    return {
      summary: fields.summary,
      transcript: '',
      hook: fields.hook,
      topics: tags,
      onScreenText: fields.onScreenText,
      tags: {
        hookType: fields.hookType,
        emotion: fields.emotion,
        pacing: fields.pacing,
        targetAudiencePain: fields.targetAudiencePain,
        extra: tags,
      },
      usage: {
        inputTokens: context.usage.inputTokens,
        outputTokens: context.usage.outputTokens,
      },
      raw: { ...raw },
    };
  });
}

/** The bucket choice from the tool input, read by core's rules ("none" is null). */
export function answerFromToolInput(
  input: unknown,
  action: string,
): Result<CategorizerAnswer, VBucketsError> {
  return parseInput(ChoiceInputSchema, input, action).andThen((choice) =>
    categorizerAnswerFromObject(choice),
  );
}
