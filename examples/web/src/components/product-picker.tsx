import { countBy, KeyPicker } from './key-picker';

/** Bucket counts by product id: the products an org has, for a picker. */
export function productCounts(buckets: readonly { productId: string }[]): Map<string, number> {
  return countBy(buckets, (bucket) => bucket.productId);
}

/** Choose the product by id, or one of those the org has buckets for; it goes in `?product=`. */
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
  return (
    <KeyPicker
      path={path}
      param="product"
      heading="Product"
      label="Product id"
      submit={submitLabel}
      listTitle="Products with buckets"
      current={current}
      counts={products}
    />
  );
}
