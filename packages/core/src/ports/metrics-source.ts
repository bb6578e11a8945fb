import type { ResultAsync } from 'neverthrow';
import type { VBucketsError } from '../errors';

/** A post on a platform, as an upload's ledger row names it. */
export interface PostRef {
  platform: string;
  postId: string;
}

/** A post's public counts, mapped from the vendor's fields (the adapter's README says how). */
export interface PostMetrics {
  views: number;
  likes: number;
  shares: number;
  comments: number;
  /** Link clicks when the platform reports them, else null. */
  clicks: number | null;
  /** Conversions when the platform reports them, else null. */
  conversions: number | null;
}

/**
 * One post's answer: its metrics, or why not. `NOT_FOUND` for a deleted or unknown post,
 * `RATE_LIMITED` (with `retryAfterMs` in the error's details when the vendor says) when the
 * quota ran out before it, `UNAUTHENTICATED` for a refused token, `PROVIDER` otherwise
 * (`retryable` for a network failure); a failed post never
 * hides the others' answers.
 */
export type PostMetricsResult =
  | { post: PostRef; ok: true; metrics: PostMetrics }
  | { post: PostRef; ok: false; error: VBucketsError };

export interface MetricsFetchOptions {
  /** Cancels the calls in flight; posts not asked yet answer `CANCELLED`. */
  signal?: AbortSignal;
}

/**
 * Reads public metrics of posts from one platform's real API (`@vbuckets/uploaders` has
 * YouTube, TikTok, Instagram and Meta). The source batches the posts as the vendor allows
 * (`maxPostsPerCall` a request) and answers one result per post, in the order given.
 */
export interface MetricsSource {
  readonly specificationVersion: 'v1';
  /** The platform's name, as uploads and social usage rows spell it (`youtube`). */
  readonly platform: string;
  /** How many posts one vendor request can carry. */
  readonly maxPostsPerCall: number;
  /**
   * One result per post, in order. Err only for the caller's mistakes (`VALIDATION`: a post of
   * another platform, an empty post id); vendor failures are per-post results.
   */
  fetch(
    posts: readonly PostRef[],
    options?: MetricsFetchOptions,
  ): ResultAsync<PostMetricsResult[], VBucketsError>;
}
