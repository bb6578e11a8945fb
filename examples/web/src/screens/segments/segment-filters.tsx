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
          <div className="field">
            <label htmlFor={`${id}-type`}>Type</label>
            <select id={`${id}-type`} value={form.type} onChange={set('type')}>
              <option value="">Any type</option>
              {SEGMENT_TYPES.map((type) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-min`}>Shortest (seconds)</label>
            <input
              id={`${id}-min`}
              type="number"
              min={0}
              step="any"
              inputMode="decimal"
              value={form.minDuration}
              onChange={set('minDuration')}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-max`}>Longest (seconds)</label>
            <input
              id={`${id}-max`}
              type="number"
              min={0}
              step="any"
              inputMode="decimal"
              value={form.maxDuration}
              onChange={set('maxDuration')}
            />
          </div>
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
          <div className="field">
            <label htmlFor={`${id}-posted`}>Social media</label>
            <select
              id={`${id}-posted`}
              value={form.hasSocialMedia}
              onChange={set('hasSocialMedia')}
            >
              <option value="">Posted or not</option>
              <option value="true">Posted somewhere</option>
              <option value="false">Posted nowhere</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-platform`}>Platform</label>
            <select id={`${id}-platform`} value={form.platform} onChange={set('platform')}>
              <option value="">Any platform</option>
              {PLATFORMS.map((platform) => (
                <option key={platform} value={platform}>
                  {platform}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-sort`}>Sort by</label>
            <select id={`${id}-sort`} value={form.sortBy} onChange={set('sortBy')}>
              <option value="">Created (default)</option>
              {SORTS.filter(([value]) => value !== 'createdAt').map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-order`}>Order</label>
            <select id={`${id}-order`} value={form.sortOrder} onChange={set('sortOrder')}>
              <option value="">Descending (default)</option>
              <option value="asc">Ascending</option>
            </select>
          </div>
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
