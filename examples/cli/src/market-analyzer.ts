import type { ExtraOptions } from './context';
import type { CliIo } from './io';
import { availableMediaProbe } from './media-probe';
import { anthropicApiKey, claudeModel, createCliClaude } from './providers';

/** The vision analysis of creatives this machine can run, and what the SDK is given for it. */
export interface MarketAnalyzerSetup {
  /** For `withVBuckets`: the analyzer (when one runs) and the media probe (when ffprobe runs). */
  options: Pick<ExtraOptions, 'analyzers' | 'mediaProbe'>;
  /** Who analyses, e.g. `Claude (claude-sonnet-5-5)`, when one runs. */
  name?: string;
  /** Why none runs and what to set, when none does. */
  missing?: string;
}

/**
 * Claude's frame analyzer as the SDK's market analyzer, when ANTHROPIC_API_KEY is set and
 * ffprobe runs here (the frames come from ffmpeg); otherwise none, and why.
 */
export async function marketAnalyzer(io: CliIo): Promise<MarketAnalyzerSetup> {
  const mediaProbe = await availableMediaProbe(io.env);
  const probe = mediaProbe === undefined ? {} : { mediaProbe };
  const apiKey = anthropicApiKey(io.env);
  if (apiKey === undefined) {
    return {
      options: probe,
      missing: 'ANTHROPIC_API_KEY is not set (set it to analyse creatives with Claude)',
    };
  }
  if (mediaProbe === undefined) {
    return {
      options: probe,
      missing:
        'Claude analyses frames taken with ffmpeg, and ffprobe does not run here (install ffmpeg, or set FFPROBE_PATH)',
    };
  }
  return {
    options: {
      mediaProbe,
      analyzers: { market: await createCliClaude(io.env, { apiKey, mediaProbe }) },
    },
    name: `Claude (${await claudeModel(io.env)})`,
  };
}
