import { useEffect, useId, useRef, useState } from 'react';
import { BarChart } from '../../components/bar-chart';
import { ErrorMessage } from '../../components/error-message';
import { hrefOf } from '../../router';
import { type Filters, rateText, type SegmentAnalytics } from './segments-api';

const METRICS = [
  ['views', 'Views'],
  ['likes', 'Likes'],
  ['shares', 'Shares'],
  ['comments', 'Comments'],
  ['engagementRate', 'Engagement rate'],
] as const;

type Metric = (typeof METRICS)[number][0];

interface SegmentAnalyticsPanelProps {
  segmentId: string;
  /** Its title, once the list has it. */
  name: string | undefined;
  filters: Filters;
  load: (segmentId: string, signal: AbortSignal) => Promise<SegmentAnalytics>;
}

const count = (value: number) => value.toLocaleString('en');

/** One segment's usage analysed by the host: totals, rates and a chart per platform. */
export function SegmentAnalyticsPanel({
  segmentId,
  name,
  filters,
  load,
}: SegmentAnalyticsPanelProps) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [analytics, setAnalytics] = useState<SegmentAnalytics>();
  const [error, setError] = useState<unknown>();
  const [metric, setMetric] = useState<Metric>('views');

  useEffect(() => {
    const abort = new AbortController();
    setAnalytics(undefined);
    setError(undefined);
    load(segmentId, abort.signal).then(
      (answer) => setAnalytics(answer),
      (thrown: unknown) => {
        if (!abort.signal.aborted) setError(thrown);
      },
    );
    // Opening a segment's analytics takes focus there, as a screen change would.
    heading.current?.focus();
    return () => abort.abort();
  }, [segmentId, load]);

  const metricLabel = METRICS.find(([value]) => value === metric)?.[1] ?? 'Views';
  const title = name ?? segmentId;
  return (
    <section className="panel segment-analytics" aria-labelledby={`${id}-heading`}>
      <div className="panel__head">
        <h2 id={`${id}-heading`} ref={heading} tabIndex={-1}>
          Analytics of {title}
        </h2>
        <a className="button button--secondary" href={hrefOf('/segments', filters)}>
          Close analytics
        </a>
      </div>
      <ErrorMessage error={error} title="The analytics could not be read" />
      {analytics === undefined && error === undefined && <p className="hint">Loading…</p>}
      {analytics !== undefined && analytics.platformCount === 0 && (
        <p className="empty">{title} is not posted anywhere yet: there is nothing to analyse.</p>
      )}
      {analytics !== undefined && analytics.platformCount > 0 && (
        <>
          <dl className="details segment-analytics__totals" data-testid="analytics-totals">
            <dt>Views</dt>
            <dd>{count(analytics.totals.views)}</dd>
            <dt>Likes</dt>
            <dd>{count(analytics.totals.likes)}</dd>
            <dt>Shares</dt>
            <dd>{count(analytics.totals.shares)}</dd>
            <dt>Comments</dt>
            <dd>{count(analytics.totals.comments)}</dd>
            <dt>Engagement rate</dt>
            <dd>{rateText(analytics.engagementRate)}</dd>
            <dt>Mean of the platforms' rates</dt>
            <dd>{rateText(analytics.averageEngagementRate)}</dd>
            <dt>Top platform</dt>
            <dd>{analytics.topPlatform ?? '—'}</dd>
          </dl>
          <div className="field segment-analytics__metric">
            <label htmlFor={`${id}-metric`}>Chart</label>
            <select
              id={`${id}-metric`}
              value={metric}
              onChange={(event) => setMetric(event.target.value as Metric)}
            >
              {METRICS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <BarChart
            title={`${metricLabel} per platform of ${title}`}
            valueLabel={metricLabel}
            {...(metric === 'engagementRate'
              ? { format: (value: number) => rateText(value) }
              : { format: count })}
            data={analytics.platforms.map((platform) => ({
              label: platform.platform,
              value: platform[metric] ?? 0,
            }))}
          />
          <div className="table-wrap">
            <table className="table">
              <caption className="segment-analytics__caption">
                Per platform, the most engaged first
              </caption>
              <thead>
                <tr>
                  <th scope="col">Platform</th>
                  {METRICS.map(([metricName, label]) => (
                    <th key={metricName} scope="col" className="table__number">
                      {label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {analytics.platforms.map((platform) => (
                  <tr key={platform.platform}>
                    <th scope="row">{platform.platform}</th>
                    {METRICS.map(([metricName]) => (
                      <td key={metricName} className="table__number">
                        {metricName === 'engagementRate'
                          ? rateText(platform.engagementRate)
                          : count(platform[metricName])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
