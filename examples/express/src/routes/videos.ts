import type { HostInfo } from '../host-info';
import type { Route } from '../route-kit';

/** To be built: see issue 16. */
export function videoRoutes(_host: HostInfo): Route[] {
  return [];
}
