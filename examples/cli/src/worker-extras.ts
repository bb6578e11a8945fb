import type { ExtraOptions } from './context';
import type { CliIo } from './io';
import { marketAnalyzer } from './market-analyzer';
import { anthropicApiKey, chooseProvider, geminiApiKey, type ProviderName } from './providers';
import type { Settings } from './settings';
import { thumbnailSetup } from './thumbnail-scorer';
import { uploadAuditSink } from './upload-audit';
import { configuredMetricsSources, configuredUploaders, uploaderPlace } from './uploaders';
import { cliWorkerName, isCliWorkerGone } from './worker-liveness';

/** What a worker can run here, for its start-up line. */
export interface WorkerSetup {
  extra: ExtraOptions;
  providers: string[];
  platforms: string[];
  metrics: string[];
  analyzer: string | undefined;
}

/**
 * Everything a worker may be asked to run, from the environment: every categorization
 * provider whose key is set (the keyword one always), every configured platform's uploader
 * and metrics source, the market analyzer, ffmpeg for splits and thumbnails.
 */
export async function workerSetup(
  io: CliIo,
  settings: Pick<Settings, 'dataDir' | 'storage'>,
): Promise<WorkerSetup> {
  const names: ProviderName[] = ['keyword'];
  if (geminiApiKey(io.env) !== undefined) names.push('gemini');
  if (anthropicApiKey(io.env) !== undefined) names.push('claude');
  const providers = Object.fromEntries(
    await Promise.all(
      names.map(async (name) => [name, (await chooseProvider({ provider: name }, io)).provider]),
    ),
  );
  const uploaders = configuredUploaders(io.env, uploaderPlace(settings, io));
  const metricsSources = configuredMetricsSources(io.env);
  const market = await marketAnalyzer(io);
  const thumbnails = await thumbnailSetup(io);
  return {
    extra: {
      ...thumbnails.options,
      ...market.options,
      providers,
      categorize: { workerName: cliWorkerName(), isWorkerGone: isCliWorkerGone },
      uploaders,
      auditSink: uploadAuditSink(settings.dataDir),
      metricsSources,
      onWarning: (warning) => io.stderr.write(`warning: [${warning.code}] ${warning.message}\n`),
    },
    providers: names,
    platforms: uploaders.map((uploader) => uploader.platform),
    metrics: metricsSources.map((source) => source.platform),
    analyzer: market.name,
  };
}
