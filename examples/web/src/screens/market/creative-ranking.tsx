import { BarChart } from '../../components/bar-chart';
import { PagedTable } from '../../components/paged-table';
import { usePages } from '../../components/paginator';
import { type Creative, type MarketArm, percent, probability, summaryOf } from './market-api';

const PAGE_SIZE = 10;

const ANALYSIS_TEXT: Record<Creative['analysisStatus'], string> = {
  none: 'not analysed',
  queued: 'queued',
  running: 'running…',
  done: 'analysed',
  failed: 'failed',
};

interface CreativeRankingProps {
  category: string;
  arms: readonly MarketArm[];
  /** The category's creatives by id (analysis status, source). */
  creatives: ReadonlyMap<string, Creative>;
  /** Shows the force-analysis buttons (admins only: the host refuses the others), on the org's creatives with a video. */
  canForce: boolean;
  /** The caller's org: only its own creatives can be analysed (not other orgs' benchmarks). */
  orgId: string;
  /** A change is under way: buttons stay focusable but say so. */
  busy: boolean;
  onForce: (arm: MarketArm) => void;
}

/** The creatives of a category, most likely best first: a chart of their posteriors and a table. */
export function CreativeRanking(props: CreativeRankingProps) {
  const { category, arms, creatives, canForce, busy } = props;
  const pages = usePages(arms, PAGE_SIZE);
  return (
    <>
      <BarChart
        title={`Conversion rate of each creative of ${category}: posterior mean and 95% interval`}
        valueLabel="Posterior mean"
        format={percent}
        data={arms.map((arm) => ({
          label: arm.label,
          value: arm.mean,
          low: arm.interval.lower,
          high: arm.interval.upper,
        }))}
      />
      <PagedTable pages={pages} label="Creative pages" className="market__table" testId="ranking">
        <caption className="visually-hidden">
          Creatives of {category}, most likely best first
        </caption>
        <thead>
          <tr>
            <th scope="col" className="table__number">
              #
            </th>
            <th scope="col">Creative</th>
            <th scope="col" className="table__number">
              Clicks
            </th>
            <th scope="col" className="table__number">
              Conversions
            </th>
            <th scope="col" className="table__number">
              Mean
            </th>
            <th scope="col">95% interval</th>
            <th scope="col" className="table__number">
              P(best)
            </th>
            <th scope="col">Analysis</th>
            {canForce && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {pages.items.map((arm, pageIndex) => {
            const creative = creatives.get(arm.id);
            const summary = creative === undefined ? undefined : summaryOf(creative);
            return (
              <tr key={arm.id} data-creative={arm.id}>
                <td className="table__number">{pages.offset + pageIndex + 1}</td>
                <th scope="row" className="table__name">
                  {arm.label}
                  {creative?.source === 'benchmark' && (
                    <>
                      {' '}
                      <span className="badge">benchmark</span>
                    </>
                  )}
                </th>
                <td className="table__number">{arm.evidence.clientClicks}</td>
                <td className="table__number">{arm.evidence.clientConversions}</td>
                <td className="table__number" data-cell="mean">
                  {percent(arm.mean)}
                </td>
                <td data-cell="interval">
                  {percent(arm.interval.lower)} to {percent(arm.interval.upper)}
                </td>
                <td className="table__number" data-cell="p-best">
                  {probability(arm.pBest)}
                </td>
                <td className="table__text" data-cell="analysis">
                  {creative === undefined ? '—' : ANALYSIS_TEXT[creative.analysisStatus]}
                  {summary !== undefined && <span className="market__summary">{summary}</span>}
                </td>
                {canForce && (
                  <td>
                    {creative?.orgId === props.orgId && creative.videoId !== null && (
                      <button
                        type="button"
                        className="button button--small button--secondary"
                        aria-disabled={busy || undefined}
                        onClick={() => !busy && props.onForce(arm)}
                      >
                        Analyse now<span className="visually-hidden"> {arm.label}</span>
                      </button>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </PagedTable>
    </>
  );
}
