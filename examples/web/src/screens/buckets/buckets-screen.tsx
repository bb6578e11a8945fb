import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { BarChart } from '../../components/bar-chart';
import { ErrorMessage } from '../../components/error-message';
import { ProductPicker, productCounts } from '../../components/product-picker';
import { useChange, useStatus } from '../../components/status';
import { useLoader } from '../../components/use-loader';
import type { ScreenProps } from '../screen';
import { BucketForm } from './bucket-form';
import { BucketTable } from './bucket-table';
import { BucketTransfer } from './bucket-transfer';
import { type Bucket, type BucketFields, bucketsApi, copyWordsOf } from './buckets-api';

type Editing = { mode: 'closed' } | { mode: 'new' } | { mode: 'edit'; bucket: Bucket };

/** A product's buckets: list, create, edit, reorder, delete, import and export (seed 000). */
export function BucketsScreen({ api, location }: ScreenProps) {
  const productId = location.params.get('product')?.trim() ?? '';
  const buckets = useMemo(() => bucketsApi(api), [api]);
  const status = useStatus();
  const [list, setList] = useState<Bucket[]>();
  const loader = useLoader();
  const loadError = loader.error;
  const [editing, setEditing] = useState<Editing>({ mode: 'closed' });
  const [confirming, setConfirming] = useState<string>();
  const [focusRequest, setFocusRequest] = useState<{ key: string }>();
  const [products, setProducts] = useState<Map<string, number>>();
  const listHeading = useRef<HTMLHeadingElement>(null);

  /** Reads the product's buckets, and the org's products for the picker. */
  const reload = useCallback(
    () =>
      loader.run(
        () => Promise.all([buckets.list(), productId === '' ? undefined : buckets.list(productId)]),
        ([all, ofProduct]) => {
          setProducts(productCounts(all));
          setList(ofProduct);
        },
      ),
    [loader.run, buckets, productId],
  );

  useEffect(() => {
    setList(undefined);
    setEditing({ mode: 'closed' });
    setConfirming(undefined);
    void reload();
  }, [reload]);

  // One change at a time; after a failure the list is read again.
  const { busy, change } = useChange(reload);

  async function save(fields: BucketFields) {
    if (editing.mode === 'edit') {
      const saved = await buckets.update(editing.bucket.id, fields);
      status.say(`Saved “${saved.name}”.`);
    } else {
      const created = await buckets.create(productId, fields);
      status.say(`Created “${created.name}”.`);
    }
    setEditing({ mode: 'closed' });
    await reload();
  }

  const move = (bucket: Bucket, step: -1 | 1) =>
    change(async () => {
      const ids = (list ?? []).map((each) => each.id);
      const from = ids.indexOf(bucket.id);
      const to = from + step;
      if (from === -1 || to < 0 || to >= ids.length) return;
      ids.splice(from, 1);
      ids.splice(to, 0, bucket.id);
      setList(await buckets.reorder(productId, ids));
      // At either end the button just used is disabled: focus goes to the other direction.
      const atEnd = to === 0 ? 'down' : to === ids.length - 1 ? 'up' : step === -1 ? 'up' : 'down';
      setFocusRequest({ key: `${atEnd}:${bucket.id}` });
      status.say(`Moved “${bucket.name}” to position ${to + 1} of ${ids.length}.`);
    });

  const remove = (bucket: Bucket) =>
    change(async () => {
      await buckets.remove(bucket.id);
      setConfirming(undefined);
      status.say(`Deleted “${bucket.name}”.`);
      await reload();
      // Its row, and the button that had focus, are gone: the list's heading takes it.
      listHeading.current?.focus();
    });

  if (productId === '') {
    return (
      <>
        <ProductPicker path="/buckets" current="" products={products} submitLabel="Show buckets" />
        <ErrorMessage error={loadError} title="The org's products could not be read" />
      </>
    );
  }
  return (
    <>
      <ProductPicker
        path="/buckets"
        current={productId}
        products={products}
        submitLabel="Show buckets"
      />
      <section className="panel" aria-labelledby="list-heading">
        <div className="panel__head">
          <h2 id="list-heading" ref={listHeading} tabIndex={-1}>
            Buckets of {productId}
          </h2>
          {editing.mode === 'closed' && (
            <button type="button" className="button" onClick={() => setEditing({ mode: 'new' })}>
              New bucket
            </button>
          )}
        </div>
        <ErrorMessage error={loadError} title="The buckets could not be read" />
        {list === undefined && loadError === undefined && <p className="hint">Loading…</p>}
        {list !== undefined && list.length === 0 && (
          <p className="empty">
            {productId} has no buckets yet. Create one, or import an export of another product.
          </p>
        )}
        {list !== undefined && list.length > 0 && (
          <BucketTable
            buckets={list}
            busy={busy}
            confirming={confirming}
            focusRequest={focusRequest}
            onEdit={(bucket) => setEditing({ mode: 'edit', bucket })}
            onMove={(bucket, step) => void move(bucket, step)}
            onDelete={(bucket) => setConfirming(bucket.id)}
            onConfirmDelete={(bucket) => void remove(bucket)}
            onCancelDelete={(bucket) => {
              setConfirming(undefined);
              setFocusRequest({ key: `delete:${bucket.id}` });
            }}
          />
        )}
      </section>
      {editing.mode !== 'closed' && (
        <BucketForm
          key={editing.mode === 'edit' ? editing.bucket.id : 'new'}
          productId={productId}
          {...(editing.mode === 'edit' ? { bucket: editing.bucket } : {})}
          onSave={save}
          onCancel={() => setEditing({ mode: 'closed' })}
        />
      )}
      {list !== undefined && list.length > 0 && (
        <section className="panel" aria-labelledby="copy-heading">
          <h2 id="copy-heading">Copy per bucket</h2>
          <p className="hint">
            The offline keyword categorizer matches videos against these words: a bucket with little
            copy is rarely chosen.
          </p>
          <BarChart
            title={`Words of copy per bucket of ${productId}`}
            valueLabel="Words"
            data={list.map((bucket) => ({ label: bucket.name, value: copyWordsOf(bucket) }))}
          />
        </section>
      )}
      <BucketTransfer buckets={buckets} productId={productId} onImported={() => void reload()} />
    </>
  );
}
