import { useEffect, useRef } from 'react';
import { PagedTable } from '../../components/paged-table';
import { usePages } from '../../components/paginator';
import type { Bucket } from './buckets-api';

const PAGE_SIZE = 10;

interface BucketTableProps {
  buckets: readonly Bucket[];
  /** A change is under way: buttons stay focusable (a disabled button drops focus) but say so. */
  busy: boolean;
  /** The bucket whose deletion waits for a second click. */
  confirming: string | undefined;
  /** The button to put focus back on after a move or a kept bucket (`up:<id>`, `down:<id>`, `delete:<id>`), once per request. */
  focusRequest: { key: string } | undefined;
  onEdit: (bucket: Bucket) => void;
  onMove: (bucket: Bucket, step: -1 | 1) => void;
  onDelete: (bucket: Bucket) => void;
  onConfirmDelete: (bucket: Bucket) => void;
  onCancelDelete: (bucket: Bucket) => void;
}

const listSummary = (bucket: Bucket) =>
  [
    [bucket.painPoints.length, 'pain point'],
    [bucket.solutionMechanism.length, 'mechanism'],
    [bucket.keyCopyHooks.length, 'hook'],
  ]
    .map(([count, noun]) => `${count} ${noun}${count === 1 ? '' : 's'}`)
    .join(' · ');

interface RowButtonProps {
  /** The visible text; the bucket's name completes the accessible name ("Edit Gut health"). */
  label: string;
  bucket: Bucket;
  onClick: (bucket: Bucket) => void;
  focusKey?: string;
  disabled?: boolean;
  danger?: boolean;
}

function RowButton({ label, bucket, onClick, focusKey, disabled, danger }: RowButtonProps) {
  return (
    <button
      type="button"
      className={`button button--small ${danger === true ? 'button--danger-quiet' : 'button--secondary'}`}
      data-focus-key={focusKey}
      disabled={disabled}
      onClick={() => onClick(bucket)}
    >
      {label}
      <span className="visually-hidden"> {bucket.name}</span>
    </button>
  );
}

const focusIn = (table: HTMLTableElement | null, key: string) =>
  table?.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(key)}"]`)?.focus();

/** The product's buckets in display order, with their actions; paged when long. */
export function BucketTable(props: BucketTableProps) {
  const { buckets, busy, confirming, focusRequest } = props;
  const pages = usePages(buckets, PAGE_SIZE);
  const table = useRef<HTMLTableElement>(null);

  // A moved row is taken out of the document and put back, which drops focus: put it back on
  // the button, after showing the bucket's new page when it crossed a page boundary.
  const handled = useRef<object | undefined>(undefined);
  const { page, setPage } = pages;
  useEffect(() => {
    if (focusRequest === undefined || handled.current === focusRequest) return;
    const id = focusRequest.key.slice(focusRequest.key.indexOf(':') + 1);
    const index = buckets.findIndex((bucket) => bucket.id === id);
    const wanted = Math.floor(Math.max(0, index) / PAGE_SIZE) + 1;
    if (wanted !== page) {
      setPage(wanted);
      return;
    }
    handled.current = focusRequest;
    focusIn(table.current, focusRequest.key);
  });
  useEffect(() => {
    if (confirming !== undefined) focusIn(table.current, `confirm:${confirming}`);
  }, [confirming]);

  return (
    <>
      <PagedTable pages={pages} label="Bucket pages" tableRef={table}>
        <caption className="visually-hidden">Buckets in display order</caption>
        <thead>
          <tr>
            <th scope="col" className="table__number">
              #
            </th>
            <th scope="col">Name</th>
            <th scope="col">Best for</th>
            <th scope="col">Angle</th>
            <th scope="col">Lists</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {pages.items.map((bucket, pageIndex) => {
            const index = pages.offset + pageIndex;
            return (
              <tr key={bucket.id} data-bucket={bucket.name}>
                <td className="table__number">{index + 1}</td>
                <th scope="row" className="table__name">
                  {bucket.name}
                </th>
                <td className="table__text">{bucket.bestFor}</td>
                <td className="table__text">{bucket.angle}</td>
                <td className="table__lists">{listSummary(bucket)}</td>
                <td>
                  <div className="table__actions">
                    {confirming === bucket.id ? (
                      <span className="confirm">
                        <span className="confirm__question">Delete “{bucket.name}”?</span>
                        <button
                          type="button"
                          className="button button--danger"
                          data-focus-key={`confirm:${bucket.id}`}
                          aria-disabled={busy || undefined}
                          onClick={() => props.onConfirmDelete(bucket)}
                        >
                          Yes, delete<span className="visually-hidden"> {bucket.name}</span>
                        </button>
                        <button
                          type="button"
                          className="button button--secondary"
                          onClick={() => props.onCancelDelete(bucket)}
                        >
                          Keep<span className="visually-hidden"> {bucket.name}</span>
                        </button>
                      </span>
                    ) : (
                      <>
                        <RowButton label="Edit" bucket={bucket} onClick={props.onEdit} />
                        <RowButton
                          label="Move up"
                          bucket={bucket}
                          focusKey={`up:${bucket.id}`}
                          disabled={index === 0}
                          onClick={() => props.onMove(bucket, -1)}
                        />
                        <RowButton
                          label="Move down"
                          bucket={bucket}
                          focusKey={`down:${bucket.id}`}
                          disabled={index === buckets.length - 1}
                          onClick={() => props.onMove(bucket, 1)}
                        />
                        <RowButton
                          label="Delete"
                          bucket={bucket}
                          focusKey={`delete:${bucket.id}`}
                          danger
                          onClick={props.onDelete}
                        />
                      </>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </PagedTable>
    </>
  );
}
