import { describe, expect, it } from 'vitest';
import { fleschCounts, fleschReadingEase, words } from '../../../src/shared/metrics/flesch';

const CAT = 'The cat sat on the mat.';
const SUNNY = `${CAT} It was a sunny day, and everyone felt happy.`;

describe('Flesch Reading Ease (METRICS.md section 7)', () => {
  it.each([
    { text: CAT, counts: { sentence: 1, word: 6, syllable: 6 }, fre: 116.145 },
    { text: SUNNY, counts: { sentence: 2, word: 15, syllable: 19 }, fre: 92.0625 },
  ])('reproduces the test vector: $text', ({ text, counts, fre }) => {
    expect(fleschCounts(text)).toEqual(counts);
    expect(fleschReadingEase(text)).toBeCloseTo(fre, 10);
  });

  it.each(['', '   ', '!!! ... ?', ': : :'])('is null for text with no words: %j', (text) => {
    expect(fleschReadingEase(text)).toBeNull();
  });

  it.each([
    { text: 'no final stop here', sentence: 1 },
    { text: 'Wait!! Really?! Yes.', sentence: 3 },
    { text: 'It costs 3.5 dollars. Fine', sentence: 2 },
    { text: 'He said "stop." Then he left.', sentence: 2 },
    { text: 'first paragraph\n\nsecond paragraph', sentence: 2 },
    { text: 'About to go ! Wish me Luck !', sentence: 2 },
  ])('splits sentences at terminal punctuation followed by space: $text → $sentence', ({ text, sentence }) => {
    expect(fleschCounts(text).sentence).toBe(sentence);
  });

  it.each([
    { text: ": : : This has nothing . I 'm fine", words: ['This', 'has', 'nothing', 'I', 'm', 'fine'] },
    { text: "don't re-use e-mail", words: ["don't", 're-use', 'e-mail'] },
    { text: 'café 2024 naïve', words: ['café', '2024', 'naïve'] },
  ])('counts words as letter/digit runs, not punctuation: $text', ({ text, words: expected }) => {
    expect(words(text)).toEqual(expected);
  });

  it('gives every word at least one syllable (numbers included)', () => {
    expect(fleschCounts('I have 2 cats.')).toEqual({ sentence: 1, word: 4, syllable: 4 });
  });
});
