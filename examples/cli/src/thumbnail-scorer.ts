import { createTempLocalFiles } from '@vbuckets/core/node';
import type { ExtraOptions } from './context';
import type { CliIo } from './io';
import { availableMediaProbe } from './media-probe';
import { anthropicApiKey, claudeModel } from './providers';
import { loadAnthropic } from './vendors';

/** What `thumbnails generate` gives the SDK, and who scores. */
export interface ThumbnailSetup {
  options: Pick<ExtraOptions, 'mediaProbe' | 'localFiles' | 'thumbnailScorer'>;
  /** e.g. `Claude (claude-sonnet-5-5)` or `the image-quality heuristic`. */
  scorerName: string;
}

/**
 * ffmpeg cuts the candidates (a temporary copy of the stored video gives it a path); Claude
 * scores them when ANTHROPIC_API_KEY is set (like `market`), else core's heuristic.
 */
export async function thumbnailSetup(io: CliIo): Promise<ThumbnailSetup> {
  const mediaProbe = await availableMediaProbe(io.env);
  const apiKey = anthropicApiKey(io.env);
  const baseURL = io.env.ANTHROPIC_BASE_URL;
  const base = {
    ...(mediaProbe === undefined ? {} : { mediaProbe }),
    localFiles: createTempLocalFiles(),
  };
  if (apiKey === undefined) return { options: base, scorerName: 'the image-quality heuristic' };
  const { createClaudeThumbnailScorer } = await loadAnthropic();
  const model = await claudeModel(io.env);
  return {
    options: {
      ...base,
      thumbnailScorer: createClaudeThumbnailScorer({
        apiKey,
        model,
        ...(baseURL === undefined || baseURL === '' ? {} : { baseURL }),
      }),
    },
    scorerName: `Claude (${model})`,
  };
}
