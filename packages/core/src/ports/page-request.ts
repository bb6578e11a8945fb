/**
 * Keyset paging of a list that grows with the table: at most `limit` items, starting after
 * the item whose id is `after`, in the list's own order. A page costs the same at any depth
 * (no OFFSET), and rows inserted meanwhile never shift a page.
 */
export interface PageRequest {
  /** At most this many items (a non-negative integer); every remaining item when omitted. */
  readonly limit?: number;
  /** The id of the last item of the previous page; the list goes on after it. */
  readonly after?: string;
}
