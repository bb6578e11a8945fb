/**
 * Words too common to say anything about a video's topic: a small English list plus the
 * fillers of spoken transcripts. Contractions appear without their apostrophe (`dont`),
 * as the tokenizer reads them.
 */
export const KEYWORD_STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all also am an and any are as at be because been before
  being below between both but by can could did do does doing down during each few for from
  further had has have having he her here hers herself him himself his how i if in into is it
  its itself just me more most my myself no nor not now of off on once only or other our ours
  ourselves out over own same she should so some such than that the their theirs them
  themselves then there these they this those through to too under until up very was we were
  what when where which while who whom why will with would you your yours yourself yourselves
  every much many
  im ive id ill youre youve youll hes shes were theyre theyve weve thats theres whats lets
  dont doesnt didnt cant couldnt wont wouldnt isnt arent wasnt werent havent hasnt shouldnt
  um uh oh yeah okay ok like really gonna wanna gotta got get gets getting go going`
    .split(/\s+/)
    .filter((word) => word !== ''),
);

/** One term of a text: a stemmed word, or two adjacent ones as a phrase. */
export interface KeywordToken {
  /** The comparison form: stemmed word(s), lower-case, NFKC. */
  term: string;
  /** The text as written (lower-case, NFKC; a phrase with any stop words between), for explanations. */
  surface: string;
  /** True for a two-word phrase. */
  bigram: boolean;
}

export interface TokenizeKeywordsOptions {
  /** Adds a phrase token for each pair of adjacent words (default true). */
  bigrams?: boolean;
}

const VOWEL = /[aeiouy]/;
// Apostrophes inside words go, so `don't` reads `dont` and `gut's` stems to `gut`.
const INNER_APOSTROPHE = /(?<=[\p{L}\p{N}])['\u2019\u02bc](?=\p{L})/gu;
// Phrases do not span sentence or clause punctuation; a line break does not stop one, as
// captions break lines mid-sentence.
const PHRASE_BREAK = /[.!?;:,()[\]{}"\u201c\u201d\u00ab\u00bb|\u2026]+/u;
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

function undouble(stem: string): string {
  const last = stem.at(-1) ?? '';
  if (stem.length > 3 && last === stem.at(-2) && !'aeiouylsz'.includes(last)) {
    return stem.slice(0, -1);
  }
  return stem;
}

function stripSuffix(stem: string, suffix: string): string | undefined {
  if (!stem.endsWith(suffix)) return undefined;
  const rest = stem.slice(0, -suffix.length);
  return rest.length >= 3 && VOWEL.test(rest) ? undouble(rest) : undefined;
}

/**
 * A light English stemmer, enough to meet the same word in another form. Only lower-case
 * ASCII words over three letters change, in three steps: plurals (`-sses` to `-ss`, `-ies`
 * to `-y`, `-es` after s/x/z/ch/sh, else a final `-s` unless the word ends in `-ss`, `-us`
 * or `-is`); then `-ing` or `-ed` (not `-eed`) when at least three letters with a vowel stay,
 * undoubling a final consonant (`running` → `run`, but `falling` → `fall`); then a final
 * `-e` (not `-ee`), so `tired`, `tire` and `tiring` all give `tir`. Stems need not be words.
 */
export function stemWord(word: string): string {
  if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
  let stem = word;
  if (stem.endsWith('sses')) stem = stem.slice(0, -2);
  else if (stem.endsWith('ies'))
    stem = stem.length > 4 ? `${stem.slice(0, -3)}y` : stem.slice(0, -1);
  else if (/(?:[sxz]|ch|sh)es$/.test(stem)) stem = stem.slice(0, -2);
  else if (stem.endsWith('s') && !/(?:ss|us|is)$/.test(stem)) stem = stem.slice(0, -1);

  const withoutEnding =
    stripSuffix(stem, 'ing') ?? (stem.endsWith('eed') ? undefined : stripSuffix(stem, 'ed'));
  if (withoutEnding !== undefined) stem = withoutEnding;

  if (stem.length > 3 && stem.endsWith('e') && !stem.endsWith('ee')) stem = stem.slice(0, -1);
  return stem;
}

function isKeptWord(word: string): boolean {
  if (word === '' || /^\p{N}+$/u.test(word) || /^[a-z]$/.test(word)) return false;
  return !KEYWORD_STOP_WORDS.has(word);
}

/**
 * The terms of a text for lexical matching: NFKC, lower-cased, split on anything that is not
 * a letter, mark or digit; stop words, bare numbers and single Latin letters dropped; each
 * word stemmed by {@link stemWord}. With bigrams, each pair of words left adjacent within a
 * clause (stop words removed) also gives a phrase token, right after its second word.
 */
export function tokenizeKeywords(
  text: string,
  options: TokenizeKeywordsOptions = {},
): KeywordToken[] {
  const bigrams = options.bigrams ?? true;
  const normalized = text.normalize('NFKC').toLowerCase().replace(INNER_APOSTROPHE, '');
  const tokens: KeywordToken[] = [];
  for (const clause of normalized.split(PHRASE_BREAK)) {
    let previous: { token: KeywordToken; start: number } | undefined;
    for (const match of clause.matchAll(WORD)) {
      const word = match[0];
      if (!isKeptWord(word)) continue;
      const token: KeywordToken = { term: stemWord(word), surface: word, bigram: false };
      tokens.push(token);
      if (bigrams && previous !== undefined) {
        tokens.push({
          term: `${previous.token.term} ${token.term}`,
          // As written, stop words included: `wake up groggy` rather than `wake groggy`.
          surface: clause
            .slice(previous.start, match.index + word.length)
            .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' '),
          bigram: true,
        });
      }
      previous = { token, start: match.index };
    }
  }
  return tokens;
}
