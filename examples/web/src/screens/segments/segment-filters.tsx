import { type FormEvent, useEffect, useId, useState } from 'react';
import { navigate } from '../../router';
import { FILTER_NAMES, type Filters, PLATFORMS, SEGMENT_TYPES, SORTS } from './segments-api';

interface SegmentFiltersProps {
  /** The filters of the address (what the list shows). */
  filters: Filters;
}

const emptyForm = (): Record<(typeof FILTER_NAMES)[number], string> =>
  Object.fromEntries(FILTER_NAMES.map((name) => [name, ''])) as Record<
    (typeof FILTER_NAMES)[number],
    string
  >;

/**
 * Seed 004's filters. Applying them writes them into the address (`#/segments?type=…`), which
 * the list follows: a filtered view can be bookmarked, linked and gone back to.
 */
export function SegmentFilters({ filters }: SegmentFiltersProps) {
  const id = useId();
  const [form, setForm] = useState(() => ({ ...emptyForm(), ...filters }));
  const shown = JSON.stringify(filters);
  // Back, Forward or a followed link change the address: the form shows what the list shows.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `shown` stands for `filters`' contents
  useEffect(() => setForm({ ...emptyForm(), ...filters }), [shown]);

  const set = (name: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm((current) => ({ ...current, [name]: event.target.value }));

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const tags = form.tags
      .split(',')
      .map((tag) => tag.trim())
      .filter((tag) => tag !== '')
      .join(',');
    navigate('/segments', { ...form, tags });
  }

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Filters</h2>
      <form className="segment-filters" onSubmit={apply}>
        <div className="segment-filters__grid">
          <SelectField
            id={`${id}-type`}
            label="Type"
            value={form.type}
            onChange={set('type')}
            options={[['', 'Any type'], ...SEGMENT_TYPES.map((type) => [type, type] as const)]}
          />
          <NumberField
            id={`${id}-min`}
            label="Shortest (seconds)"
            value={form.minDuration}
            onChange={set('minDuration')}
          />
          <NumberField
            id={`${id}-max`}
            label="Longest (seconds)"
            value={form.maxDuration}
            onChange={set('maxDuration')}
          />
          <div className="field">
            <label htmlFor={`${id}-tags`}>Tags</label>
            <p className="hint" id={`${id}-tags-hint`}>
              Every one of them, separated by commas
            </p>
            <input
              id={`${id}-tags`}
              type="text"
              autoComplete="off"
              aria-describedby={`${id}-tags-hint`}
              value={form.tags}
              onChange={set('tags')}
            />
          </div>
          <SelectField
            id={`${id}-posted`}
            label="Social media"
            value={form.hasSocialMedia}
            onChange={set('hasSocialMedia')}
            options={[
              ['', 'Posted or not'],
              ['true', 'Posted somewhere'],
              ['false', 'Posted nowhere'],
            ]}
          />
          <SelectField
            id={`${id}-platform`}
            label="Platform"
            value={form.platform}
            onChange={set('platform')}
            options={[['', 'Any platform'], ...PLATFORMS.map((name) => [name, name] as const)]}
          />
          <SelectField
            id={`${id}-sort`}
            label="Sort by"
            value={form.sortBy}
            onChange={set('sortBy')}
            options={[
              ['', 'Created (default)'],
              ...SORTS.filter(([value]) => value !== 'createdAt'),
            ]}
          />
          <SelectField
            id={`${id}-order`}
            label="Order"
            value={form.sortOrder}
            onChange={set('sortOrder')}
            options={[
              ['', 'Descending (default)'],
              ['asc', 'Ascending'],
            ]}
          />
        </div>
        <div className="actions">
          <button type="submit" className="button">
            Apply filters
          </button>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => navigate('/segments')}
          >
            Clear filters
          </button>
        </div>
      </form>
    </section>
  );
}

interface FieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (event: { target: { value: string } }) => void;
}

/** A labelled choice: `options` are `[value, text]`, the first usually "any" (`''`). */
function SelectField({
  id,
  label,
  value,
  onChange,
  options,
}: FieldProps & { options: readonly (readonly [string, string])[] }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={onChange}>
        {options.map(([optionValue, text]) => (
          <option key={optionValue} value={optionValue}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A labelled number of seconds (empty: no bound). */
function NumberField({ id, label, value, onChange }: FieldProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        min={0}
        step="any"
        inputMode="decimal"
        value={value}
        onChange={onChange}
      />
    </div>
  );
}
