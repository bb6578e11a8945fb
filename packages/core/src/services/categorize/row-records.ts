import { z } from 'zod';
import type { CategorizerAnswer, VideoAnalysis } from '../../ports/video-analyzer';
import type { Categorization } from '../../schemas/categorization';
import { type BatchJob, isoNow } from './categorize-context';

const SavedAnalysisSchema = z.object({
  summary: z.string(),
  transcript: z.string(),
  hook: z.string(),
  topics: z.array(z.string()),
  onScreenText: z.string(),
  raw: z.record(z.string(), z.unknown()),
});

/**
 * The row's `analysis` JSON: the VideoAnalysis fields, plus `knownText` (so a resume can hand
 * it to the analyzer again) and the model's own `answer` before core's rules were applied.
 * Before analysis it holds only `knownText`, when there is some.
 */
export function analysisRecord(
  analysis: VideoAnalysis | null,
  extra: { knownText?: string | undefined; answer?: CategorizerAnswer | undefined },
): Record<string, unknown> | null {
  const record: Record<string, unknown> =
    analysis === null
      ? {}
      : {
          summary: analysis.summary,
          transcript: analysis.transcript,
          hook: analysis.hook,
          topics: analysis.topics,
          onScreenText: analysis.onScreenText,
          raw: analysis.raw,
        };
  if (extra.knownText !== undefined) record.knownText = extra.knownText;
  if (extra.answer !== undefined) {
    record.answer = {
      bucketName: extra.answer.bucketName,
      confidence: extra.answer.confidence,
      reasoning: extra.answer.reasoning,
    };
  }
  return Object.keys(record).length === 0 ? null : record;
}

/** A complete analysis saved on the row by an earlier attempt, or null. */
export function savedAnalysis(record: Categorization['analysis']): VideoAnalysis | null {
  const parsed = SavedAnalysisSchema.safeParse(record);
  return parsed.success ? parsed.data : null;
}

/** The known text saved on the row at ingest, if any. */
export function savedKnownText(record: Categorization['analysis']): string | undefined {
  const value = record?.knownText;
  return typeof value === 'string' ? value : undefined;
}

/** Marks a row `error` with a message and reports `failed`; null when the store refused the write. */
export async function failRow(
  job: BatchJob,
  row: Pick<Categorization, 'id' | 'filename'>,
  message: string,
  /** The claim this worker holds on the row: the write then happens only while it does. */
  owner?: string,
): Promise<Categorization | null> {
  const patch = {
    status: 'error' as const,
    errorMessage: message,
    bucketId: null,
    bucketName: null,
    confidence: null,
    updatedAt: isoNow(job.context.clock),
  };
  const { categorizations } = job.context.store;
  const updated = await (owner === undefined
    ? categorizations.update(job.scope, row.id, patch)
    : categorizations.updateClaimed(job.scope, row.id, owner, patch));
  const saved = updated.isOk() ? updated.value : null;
  job.emit({
    rowId: row.id,
    filename: row.filename,
    stage: 'failed',
    message,
    ...(saved === null ? {} : { result: saved }),
  });
  return saved;
}
