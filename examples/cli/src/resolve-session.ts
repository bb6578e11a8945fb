import {
  type CategorizationSession,
  isVBucketsError,
  notFoundError,
  type Scope,
  type VBuckets,
  validationError,
} from '@vbuckets/core';
import { unwrap } from './errors';

/** How far back a session id prefix is looked for. */
const PREFIX_SEARCH_LIMIT = 100;
const MIN_PREFIX = 4;

/**
 * Finds a session by its id, by `latest` (the product's newest), or by the start of its id
 * (at least 4 characters, among the product's latest 100 sessions). NOT_FOUND otherwise.
 */
export async function resolveSession(
  vbuckets: VBuckets,
  scope: Scope,
  productId: string,
  reference: string,
): Promise<CategorizationSession> {
  const wanted = reference.trim();
  if (wanted.toLowerCase() === 'latest') {
    const [newest] = await unwrap(
      vbuckets.store.categorizationSessions.listRecent(scope, { productId, limit: 1 }),
    );
    if (newest === undefined) {
      throw notFoundError(
        `Product "${productId}" has no sessions yet: categorize some videos first`,
      );
    }
    return newest;
  }
  try {
    return await unwrap(vbuckets.store.categorizationSessions.get(scope, wanted));
  } catch (error) {
    if (!isVBucketsError(error) || error.code !== 'NOT_FOUND') throw error;
    if (wanted.length >= MIN_PREFIX) {
      const recent = await unwrap(
        vbuckets.store.categorizationSessions.listRecent(scope, {
          productId,
          limit: PREFIX_SEARCH_LIMIT,
        }),
      );
      const matches = recent.filter((session) => session.id.startsWith(wanted));
      if (matches.length === 1 && matches[0] !== undefined) return matches[0];
      if (matches.length > 1) {
        throw validationError(
          `Session "${wanted}" is ambiguous: ${matches.length} sessions start with it; give more of the id`,
          { path: 'session' },
        );
      }
    }
    throw notFoundError(`No session "${wanted}" in org "${scope.orgId}"`, {
      cause: error,
      details: { sessionId: wanted, orgId: scope.orgId },
    });
  }
}
