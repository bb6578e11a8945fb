import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { messageOf } from '../api';

interface Status {
  /** A message for everyone: polite, read out when the reader is idle. */
  info: string;
  /** A failure: read out at once. */
  error: string;
}

interface StatusControls {
  /** Shows a confirmation ("Bucket created") and clears any error. */
  say(text: string): void;
  /** Shows what went wrong: an ApiError's detail, an Error's message. */
  fail(error: unknown): void;
  clear(): void;
}

const EMPTY: Status = { info: '', error: '' };
const StatusState = createContext<Status>(EMPTY);
const StatusContext = createContext<StatusControls>({
  say: () => {},
  fail: () => {},
  clear: () => {},
});

export function StatusProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Status>(EMPTY);
  const say = useCallback((text: string) => setStatus({ info: text, error: '' }), []);
  const fail = useCallback(
    (error: unknown) => setStatus({ info: '', error: messageOf(error) }),
    [],
  );
  const clear = useCallback(() => setStatus(EMPTY), []);
  const controls = useMemo(() => ({ say, fail, clear }), [say, fail, clear]);
  return (
    <StatusContext.Provider value={controls}>
      <StatusState.Provider value={status}>{children}</StatusState.Provider>
    </StatusContext.Provider>
  );
}

export const useStatus = () => useContext(StatusContext);

/**
 * The page's live regions. Both stay in the document while empty: a screen reader announces
 * a region's changes only when it knew the region before the text arrived.
 */
export function StatusArea() {
  const status = useContext(StatusState);
  const { clear } = useStatus();
  const shown = status.info !== '' || status.error !== '';
  return (
    <div className={`status-area${shown ? ' status-area--shown' : ''}`}>
      <div role="status" className="status status--info">
        {status.info}
      </div>
      <div role="alert" className="status status--error">
        {status.error}
      </div>
      {shown && (
        <button type="button" className="button button--quiet status-area__close" onClick={clear}>
          Dismiss
        </button>
      )}
    </div>
  );
}

/**
 * One change at a time: `busy` while it runs, the status area cleared first, and a failure
 * shown there (then `onFailure`, e.g. reading the list again).
 */
export function useChange(onFailure?: () => Promise<void>) {
  const status = useStatus();
  const [busy, setBusy] = useState(false);
  async function change(work: () => Promise<void>): Promise<void> {
    if (busy) return;
    setBusy(true);
    status.clear();
    try {
      await work();
    } catch (thrown) {
      status.fail(thrown);
      await onFailure?.();
    } finally {
      setBusy(false);
    }
  }
  return { busy, change };
}
