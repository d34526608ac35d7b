// The record's text as word tokens (toggle buttons) and the rest (spaces, punctuation, kept as
// plain text), and the marking of biased words and phrases. Pure: the view maps it to buttons.

export interface Token {
  text: string;
  /** Index among word tokens only; null for spaces and punctuation. */
  word: number | null;
}

// A word: letters or digits, with inner apostrophes or hyphens (don't, self-made); punctuation
// around it stays outside, so marking "lazy" in "lazy." stores "lazy".
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’-][\p{L}\p{M}\p{N}]+)*/gu;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let last = 0;
  let words = 0;
  for (const m of text.matchAll(WORD)) {
    const at = m.index ?? 0;
    if (at > last) out.push({ text: text.slice(last, at), word: null });
    out.push({ text: m[0], word: words++ });
    last = at + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), word: null });
  return out;
}

function wordsOf(text: string): string[] {
  return [...text.matchAll(WORD)].map((m) => m[0]);
}

/** Which word indexes the marked entries cover: every occurrence of each word or phrase. */
export function markedWords(tokens: readonly Token[], marked: readonly string[]): Set<number> {
  const words = tokens.filter((t) => t.word !== null).map((t) => t.text);
  const covered = new Set<number>();
  for (const entry of marked) {
    const parts = wordsOf(entry);
    if (parts.length === 0) continue;
    for (let i = 0; i + parts.length <= words.length; i++) {
      if (parts.every((p, j) => words[i + j] === p)) for (let j = 0; j < parts.length; j++) covered.add(i + j);
    }
  }
  return covered;
}

/** The entries covering word `index` (to unmark them together when it is clicked again). */
function entriesCovering(tokens: readonly Token[], marked: readonly string[], index: number): string[] {
  return marked.filter((entry) => markedWords(tokens, [entry]).has(index));
}

/** The exact text from word `from` to word `to` (inclusive), spaces and punctuation between kept. */
export function phraseText(tokens: readonly Token[], from: number, to: number): string {
  const [lo, hi] = from <= to ? [from, to] : [to, from];
  let text = '';
  let inside = false;
  for (const t of tokens) {
    if (t.word === lo) inside = true;
    if (inside) text += t.text;
    if (t.word === hi) break;
  }
  return text;
}

/** The contract's limits on biasedWords. */
export const MAX_MARKED = 100;
export const MAX_MARKED_LENGTH = 200;

/**
 * Click on word `index`: unmark it (with the phrases through it) when marked, else mark it. With
 * `extendFrom` (a shift-click after a previous click), mark the phrase between the two instead,
 * replacing the entries inside it.
 */
export function toggleWord(
  tokens: readonly Token[],
  marked: readonly string[],
  index: number,
  extendFrom: number | null = null,
): string[] {
  if (extendFrom !== null && extendFrom !== index) {
    const phrase = phraseText(tokens, extendFrom, index);
    if (phrase.length > MAX_MARKED_LENGTH) return [...marked];
    const [lo, hi] = extendFrom <= index ? [extendFrom, index] : [index, extendFrom];
    const inside = (entry: string) => [...markedWords(tokens, [entry])].some((w) => w >= lo && w <= hi);
    const kept = marked.filter((e) => !inside(e) || wordsOf(e).length > hi - lo + 1);
    return kept.includes(phrase) || kept.length >= MAX_MARKED ? kept : [...kept, phrase];
  }
  const covering = entriesCovering(tokens, marked, index);
  if (covering.length > 0) return marked.filter((e) => !covering.includes(e));
  const word = tokens.find((t) => t.word === index)?.text;
  if (!word || marked.length >= MAX_MARKED) return [...marked];
  return [...marked, word];
}
