import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { ProductPicker, productCounts } from '../../components/product-picker';
import { useStatus } from '../../components/status';
import { useLoader } from '../../components/use-loader';
import { hrefOf, navigate } from '../../router';
import type { ScreenProps } from '../screen';
import {
  type Bucket,
  type Categorization,
  type CategorizeStart,
  categorizeApi,
  type SessionSummary,
} from './categorize-api';
import { PastSessions } from './past-sessions';
import { SessionView } from './session-view';
import { UploadPanel } from './upload-panel';

const PATH = '/categorize';

/**
 * Upload a batch of videos (and their transcripts) to be filed into a product's buckets,
 * follow each one's progress, then work with the results: filter, retry, mark uploaded,
 * download a bucket's ZIP or the CSV; and reopen past sessions (seed 000).
 */
export function CategorizeScreen({ api, session, location }: ScreenProps) {
  const productId = location.params.get('product')?.trim() ?? '';
  const sessionId = location.params.get('session')?.trim() ?? '';
  const token = useRef(session.token);
  token.current = session.token;
  const categorize = useMemo(() => categorizeApi(api, () => token.current), [api]);
  const status = useStatus();
  const [buckets, setBuckets] = useState<Bucket[]>();
  const [products, setProducts] = useState<Map<string, number>>();
  const [sessions, setSessions] = useState<SessionSummary[]>();
  const loader = useLoader();
  const loadError = loader.error;
  const started = useRef<{ id: string; rows: Categorization[] } | undefined>(undefined);

  /** The org's products (for the picker), the product's buckets and its sessions. */
  const reload = useCallback(
    () =>
      loader.run(
        () =>
          Promise.all([
            api.get<Bucket[]>('/buckets'),
            productId === '' ? undefined : categorize.buckets(productId),
            productId === '' ? undefined : categorize.sessions(productId),
          ]),
        ([all, ofProduct, listed]) => {
          setProducts(productCounts(all));
          setBuckets(ofProduct);
          setSessions(listed);
        },
      ),
    [loader.run, api, categorize, productId],
  );

  useEffect(() => {
    setBuckets(undefined);
    setSessions(undefined);
    void reload();
  }, [reload]);

  function onStarted(start: CategorizeStart) {
    started.current = { id: start.session.id, rows: start.rows };
    status.say(
      `Uploaded ${start.rows.length} video${start.rows.length === 1 ? '' : 's'}; categorizing.`,
    );
    navigate(PATH, { product: productId, session: start.session.id });
    void reload();
  }

  const picker = (
    <ProductPicker
      path={PATH}
      current={productId}
      products={products}
      submitLabel="Choose product"
    />
  );
  if (productId === '') {
    return (
      <>
        {picker}
        <ErrorMessage error={loadError} title="The org's products could not be read" />
      </>
    );
  }
  const initialRows = started.current?.id === sessionId ? started.current.rows : undefined;
  return (
    <>
      {picker}
      <ErrorMessage error={loadError} title="The product could not be read" />
      {buckets !== undefined && buckets.length === 0 && (
        <p className="empty panel">
          {productId} has no buckets yet: every video would end up in none.{' '}
          <a href={hrefOf('/buckets', { product: productId })}>Create buckets first</a>.
        </p>
      )}
      <UploadPanel categorize={categorize} productId={productId} onStarted={onStarted} />
      {sessionId !== '' && (
        <SessionView
          key={sessionId}
          categorize={categorize}
          sessionId={sessionId}
          initialRows={initialRows}
          onChanged={() => void reload()}
        />
      )}
      <section className="panel" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Past sessions</h2>
        {sessions === undefined && loadError === undefined && <p className="hint">Loading…</p>}
        {sessions !== undefined && (
          <PastSessions
            productId={productId}
            sessions={sessions}
            current={sessionId === '' ? undefined : sessionId}
          />
        )}
      </section>
    </>
  );
}
