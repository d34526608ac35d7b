// Counterfactual consistency: does a scorer's verdict on a text change when only a
// demographic or stylistic detail changes? srlab's measure (the paper names the test set,
// not a formula). Pure.

/** One scored variant of an original text. */
export interface CounterfactualScore {
  /** Identifies the original row all of whose variants belong together. */
  original: string | number;
  /** Which variant (e.g. 'original', 'gender-swapped'). */
  variant: string;
  score: number;
}

export interface CounterfactualGroup {
  original: string | number;
  variants: number;
  min: number;
  max: number;
  /** max − min of the scores across the variants. */
  spread: number;
  /** Population standard deviation (ddof = 0) of the scores across the variants. */
  sd: number;
  /** Whether the verdicts (score > threshold) are not all the same. */
  flipped: boolean;
  /** Variants judged positive (score > threshold). */
  positive: string[];
}

export interface CounterfactualConsistency {
  threshold: number;
  /** Originals with at least 2 variants (the ones that can flip). */
  originals: number;
  /** Originals left out for having a single variant. */
  skipped: number;
  flipped: number;
  /** flipped / originals (NaN when none). */
  shareFlipped: number;
  meanSpread: number;
  meanSd: number;
  /** Per variant: scored items, mean score and the share judged positive. */
  byVariant: Record<string, { n: number; meanScore: number; sharePositive: number }>;
  groups: CounterfactualGroup[];
}

/**
 * Per original: the spread (max − min, population SD) of its variants' scores and whether
 * the verdict flips among them; summarised as the share of originals that flip. Groups
 * keep the order in which their originals first appear.
 */
export function counterfactualConsistency(
  scores: readonly CounterfactualScore[],
  threshold = 0.5,
): CounterfactualConsistency {
  const byOriginal = new Map<string | number, CounterfactualScore[]>();
  const byVariant = new Map<string, { n: number; sum: number; pos: number }>();
  scores.forEach((s, i) => {
    if (typeof s.score !== 'number' || Number.isNaN(s.score)) {
      throw new RangeError(`counterfactual item ${i} (original ${s.original}, ${s.variant}): score is not a number`);
    }
    const list = byOriginal.get(s.original);
    if (list) list.push(s);
    else byOriginal.set(s.original, [s]);
    const v = byVariant.get(s.variant) ?? { n: 0, sum: 0, pos: 0 };
    v.n++;
    v.sum += s.score;
    if (s.score > threshold) v.pos++;
    byVariant.set(s.variant, v);
  });
  const groups: CounterfactualGroup[] = [];
  let skipped = 0;
  for (const [original, list] of byOriginal) {
    if (list.length < 2) {
      skipped++;
      continue;
    }
    const xs = list.map((s) => s.score);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const positive = list.filter((s) => s.score > threshold).map((s) => s.variant);
    const min = Math.min(...xs);
    const max = Math.max(...xs);
    groups.push({
      original,
      variants: list.length,
      min,
      max,
      spread: max - min,
      sd: Math.sqrt(xs.reduce((a, x) => a + (x - mean) * (x - mean), 0) / xs.length),
      flipped: positive.length > 0 && positive.length < list.length,
      positive,
    });
  }
  const G = groups.length;
  const flipped = groups.filter((g) => g.flipped).length;
  const mean = (f: (g: CounterfactualGroup) => number) =>
    G > 0 ? groups.reduce((a, g) => a + f(g), 0) / G : Number.NaN;
  return {
    threshold,
    originals: G,
    skipped,
    flipped,
    shareFlipped: G > 0 ? flipped / G : Number.NaN,
    meanSpread: mean((g) => g.spread),
    meanSd: mean((g) => g.sd),
    byVariant: Object.fromEntries(
      [...byVariant.keys()].sort().map((k) => {
        const v = byVariant.get(k)!;
        return [k, { n: v.n, meanScore: v.sum / v.n, sharePositive: v.pos / v.n }];
      }),
    ),
    groups,
  };
}
