import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { useChange, useStatus } from '../../components/status';
import type { Categorization, CategorizeApi, SessionSummary, StageEvent } from './categorize-api';
import { ResultsTable } from './results-table';
import { laterStage, SessionProgress, type ShownStage } from './session-progress';

interface SessionViewProps {
  categorize: CategorizeApi;
  sessionId: string;
  /** The rows the upload answered, shown before the first read. */
  initialRows: readonly Categorization[] | undefined;
  /** Told when the session's counts changed (the past sessions list reads them again). */
  onChanged: () => void;
}

/** A final event's fields on its row (the store is read again once the session is done). */
function withEvent(row: Categorization, event: StageEvent): Categorization {
  if (event.stage !== 'done' && event.stage !== 'failed') return row;
  return {
    ...row,
    ...(event.status === undefined ? {} : { status: event.status }),
    ...(event.bucketName === undefined ? {} : { bucketName: event.bucketName }),
    ...(event.confidence === undefined ? {} : { confidence: event.confidence }),
    ...(event.errorMessage === undefined ? {} : { errorMessage: event.errorMessage }),
  };
}

/** One session: its live progress while videos are pending, then its results and downloads. */
export function SessionView({ categorize, sessionId, initialRows, onChanged }: SessionViewProps) {
  const status = useStatus();
  const [rows, setRows] = useState<readonly Categorization[] | undefined>(initialRows);
  const [summary, setSummary] = useState<SessionSummary>();
  const [stages, setStages] = useState<ReadonlyMap<string, ShownStage>>(new Map());
  const [followed, setFollowed] = useState(false);
  const [following, setFollowing] = useState(false);
  const [error, setError] = useState<unknown>();
  const { busy, change } = useChange();
  const changed = useRef(onChanged);
  // Keyed by the session: whether it was uploaded in this view stays what it was at first.
  const uploadedHere = useRef(initialRows !== undefined);
  changed.current = onChanged;

  const reload = useCallback(async () => {
    const [read, summarised] = await Promise.all([
      categorize.results(sessionId),
      categorize.summary(sessionId),
    ]);
    setRows(read);
    setSummary(summarised);
    return read;
  }, [categorize, sessionId]);

  useEffect(() => {
    const aborter = new AbortController();
    setError(undefined);
    setStages(new Map());
    setFollowed(false);
    void (async () => {
      try {
        const read = await reload();
        // A session uploaded here is followed even when it finished before this read: its
        // stream replays every video's final event, so the progress shows each one done.
        if (aborter.signal.aborted) return;
        if (!uploadedHere.current && read.every((row) => row.status !== 'pending')) return;
        setFollowed(true);
        setFollowing(true);
        await categorize.follow(
          sessionId,
          (event) => {
            const stage: ShownStage = event.stage;
            setStages((before) =>
              new Map(before).set(event.rowId, laterStage(before.get(event.rowId), stage)),
            );
            setRows((before) =>
              before?.map((row) => (row.id === event.rowId ? withEvent(row, event) : row)),
            );
          },
          aborter.signal,
        );
        if (aborter.signal.aborted) return;
        const final = await reload();
        const failed = final.filter((row) => row.status === 'error').length;
        status.say(
          `All ${final.length} videos finished${failed === 0 ? '' : `, ${failed} failed`}.`,
        );
        changed.current();
      } catch (thrown) {
        if (!aborter.signal.aborted) setError(thrown);
      } finally {
        if (!aborter.signal.aborted) setFollowing(false);
      }
    })();
    return () => aborter.abort();
  }, [categorize, sessionId, reload, status]);

  const markUploaded = (row: Categorization, uploaded: boolean) =>
    change(async () => {
      // Shown at once (a checkbox that waits for the host looks broken), put back on a refusal.
      const mark = (value: boolean) =>
        setRows((before) =>
          before?.map((each) => (each.id === row.id ? { ...each, isUploaded: value } : each)),
        );
      mark(uploaded);
      try {
        await categorize.markUploaded([row.id], uploaded);
      } catch (thrown) {
        mark(!uploaded);
        throw thrown;
      }
      status.say(`${row.filename} is marked ${uploaded ? 'uploaded' : 'not uploaded'}.`);
      setSummary(await categorize.summary(sessionId));
      changed.current();
    });

  const retry = () =>
    change(async () => {
      const ran = await categorize.retry(sessionId);
      setRows(ran.rows);
      setStages(new Map());
      const failed = ran.rows.filter((row) => row.status === 'error').length;
      status.say(
        failed === 0 ? 'Every failed video was filed this time.' : `${failed} still failed.`,
      );
      await reload();
      changed.current();
    });

  const download = (path: string, fallback: string) =>
    change(async () => {
      const name = await categorize.download(path, fallback);
      status.say(`Downloaded ${name}.`);
    });

  /** The buckets that took videos of this session, for their ZIPs. */
  const buckets = useMemo(() => {
    const found = new Map<string, { name: string; count: number }>();
    for (const row of rows ?? []) {
      if (row.bucketId === null || row.bucketName === null) continue;
      const entry = found.get(row.bucketId) ?? { name: row.bucketName, count: 0 };
      entry.count += 1;
      found.set(row.bucketId, entry);
    }
    return [...found].sort(([, left], [, right]) => left.name.localeCompare(right.name));
  }, [rows]);
  const failed = (rows ?? []).filter((row) => row.status === 'error').length;
  const done = rows !== undefined && !following && rows.every((row) => row.status !== 'pending');

  return (
    <>
      {followed && rows !== undefined && (
        <SessionProgress rows={rows} stages={stages} following={following} />
      )}
      <section className="panel" aria-labelledby="results-heading">
        <div className="panel__head">
          <h2 id="results-heading">Results</h2>
          {summary !== undefined && (
            <p className="hint">
              Started{' '}
              <time dateTime={summary.session.createdAt}>
                {new Date(summary.session.createdAt).toLocaleString()}
              </time>{' '}
              · {summary.countsByStatus.total} video{summary.countsByStatus.total === 1 ? '' : 's'}{' '}
              · {summary.uploadedCount} uploaded
            </p>
          )}
        </div>
        <ErrorMessage error={error} title="The session could not be followed" />
        {rows === undefined && error === undefined && <p className="hint">Loading…</p>}
        {rows !== undefined && !done && error === undefined && (
          <p className="hint">The results appear here as the videos finish.</p>
        )}
        {rows !== undefined && done && (
          <div className="actions results-actions">
            {failed > 0 && (
              <button
                type="button"
                className="button"
                aria-disabled={busy || undefined}
                onClick={() => void retry()}
              >
                Retry {failed} failed
              </button>
            )}
            <button
              type="button"
              className="button button--secondary"
              aria-disabled={busy || undefined}
              onClick={() =>
                void download(categorize.csvPath(sessionId), `session-${sessionId}.csv`)
              }
            >
              Download CSV
            </button>
            {buckets.map(([bucketId, { name, count }]) => (
              <button
                key={bucketId}
                type="button"
                className="button button--secondary"
                aria-disabled={busy || undefined}
                onClick={() =>
                  void download(categorize.zipPath(sessionId, bucketId), `${name}.zip`)
                }
              >
                ZIP of {name} <span className="count">({count})</span>
              </button>
            ))}
          </div>
        )}
        {rows !== undefined && (
          <ResultsTable
            rows={rows}
            busy={busy}
            onMarkUploaded={(row, up) => void markUploaded(row, up)}
          />
        )}
      </section>
    </>
  );
}
