import { type FormEvent, useId, useRef, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import type { MarketArm, PerformanceInput, PerformanceResult } from './market-api';

const newKey = () => crypto.randomUUID();

const count = (text: string) => (text.trim() === '' ? 0 : Number(text));

interface PerformanceFormProps {
  arms: readonly MarketArm[];
  /** Sends the results once per key; throws the host's ApiError. */
  onRecord: (
    creativeId: string,
    input: PerformanceInput,
    key: string,
  ) => Promise<PerformanceResult>;
}

/**
 * Adds impressions, clicks and conversions to a creative. A submission keeps its
 * Idempotency-Key until the host confirms it, so a retry after a failure is counted once.
 */
export function PerformanceForm({ arms, onRecord }: PerformanceFormProps) {
  const ids = { creative: useId(), impressions: useId(), clicks: useId(), conversions: useId() };
  const [creativeId, setCreativeId] = useState(arms[0]?.id ?? '');
  const [impressions, setImpressions] = useState('');
  const [clicks, setClicks] = useState('');
  const [conversions, setConversions] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const key = useRef(newKey());
  const chosen = arms.some((arm) => arm.id === creativeId) ? creativeId : (arms[0]?.id ?? '');

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const input: PerformanceInput = {
        clicks: count(clicks),
        conversions: count(conversions),
        ...(impressions.trim() === '' ? {} : { impressions: count(impressions) }),
      };
      await onRecord(chosen, input, key.current);
      key.current = newKey();
      setImpressions('');
      setClicks('');
      setConversions('');
    } catch (thrown) {
      setError(thrown);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel form" onSubmit={submit} aria-labelledby="performance-heading">
      <h2 id="performance-heading">Record results</h2>
      <p className="hint">
        Add what a creative did since the last report: the ranking and the suggestions move with it.
      </p>
      <div className="form__grid market__fields">
        <div className="field">
          <label htmlFor={ids.creative}>Creative</label>
          <select
            id={ids.creative}
            value={chosen}
            onChange={(event) => setCreativeId(event.target.value)}
          >
            {arms.map((arm) => (
              <option key={arm.id} value={arm.id}>
                {arm.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.impressions}>Impressions</label>
          <input
            id={ids.impressions}
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            value={impressions}
            onChange={(event) => setImpressions(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.clicks}>Clicks</label>
          <input
            id={ids.clicks}
            type="number"
            min={0}
            step={1}
            required
            inputMode="numeric"
            value={clicks}
            onChange={(event) => setClicks(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.conversions}>Conversions</label>
          <input
            id={ids.conversions}
            type="number"
            min={0}
            step={1}
            required
            inputMode="numeric"
            value={conversions}
            aria-invalid={error === undefined ? undefined : true}
            onChange={(event) => setConversions(event.target.value)}
          />
        </div>
      </div>
      <ErrorMessage error={error} title="The results were not recorded" />
      <div className="actions">
        <button type="submit" className="button" aria-disabled={busy || undefined}>
          Record results
        </button>
      </div>
    </form>
  );
}

/** Adds a client creative (private to the org) to the category. */
export function AddCreativeForm({ onAdd }: { onAdd: (name: string) => Promise<void> }) {
  const nameId = useId();
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await onAdd(name.trim());
      setName('');
    } catch (thrown) {
      setError(thrown);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel form" onSubmit={submit} aria-labelledby="add-creative-heading">
      <h2 id="add-creative-heading">Add a creative</h2>
      <div className="inline-form">
        <div className="field">
          <label htmlFor={nameId}>Creative name</label>
          <input
            id={nameId}
            type="text"
            required
            autoComplete="off"
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        <button type="submit" className="button" aria-disabled={busy || undefined}>
          Add creative
        </button>
      </div>
      <ErrorMessage error={error} title="The creative was not added" />
    </form>
  );
}
