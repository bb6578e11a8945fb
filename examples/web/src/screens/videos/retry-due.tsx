import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { UploadStatusMark } from './upload-status';
import type { Upload } from './videos-api';

interface RetryDueProps {
  /** Only admins may: it posts on behalf of everyone in the org. */
  admin: boolean;
  onRetry: () => Promise<Upload[]>;
  /** A video's name when the screen knows it (it is on the page shown). */
  nameOf: (videoId: string) => string | undefined;
}

/** What a run of retry-due did, in one sentence. */
export function retryOutcomeText(retried: readonly Upload[]): string {
  if (retried.length === 0) return 'No upload was due for a retry.';
  const posted = retried.filter((upload) => upload.status === 'SUCCESS').length;
  const plural = retried.length === 1 ? 'upload' : 'uploads';
  return `Retried ${retried.length} ${plural}: ${posted} posted, ${retried.length - posted} not.`;
}

/** Retries the org's failed uploads whose backoff is over (admins), and lists what happened. */
export function RetryDue({ admin, onRetry, nameOf }: RetryDueProps) {
  const [retried, setRetried] = useState<Upload[]>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function retry() {
    setBusy(true);
    setError(undefined);
    try {
      setRetried(await onRetry());
    } catch (thrown) {
      setError(thrown);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="retry-heading">
      <h2 id="retry-heading">Retry due uploads</h2>
      <p className="hint">
        Posts again, now, every failed upload of the org whose backoff is over. A worker does the
        same on a schedule.
      </p>
      {admin ? (
        <div className="actions">
          <button type="button" className="button" disabled={busy} onClick={() => void retry()}>
            {busy ? 'Retrying…' : 'Retry due uploads'}
          </button>
        </div>
      ) : (
        <p className="empty">Only an admin of the org can retry due uploads.</p>
      )}
      <ErrorMessage error={error} title="The retries did not run" />
      {retried !== undefined && (
        <div className="retry-outcome" data-testid="retry-outcome">
          <p>{retryOutcomeText(retried)}</p>
          {retried.length > 0 && (
            <ul className="retry-outcome__list">
              {retried.map((upload) => (
                <li key={upload.id}>
                  <UploadStatusMark status={upload.status} verbose /> {upload.platform},{' '}
                  {nameOf(upload.videoId) === undefined ? (
                    <>
                      video <code>{upload.videoId}</code>
                    </>
                  ) : (
                    `“${nameOf(upload.videoId)}”`
                  )}
                  {upload.errorMessage === null ? '' : `: ${upload.errorMessage}`}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
