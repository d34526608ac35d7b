// Flesch Reading Ease (METRICS.md section 7). The `flesch` formula and `syllable` counter do no
// tokenising, so sentences and words are split here. Pure: no Node, no DOM.
import { flesch } from 'flesch';
import { syllable } from 'syllable';

/**
 * A word: a run of letters, marks or digits, with inner apostrophes or hyphens ("don't",
 * "e-mail"). Punctuation standing alone (": : :", "!") is not a word.
 */
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’-][\p{L}\p{M}\p{N}]+)*/gu;

/**
 * A sentence ends at `.`, `!`, `?` or `…` (repeated or not, optionally followed by closing
 * quotes or brackets) that is followed by whitespace or the end of the text, or at a blank
 * line. So "3.5" and "e.g.x" do not split; "Mr. Smith" does (a known simplification).
 */
const SENTENCE_END = /[.!?…]+["'”’)\]]*(?=\s|$)|\n\s*\n/gu;

export type FleschCounts = {
  sentence: number;
  word: number;
  syllable: number;
};

export function words(text: string): string[] {
  return text.match(WORD) ?? [];
}

// `syllable()` is the costly step; words repeat (Zipf), so counts are memoised, bounded in size.
const SYLLABLE_CACHE_MAX = 100_000;
const syllableCache = new Map<string, number>();

/** Syllables of one word; a word always has at least one (numbers such as "2" get 1). */
export function wordSyllables(word: string): number {
  let n = syllableCache.get(word);
  if (n === undefined) {
    n = Math.max(1, syllable(word));
    if (syllableCache.size >= SYLLABLE_CACHE_MAX) syllableCache.clear();
    syllableCache.set(word, n);
  }
  return n;
}

/** Sentence, word and syllable counts. A sentence is a segment with at least one word. */
export function fleschCounts(text: string): FleschCounts {
  let sentences = 0;
  let wordCount = 0;
  let syllables = 0;
  for (const segment of text.split(SENTENCE_END)) {
    const ws = words(segment);
    if (ws.length === 0) continue;
    sentences++;
    wordCount += ws.length;
    for (const w of ws) syllables += wordSyllables(w);
  }
  return { sentence: sentences, word: wordCount, syllable: syllables };
}

/**
 * FRE = 206.835 − 1.015·(words/sentences) − 84.6·(syllables/words); null for text with no words.
 * "The cat sat on the mat." → 116.145.
 */
export function fleschReadingEase(text: string): number | null {
  const counts = fleschCounts(text);
  if (counts.word === 0) return null;
  return flesch(counts);
}
