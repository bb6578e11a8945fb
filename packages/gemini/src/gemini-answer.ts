import type { GenerateContentResponse } from '@google/genai';
import { VBucketsError } from '@vbuckets/core';
import {
  type CategorizerAnswer,
  categorizerAnswerFromObject,
  parseModelJsonObject,
  type VideoAnalysis,
} from '@vbuckets/core/adapter-kit';
import { err, ok, type Result } from 'neverthrow';

/**
 * The text of the first candidate (thought parts left out). An answer without text — a
 * blocked prompt, a candidate stopped for safety — is a final PROVIDER error naming the reason.
 */
export function geminiResponseText(
  response: GenerateContentResponse,
): Result<string, VBucketsError> {
  const candidate = response.candidates?.[0];
  const texts = (candidate?.content?.parts ?? [])
    .filter((part) => typeof part.text === 'string' && part.thought !== true)
    .map((part) => part.text as string);
  if (texts.length > 0) return ok(texts.join(''));
  const blockReason = response.promptFeedback?.blockReason;
  const reason =
    blockReason !== undefined
      ? `the prompt was blocked (${blockReason})`
      : candidate === undefined
        ? 'the answer has no candidate'
        : `the answer has no text (finish reason ${candidate.finishReason ?? 'unknown'})`;
  return err(
    new VBucketsError('PROVIDER', `The model gave no answer: ${reason}`, {
      retryable: false,
      details: {
        ...(blockReason === undefined ? {} : { blockReason }),
        ...(candidate?.finishReason === undefined ? {} : { finishReason: candidate.finishReason }),
      },
    }),
  );
}

/** The model's JSON object from its text: plain, fenced or wrapped in prose (core's parser). */
export function geminiAnswerObject(text: string): Result<Record<string, unknown>, VBucketsError> {
  return parseModelJsonObject(text);
}

function text(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (value === null || value === undefined) return '';
  return Array.isArray(value) ? value.map(String).join('\n') : String(value);
}

function topics(value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.map((topic) => text(topic)).filter((topic) => topic !== '');
  }
  if (typeof value === 'string') {
    return value
      .split(/[,;\n]/u)
      .map((topic) => topic.trim())
      .filter((topic) => topic !== '');
  }
  return [];
}

/**
 * A VideoAnalysis from the model's object. `summary` must be text (without it the analysis is
 * worthless); the other fields default to empty, `on_screen_text` is read too, and `raw` keeps
 * the whole object.
 */
export function analysisFromObject(
  object: Record<string, unknown>,
): Result<VideoAnalysis, VBucketsError> {
  if (typeof object.summary !== 'string' || object.summary.trim() === '') {
    return err(
      new VBucketsError('PROVIDER', 'The model answer has no summary', {
        retryable: false,
        path: 'summary',
        details: { keys: Object.keys(object) },
      }),
    );
  }
  return ok({
    summary: object.summary.trim(),
    transcript: text(object.transcript),
    hook: text(object.hook),
    topics: topics(object.topics),
    onScreenText: text(object.onScreenText ?? object.on_screen_text),
    raw: object,
  });
}

/** The bucket choice from the model's object (core's reader); the analyzer names the adapter. */
export function answerFromObject(
  object: Record<string, unknown>,
): Result<CategorizerAnswer, VBucketsError> {
  return categorizerAnswerFromObject(object);
}
