import { useEffect, useRef } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { UploadStatusMark } from './upload-status';
import { nameOf, timeText, type UploadHistoryEntry, type VideoRow } from './videos-api';

interface UploadHistoryProps {
  video: VideoRow;
  /** Undefined while it is read. */
  entries: UploadHistoryEntry[] | undefined;
  error: unknown;
  onClose: () => void;
}

/** A video's upload to each platform and every attempt it took, oldest first. */
export function UploadHistory({ video, entries, error, onClose }: UploadHistoryProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <section className="panel" aria-labelledby="history-heading">
      <div className="panel__head">
        <h2 id="history-heading" ref={heading} tabIndex={-1}>
          Upload history of “{nameOf(video)}”
        </h2>
        <button type="button" className="button button--secondary" onClick={onClose}>
          Close history
        </button>
      </div>
      <ErrorMessage error={error} title="The history could not be read" />
      {entries === undefined && error === undefined && <p className="hint">Loading…</p>}
      {entries !== undefined && entries.length === 0 && (
        <p className="empty">Never posted: use Post to send it to a platform.</p>
      )}
      {entries?.map((entry) => (
        <div className="history" key={entry.id} data-platform={entry.platform}>
          <h3 className="history__title">
            {entry.platform} <UploadStatusMark status={entry.status} verbose />
          </h3>
          <dl className="details">
            <dt>Retries</dt>
            <dd>{entry.retryCount}</dd>
            {entry.platformPostId !== null && (
              <>
                <dt>Post id</dt>
                <dd className="history__mono">{entry.platformPostId}</dd>
              </>
            )}
            {entry.nextAttemptAt !== null && (
              <>
                <dt>Next attempt</dt>
                <dd>{timeText(entry.nextAttemptAt)}</dd>
              </>
            )}
            {entry.errorMessage !== null && (
              <>
                <dt>Last error</dt>
                <dd>{entry.errorMessage}</dd>
              </>
            )}
          </dl>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">
                Attempts to post {nameOf(video)} to {entry.platform}, oldest first
              </caption>
              <thead>
                <tr>
                  <th scope="col" className="table__number">
                    Attempt
                  </th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Started</th>
                  <th scope="col">Finished</th>
                  <th scope="col">Post id or error</th>
                </tr>
              </thead>
              <tbody>
                {entry.attempts.map((attempt) => (
                  <tr key={attempt.id} data-attempt={attempt.attemptNumber}>
                    <th scope="row" className="table__number">
                      {attempt.attemptNumber}
                    </th>
                    <td>
                      <UploadStatusMark status={attempt.status} verbose />
                    </td>
                    <td>{timeText(attempt.startedAt)}</td>
                    <td>{timeText(attempt.finishedAt)}</td>
                    <td className="table__text">
                      {attempt.errorMessage ?? attempt.platformPostId ?? '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ))}
    </section>
  );
}
