import { describe, expect, it } from 'vitest';
import {
  KEYWORD_STOP_WORDS,
  stemWord,
  tokenizeKeywords,
} from '../../../src/domain/keyword/keyword-tokenizer';

const terms = (text: string) =>
  tokenizeKeywords(text, { bigrams: false }).map((token) => token.term);

describe('stemWord', () => {
  it.each([
    ['gums', 'gum'],
    ['probiotics', 'probiotic'],
    ['berries', 'berry'],
    ['energies', 'energy'],
    ['boxes', 'box'],
    ['lunches', 'lunch'],
    ['glasses', 'glass'],
    ['stress', 'stress'],
    ['virus', 'virus'],
    ['analysis', 'analysis'],
    ['bloating', 'bloat'],
    ['bloated', 'bloat'],
    ['sleeping', 'sleep'],
    ['running', 'run'],
    ['falling', 'fall'],
    ['stressed', 'stress'],
    ['need', 'need'],
    ['thing', 'thing'],
    ['gut', 'gut'],
    ['coffee', 'coffee'],
  ])('stems %s to %s', (word, stem) => {
    expect(stemWord(word)).toBe(stem);
  });

  it.each([
    ['tired', 'tire', 'tiring'],
    ['headache', 'headaches', 'headache'],
    ['energize', 'energized', 'energizing'],
    ['dose', 'doses', 'dosing'],
    ['virus', 'viruses', 'virus'],
  ])('gives %s, %s and %s one stem', (first, second, third) => {
    expect(stemWord(second)).toBe(stemWord(first));
    expect(stemWord(third)).toBe(stemWord(first));
  });

  it('leaves words with non-ASCII letters, digits or capitals alone', () => {
    expect(stemWord('müdigkeit')).toBe('müdigkeit');
    expect(stemWord('b12s')).toBe('b12s');
    expect(stemWord('Bloating')).toBe('Bloating');
  });
});

describe('tokenizeKeywords', () => {
  it('lower-cases, drops stop words, numbers and single letters, and stems', () => {
    expect(terms('I was SO bloated after 3 meals, and my gut hurt a lot')).toEqual([
      'bloat',
      'meal',
      'gut',
      'hurt',
      'lot',
    ]);
  });

  it('normalises with NFKC and splits on anything that is not a letter or digit', () => {
    // Full-width letters and the "ﬁ" ligature become plain ASCII under NFKC.
    expect(terms('ＦＩＢＥＲ/ﬁber—gut-health')).toEqual(['fiber', 'fiber', 'gut', 'health']);
  });

  it('keeps non-Latin words and reads contractions without their apostrophe', () => {
    expect(terms("Schlafstörung don't gut’s Ёлка")).toEqual(['schlafstörung', 'gut', 'ёлка']);
  });

  it('adds phrases of adjacent words, skipping stop words but not clause punctuation', () => {
    const tokens = tokenizeKeywords('Trouble falling asleep at night. Brain fog');
    expect(tokens.filter((token) => token.bigram).map((token) => token.term)).toEqual([
      'troubl fall',
      'fall asleep',
      'asleep night',
      'brain fog',
    ]);
    expect(tokens.find((token) => token.term === 'fall asleep')?.surface).toBe('falling asleep');
    expect(tokens.find((token) => token.term === 'asleep night')?.surface).toBe('asleep at night');
  });

  it('lets a phrase run across a line break, as captions break lines mid-sentence', () => {
    const phrases = tokenizeKeywords('brain\nfog').filter((token) => token.bigram);
    expect(phrases.map((token) => token.term)).toEqual(['brain fog']);
  });

  it('adds no phrases when bigrams are off', () => {
    expect(tokenizeKeywords('brain fog', { bigrams: false }).some((token) => token.bigram)).toBe(
      false,
    );
  });

  it('holds common words and transcript fillers as stop words', () => {
    for (const word of ['the', 'and', 'um', 'like', 'dont', 'every']) {
      expect(KEYWORD_STOP_WORDS.has(word)).toBe(true);
    }
    expect(KEYWORD_STOP_WORDS.has('sleep')).toBe(false);
  });
});
