/** The public counts a fake serves for one post; each fake writes them in its vendor's fields. */
export interface FakePostMetrics {
  views: number;
  likes: number;
  comments: number;
  shares: number;
  /** YouTube: the owner hid the like count, so `likeCount` is left out. */
  likesHidden?: boolean;
  /** YouTube: comments are off, so `commentCount` is left out. */
  commentsHidden?: boolean;
  /** Meta: reactions other than `like` (`{ love: 2, wow: 1 }`), in `total_video_reactions_by_type_total`. */
  reactions?: Record<string, number>;
}

/** The posts a fake serves metrics of, shared by the fakes' test controls. */
export interface FakeMetricsBook {
  /** The post's metrics, or undefined when it is unknown or deleted. */
  get(postId: string): FakePostMetrics | undefined;
  /** A post appears (an upload finished): zero counts unless it already has some; a deleted post stays deleted. */
  publish(postId: string): void;
  /** Sets some of a post's counts (the rest keep their value, zero for a new post); undeletes it. */
  set(postId: string, metrics: Partial<FakePostMetrics>): FakePostMetrics;
  /** The post is gone: the fake answers as its vendor does for a deleted post. */
  delete(postId: string): void;
  isDeleted(postId: string): boolean;
}

export function createFakeMetricsBook(): FakeMetricsBook {
  const posts = new Map<string, FakePostMetrics>();
  const deleted = new Set<string>();
  const zero = (): FakePostMetrics => ({ views: 0, likes: 0, comments: 0, shares: 0 });
  return {
    get: (postId) => (deleted.has(postId) ? undefined : posts.get(postId)),
    publish(postId) {
      if (!posts.has(postId)) posts.set(postId, zero());
    },
    set(postId, metrics) {
      deleted.delete(postId);
      const next = { ...(posts.get(postId) ?? zero()), ...metrics };
      posts.set(postId, next);
      return next;
    },
    delete(postId) {
      deleted.add(postId);
    },
    isDeleted: (postId) => deleted.has(postId),
  };
}

/** The metrics test controls every fake vendor server offers. */
export interface FakeMetricsControls {
  /** Sets the counts a post serves (creating the post if the fake does not know it). */
  setMetrics(postId: string, metrics: Partial<FakePostMetrics>): FakePostMetrics;
  /** Makes the post answer as deleted from now on (`setMetrics` brings it back). */
  deletePost(postId: string): void;
  /** What the post serves now, or undefined when it is unknown or deleted. */
  metricsOf(postId: string): FakePostMetrics | undefined;
}

export function metricsControls(book: FakeMetricsBook): FakeMetricsControls {
  return {
    setMetrics: (postId, metrics) => book.set(postId, metrics),
    deletePost: (postId) => book.delete(postId),
    metricsOf: (postId) => book.get(postId),
  };
}
