import { err, type Result } from 'neverthrow';
import { conflictError, notFoundError, type VBucketsError, validationError } from '../../errors';
import type { CreativePatch, PatternEvidence, PatternKey } from '../../ports/market-store';
import type { VideoAnalysis } from '../../ports/video-analyzer';
import type { Scope } from '../../schemas/common';
import type { AnalysisStatus, Creative } from '../../schemas/market';
import { TagValueSchema } from '../../schemas/market';
import { isoNow } from '../iso-now';
import { type MarketContext, patternRows, tagsOf } from './market-context';

const TAG_DIMENSIONS = ['hookType', 'emotion', 'pacing', 'targetAudiencePain'] as const;

/** A tag from a model, trimmed and cut to a storable value; null when nothing is left. */
function tagValue(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const parsed = TagValueSchema.safeParse(value.slice(0, 100));
  return parsed.success ? parsed.data : null;
}

/** The tags the analysis fills: only those the creative does not have yet. */
function filledTags(creative: Creative, analysis: VideoAnalysis) {
  const patch: Pick<CreativePatch, (typeof TAG_DIMENSIONS)[number] | 'extraTags'> = {};
  for (const dimension of TAG_DIMENSIONS) {
    const value = tagValue(analysis.tags?.[dimension]);
    if (creative[dimension] === null && value !== null) patch[dimension] = value;
  }
  const extra = (analysis.tags?.extra ?? []).map(tagValue).filter((tag) => tag !== null);
  const added = extra.filter((tag) => !creative.extraTags.includes(tag));
  if (added.length > 0)
    patch.extraTags = [...new Set([...creative.extraTags, ...added])].slice(0, 50);
  return patch;
}

/** The analysis as stored on the creative (JSON). */
function storedAnalysis(provider: string, analysis: VideoAnalysis): Record<string, unknown> {
  return {
    provider,
    summary: analysis.summary,
    hook: analysis.hook,
    onScreenText: analysis.onScreenText,
    transcript: analysis.transcript,
    topics: analysis.topics,
    tags: analysis.tags ?? {},
    ...(analysis.usage === undefined ? {} : { usage: analysis.usage }),
  };
}

/**
 * Claims the creative's analysis (its status moves from one of `from` to `running` in one
 * conditional write, so two callers never both run it), runs the market analyzer on its video,
 * and stores the result (`done`, empty tags filled and their pattern rows given the creative's
 * evidence) or the failure (`failed` with the message).
 */
export async function runCreativeAnalysis(
  context: MarketContext,
  scope: Scope,
  id: string,
  options: { from: readonly AnalysisStatus[]; signal?: AbortSignal },
): Promise<Result<Creative, VBucketsError>> {
  const found = await context.store.creatives.get(scope, id);
  if (found.isErr()) return err(found.error);
  const creative = found.value;
  // Another org's public benchmark can be read, not analysed.
  if (creative.orgId !== scope.orgId) {
    return err(notFoundError(`No creative "${id}"`, { details: { id } }));
  }
  const analyzer = context.analyzer;
  if (analyzer === undefined) {
    return err(
      validationError(
        'No market analyzer is configured: pass analyzers.market (e.g. the Claude frame analyzer) to createVBuckets',
        { path: 'analyzers.market' },
      ),
    );
  }
  if (creative.videoId === null) {
    return err(
      validationError(`Creative "${creative.name}" has no video to analyse`, {
        path: 'videoId',
        details: { id },
      }),
    );
  }
  const video = await context.store.videos.get(scope, creative.videoId);
  if (video.isErr()) return err(video.error);
  const claimed = await context.store.creatives.transitionAnalysis(scope, id, {
    from: options.from,
    to: 'running',
    updatedAt: isoNow(context.clock),
  });
  if (claimed.isErr()) return err(claimed.error);
  if (claimed.value === null) {
    const current = await context.store.creatives.get(scope, id);
    const status = current.isOk() ? current.value.analysisStatus : creative.analysisStatus;
    return err(
      conflictError(
        `Creative "${creative.name}" cannot be analysed now: its analysis is ${status} (it must be ${options.from.join(' or ')})`,
        { details: { id, analysisStatus: status } },
      ),
    );
  }
  const blobKey = video.value.blobKey;
  const analysis = await analyzer.analyze(
    {
      videoId: video.value.id,
      filename: video.value.filename,
      mimeType: video.value.mimeType,
      sizeBytes: video.value.sizeBytes,
      open: () => context.blobs.get(blobKey).map((object) => object.body),
    },
    options.signal === undefined ? {} : { signal: options.signal },
  );
  const at = isoNow(context.clock);
  if (analysis.isErr()) {
    const failed = await context.store.creatives.transitionAnalysis(scope, id, {
      from: ['running'],
      to: 'failed',
      patch: { analysisError: analysis.error.message },
      updatedAt: at,
    });
    return failed.isErr() ? err(failed.error) : err(analysis.error);
  }
  const running = claimed.value;
  const tags = filledTags(running, analysis.value);
  const withTags = { ...running, ...tags };
  const newTags = tagsOf(withTags).filter(
    (tag) =>
      !tagsOf(running).some((old) => old.dimension === tag.dimension && old.value === tag.value),
  );
  const evidence = [
    ...(withTags.source === 'benchmark' ? [patternRows(context, withTags, newTags, 'prior')] : []),
    patternRows(context, withTags, newTags, {
      clicks: withTags.clicks,
      conversions: withTags.conversions,
    }),
  ];
  const rows: Array<{ key: PatternKey; evidence: PatternEvidence; id: string }> = [];
  for (const result of evidence) {
    if (result.isErr()) return err(result.error);
    rows.push(...result.value);
  }
  return context.store.transaction((tx) =>
    tx.creatives
      .transitionAnalysis(scope, id, {
        from: ['running'],
        to: 'done',
        patch: {
          ...tags,
          analysis: storedAnalysis(analyzer.provider, analysis.value),
          analysisError: null,
          analyzedAt: at,
        },
        updatedAt: at,
      })
      .andThen((done) =>
        done === null
          ? err(
              conflictError(
                `The analysis of creative "${creative.name}" was taken over while it ran`,
                {
                  details: { id },
                },
              ),
            )
          : tx.patterns.addEvidence(scope, rows, at).map(() => done),
      ),
  );
}
