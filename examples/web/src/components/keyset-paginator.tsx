import { useCallback, useState } from 'react';
import { Paginator } from './paginator';

/**
 * Where a keyset-paged list is (the host's `?limit=&after=<last id>` paging): the `after` of
 * each page seen so far, so Previous goes back without counting rows.
 */
export function useKeysetPages() {
  const [afters, setAfters] = useState<(string | undefined)[]>([undefined]);
  const page = afters.length;
  return {
    /** 1 for the first page. */
    page,
    /** The `after` of the current page (undefined on the first). */
    after: afters[page - 1],
    /** Goes on past `lastId`, the last item of the current page. */
    next: useCallback((lastId: string) => setAfters((before) => [...before, lastId]), []),
    previous: useCallback(
      () => setAfters((before) => (before.length > 1 ? before.slice(0, -1) : before)),
      [],
    ),
    first: useCallback(() => setAfters([undefined]), []),
  };
}

interface KeysetPaginatorProps {
  page: number;
  hasMore: boolean;
  onPrevious: () => void;
  onNext: () => void;
  /** What is paged, for the navigation's name: "Video pages". */
  label: string;
}

/** Previous and next buttons around the page number, for a list whose length is not known. */
export function KeysetPaginator({
  page,
  hasMore,
  onPrevious,
  onNext,
  label,
}: KeysetPaginatorProps) {
  return (
    <Paginator
      page={page}
      pageCount={page}
      more={hasMore}
      label={label}
      onPage={(wanted) => (wanted < page ? onPrevious() : onNext())}
    />
  );
}
