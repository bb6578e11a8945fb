import { type FormEvent, useEffect, useId, useState } from 'react';
import { hrefOf, navigate } from '../router';

/** Bucket counts by product id: the products an org has, for a picker. */
export function productCounts(buckets: readonly { productId: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const bucket of buckets)
    counts.set(bucket.productId, (counts.get(bucket.productId) ?? 0) + 1);
  return counts;
}

/** Choose the product by id, or one of those the org has buckets for. */
export function ProductPicker({
  path,
  current,
  products,
  submitLabel,
}: {
  /** The screen the choice opens (`/categorize`), with `?product=<id>`. */
  path: string;
  current: string;
  /** Bucket counts by product id; undefined until read. */
  products: ReadonlyMap<string, number> | undefined;
  submitLabel: string;
}) {
  const inputId = useId();
  const [value, setValue] = useState(current);
  useEffect(() => setValue(current), [current]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    navigate(path, { product: value.trim() });
  }

  return (
    <section className="panel" aria-labelledby="product-heading">
      <h2 id="product-heading">Product</h2>
      <form className="inline-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={inputId}>Product id</label>
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
          {submitLabel}
        </button>
      </form>
      {products !== undefined && products.size > 0 && (
        <div className="products">
          <h3 className="products__title">Products with buckets</h3>
          <ul className="products__list">
            {[...products].map(([id, count]) => (
              <li key={id}>
                <a
                  href={hrefOf(path, { product: id })}
                  aria-current={id === current ? 'page' : undefined}
                >
                  {id} <span className="count">({count})</span>
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
