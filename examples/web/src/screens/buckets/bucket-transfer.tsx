import { type FormEvent, useId, useRef, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { useStatus } from '../../components/status';
import { saveBlob } from '../../downloads';
import { type BucketsApi, importListOf } from './buckets-api';

interface BucketTransferProps {
  buckets: BucketsApi;
  productId: string;
  /** Called after an import changed the product's buckets. */
  onImported: () => void;
}

/** Saves a JSON document in the browser's downloads. */
function download(filename: string, document: unknown): void {
  const json = `${JSON.stringify(document, null, 2)}\n`;
  saveBlob(new Blob([json], { type: 'application/json' }), filename);
}

/** A safe file name for a product id (ids may hold any character but control characters). */
const fileNameOf = (productId: string) =>
  `${productId.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'product'}-buckets.json`;

/** Export the product's buckets as JSON; import a JSON export (a file or pasted text) into it. */
export function BucketTransfer({ buckets, productId, onImported }: BucketTransferProps) {
  const fileId = useId();
  const pasteId = useId();
  const hintId = useId();
  const status = useStatus();
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  async function exportJson() {
    setError(undefined);
    status.clear();
    setBusy(true);
    try {
      const exported = await buckets.exportJson(productId);
      download(fileNameOf(productId), exported);
      status.say(
        `Exported ${exported.buckets.length} bucket${exported.buckets.length === 1 ? '' : 's'} of ${productId}.`,
      );
    } catch (thrown) {
      setError(thrown);
    } finally {
      setBusy(false);
    }
  }

  async function chooseFile(file: File | undefined) {
    setError(undefined);
    if (file === undefined) return;
    try {
      setText(await file.text());
      setFileName(file.name);
    } catch (thrown) {
      setError(thrown);
    }
  }

  async function importJson(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(undefined);
    status.clear();
    setBusy(true);
    try {
      const counts = await buckets.importJson(productId, importListOf(text));
      status.say(
        `Imported into ${productId}: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged.`,
      );
      setText('');
      setFileName(undefined);
      if (fileInput.current !== null) fileInput.current.value = '';
      onImported();
    } catch (thrown) {
      setError(thrown);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="transfer-heading">
      <h2 id="transfer-heading">Import and export</h2>
      <div className="transfer">
        <div>
          <h3>Export</h3>
          <p className="hint">Every bucket of {productId}, as JSON another product can import.</p>
          <button
            type="button"
            className="button button--secondary"
            disabled={busy}
            onClick={() => void exportJson()}
          >
            Export JSON
          </button>
        </div>
        <form className="form" onSubmit={importJson}>
          <h3>Import into {productId}</h3>
          <p className="hint" id={hintId}>
            Buckets are matched by name: new names are created, known ones updated.
          </p>
          <div className="field">
            <label htmlFor={fileId}>JSON file</label>
            <input
              ref={fileInput}
              id={fileId}
              type="file"
              accept="application/json,.json"
              aria-describedby={hintId}
              onChange={(event) => void chooseFile(event.target.files?.[0])}
            />
          </div>
          <div className="field">
            <label htmlFor={pasteId}>Or paste the JSON</label>
            <textarea
              id={pasteId}
              rows={5}
              spellCheck={false}
              value={text}
              onChange={(event) => {
                setText(event.target.value);
                setFileName(undefined);
              }}
            />
            {fileName !== undefined && <p className="hint">From {fileName}.</p>}
          </div>
          <div className="actions">
            <button type="submit" className="button" disabled={busy || text.trim() === ''}>
              Import
            </button>
          </div>
        </form>
      </div>
      <ErrorMessage error={error} title="Import or export failed" />
    </section>
  );
}
