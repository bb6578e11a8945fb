import { PagedTable } from '../../components/paged-table';
import { usePages } from '../../components/paginator';
import { hrefOf } from '../../router';
import { SESSION_LIST_LIMIT, type SessionSummary } from './categorize-api';

const PAGE_SIZE = 10;
const COUNT_COLUMNS = ['Videos', 'Categorized', 'Pending', 'Failed', 'Uploaded'];

const when = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

interface PastSessionsProps {
  productId: string;
  sessions: readonly SessionSummary[];
  current: string | undefined;
}

/** The product's sessions, newest first, with their counts; each opens its results. */
export function PastSessions({ productId, sessions, current }: PastSessionsProps) {
  const pages = usePages(sessions, PAGE_SIZE);
  if (sessions.length === 0) {
    return <p className="empty">No videos of {productId} were categorized yet.</p>;
  }
  return (
    <>
      <PagedTable pages={pages} label="Session pages" className="sessions">
        <caption className="visually-hidden">Past sessions of {productId}, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            {COUNT_COLUMNS.map((column) => (
              <th key={column} scope="col" className="table__number">
                {column}
              </th>
            ))}
            <th scope="col">Buckets</th>
          </tr>
        </thead>
        <tbody>
          {pages.items.map(({ session, countsByStatus, countsByBucket, uploadedCount }) => (
            <tr key={session.id} data-session={session.id}>
              <th scope="row">
                <a
                  href={hrefOf('/categorize', { product: productId, session: session.id })}
                  aria-current={session.id === current ? 'page' : undefined}
                >
                  <time dateTime={session.createdAt}>{when(session.createdAt)}</time>
                  <span className="visually-hidden"> session {session.id}</span>
                </a>
              </th>
              <td className="table__number">{countsByStatus.total}</td>
              <td className="table__number">{countsByStatus.categorized}</td>
              <td className="table__number">{countsByStatus.pending}</td>
              <td className="table__number">{countsByStatus.error}</td>
              <td className="table__number">{uploadedCount}</td>
              <td className="table__lists">
                {countsByBucket.map((entry) => `${entry.bucketName} ${entry.count}`).join(' · ')}
              </td>
            </tr>
          ))}
        </tbody>
      </PagedTable>
      {sessions.length >= SESSION_LIST_LIMIT && (
        <p className="hint">The host lists the latest {SESSION_LIST_LIMIT} sessions.</p>
      )}
    </>
  );
}
