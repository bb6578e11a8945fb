import { err, ok, type Result } from 'neverthrow';
import { notFoundError, type VBucketsError, validationError } from '../../errors';
import type { Scope } from '../../schemas/common';
import type { Creative } from '../../schemas/market';
import type { MarketContext } from './market-context';

/** How many of the newest readable creatives an id prefix is looked for in (one page). */
export const CREATIVE_PREFIX_SEARCH_LIMIT = 1000;
/** The shortest id prefix taken: shorter ones would match by accident. */
export const MIN_CREATIVE_PREFIX = 4;

/**
 * A creative by its id, by `latest` (the org's newest), or by the start of its id (at least 4
 * characters, among the newest 1000 the org can read, public benchmarks included). NOT_FOUND
 * when none matches; VALIDATION when a prefix matches several.
 */
export async function findCreative(
  context: Pick<MarketContext, 'store'>,
  scope: Scope,
  reference: string,
): Promise<Result<Creative, VBucketsError>> {
  const wanted = reference.trim();
  const creatives = context.store.creatives;
  if (wanted.toLowerCase() === 'latest') {
    const newest = await creatives.list(scope, { includePublic: false }, { limit: 1 });
    if (newest.isErr()) return err(newest.error);
    const [first] = newest.value;
    return first === undefined
      ? err(
          notFoundError(
            `Org "${scope.orgId}" has no creatives yet: ingest a benchmark or add a creative first`,
            { details: { orgId: scope.orgId } },
          ),
        )
      : ok(first);
  }
  const exact = await creatives.get(scope, wanted);
  if (exact.isOk() || exact.error.code !== 'NOT_FOUND') return exact;
  if (wanted.length >= MIN_CREATIVE_PREFIX) {
    const recent = await creatives.list(
      scope,
      { includePublic: true },
      { limit: CREATIVE_PREFIX_SEARCH_LIMIT },
    );
    if (recent.isErr()) return err(recent.error);
    const matches = recent.value.filter((creative) => creative.id.startsWith(wanted));
    if (matches.length === 1 && matches[0] !== undefined) return ok(matches[0]);
    if (matches.length > 1) {
      return err(
        validationError(
          `Creative "${wanted}" is ambiguous: ${matches.length} creatives start with it; give more of the id`,
          { path: 'reference', details: { matches: matches.map((creative) => creative.id) } },
        ),
      );
    }
  }
  return err(
    notFoundError(`No creative "${wanted}" in org "${scope.orgId}" or among public benchmarks`, {
      cause: exact.error,
      details: { creativeId: wanted, orgId: scope.orgId },
    }),
  );
}
