export { type EngagementCounts, engagementRate } from './engagement-rate';
export {
  analyzeSegmentUsage,
  type PlatformAnalytics,
  type SegmentAnalytics,
  type SocialUsageMetrics,
} from './segment-analytics';
