import type { ReactNode, Ref } from 'react';
import { Paginator } from './paginator';

interface PagedTableProps {
  /** What `usePages` returned for the table's rows. */
  pages: { page: number; pageCount: number; setPage: (page: number) => void };
  /** The paginator's name: "Result pages". */
  label: string;
  className?: string;
  /** The table element, for moving focus inside it. */
  tableRef?: Ref<HTMLTableElement>;
  /** The table's `data-testid`. */
  testId?: string;
  /** The table's caption, head and body (of the current page). */
  children: ReactNode;
}

/** A table that scrolls sideways when narrow, with the paginator under it. */
export function PagedTable({
  pages,
  label,
  className,
  tableRef,
  testId,
  children,
}: PagedTableProps) {
  return (
    <>
      <div className="table-wrap">
        <table
          className={className === undefined ? 'table' : `table ${className}`}
          ref={tableRef}
          data-testid={testId}
        >
          {children}
        </table>
      </div>
      <Paginator
        page={pages.page}
        pageCount={pages.pageCount}
        onPage={pages.setPage}
        label={label}
      />
    </>
  );
}
