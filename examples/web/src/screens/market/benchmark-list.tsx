import { useEffect, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { PagedTable } from '../../components/paged-table';
import { usePages } from '../../components/paginator';
import type { BenchmarkVideo, MarketApi } from './market-api';

const PAGE_SIZE = 8;

const sizeText = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const durationText = (seconds: number | null) =>
  seconds === null ? '—' : `${Math.round(seconds * 10) / 10} s`;

/** Every org's public benchmark videos (`GET /benchmarks`: public, no admin rights needed). */
export function BenchmarkList({ market }: { market: MarketApi }) {
  const [list, setList] = useState<BenchmarkVideo[]>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let live = true;
    market.benchmarks().then(
      (benchmarks) => live && setList(benchmarks),
      (thrown: unknown) => live && setError(thrown),
    );
    return () => {
      live = false;
    };
  }, [market]);
  const pages = usePages(list ?? [], PAGE_SIZE);

  return (
    <section className="panel" aria-labelledby="benchmarks-heading">
      <h2 id="benchmarks-heading">Market benchmarks</h2>
      <p className="hint">
        Winning videos from the market, public to every organisation: their results are the prior
        each ranking starts from.
      </p>
      <ErrorMessage error={error} title="The benchmarks could not be read" />
      {list === undefined && error === undefined && <p className="hint">Loading…</p>}
      {list !== undefined && list.length === 0 && (
        <p className="empty">No benchmark videos yet. An admin ingests them from the market.</p>
      )}
      {list !== undefined && list.length > 0 && (
        <>
          <PagedTable
            pages={pages}
            label="Benchmark pages"
            className="market__table"
            testId="benchmarks"
          >
            <caption className="visually-hidden">Public benchmark videos, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Category</th>
                <th scope="col" className="table__number">
                  Length
                </th>
                <th scope="col" className="table__number">
                  Size
                </th>
                <th scope="col">Added</th>
              </tr>
            </thead>
            <tbody>
              {pages.items.map((video) => (
                <tr key={video.videoId} data-benchmark={video.videoId}>
                  <th scope="row" className="table__name">
                    {video.url === null ? (
                      video.title
                    ) : (
                      <a href={video.url} target="_blank" rel="noreferrer">
                        {video.title}
                      </a>
                    )}
                  </th>
                  <td>{video.productCategory ?? '—'}</td>
                  <td className="table__number">{durationText(video.durationSec)}</td>
                  <td className="table__number">{sizeText(video.sizeBytes)}</td>
                  <td>
                    <time dateTime={video.createdAt}>
                      {new Date(video.createdAt).toLocaleDateString()}
                    </time>
                  </td>
                </tr>
              ))}
            </tbody>
          </PagedTable>
        </>
      )}
    </section>
  );
}
