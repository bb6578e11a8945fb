// A Map rather than an object literal so names such as `constructor` never hit the prototype.
const DISPLAY_NAMES: ReadonlyMap<string, string> = new Map([
  ['youtube', 'YouTube'],
  ['tiktok', 'TikTok'],
  ['instagram', 'Instagram'],
  ['meta', 'Meta'],
  ['facebook', 'Facebook'],
]);

/** The name people know a platform by (`youtube` -> `YouTube`); unknown platforms as given. */
export function platformDisplayName(platform: string): string {
  return DISPLAY_NAMES.get(platform.trim().toLowerCase()) ?? platform;
}
