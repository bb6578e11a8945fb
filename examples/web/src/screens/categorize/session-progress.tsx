import type { Categorization, CategorizeStage } from './categorize-api';

/** How far along a stage is, of `STEPS`, and how it reads. */
const STAGES: Record<CategorizeStage | 'waiting', { step: number; label: string }> = {
  waiting: { step: 0, label: 'Waiting' },
  uploading: { step: 1, label: 'Stored' },
  stored: { step: 1, label: 'Stored' },
  processing: { step: 1, label: 'Processing' },
  analyzing: { step: 2, label: 'Analysing' },
  categorizing: { step: 3, label: 'Categorizing' },
  done: { step: 4, label: 'Done' },
  failed: { step: 4, label: 'Failed' },
};
const STEPS = 4;

export type ShownStage = keyof typeof STAGES;

/** A row's stage as far as the store says (before any event about it). */
export const stageOfRow = (row: Categorization): ShownStage =>
  row.status === 'error'
    ? 'failed'
    : row.status === 'pending'
      ? row.videoId === null
        ? 'waiting'
        : 'stored'
      : 'done';

/** Moves a row's shown stage on, never back (a late hint must not undo a final state). */
export const laterStage = (before: ShownStage | undefined, next: ShownStage): ShownStage =>
  before === undefined || STAGES[next].step >= STAGES[before].step ? next : before;

interface SessionProgressProps {
  rows: readonly Categorization[];
  stages: ReadonlyMap<string, ShownStage>;
  following: boolean;
}

/** Each video's progress through stored → analysing → categorizing → done (or failed). */
export function SessionProgress({ rows, stages, following }: SessionProgressProps) {
  const finished = rows.filter((row) => {
    const stage = stages.get(row.id) ?? stageOfRow(row);
    return stage === 'done' || stage === 'failed';
  }).length;
  return (
    <section className="panel" aria-labelledby="progress-heading">
      <div className="panel__head">
        <h2 id="progress-heading" tabIndex={-1}>
          Progress
        </h2>
        <p className="hint" aria-live="polite">
          {finished} of {rows.length} finished{following ? '…' : ''}
        </p>
      </div>
      <ol className="progress-list">
        {rows.map((row) => {
          const stage = stages.get(row.id) ?? stageOfRow(row);
          const { step, label } = STAGES[stage];
          const id = `progress-${row.id}`;
          return (
            <li
              key={row.id}
              className="progress-list__item"
              data-file={row.filename}
              data-stage={stage}
            >
              <label htmlFor={id} className="progress-list__name">
                {row.filename}
              </label>
              <progress id={id} max={STEPS} value={step} className="progress-list__bar">
                {label}
              </progress>
              <span className={`stage stage--${stage}`}>{label}</span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
