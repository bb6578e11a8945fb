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
 * A form's submission: one at a time, its failure kept for the form to show (the host's
 * `detail`), the work's own follow-up runs only when it succeeded.
 */
function useSubmission() {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submitting = (work: () => Promise<void>) => async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (thrown) {
      setError(thrown);
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, submitting };
}

/** A whole number of at least 0, typed (empty reads as 0 for a required count). */
function CountField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
  invalid?: boolean;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="number"
        min={0}
        step={1}
        inputMode="numeric"
        required={props.required}
        aria-invalid={props.invalid === true ? true : undefined}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
      />
    </div>
  );
}

/**
 * Adds impressions, clicks and conversions to a creative. A submission keeps its
 * Idempotency-Key until the host confirms it, so a retry after a failure is counted once.
 */
export function PerformanceForm({ arms, onRecord }: PerformanceFormProps) {
  const creativeFieldId = useId();
  const [creativeId, setCreativeId] = useState(arms[0]?.id ?? '');
  const [impressions, setImpressions] = useState('');
  const [clicks, setClicks] = useState('');
  const [conversions, setConversions] = useState('');
  const { error, busy, submitting } = useSubmission();
  const key = useRef(newKey());
  const chosen = arms.some((arm) => arm.id === creativeId) ? creativeId : (arms[0]?.id ?? '');

  const submit = submitting(async () => {
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
  });

  return (
    <form className="panel form" onSubmit={submit} aria-labelledby="performance-heading">
      <h2 id="performance-heading">Record results</h2>
      <p className="hint">
        Add what a creative did since the last report: the ranking and the suggestions move with it.
      </p>
      <div className="form__grid market__fields">
        <div className="field">
          <label htmlFor={creativeFieldId}>Creative</label>
          <select
            id={creativeFieldId}
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
        <CountField label="Impressions" value={impressions} onChange={setImpressions} />
        <CountField label="Clicks" value={clicks} onChange={setClicks} required />
        <CountField
          label="Conversions"
          value={conversions}
          onChange={setConversions}
          required
          invalid={error !== undefined}
        />
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
  const { error, busy, submitting } = useSubmission();
  const submit = submitting(async () => {
    await onAdd(name.trim());
    setName('');
  });

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
