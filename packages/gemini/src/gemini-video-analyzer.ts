import { type Bucket, cancelledError, type VBucketsError } from '@vbuckets/core';
import {
  type AnalyzerVideo,
  type CallOptions,
  type CategorizerAnswer,
  type VideoAnalysis,
  type VideoAnalyzer,
  withErrorSource,
} from '@vbuckets/core/adapter-kit';
import { ResultAsync } from 'neverthrow';
import { analysisFromObject, answerFromObject } from './gemini-answer';
import type { GeminiSession } from './gemini-client';
import { toGeminiError } from './gemini-error';
import { generateJson } from './gemini-generate';
import { analysisPrompt, analysisSchema, combinedPrompt, combinedSchema } from './gemini-prompts';
import { deleteRemoteFile, waitUntilActive } from './gemini-remote-file';
import type { GeminiMode, ResolvedGeminiSettings } from './gemini-settings';
import { type GeminiRemoteFile, uploadGeminiFile } from './gemini-upload';

/**
 * The Gemini VideoAnalyzer; `analyzeAndCategorize` is there in `combined` mode only. It gates
 * its own requests: a token from `options.rateLimit` right before the generateContent, none for
 * the upload, the polls or the delete.
 */
export interface GeminiVideoAnalyzer extends VideoAnalyzer {
  readonly provider: 'gemini';
  readonly gatesRequests: true;
  readonly mode: GeminiMode;
}

/**
 * Uploads the video, waits until it is ACTIVE, runs `use`, and deletes the remote file
 * whatever happened (success, FAILED state, poll timeout, a failed request, an abort).
 * Reports the stages `uploading`, `processing` and `analyzing` as it reaches them.
 */
async function withActiveFile<T>(
  video: AnalyzerVideo,
  settings: ResolvedGeminiSettings,
  session: GeminiSession,
  options: CallOptions | undefined,
  use: (file: GeminiRemoteFile) => Promise<T>,
): Promise<T> {
  const signal = options?.signal;
  if (signal?.aborted) throw cancelledError(`Analysing "${video.filename}" was cancelled`);
  options?.onStage?.('uploading');
  const uploaded = await uploadGeminiFile(video, { settings, apiKey: session.apiKey, signal });
  try {
    options?.onStage?.('processing');
    const active = await waitUntilActive(
      session.client,
      uploaded,
      video.filename,
      settings,
      signal,
    );
    options?.onStage?.('analyzing');
    return await use(active);
  } finally {
    await deleteRemoteFile(session.client, uploaded.name, video.filename, settings);
  }
}

function fileParts(file: GeminiRemoteFile, prompt: string) {
  // The video goes before the text, as Google recommends for a single-video prompt.
  return [{ fileData: { fileUri: file.uri, mimeType: file.mimeType } }, { text: prompt }];
}

export function createGeminiVideoAnalyzer(
  settings: ResolvedGeminiSettings,
  sessions: () => GeminiSession,
): GeminiVideoAnalyzer {
  function run<T>(
    operation: string,
    video: AnalyzerVideo,
    options: CallOptions | undefined,
    work: (session: GeminiSession) => Promise<T>,
  ): ResultAsync<T, VBucketsError> {
    return ResultAsync.fromPromise((async () => work(sessions()))(), (error) =>
      withErrorSource(toGeminiError(error, `Analysing "${video.filename}"`, options?.signal), {
        adapter: 'gemini',
        operation,
      }),
    );
  }

  const analyze = (video: AnalyzerVideo, options?: CallOptions) =>
    run<VideoAnalysis>('analyzer.analyze', video, options, (session) =>
      withActiveFile(video, settings, session, options, async (file) => {
        const object = await generateJson(
          session,
          settings,
          {
            parts: fileParts(file, analysisPrompt(video)),
            schema: analysisSchema(),
            action: `Analysing "${video.filename}"`,
          },
          options,
        );
        const analysis = analysisFromObject(object);
        if (analysis.isErr()) throw analysis.error;
        return analysis.value;
      }),
    );

  const analyzeAndCategorize = (
    video: AnalyzerVideo,
    buckets: readonly Bucket[],
    options?: CallOptions,
  ) =>
    run<{ analysis: VideoAnalysis; answer: CategorizerAnswer }>(
      'analyzer.analyzeAndCategorize',
      video,
      options,
      (session) =>
        withActiveFile(video, settings, session, options, async (file) => {
          const object = await generateJson(
            session,
            settings,
            {
              parts: fileParts(file, combinedPrompt(video, buckets)),
              schema: combinedSchema(buckets),
              action: `Analysing and categorizing "${video.filename}"`,
            },
            options,
          );
          const combined = analysisFromObject(object).andThen((analysis) =>
            answerFromObject(object).map((answer) => ({ analysis, answer })),
          );
          if (combined.isErr()) throw combined.error;
          return combined.value;
        }),
    );

  return {
    specificationVersion: 'v1',
    provider: 'gemini',
    gatesRequests: true,
    mode: settings.mode,
    analyze,
    ...(settings.mode === 'combined' ? { analyzeAndCategorize } : {}),
  };
}
