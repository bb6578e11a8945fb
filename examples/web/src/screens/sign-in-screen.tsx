import { type FormEvent, useEffect, useId, useState } from 'react';
import { type ApiClient, ApiError } from '../api';
import { ErrorMessage } from '../components/error-message';
import { cleanToken, hostFeatures, makeDevToken, type Session, verifyToken } from '../session';

interface SignInScreenProps {
  api: ApiClient;
  onSignedIn: (session: Session) => void;
}

/**
 * Paste a token; the host checks it (`GET /api/v1/me`) before the dashboard opens. On a host
 * running with its development secret, a button asks it for a token instead.
 */
export function SignInScreen({ api, onSignedIn }: SignInScreenProps) {
  const tokenId = useId();
  const hintId = useId();
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [devTokens, setDevTokens] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    hostFeatures(api).then(
      (features) => {
        if (!controller.signal.aborted) setDevTokens(features.devTokens);
      },
      // A host that cannot say simply offers no development tokens; signing in still works.
      () => {},
    );
    return () => controller.abort();
  }, [api]);

  async function signInWith(candidate: string) {
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await verifyToken(candidate));
    } catch (thrown) {
      setError(thrown);
      setBusy(false);
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const candidate = cleanToken(token);
    if (candidate === '') {
      setError(new ApiError({ status: 0, code: 'VALIDATION', detail: 'Paste a token first.' }));
      return;
    }
    void signInWith(candidate);
  }

  async function makeToken() {
    setBusy(true);
    setError(undefined);
    try {
      await signInWith(await makeDevToken(api));
    } catch (thrown) {
      setError(thrown);
      setBusy(false);
    }
  }

  return (
    <div className="sign-in">
      <form className="panel form" onSubmit={submit} aria-labelledby="sign-in-heading">
        <h2 id="sign-in-heading">Sign in with a token</h2>
        <div className="field">
          <label htmlFor={tokenId}>Token</label>
          <p id={hintId} className="hint">
            A JWT issued for your organisation (with or without its "Bearer " prefix). The host
            checks it before anything is shown.
          </p>
          <textarea
            id={tokenId}
            name="token"
            rows={4}
            spellCheck={false}
            autoComplete="off"
            aria-describedby={hintId}
            aria-invalid={error instanceof ApiError && error.status === 401 ? true : undefined}
            value={token}
            onChange={(event) => setToken(event.target.value)}
          />
        </div>
        <ErrorMessage error={error} title="Sign-in failed" />
        <div className="actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Checking…' : 'Sign in'}
          </button>
        </div>
      </form>
      {devTokens && (
        <section className="panel panel--dev" aria-labelledby="dev-heading">
          <h2 id="dev-heading">Development host</h2>
          <p>
            This host checks tokens against the development secret in its data folder, so it can
            make you a one-hour admin token for org <code>local</code>.
          </p>
          <button
            type="button"
            className="button button--secondary"
            disabled={busy}
            onClick={() => void makeToken()}
          >
            Make me a token
          </button>
        </section>
      )}
    </div>
  );
}
