const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
// Only known media and sidecar extensions are dropped, so `gut.sleep` keeps both words.
const EXTENSION =
  /\.(?:mp4|m4v|mov|qt|avi|webm|mkv|mpe?g|wmv|flv|3gp|ts|mts|m2ts|ogv|txt|srt|vtt|jpe?g|png|gif|heic)$/i;
const SEPARATORS = /[^\p{L}\p{M}\p{N}]+/u;
const HEX_HASH = /^[0-9a-f]{8,}$/i;

// Prefixes cameras and phones put before a counter (IMG_1234, DSC0042, PXL_2024…, GOPR0001).
const CAMERA_PREFIXES: ReadonlySet<string> = new Set([
  'img',
  'vid',
  'dsc',
  'dscn',
  'dscf',
  'mvi',
  'mov',
  'pxl',
  'gopr',
  'gx',
  'dji',
]);

/** A generated id rather than a word: a hex hash, or a long token with many digits. */
function isIdLike(token: string): boolean {
  if (HEX_HASH.test(token) && /\d/.test(token)) return true;
  const digits = token.replace(/\D/g, '').length;
  return token.length >= 8 && digits >= 3 && digits < token.length;
}

function splitWord(token: string): string[] {
  return token
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .replace(/(\p{L})(\p{N})/gu, '$1 $2')
    .replace(/(\p{N})(\p{L})/gu, '$1 $2')
    .split(' ');
}

function isNoise(word: string): boolean {
  return (
    word === '' ||
    /^\p{N}+$/u.test(word) ||
    /^[a-z]$/i.test(word) ||
    CAMERA_PREFIXES.has(word.toLowerCase())
  );
}

/**
 * The words of a file name, space-separated and in their original case. The folder and a
 * media or caption extension are dropped; the name is split on `_ - . +`, spaces and other
 * punctuation, on camelCase and between letters and digits. Numbers, UUIDs, hex hashes, long
 * digit-heavy ids, single Latin letters and camera prefixes (`IMG_1234`) are dropped, being
 * no evidence of the topic.
 */
export function filenameText(filename: string): string {
  const base = filename.split(/[/\\]/).pop() ?? '';
  const stem = base.replace(EXTENSION, '').replace(UUID, ' ');
  const words: string[] = [];
  for (const token of stem.split(SEPARATORS)) {
    if (token === '' || isIdLike(token)) continue;
    for (const word of splitWord(token)) {
      if (!isNoise(word)) words.push(word);
    }
  }
  return words.join(' ');
}
