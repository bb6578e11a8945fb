import { useEffect, useState } from 'react';

/** One page of `items` and the controls' state; the page is kept in range as the list changes. */
export function usePages<Item>(items: readonly Item[], pageSize: number) {
  const pageCount = Math.max(1, Math.ceil(items.length / pageSize));
  const [page, setPage] = useState(1);
  useEffect(() => {
    if (page > pageCount) setPage(pageCount);
  }, [page, pageCount]);
  const current = Math.min(page, pageCount);
  return {
    page: current,
    pageCount,
    setPage,
    /** Index of the page's first item in `items`. */
    offset: (current - 1) * pageSize,
    items: items.slice((current - 1) * pageSize, current * pageSize),
  };
}

interface PaginatorProps {
  page: number;
  pageCount: number;
  onPage: (page: number) => void;
  /** What is paged, for the navigation's name: "Buckets pages". */
  label: string;
  /**
   * For a list of unknown length (keyset paging): whether another page follows. The position
   * then reads "Page 2", and `pageCount` is not used.
   */
  more?: boolean;
}

/** Previous and next buttons with the position between them; nothing when there is one page. */
export function Paginator({ page, pageCount, onPage, label, more }: PaginatorProps) {
  const last = more === undefined ? page >= pageCount : !more;
  if (page <= 1 && last) return null;
  return (
    <nav className="paginator" aria-label={label}>
      <button
        type="button"
        className="button button--secondary"
        disabled={page <= 1}
        onClick={() => onPage(page - 1)}
      >
        Previous page
      </button>
      <span className="paginator__position" aria-live="polite">
        Page {page}
        {more === undefined && ` of ${pageCount}`}
      </span>
      <button
        type="button"
        className="button button--secondary"
        disabled={last}
        onClick={() => onPage(page + 1)}
      >
        Next page
      </button>
    </nav>
  );
}
