import { useCallback, useEffect, useMemo, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { useStatus } from '../../components/status';
import type { ScreenProps } from '../screen';
import { SegmentAnalyticsPanel } from './segment-analytics';
import { SegmentFilters } from './segment-filters';
import { SegmentTable } from './segment-table';
import { filtersOf, nameOf, type Segment, segmentsApi } from './segments-api';

/**
 * The org's segments (seed 004): filtered by type, duration, tags, social media and platform,
 * sorted, paged; one segment's analytics with a chart per platform; its file downloaded.
 */
export function SegmentsScreen({ api, location }: ScreenProps) {
  const segments = useMemo(() => segmentsApi(api), [api]);
  const status = useStatus();
  const query = location.params.toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: `query` stands for the params' contents
  const filters = useMemo(() => filtersOf(location.params), [query]);
  const filterKey = JSON.stringify(filters);
  const selected = location.params.get('segment')?.trim() || undefined;
  const [list, setList] = useState<{ segments: Segment[]; truncated: boolean }>();
  const [loadError, setLoadError] = useState<unknown>();
  const [downloading, setDownloading] = useState<string>();

  // biome-ignore lint/correctness/useExhaustiveDependencies: `filterKey` stands for `filters`' contents
  useEffect(() => {
    const abort = new AbortController();
    setList(undefined);
    setLoadError(undefined);
    segments.list(filters, abort.signal).then(
      (answer) => setList(answer),
      (thrown: unknown) => {
        if (!abort.signal.aborted) setLoadError(thrown);
      },
    );
    return () => abort.abort();
  }, [segments, filterKey]);

  const loadAnalytics = useCallback(
    (segmentId: string, signal: AbortSignal) => segments.analytics(segmentId, signal),
    [segments],
  );

  async function download(segment: Segment) {
    setDownloading(segment.id);
    status.clear();
    try {
      await segments.download(segment);
      status.say(`Downloading “${nameOf(segment)}”.`);
    } catch (thrown) {
      status.fail(thrown);
    } finally {
      setDownloading(undefined);
    }
  }

  const filtered = Object.keys(filters).some((name) => name !== 'sortBy' && name !== 'sortOrder');
  const count = list?.segments.length ?? 0;
  const selectedSegment = list?.segments.find((segment) => segment.id === selected);
  return (
    <>
      <SegmentFilters filters={filters} />
      <section className="panel" aria-labelledby="segments-heading" aria-busy={list === undefined}>
        <div className="panel__head">
          <h2 id="segments-heading">Segments</h2>
          {list !== undefined && (
            <p className="segment-count" data-testid="segment-count">
              {count} {count === 1 ? 'segment' : 'segments'}
              {filtered ? ' match the filters' : ''}
              {list.truncated ? ' (the first ones only)' : ''}
            </p>
          )}
        </div>
        <ErrorMessage error={loadError} title="The segments could not be read" />
        {list === undefined && loadError === undefined && <p className="hint">Loading…</p>}
        {list !== undefined && count === 0 && (
          <p className="empty">
            {filtered
              ? 'No segment matches these filters. Widen them, or clear them to see every segment.'
              : 'The org has no segments yet. Split a registered video, or upload a segment through the API.'}
          </p>
        )}
        {list !== undefined && count > 0 && (
          <SegmentTable
            key={filterKey}
            segments={list.segments}
            filters={filters}
            selected={selected}
            downloading={downloading}
            onDownload={(segment) => void download(segment)}
          />
        )}
      </section>
      {selected !== undefined && (
        <SegmentAnalyticsPanel
          segmentId={selected}
          name={selectedSegment === undefined ? undefined : nameOf(selectedSegment)}
          filters={filters}
          load={loadAnalytics}
        />
      )}
    </>
  );
}
