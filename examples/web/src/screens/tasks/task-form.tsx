import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import type { TaskFields } from './tasks-api';

interface TaskFormProps {
  userId: string;
  /** Creates the task, then attaches the video when one was chosen; throws the host's error. */
  onCreate: (fields: TaskFields, video: File | undefined) => Promise<void>;
  onCancel: () => void;
}

type Draft = Record<
  'projectName' | 'prompt' | 'engine' | 'songTitle' | 'genre' | 'cost' | 'creditsUsed',
  string
>;

const EMPTY: Draft = {
  projectName: '',
  prompt: '',
  engine: 'runway_gen3',
  songTitle: '',
  genre: '',
  cost: '',
  creditsUsed: '',
};

const TEXT: { field: keyof Draft; label: string; required?: boolean; hint?: string }[] = [
  { field: 'projectName', label: 'Project name', required: true },
  { field: 'engine', label: 'Engine', required: true, hint: 'runway_standard, runway_gen3, …' },
  { field: 'songTitle', label: 'Song title' },
  { field: 'genre', label: 'Genre' },
];

/** A new generation task (seed 002), with its generated video when there is one already. */
export function TaskForm({ userId, onCreate, onCancel }: TaskFormProps) {
  const id = useId();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const video = useRef<HTMLInputElement>(null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const set = (field: keyof Draft) => (value: string) =>
    setDraft((current) => ({ ...current, [field]: value }));
  const number = (text: string) => (text.trim() === '' ? undefined : Number(text));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    const optional = (text: string) => (text.trim() === '' ? undefined : text.trim());
    const fields: TaskFields = {
      userId,
      projectName: draft.projectName,
      engine: draft.engine,
      prompt: draft.prompt,
    };
    const extra = {
      songTitle: optional(draft.songTitle),
      genre: optional(draft.genre),
      cost: number(draft.cost),
      creditsUsed: number(draft.creditsUsed),
    };
    for (const [name, value] of Object.entries(extra)) {
      if (value !== undefined) Object.assign(fields, { [name]: value });
    }
    try {
      await onCreate(fields, video.current?.files?.[0]);
    } catch (thrown) {
      setError(thrown);
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>New generation task</h2>
      <form onSubmit={submit} aria-describedby={`${id}-owner`}>
        <p className="hint" id={`${id}-owner`}>
          The task is created pending, for user <code>{userId}</code>.
        </p>
        <div className="form__grid">
          {TEXT.map(({ field, label, required, hint }, index) => (
            <div className="field" key={field}>
              <label htmlFor={`${id}-${field}`}>{label}</label>
              {hint !== undefined && (
                <p className="hint" id={`${id}-${field}-hint`}>
                  {hint}
                </p>
              )}
              <input
                id={`${id}-${field}`}
                ref={index === 0 ? first : undefined}
                type="text"
                autoComplete="off"
                required={required}
                aria-describedby={hint === undefined ? undefined : `${id}-${field}-hint`}
                value={draft[field]}
                onChange={(event) => set(field)(event.target.value)}
              />
            </div>
          ))}
          <div className="field">
            <label htmlFor={`${id}-cost`}>Cost (USD)</label>
            <input
              id={`${id}-cost`}
              type="number"
              min={0}
              step="0.01"
              value={draft.cost}
              onChange={(event) => set('cost')(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-credits`}>Credits used</label>
            <input
              id={`${id}-credits`}
              type="number"
              min={0}
              step={1}
              value={draft.creditsUsed}
              onChange={(event) => set('creditsUsed')(event.target.value)}
            />
          </div>
        </div>
        <div className="field">
          <label htmlFor={`${id}-prompt`}>Prompt</label>
          <textarea
            id={`${id}-prompt`}
            rows={2}
            value={draft.prompt}
            onChange={(event) => set('prompt')(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-video`}>Generated video (optional)</label>
          <p className="hint" id={`${id}-video-hint`}>
            Attach it now or later: thumbnail candidates are cut from it.
          </p>
          <input
            id={`${id}-video`}
            ref={video}
            type="file"
            accept="video/*"
            aria-describedby={`${id}-video-hint`}
          />
        </div>
        <ErrorMessage error={error} title="The task was not created" />
        <div className="actions">
          <button type="submit" className="button" aria-disabled={busy || undefined}>
            {busy ? 'Creating…' : 'Create task'}
          </button>
          <button type="button" className="button button--secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
