import { type ReactNode, useEffect, useRef } from 'react';
import { hrefOf } from '../router';
import type { Screen } from '../screens';
import { isAdmin, rolesText, type Session } from '../session';
import { StatusArea, useStatus } from './status';

interface LayoutProps {
  /** Null before sign-in: the header has no one to name and no navigation. */
  session: Session | null;
  screens: readonly Screen[];
  currentPath: string;
  /** The page heading and document title. */
  title: string;
  onSignOut: () => void;
  children: ReactNode;
}

export const PRODUCT_NAME = 'vbuckets';

export function Layout({ session, screens, currentPath, title, onSignOut, children }: LayoutProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  const shownPath = useRef<string | undefined>(undefined);
  const { clear } = useStatus();
  useEffect(() => {
    document.title = `${title} · ${PRODUCT_NAME}`;
    // Moving to another screen puts focus on its heading, so keyboard and screen reader users
    // start there; the first screen of a visit keeps the browser's own start.
    if (shownPath.current !== undefined && shownPath.current !== currentPath) {
      heading.current?.focus();
      // A message is about the screen it was said on; those of signing in and out (the
      // screen-less path '') carry over.
      if (shownPath.current !== '' && currentPath !== '') clear();
    }
    shownPath.current = currentPath;
  }, [title, currentPath, clear]);
  const visible = screens.filter(
    (screen) => screen.needsAdmin !== true || (session !== null && isAdmin(session)),
  );
  return (
    <div className="app">
      <button type="button" className="skip-link" onClick={skipToMain}>
        Skip to content
      </button>
      <header className="header">
        <div className="header__inner">
          <a className="brand" href={hrefOf(visible[0]?.path ?? '/')}>
            {PRODUCT_NAME}
          </a>
          {session !== null && (
            <div className="who">
              <dl className="who__facts">
                <div>
                  <dt>User</dt>
                  <dd>{session.userId}</dd>
                </div>
                <div>
                  <dt>Org</dt>
                  <dd data-testid="org">{session.orgId}</dd>
                </div>
                <div>
                  <dt>Role</dt>
                  <dd data-testid="roles">
                    <span className="badge">{rolesText(session)}</span>
                  </dd>
                </div>
              </dl>
              <button type="button" className="button button--secondary" onClick={onSignOut}>
                Sign out
              </button>
            </div>
          )}
        </div>
        {session !== null && (
          <nav className="nav" aria-label="Screens">
            <ul className="nav__list">
              {visible.map((screen) => (
                <li key={screen.path}>
                  <a
                    className="nav__link"
                    href={hrefOf(screen.path)}
                    aria-current={screen.path === currentPath ? 'page' : undefined}
                  >
                    {screen.title}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </header>
      <main id="main" className="main">
        <h1 ref={heading} tabIndex={-1} className="page-title">
          {title}
        </h1>
        <StatusArea />
        {children}
      </main>
    </div>
  );
}

/** The hash is the router's, so skipping is a button that moves focus rather than a `#main` link. */
function skipToMain() {
  document.getElementById('main')?.querySelector<HTMLElement>('h1')?.focus();
}
