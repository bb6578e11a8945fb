import type { VideoAnalyzer } from '@vbuckets/core/adapter-kit';
import type { ExtraOptions } from './context';
import type { CliIo } from './io';
import { availableMediaProbe } from './media-probe';

/** The vision analysis of creatives this machine can run, and what the SDK is given for it. */
export interface MarketAnalyzerSetup {
  /** For `withVBuckets`: the analyzer (when one runs) and the media probe (when ffprobe runs). */
  options: Pick<ExtraOptions, 'analyzers' | 'mediaProbe'>;
  /** The analyzer's provider name (`claude`), when one runs. */
  name?: string;
  /** Why none runs and what to set, when none does. */
  missing?: string;
}

/**
 * The market analyzer from the environment. None exists yet in this package: analyses stay
 * queued and `market analyze` says so.
 */
export async function marketAnalyzer(io: CliIo): Promise<MarketAnalyzerSetup> {
  const mediaProbe = await availableMediaProbe(io.env);
  const analyzer: VideoAnalyzer | undefined = undefined;
  return {
    options: {
      ...(mediaProbe === undefined ? {} : { mediaProbe }),
      ...(analyzer === undefined ? {} : { analyzers: { market: analyzer } }),
    },
    missing: 'no market analyzer is available in this build',
  };
}
