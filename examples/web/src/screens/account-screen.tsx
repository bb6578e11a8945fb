import { rolesText } from '../session';
import type { ScreenProps } from './screen';

/** The expiry the token itself states (not verified here: the host did that). */
function expiryOf(token: string): Date | undefined {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replaceAll('-', '+').replaceAll('_', '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? new Date(exp * 1000) : undefined;
  } catch {
    return undefined;
  }
}

/** Who is signed in, as the host verified the token. */
export function AccountScreen({ session }: ScreenProps) {
  const expires = expiryOf(session.token);
  return (
    <section className="panel" aria-labelledby="account-details">
      <h2 id="account-details">Signed in</h2>
      <dl className="details">
        <dt>User</dt>
        <dd>{session.userId}</dd>
        <dt>Organisation</dt>
        <dd>{session.orgId}</dd>
        <dt>Roles</dt>
        <dd>{rolesText(session)}</dd>
        {expires !== undefined && (
          <>
            <dt>Token expires</dt>
            <dd>
              <time dateTime={expires.toISOString()}>{expires.toLocaleString()}</time>
            </dd>
          </>
        )}
      </dl>
      <p className="hint">
        The token stays in this tab only (session storage) and is sent to this host's API alone.
      </p>
    </section>
  );
}
