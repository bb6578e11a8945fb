import { ApiError, messageOf } from '../api';

/** A failure where it happened: the host's explanation, and its status and code in small print. */
export function ErrorMessage({ error, title }: { error: unknown; title?: string }) {
  if (error === undefined || error === null) return null;
  return (
    <div role="alert" className="error-message">
      <p className="error-message__title">{title ?? 'That did not work'}</p>
      <p className="error-message__detail">{messageOf(error)}</p>
      {error instanceof ApiError && error.status !== 0 && (
        <p className="error-message__code">
          HTTP {error.status} · {error.code}
          {error.path === undefined ? '' : ` · ${error.path}`}
        </p>
      )}
    </div>
  );
}
