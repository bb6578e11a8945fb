import { useEffect, useState } from 'react';

/** Where the page is: `#/buckets?product=serum` is `{ path: '/buckets', params: product=serum }`. */
export interface Location {
  path: string;
  params: URLSearchParams;
}

export function parseHash(hash: string): Location {
  const text = hash.replace(/^#/, '');
  const mark = text.indexOf('?');
  const path = mark === -1 ? text : text.slice(0, mark);
  return {
    path: path === '' ? '/' : path.startsWith('/') ? path : `/${path}`,
    params: new URLSearchParams(mark === -1 ? '' : text.slice(mark + 1)),
  };
}

/** The `href` of a screen: `hrefOf('/buckets', { product: 'serum' })` is `#/buckets?product=serum`. */
export function hrefOf(path: string, params: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(name, value);
  }
  const text = search.toString();
  return `#${path}${text === '' ? '' : `?${text}`}`;
}

/** Goes to a screen (a history entry, so Back returns). */
export function navigate(path: string, params: Record<string, string | undefined> = {}): void {
  window.location.hash = hrefOf(path, params);
}

/** The current location, following `hashchange` (links, Back, Forward, `navigate`). */
export function useLocation(): Location {
  const [location, setLocation] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const follow = () => setLocation(parseHash(window.location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  return location;
}
