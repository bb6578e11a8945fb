import { useCallback, useEffect, useMemo, useState } from 'react';
import { clearToken, createApiClient, loadToken, messageOf, saveToken } from './api';
import { Layout } from './components/layout';
import { useStatus } from './components/status';
import { hrefOf, useLocation } from './router';
import { screens } from './screens';
import { SignInScreen } from './screens/sign-in-screen';
import { isAdmin, rolesText, type Session, verifyToken } from './session';

type SignIn =
  | { state: 'checking' }
  | { state: 'signed-out' }
  | { state: 'signed-in'; session: Session };

export function App() {
  const location = useLocation();
  const status = useStatus();
  const [signIn, setSignIn] = useState<SignIn>(() =>
    loadToken() === undefined ? { state: 'signed-out' } : { state: 'checking' },
  );

  const signOut = useCallback(
    (message: string) => {
      clearToken();
      setSignIn({ state: 'signed-out' });
      status.say(message);
    },
    [status],
  );
  const api = useMemo(
    () =>
      createApiClient({
        token: loadToken,
        // An expired or revoked token ends the session where it is noticed, saying why.
        onUnauthenticated: (error) => {
          clearToken();
          setSignIn({ state: 'signed-out' });
          status.fail(`You were signed out: ${error.detail}`);
        },
      }),
    [status],
  );

  // A reload keeps the tab's token: the host checks it again before anything is shown.
  useEffect(() => {
    const stored = loadToken();
    if (stored === undefined) return;
    verifyToken(stored).then(
      (session) => setSignIn({ state: 'signed-in', session }),
      (error: unknown) => {
        clearToken();
        setSignIn({ state: 'signed-out' });
        status.fail(`Please sign in again: ${messageOf(error)}`);
      },
    );
  }, [status]);

  const signedIn = useCallback(
    (session: Session) => {
      saveToken(session.token);
      setSignIn({ state: 'signed-in', session });
      status.say(`Signed in as ${session.userId}, ${rolesText(session)} of org ${session.orgId}.`);
    },
    [status],
  );

  const session = signIn.state === 'signed-in' ? signIn.session : null;
  const available = screens.filter(
    (screen) => screen.needsAdmin !== true || (session !== null && isAdmin(session)),
  );
  // `#/` and an empty hash open the first screen (and say so in the address, for bookmarks).
  const path = location.path === '/' ? (available[0]?.path ?? '/') : location.path;
  const screen = available.find((each) => each.path === path);
  useEffect(() => {
    if (session !== null && location.path === '/' && path !== '/') {
      window.location.replace(hrefOf(path));
    }
  }, [session, location.path, path]);

  if (signIn.state === 'checking') {
    return (
      <Layout
        session={null}
        screens={screens}
        currentPath=""
        title="Signing in"
        onSignOut={() => {}}
      >
        <p className="hint">Checking your token with the host…</p>
      </Layout>
    );
  }
  if (session === null) {
    return (
      <Layout session={null} screens={screens} currentPath="" title="Sign in" onSignOut={() => {}}>
        <SignInScreen api={api} onSignedIn={signedIn} />
      </Layout>
    );
  }
  const Screen = screen?.component;
  return (
    <Layout
      session={session}
      screens={screens}
      currentPath={path}
      title={screen?.title ?? 'Not found'}
      onSignOut={() => signOut('You are signed out.')}
    >
      {Screen === undefined ? (
        <NotFound path={path} />
      ) : (
        <Screen api={api} session={session} location={location} />
      )}
    </Layout>
  );
}

function NotFound({ path }: { path: string }) {
  const hidden = screens.find((screen) => screen.path === path);
  return (
    <section className="panel">
      <p>
        {hidden === undefined
          ? `There is no screen at ${path}.`
          : `${hidden.title} is for admins of the organisation.`}
      </p>
      <p>
        <a href={hrefOf(screens[0]?.path ?? '/')}>Go to {screens[0]?.title ?? 'the start'}</a>
      </p>
    </section>
  );
}
