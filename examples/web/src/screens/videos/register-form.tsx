import { type FormEvent, useId, useRef, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import type { Registered, RegisterFields } from './videos-api';

interface RegisterFormProps {
  onRegister: (fields: RegisterFields) => Promise<Registered>;
}

/** Registers a video: its file streams to the host's blob store, with an optional title. */
export function RegisterForm({ onRegister }: RegisterFormProps) {
  const formId = useId();
  const [file, setFile] = useState<File>();
  const [title, setTitle] = useState('');
  const [duplicateAllowed, setDuplicateAllowed] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (file === undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      await onRegister({ file, title, duplicateAllowed });
      setFile(undefined);
      setTitle('');
      setDuplicateAllowed(false);
      if (fileInput.current !== null) fileInput.current.value = '';
    } catch (thrown) {
      setError(thrown);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby={`${formId}-heading`}>
      <h2 id={`${formId}-heading`}>Register a video</h2>
      <form className="form" onSubmit={submit}>
        <div className="register-form">
          <div className="field">
            <label htmlFor={`${formId}-file`}>Video file</label>
            <p className="hint" id={`${formId}-file-hint`}>
              mp4, mov, avi or webm. Identical content already registered is not stored twice.
            </p>
            <input
              ref={fileInput}
              id={`${formId}-file`}
              type="file"
              required
              accept="video/mp4,video/quicktime,video/x-msvideo,video/webm,.mp4,.mov,.avi,.webm"
              aria-describedby={`${formId}-file-hint`}
              onChange={(event) => setFile(event.target.files?.[0])}
            />
          </div>
          <div className="field">
            <label htmlFor={`${formId}-title`}>Title</label>
            <p className="hint" id={`${formId}-title-hint`}>
              Optional: the file name otherwise.
            </p>
            <input
              id={`${formId}-title`}
              type="text"
              autoComplete="off"
              value={title}
              aria-describedby={`${formId}-title-hint`}
              onChange={(event) => setTitle(event.target.value)}
            />
          </div>
        </div>
        <div className="checkbox">
          <input
            id={`${formId}-duplicate`}
            type="checkbox"
            checked={duplicateAllowed}
            onChange={(event) => setDuplicateAllowed(event.target.checked)}
          />
          <label htmlFor={`${formId}-duplicate`}>
            Allow posting it to a platform more than once
          </label>
        </div>
        <ErrorMessage error={error} title="The video was not registered" />
        <div className="actions">
          <button type="submit" className="button" disabled={busy || file === undefined}>
            {busy ? 'Uploading…' : 'Register video'}
          </button>
        </div>
      </form>
    </section>
  );
}
