import type { CategorizationSession, VBuckets } from '@vbuckets/core';
import { unwrap } from './errors';
import type { Settings } from './settings';

/** The session a command names (its id, its first characters, or `latest`) in the product of the settings. */
export function findSession(
  vbuckets: VBuckets,
  settings: Pick<Settings, 'scope' | 'productId'>,
  reference: string,
): Promise<CategorizationSession> {
  return unwrap(
    vbuckets.categorize.findSession(settings.scope, { productId: settings.productId, reference }),
  );
}
