import { describe, expect, it } from 'vitest';
import { engagementRate } from '../../../src/domain/segments/engagement-rate';

describe('engagementRate', () => {
  it('is likes, shares and comments over views', () => {
    expect(engagementRate({ views: 1000, likes: 50, shares: 20, comments: 30 })).toBe(0.1);
  });

  it('is null when there are no views', () => {
    expect(engagementRate({ views: 0, likes: 0, shares: 0, comments: 0 })).toBeNull();
    expect(engagementRate({ views: 0, likes: 3, shares: 1, comments: 0 })).toBeNull();
  });

  it('is 0 with views but no interactions', () => {
    expect(engagementRate({ views: 10, likes: 0, shares: 0, comments: 0 })).toBe(0);
  });

  it('may exceed 1 when people interact more than once per view', () => {
    expect(engagementRate({ views: 2, likes: 2, shares: 1, comments: 1 })).toBe(2);
  });
});
