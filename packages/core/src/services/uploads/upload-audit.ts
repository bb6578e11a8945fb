import { toVBucketsError } from '../../errors';
import type { Scope } from '../../schemas/common';
import type { AuditEvent, Upload } from '../../schemas/upload';
import { isoNow } from '../iso-now';
import type { UploadsContext } from './uploads-context';

/**
 * Writes one line of the audit trail for an upload's new state: to the store, then to the
 * audit sink when there is one. Neither failure fails the upload; both are warnings.
 */
export async function auditUpload(
  context: UploadsContext,
  scope: Scope,
  upload: Upload,
  metadata: Record<string, unknown>,
): Promise<void> {
  const { store, auditSink, warn } = context;
  const event: AuditEvent = {
    id: context.ids.next(),
    at: isoNow(context.clock),
    orgId: scope.orgId,
    videoId: upload.videoId,
    platform: upload.platform,
    status: upload.status,
    uploadId: upload.id,
    retryCount: upload.retryCount,
    errorMessage: upload.errorMessage,
    metadata: JSON.parse(JSON.stringify(metadata)) as AuditEvent['metadata'],
  };
  const appended = await store.auditEvents.append(event);
  if (appended.isErr()) warn(appended.error);
  if (auditSink === undefined) return;
  try {
    const written = await auditSink.write(event);
    if (written.isErr()) warn(written.error);
  } catch (error) {
    warn(
      toVBucketsError(error, 'STORAGE', 'Writing to the audit sink threw', {
        adapter: 'audit-sink',
        operation: 'auditSink.write',
      }),
    );
  }
}
