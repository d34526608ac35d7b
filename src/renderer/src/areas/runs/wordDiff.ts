// Word-level comparison of an original text and its rewrite, for the side-by-side table: which
// words of the original were dropped and which of the rewrite are new. Longest common
// subsequence over words (case and surrounding punctuation ignored), bounded in size. Pure.

export interface Segment {
  text: string;
  /** Not shared with the other text (dropped from the original / added in the rewrite). */
  changed: boolean;
}

export interface WordDiff {
  original: Segment[];
  rewrite: Segment[];
  /** Share of the original's words kept in the rewrite, 0..1 (1 for two empty texts). */
  kept: number;
}

/** Words and the whitespace between them, in order; joining them gives the text back. */
export function tokenize(text: string): string[] {
  return text.match(/\s+|[^\s]+/g) ?? [];
}

const isSpace = (t: string) => /^\s+$/.test(t);

/** How two words compare: case-insensitive, ignoring punctuation around them. */
export function wordKey(word: string): string {
  const key = word.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
  return key || word;
}

/** Above this many word pairs the comparison is skipped (null): long outputs stay fast. */
export const MAX_CELLS = 400_000;

export function wordDiff(original: string, rewrite: string, maxCells = MAX_CELLS): WordDiff | null {
  const a = tokenize(original);
  const b = tokenize(rewrite);
  const aw = a.map((t, i) => ({ t, i })).filter((x) => !isSpace(x.t));
  const bw = b.map((t, i) => ({ t, i })).filter((x) => !isSpace(x.t));
  const n = aw.length;
  const m = bw.length;
  if (n * m > maxCells) return null;
  const ak = aw.map((x) => wordKey(x.t));
  const bk = bw.map((x) => wordKey(x.t));
  // lcs[i][j] = LCS length of ak[i..] and bk[j..], in one flat array.
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] =
        ak[i] === bk[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  const keptA = new Set<number>();
  const keptB = new Set<number>();
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (ak[i] === bk[j]) {
      keptA.add(aw[i]!.i);
      keptB.add(bw[j]!.i);
      i++;
      j++;
    } else if (lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!) i++;
    else j++;
  }
  return {
    original: segments(a, keptA),
    rewrite: segments(b, keptB),
    kept: n === 0 ? (m === 0 ? 1 : 0) : keptA.size / n,
  };
}

/** Merge neighbouring tokens of the same kind; whitespace joins the run it sits in when both sides agree. */
function segments(tokens: string[], kept: Set<number>): Segment[] {
  const out: Segment[] = [];
  tokens.forEach((t, idx) => {
    let changed: boolean;
    if (isSpace(t)) {
      // Whitespace between two changed words is part of the change; otherwise it is plain.
      const prev = idx > 0 && !kept.has(idx - 1);
      const next = idx < tokens.length - 1 && !kept.has(idx + 1);
      changed = prev && next;
    } else changed = !kept.has(idx);
    const last = out[out.length - 1];
    if (last && last.changed === changed) last.text += t;
    else out.push({ text: t, changed });
  });
  return out;
}
