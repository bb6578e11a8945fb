import type { Creative, VBuckets } from '@vbuckets/core';
import { unwrap } from './errors';
import type { Settings } from './settings';

/** The creative a command names (its id, its first characters, or `latest`) in the org of the settings. */
export function findCreative(
  vbuckets: VBuckets,
  settings: Pick<Settings, 'scope'>,
  reference: string,
): Promise<Creative> {
  return unwrap(vbuckets.market.findCreative(settings.scope, reference));
}
