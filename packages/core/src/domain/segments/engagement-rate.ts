/** The counts an engagement rate is made of; a `SocialUsage` has them all. */
export interface EngagementCounts {
  views: number;
  likes: number;
  shares: number;
  comments: number;
}

/**
 * (likes + shares + comments) / views (seed 004). Null when there are no views: a rate over
 * nothing is unknown, not 0, and an average must be able to leave it out. Counts are taken as
 * the `SocialUsage` schema guarantees them (non-negative integers); the rate can exceed 1
 * when people interact more than once per view.
 */
export function engagementRate(counts: EngagementCounts): number | null {
  if (counts.views === 0) return null;
  return (counts.likes + counts.shares + counts.comments) / counts.views;
}
