import type { ComponentType } from 'react';
import type { ApiClient } from '../api';
import type { Location } from '../router';
import type { Session } from '../session';

/** What every screen is given. */
export interface ScreenProps {
  api: ApiClient;
  session: Session;
  location: Location;
}

/** One entry of the navigation: its hash path (`/buckets` is `#/buckets`) and what it shows. */
export interface Screen {
  path: string;
  /** The nav link's text, the page's heading and the document title. */
  title: string;
  component: ComponentType<ScreenProps>;
  /** Shown to admins of the org only (the host refuses the others anyway). */
  needsAdmin?: boolean;
}
