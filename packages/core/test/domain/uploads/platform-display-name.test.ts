import { describe, expect, it } from 'vitest';
import { platformDisplayName } from '../../../src/domain/uploads/platform-display-name';

describe('platformDisplayName', () => {
  it.each([
    ['youtube', 'YouTube'],
    ['tiktok', 'TikTok'],
    ['instagram', 'Instagram'],
    ['meta', 'Meta'],
    ['facebook', 'Facebook'],
    ['YouTube', 'YouTube'],
    [' TIKTOK ', 'TikTok'],
  ])('shows %j as %j', (platform, shown) => {
    expect(platformDisplayName(platform)).toBe(shown);
  });

  it('shows an unknown platform as given', () => {
    expect(platformDisplayName('linkedin')).toBe('linkedin');
  });

  // Pins a bug of object-literal lookups: inherited keys used to come back as functions.
  it('does not confuse a platform with an Object prototype key', () => {
    expect(platformDisplayName('constructor')).toBe('constructor');
  });
});
