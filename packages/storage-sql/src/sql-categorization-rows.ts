import { type Categorization, CategorizationStatusSchema } from '@vbuckets/core';
import type { CategorizationPatch } from '@vbuckets/core/adapter-kit';
import type { Selectable, Updateable } from 'kysely';
import type { SqlDialectAdapter } from './sql-dialect-adapter';
import type { CategorizationsTable } from './sql-schema';
import { toJsonObject, toNullableNumber } from './sql-values';

// The repository and its row claims both read rows and write patches; the mapping lives below
// both so that neither imports the other's module.

export function fromRow(
  row: Selectable<CategorizationsTable>,
  dialect: SqlDialectAdapter,
): Categorization {
  return {
    id: row.id,
    orgId: row.org_id,
    productId: row.product_id,
    sessionId: row.session_id,
    videoId: row.video_id,
    filename: row.filename,
    bucketId: row.bucket_id,
    bucketName: row.bucket_name,
    confidence: toNullableNumber(row.confidence),
    reasoning: row.reasoning,
    summary: row.summary,
    transcript: row.transcript,
    analysis: row.analysis === null ? null : toJsonObject(dialect.decodeJson(row.analysis)),
    status: CategorizationStatusSchema.parse(row.status),
    errorMessage: row.error_message,
    isUploaded: dialect.decodeBoolean(row.is_uploaded),
    createdAt: dialect.decodeTimestamp(row.created_at),
    updatedAt: dialect.decodeTimestamp(row.updated_at),
  };
}

export function patchToRow(
  patch: CategorizationPatch,
  dialect: SqlDialectAdapter,
): Updateable<CategorizationsTable> {
  const row: Updateable<CategorizationsTable> = {
    updated_at: dialect.encodeTimestamp(patch.updatedAt),
  };
  if (patch.videoId !== undefined) row.video_id = patch.videoId;
  if (patch.bucketId !== undefined) row.bucket_id = patch.bucketId;
  if (patch.bucketName !== undefined) row.bucket_name = patch.bucketName;
  if (patch.confidence !== undefined) row.confidence = patch.confidence;
  if (patch.reasoning !== undefined) row.reasoning = patch.reasoning;
  if (patch.summary !== undefined) row.summary = patch.summary;
  if (patch.transcript !== undefined) row.transcript = patch.transcript;
  if (patch.analysis !== undefined) {
    row.analysis = patch.analysis === null ? null : dialect.encodeJson(patch.analysis);
  }
  if (patch.status !== undefined) row.status = patch.status;
  if (patch.errorMessage !== undefined) row.error_message = patch.errorMessage;
  if (patch.isUploaded !== undefined) row.is_uploaded = dialect.encodeBoolean(patch.isUploaded);
  return row;
}
