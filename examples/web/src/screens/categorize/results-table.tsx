import { useId, useMemo, useState } from 'react';
import { PagedTable } from '../../components/paged-table';
import { usePages } from '../../components/paginator';
import type { Categorization } from './categorize-api';

const PAGE_SIZE = 20;
/** The filter's value for rows no bucket took. */
export const NO_BUCKET = '\u0000none';
const ALL = '';

const STATUS_LABELS: Record<Categorization['status'], string> = {
  pending: 'Pending',
  analyzed: 'Analysed',
  categorized: 'Categorized',
  error: 'Failed',
};

const percent = (confidence: number) => `${Math.round(confidence * 100)}%`;

interface ResultsTableProps {
  rows: readonly Categorization[];
  /** A change is under way (buttons say so rather than lose focus). */
  busy: boolean;
  onMarkUploaded: (row: Categorization, uploaded: boolean) => void;
}

/** The session's rows: bucket, confidence as a bar, reasoning, status, uploaded; filtered by bucket, paged. */
export function ResultsTable({ rows, busy, onMarkUploaded }: ResultsTableProps) {
  const filterId = useId();
  const [bucket, setBucket] = useState(ALL);
  const names = useMemo(
    () =>
      [...new Set(rows.flatMap((row) => (row.bucketName === null ? [] : [row.bucketName])))].sort(
        (left, right) => left.localeCompare(right),
      ),
    [rows],
  );
  const hasUnfiled = rows.some((row) => row.bucketName === null);
  const shown = useMemo(
    () =>
      bucket === ALL
        ? rows
        : rows.filter((row) =>
            bucket === NO_BUCKET ? row.bucketName === null : row.bucketName === bucket,
          ),
    [rows, bucket],
  );
  const pages = usePages(shown, PAGE_SIZE);

  return (
    <>
      <div className="inline-form results-filter">
        <div className="field">
          <label htmlFor={filterId}>Bucket</label>
          <select id={filterId} value={bucket} onChange={(event) => setBucket(event.target.value)}>
            <option value={ALL}>All buckets ({rows.length})</option>
            {names.map((name) => (
              <option key={name} value={name}>
                {name} ({rows.filter((row) => row.bucketName === name).length})
              </option>
            ))}
            {hasUnfiled && (
              <option value={NO_BUCKET}>
                No bucket ({rows.filter((row) => row.bucketName === null).length})
              </option>
            )}
          </select>
        </div>
      </div>
      {shown.length === 0 ? (
        <p className="empty">No video of this session is in that bucket.</p>
      ) : (
        <PagedTable pages={pages} label="Result pages" className="results">
          <caption className="visually-hidden">The session's videos and their buckets</caption>
          <thead>
            <tr>
              <th scope="col">Video</th>
              <th scope="col">Bucket</th>
              <th scope="col">Confidence</th>
              <th scope="col">Reasoning</th>
              <th scope="col">Status</th>
              <th scope="col">Uploaded</th>
            </tr>
          </thead>
          <tbody>
            {pages.items.map((row) => (
              <tr
                key={row.id}
                data-file={row.filename}
                data-bucket={row.bucketName ?? ''}
                data-uploaded={row.isUploaded}
              >
                <th scope="row" className="table__name">
                  {row.filename}
                </th>
                <td>{row.bucketName ?? <span className="muted">none</span>}</td>
                <td>
                  {row.confidence === null ? (
                    <span className="muted">—</span>
                  ) : (
                    <span className="confidence">
                      <span className="confidence__track" aria-hidden="true">
                        <span
                          className="confidence__bar"
                          style={{ width: percent(row.confidence) }}
                        />
                      </span>
                      <span className="confidence__value">{percent(row.confidence)}</span>
                    </span>
                  )}
                </td>
                <td className="table__text">
                  {row.status === 'error' ? (
                    <span className="results__error">{row.errorMessage ?? 'Failed'}</span>
                  ) : (
                    (row.reasoning ?? '')
                  )}
                </td>
                <td>
                  <span className={`stage stage--${row.status}`}>{STATUS_LABELS[row.status]}</span>
                </td>
                <td>
                  {row.videoId !== null && row.status !== 'error' && (
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={row.isUploaded}
                        aria-disabled={busy || undefined}
                        onChange={(event) => {
                          if (!busy) onMarkUploaded(row, event.target.checked);
                        }}
                      />
                      Uploaded<span className="visually-hidden"> {row.filename}</span>
                    </label>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </PagedTable>
      )}
    </>
  );
}
