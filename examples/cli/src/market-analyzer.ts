import type { CreativeTags, VideoAnalysis, VideoAnalyzer } from '@vbuckets/core/adapter-kit';
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
      analyzers: { market: withCreativeTags(createCliClaude(io.env, { apiKey, mediaProbe })) },
    },
    name: `Claude (${claudeModel(io.env)})`,
  };
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

/**
 * The market service files a creative's tags from `analysis.tags` and its cost from
 * `analysis.usage`, while `@vbuckets/anthropic` so far returns both only inside `raw`
 * (`ClaudeAnalysisRaw`): this copies them over where the analyzer left them out, and changes
 * nothing once it fills them itself.
 */
export function withCreativeTags(analyzer: VideoAnalyzer): VideoAnalyzer {
  const withTags = (analysis: VideoAnalysis): VideoAnalysis => {
    const { raw } = analysis;
    const tags: CreativeTags = {};
    const hookType = text(raw.hookType);
    const emotion = text(raw.emotion);
    const pacing = text(raw.pacing);
    const pain = text(raw.targetAudiencePain);
    if (hookType !== undefined) tags.hookType = hookType;
    if (emotion !== undefined) tags.emotion = emotion;
    if (pacing !== undefined) tags.pacing = pacing;
    if (pain !== undefined) tags.targetAudiencePain = pain;
    if (Array.isArray(raw.tags)) tags.extra = raw.tags.filter((tag) => text(tag) !== undefined);
    const usage = raw.usage as { inputTokens?: unknown; outputTokens?: unknown } | undefined;
    return {
      ...analysis,
      tags: analysis.tags ?? tags,
      ...(analysis.usage === undefined &&
      typeof usage?.inputTokens === 'number' &&
      typeof usage.outputTokens === 'number'
        ? { usage: { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens } }
        : {}),
    };
  };
  return {
    specificationVersion: 'v1',
    provider: analyzer.provider,
    analyze: (video, options) => analyzer.analyze(video, options).map(withTags),
  };
}
