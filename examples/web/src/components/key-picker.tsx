import { type FormEvent, useEffect, useId, useState } from 'react';
import { hrefOf, navigate } from '../router';

interface KeyPickerProps {
  /** The screen's path and the query parameter the key goes in: `/buckets`, `product`. */
  path: string;
  param: string;
  /** The panel's heading, the field's label, the button's text: "Product", "Product id", "Show buckets". */
  heading: string;
  label: string;
  submit: string;
  /** The heading of the list of known keys: "Products with buckets". */
  listTitle: string;
  current: string;
  /** Known keys with a count each; undefined until read. */
  counts: ReadonlyMap<string, number> | undefined;
}

/** Type a key (a product id, a category) or follow one of the known ones; the key goes in the URL. */
export function KeyPicker(props: KeyPickerProps) {
  const { path, param, current, counts } = props;
  const inputId = useId();
  const headingId = useId();
  const [value, setValue] = useState(current);
  useEffect(() => setValue(current), [current]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    navigate(path, { [param]: value.trim() });
  }

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{props.heading}</h2>
      <form className="inline-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={inputId}>{props.label}</label>
          <input
            id={inputId}
            type="text"
            required
            autoComplete="off"
            value={value}
            onChange={(event) => setValue(event.target.value)}
          />
        </div>
        <button type="submit" className="button">
          {props.submit}
        </button>
      </form>
      {counts !== undefined && counts.size > 0 && (
        <div className="products">
          <h3 className="products__title">{props.listTitle}</h3>
          <ul className="products__list">
            {[...counts].map(([key, count]) => (
              <li key={key}>
                <a
                  href={hrefOf(path, { [param]: key })}
                  aria-current={key === current ? 'page' : undefined}
                >
                  {key} <span className="count">({count})</span>
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** How many items have each key: `countBy(buckets, (bucket) => bucket.productId)`. */
export function countBy<Item>(items: readonly Item[], keyOf: (item: Item) => string) {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  return counts;
}
