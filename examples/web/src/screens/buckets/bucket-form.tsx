import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../../api';
import { ErrorMessage } from '../../components/error-message';
import type { Bucket, BucketFields } from './buckets-api';

type TextField = 'name' | 'bestFor' | 'angle' | 'avatar';
type ListField = 'painPoints' | 'solutionMechanism' | 'keyCopyHooks';

const TEXT_FIELDS: { field: TextField; label: string; hint: string; multiline?: boolean }[] = [
  { field: 'name', label: 'Name', hint: 'Unique within the product (case does not count).' },
  { field: 'bestFor', label: 'Best for', hint: 'Which videos belong here.', multiline: true },
  {
    field: 'angle',
    label: 'Angle',
    hint: 'The story or argument the videos make.',
    multiline: true,
  },
  { field: 'avatar', label: 'Avatar', hint: 'Who the viewer is.', multiline: true },
];

const LIST_FIELDS: { field: ListField; label: string }[] = [
  { field: 'painPoints', label: 'Pain points' },
  { field: 'solutionMechanism', label: 'Solution mechanism' },
  { field: 'keyCopyHooks', label: 'Key copy hooks' },
];

type Draft = Record<TextField | ListField, string> & { displayOrder: string };

const draftOf = (bucket: Bucket | undefined): Draft => ({
  name: bucket?.name ?? '',
  bestFor: bucket?.bestFor ?? '',
  angle: bucket?.angle ?? '',
  avatar: bucket?.avatar ?? '',
  painPoints: bucket?.painPoints.join('\n') ?? '',
  solutionMechanism: bucket?.solutionMechanism.join('\n') ?? '',
  keyCopyHooks: bucket?.keyCopyHooks.join('\n') ?? '',
  displayOrder: bucket === undefined ? '' : String(bucket.displayOrder),
});

/** One entry a line; blank lines dropped (the host drops empty phrases too). */
const linesOf = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

function fieldsOf(draft: Draft, editing: boolean): BucketFields {
  return {
    name: draft.name,
    bestFor: draft.bestFor,
    angle: draft.angle,
    avatar: draft.avatar,
    painPoints: linesOf(draft.painPoints),
    solutionMechanism: linesOf(draft.solutionMechanism),
    keyCopyHooks: linesOf(draft.keyCopyHooks),
    ...(editing && draft.displayOrder.trim() !== ''
      ? { displayOrder: Number(draft.displayOrder) }
      : {}),
  };
}

interface BucketFormProps {
  /** The bucket to edit; a new bucket when absent. */
  bucket?: Bucket;
  productId: string;
  onSave: (fields: BucketFields) => Promise<void>;
  onCancel: () => void;
}

/** Creates or edits every field of a bucket; list fields are one entry a line. */
export function BucketForm({ bucket, productId, onSave, onCancel }: BucketFormProps) {
  const formId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [draft, setDraft] = useState(() => draftOf(bucket));
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const editing = bucket !== undefined;

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const fieldAtFault =
    error instanceof ApiError ? error.path?.replace(/^body\./, '').split('.')[0] : undefined;
  const control = (field: keyof Draft) => ({
    id: `${formId}-${field}`,
    name: field,
    value: draft[field],
    'aria-invalid': fieldAtFault === field ? true : undefined,
    onChange: (event: { target: { value: string } }) =>
      setDraft((before) => ({ ...before, [field]: event.target.value })),
  });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onSave(fieldsOf(draft, editing));
    } catch (thrown) {
      setError(thrown);
      setBusy(false);
    }
  }

  const title = editing ? `Edit “${bucket.name}”` : `New bucket for ${productId}`;
  return (
    <form className="panel form" onSubmit={submit} aria-labelledby={`${formId}-heading`}>
      <h2 id={`${formId}-heading`} ref={heading} tabIndex={-1}>
        {title}
      </h2>
      <div className="form__grid">
        {TEXT_FIELDS.map(({ field, label, hint, multiline }) => (
          <div className="field" key={field}>
            <label htmlFor={`${formId}-${field}`}>{label}</label>
            <p className="hint" id={`${formId}-${field}-hint`}>
              {hint}
            </p>
            {multiline === true ? (
              <textarea rows={2} aria-describedby={`${formId}-${field}-hint`} {...control(field)} />
            ) : (
              <input
                type="text"
                required
                autoComplete="off"
                aria-describedby={`${formId}-${field}-hint`}
                {...control(field)}
              />
            )}
          </div>
        ))}
        {LIST_FIELDS.map(({ field, label }) => (
          <div className="field" key={field}>
            <label htmlFor={`${formId}-${field}`}>{label}</label>
            <p className="hint" id={`${formId}-${field}-hint`}>
              One per line.
            </p>
            <textarea rows={4} aria-describedby={`${formId}-${field}-hint`} {...control(field)} />
          </div>
        ))}
        {editing && (
          <div className="field">
            <label htmlFor={`${formId}-displayOrder`}>Display order</label>
            <p className="hint" id={`${formId}-displayOrder-hint`}>
              Lower numbers come first; the move buttons renumber the whole list.
            </p>
            <input
              type="number"
              step={1}
              inputMode="numeric"
              aria-describedby={`${formId}-displayOrder-hint`}
              {...control('displayOrder')}
            />
          </div>
        )}
      </div>
      <ErrorMessage
        error={error}
        title={editing ? 'The bucket was not saved' : 'The bucket was not created'}
      />
      <div className="actions">
        <button type="submit" className="button" disabled={busy}>
          {editing ? 'Save changes' : 'Create bucket'}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
