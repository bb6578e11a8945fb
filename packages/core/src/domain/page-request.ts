import { type VBucketsError, validationError } from '../errors';
import type { PageRequest } from '../ports/page-request';

/**
 * What is wrong with a page request, as the VALIDATION error every store answers with, or
 * `undefined` when it is fine. `adapter` and `operation` name the caller for logs.
 */
export function pageRequestError(
  page: PageRequest | undefined,
  context: { adapter?: string; operation?: string } = {},
): VBucketsError | undefined {
  if (page?.limit !== undefined && (!Number.isSafeInteger(page.limit) || page.limit < 0)) {
    return validationError('limit must be a non-negative integer', { path: 'limit', ...context });
  }
  if (page?.after !== undefined && (typeof page.after !== 'string' || page.after.length === 0)) {
    return validationError('after must be the id of an item of the list', {
      path: 'after',
      ...context,
    });
  }
  return undefined;
}

/** The VALIDATION error for an `after` that names no item of the list. */
export function unknownAfterError(
  after: string,
  context: { adapter?: string; operation?: string } = {},
): VBucketsError {
  return validationError(
    `No item "${after}" in this list to continue after; start again without "after"`,
    { path: 'after', details: { after }, ...context },
  );
}

/**
 * What is wrong with a page request that may page by `offset` instead of `after`, or
 * `undefined`: the offset must be a non-negative integer, and not given with `after`.
 */
export function offsetPageError(
  page: (PageRequest & { offset?: number }) | undefined,
  context: { adapter?: string; operation?: string } = {},
): VBucketsError | undefined {
  const invalid = pageRequestError(page, context);
  if (invalid !== undefined || page?.offset === undefined) return invalid;
  if (!Number.isSafeInteger(page.offset) || page.offset < 0) {
    return validationError('offset must be a non-negative integer', { path: 'offset', ...context });
  }
  if (page.after !== undefined) {
    return validationError('Give offset or after, not both', { path: 'offset', ...context });
  }
  return undefined;
}
