import type { UploadStatus } from './videos-api';

/** What a platform's upload state looks like: a symbol, a word for it, and a tone. */
interface StatusLook {
  symbol: string;
  label: string;
  tone: 'success' | 'failed' | 'waiting' | 'none';
}

/**
 * The registry's symbols (the set, not the SDK's emoji: they read the same in every
 * font). The symbol differs by outcome and the word is always there for assistive technology,
 * so nothing is told by colour alone.
 */
export const STATUS_LOOKS: Record<UploadStatus | 'NONE', StatusLook> = {
  SUCCESS: { symbol: '✓', label: 'Posted', tone: 'success' },
  FAILED: { symbol: '✗', label: 'Failed, will retry', tone: 'failed' },
  FAILED_FINAL: { symbol: '✗', label: 'Failed for good', tone: 'failed' },
  BLOCKED: { symbol: '✗', label: 'Blocked (already posted)', tone: 'failed' },
  IN_PROGRESS: { symbol: '↻', label: 'Posting', tone: 'waiting' },
  RATE_LIMITED: { symbol: '↻', label: 'Rate limited, will retry', tone: 'waiting' },
  PENDING: { symbol: '↻', label: 'Pending', tone: 'waiting' },
  NONE: { symbol: '—', label: 'Not posted', tone: 'none' },
};

/** The order of the legend. */
const LEGEND: (UploadStatus | 'NONE')[] = ['SUCCESS', 'FAILED', 'PENDING', 'NONE'];

/**
 * A status as its symbol and, for assistive technology, its word: `✓` reads "Posted".
 * `verbose` shows the word too (the history, where there is room).
 */
export function UploadStatusMark({
  status,
  verbose = false,
}: {
  status: UploadStatus | 'NONE';
  verbose?: boolean;
}) {
  const look = STATUS_LOOKS[status];
  return (
    <span
      className={`upload-status upload-status--${look.tone}`}
      data-status={status}
      title={look.label}
    >
      <span className="upload-status__symbol" aria-hidden="true">
        {look.symbol}
      </span>
      {verbose ? (
        <span className="upload-status__label">{look.label}</span>
      ) : (
        <span className="visually-hidden">{look.label}</span>
      )}
    </span>
  );
}

/** What the symbols mean, under the table. */
export function UploadStatusLegend() {
  return (
    <ul className="upload-legend" aria-label="Upload status symbols">
      {LEGEND.map((status) => (
        <li key={status}>
          <span
            aria-hidden="true"
            className={`upload-status upload-status--${STATUS_LOOKS[status].tone}`}
          >
            <span className="upload-status__symbol">{STATUS_LOOKS[status].symbol}</span>
          </span>{' '}
          {status === 'FAILED'
            ? 'failed'
            : status === 'PENDING'
              ? 'retrying or pending'
              : status === 'NONE'
                ? 'not posted'
                : 'posted'}
        </li>
      ))}
    </ul>
  );
}
