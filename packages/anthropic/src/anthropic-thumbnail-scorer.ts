import type Anthropic from '@anthropic-ai/sdk';
import { fromZodError, type VBucketsError, validationError } from '@vbuckets/core';
import {
  settingsError,
  type ThumbnailCandidate,
  type ThumbnailScore,
  type ThumbnailScorer,
  type ThumbnailScoringContext,
  withErrorSource,
} from '@vbuckets/core/adapter-kit';
import { thumbnailQualityScore } from '@vbuckets/core/domain';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { z } from 'zod';
import { createClaudeClients } from './anthropic-client';
import { toClaudeError } from './anthropic-error';
import { fitJpeg, type SizedJpeg } from './anthropic-frame-resize';
import { callClaudeTool } from './anthropic-messages';
import { DEFAULT_CLAUDE_MODEL } from './anthropic-settings';
import {
  ratingsFromToolInput,
  thumbnailContent,
  thumbnailTool,
} from './anthropic-thumbnail-prompt';

export interface ClaudeThumbnailScorerSettings {
  /** API key. Default: the `ANTHROPIC_API_KEY` environment variable, read at call time. */
  apiKey?: string;
  /** API root, e.g. a proxy or a fake server (default: `ANTHROPIC_BASE_URL`, then `https://api.anthropic.com`). */
  baseURL?: string;
  /** Model of the request (default `claude-sonnet-5-5`). */
  model?: string;
  /** Candidates wider than this are scaled down, keeping their aspect ratio (default 512 px). */
  maxImageWidth?: number;
  /** Candidates taller than this are scaled down, keeping their aspect ratio (default 512 px). */
  maxImageHeight?: number;
  /** JPEG quality of a scaled-down candidate, 1 to 100 (default 80). */
  jpegQuality?: number;
  /** `max_tokens` of the request (default 2 048: a sentence per candidate). */
  maxTokens?: number;
  /** Time limit of the Messages request (default 120 000 ms). */
  requestTimeoutMs?: number;
  /** Retries of the SDK itself (default 2: nothing else retries a scoring call). */
  maxRetries?: number;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** A fetch implementation for the SDK (default the global `fetch`). */
  fetch?: typeof globalThis.fetch;
  /** A ready `Anthropic` client; `apiKey`, `baseURL`, `headers` and `fetch` are then unused. */
  client?: Anthropic;
}

/** Claude's ThumbnailScorer. */
export interface ClaudeThumbnailScorer extends ThumbnailScorer {
  readonly provider: 'claude';
}

/** The API takes at most 20 images of any size in one request. */
export const MAX_CLAUDE_THUMBNAIL_CANDIDATES = 20;
export const DEFAULT_MAX_THUMBNAIL_IMAGE_SIDE = 512;

const SettingsSchema = z.strictObject({
  apiKey: z.string().min(1, 'must not be empty').optional(),
  baseURL: z.url({ protocol: /^https?$/u, error: 'must be an http(s) URL' }).optional(),
  model: z.string().min(1, 'must not be empty').default(DEFAULT_CLAUDE_MODEL),
  maxImageWidth: z.number().int().min(16).max(8000).default(DEFAULT_MAX_THUMBNAIL_IMAGE_SIDE),
  maxImageHeight: z.number().int().min(16).max(8000).default(DEFAULT_MAX_THUMBNAIL_IMAGE_SIDE),
  jpegQuality: z.number().int().min(1).max(100).default(80),
  maxTokens: z.number().int().positive().max(16_000).default(2_048),
  requestTimeoutMs: z.number().int().positive().default(120_000),
  maxRetries: z.number().int().min(0).max(10).default(2),
  headers: z.record(z.string(), z.string()).optional(),
  fetch: z
    .custom<typeof globalThis.fetch>((value) => typeof value === 'function', {
      error: 'must be a fetch function',
    })
    .optional(),
  client: z
    .custom<Anthropic>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        typeof (value as { messages?: { create?: unknown } }).messages?.create === 'function',
      { error: 'must be an Anthropic client' },
    )
    .optional(),
});

const ADAPTER = 'anthropic';
const OPERATION = 'thumbnailScorer.score';
const at = (error: VBucketsError) =>
  withErrorSource(error, { adapter: ADAPTER, operation: OPERATION });

/**
 * Creates the Claude thumbnail scorer: the candidates, scaled down to `maxImageWidth` ×
 * `maxImageHeight` and numbered, go in one Messages request with the video's title and
 * description, and a forced `rate_thumbnails` tool gives each a `clickPrediction` (0..1) and a
 * reason. `qualityScore` is core's `thumbnailQualityScore` of the candidate's ffmpeg metrics
 * (Claude rates appeal, not exposure). It throws nothing: invalid settings are every call's
 * VALIDATION error, a missing key UNAUTHENTICATED; API failures are mapped as the analyzer's.
 */
export function createClaudeThumbnailScorer(
  settings: ClaudeThumbnailScorerSettings = {},
): ClaudeThumbnailScorer {
  const parsed = SettingsSchema.safeParse(settings);
  if (!parsed.success) {
    const refusal = at(
      settingsError(fromZodError(parsed.error, 'Claude thumbnail scorer settings')),
    );
    return { specificationVersion: 'v1', provider: 'claude', score: () => errAsync(refusal) };
  }
  const resolved = parsed.data;
  const clients = createClaudeClients(resolved);
  const box = {
    maxWidth: resolved.maxImageWidth,
    maxHeight: resolved.maxImageHeight,
    quality: resolved.jpegQuality,
  };

  const score = (
    candidates: readonly ThumbnailCandidate[],
    context: ThumbnailScoringContext = {},
  ): ResultAsync<ThumbnailScore[], VBucketsError> => {
    if (candidates.length > MAX_CLAUDE_THUMBNAIL_CANDIDATES) {
      return errAsync(
        at(
          validationError(
            `Invalid candidates: Claude rates at most ${MAX_CLAUDE_THUMBNAIL_CANDIDATES} in one request (got ${candidates.length})`,
            { path: 'candidates' },
          ),
        ),
      );
    }
    // Nothing to rate: no request.
    if (candidates.length === 0) return okAsync([]);
    const action = `Rating ${candidates.length} thumbnail candidates`;
    const { signal } = context;
    const work = async (): Promise<ThumbnailScore[]> => {
      const images = candidates.map((candidate, index) => ({
        timestampSec: candidate.timestampSec,
        jpeg: fitCandidate(candidate, index, box),
      }));
      const call = await callClaudeTool(
        clients(),
        resolved,
        {
          content: thumbnailContent(images, {
            ...(context.title === undefined ? {} : { title: context.title }),
            ...(context.description === undefined ? {} : { description: context.description }),
          }),
          tool: thumbnailTool(candidates.length),
          action,
        },
        signal === undefined ? undefined : { signal },
      );
      const ratings = ratingsFromToolInput(call.input, candidates.length, action);
      if (ratings.isErr()) throw ratings.error;
      return ratings.value.map((rating, index) => ({
        qualityScore: thumbnailQualityScore((candidates[index] as ThumbnailCandidate).metrics),
        clickPrediction: rating.clickPrediction,
        ...(rating.reason === '' ? {} : { reason: rating.reason }),
      }));
    };
    return ResultAsync.fromPromise(work(), (error) =>
      at(toClaudeError(error, action, signal, resolved.requestTimeoutMs)),
    );
  };

  return { specificationVersion: 'v1', provider: 'claude', score };
}

/** The candidate fitted into the box; a JPEG that does not decode is the caller's VALIDATION. */
function fitCandidate(
  candidate: ThumbnailCandidate,
  index: number,
  box: { maxWidth: number; maxHeight: number; quality: number },
): SizedJpeg {
  try {
    return fitJpeg(candidate.jpeg, box);
  } catch (error) {
    throw validationError(
      `Invalid candidates.${index}.jpeg: not a decodable JPEG (${error instanceof Error ? error.message : String(error)})`,
      { path: `candidates.${index}.jpeg`, cause: error },
    );
  }
}
