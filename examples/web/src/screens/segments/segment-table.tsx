import { PagedTable } from '../../components/paged-table';
import { usePages } from '../../components/paginator';
import { hrefOf } from '../../router';
import {
  durationText,
  type Filters,
  nameOf,
  rateText,
  type Segment,
  sizeText,
} from './segments-api';

const PAGE_SIZE = 10;

interface SegmentTableProps {
  segments: readonly Segment[];
  filters: Filters;
  /** The segment whose analytics are open. */
  selected: string | undefined;
  /** The segment being downloaded: its button says so. */
  downloading: string | undefined;
  onDownload: (segment: Segment) => void;
}

const platformsOf = (segment: Segment) =>
  segment.socialUsage.length === 0
    ? 'Not posted'
    : segment.socialUsage.map((usage) => usage.platform).join(', ');

/** The filtered segments in the host's order, ten a page, each with its analytics and file. */
export function SegmentTable({
  segments,
  filters,
  selected,
  downloading,
  onDownload,
}: SegmentTableProps) {
  const pages = usePages(segments, PAGE_SIZE);
  return (
    <>
      <PagedTable pages={pages} label="Segment pages" className="segment-table">
        <caption className="visually-hidden">Segments matching the filters</caption>
        <thead>
          <tr>
            <th scope="col">Segment</th>
            <th scope="col">Type</th>
            <th scope="col" className="table__number">
              Duration
            </th>
            <th scope="col">Tags</th>
            <th scope="col">Posted on</th>
            <th scope="col" className="table__number">
              Views
            </th>
            <th scope="col" className="table__number">
              Size
            </th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {pages.items.map((segment) => {
            const name = nameOf(segment);
            const views = segment.socialUsage.reduce((sum, usage) => sum + usage.views, 0);
            const rates = segment.socialUsage.map((usage) => usage.engagementRate);
            return (
              <tr
                key={segment.id}
                data-segment={segment.id}
                aria-current={segment.id === selected ? 'true' : undefined}
              >
                <th scope="row" className="table__name">
                  {name}
                  <span className="segment-table__id">{segment.id}</span>
                </th>
                <td>
                  {segment.segmentType} #{segment.segmentNumber}
                </td>
                <td className="table__number">{durationText(segment.durationSec)}</td>
                <td>
                  {segment.tags.length === 0 ? (
                    <span className="segment-table__none">No tags</span>
                  ) : (
                    <ul className="tag-list">
                      {segment.tags.map((tag) => (
                        <li key={tag} className="tag">
                          {tag}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td
                  title={
                    rates.length === 0 ? undefined : `Engagement: ${rates.map(rateText).join(', ')}`
                  }
                >
                  {platformsOf(segment)}
                </td>
                <td className="table__number">{views.toLocaleString('en')}</td>
                <td className="table__number">{sizeText(segment.sizeBytes)}</td>
                <td>
                  <div className="table__actions">
                    <a
                      className="button button--small button--secondary"
                      href={hrefOf('/segments', { ...filters, segment: segment.id })}
                      aria-current={segment.id === selected ? 'true' : undefined}
                    >
                      Analytics<span className="visually-hidden"> of {name}</span>
                    </a>
                    <button
                      type="button"
                      className="button button--small button--secondary"
                      aria-disabled={downloading === segment.id || undefined}
                      onClick={() => {
                        if (downloading !== segment.id) onDownload(segment);
                      }}
                    >
                      {downloading === segment.id ? 'Downloading…' : 'Download'}
                      <span className="visually-hidden"> {name}</span>
                    </button>
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
