// Word-level edit distance and srlab's "benign change" measure (METRICS.md section 11).
// Pure: no Node, no DOM.

/**
 * Levenshtein distance between two token sequences (insert, delete, substitute cost 1),
 * in O(min(n, m)) memory.
 */
export function levenshtein<T>(a: readonly T[], b: readonly T[]): number {
  // A shared prefix and suffix never change the distance; rewrites often keep much of the text.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  if (start > 0 || endA < a.length || endB < b.length) {
    a = a.slice(start, endA);
    b = b.slice(start, endB);
  }
  if (a.length < b.length) [a, b] = [b, a];
  const m = b.length;
  if (m === 0) return a.length;
  let prev = new Int32Array(m + 1);
  let cur = new Int32Array(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const ai = a[i - 1];
    for (let j = 1; j <= m; j++) {
      const sub = prev[j - 1]! + (ai === b[j - 1] ? 0 : 1);
      const del = prev[j]! + 1;
      const ins = cur[j - 1]! + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
    }
    [prev, cur] = [cur, prev];
  }
  return prev[m]!;
}

const WORD = /[\p{L}\p{M}\p{N}]+(?:['’-][\p{L}\p{M}\p{N}]+)*/gu;

/**
 * The words compared by `benignChange`: runs of letters/digits (inner apostrophes and hyphens
 * kept), lower-cased. Punctuation, spacing and case are not counted as changes, so
 * "Wish me Luck !" and "Wish me luck!" are the same three words.
 */
export function changeTokens(text: string): string[] {
  return (text.match(WORD) ?? []).map((w) => w.toLowerCase());
}

/**
 * srlab's benign-change measure (the paper defines none): word-level Levenshtein distance
 * between the original and its benign variation, divided by the longer word count.
 * 0 = unchanged, 1 = fully rewritten; 0 when neither text has a word.
 */
export function benignChange(original: string, benign: string): number {
  const a = changeTokens(original);
  const b = changeTokens(benign);
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 0 : levenshtein(a, b) / longer;
}
