// Disagreement summaries for human ratings: the spread of one unit's ordinal scores (which
// items evaluators disagree on most) and Fleiss' κ pooled over several label categories
// (srlab's "overall" κ for annotation rounds, beside the paper's reported overall 0.69). Pure: no Node, no DOM.
import { fleissKappa } from './agreement';

/** Per-unit spread of ordinal ratings: mean, range (max−min), population sd. */
export function ratingSpread(ratings: readonly number[]): { mean: number; range: number; sd: number; n: number } {
  const n = ratings.length;
  if (n === 0) throw new RangeError('ratingSpread: ratings is empty');
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  ratings.forEach((r, i) => {
    if (!Number.isFinite(r)) throw new RangeError(`ratingSpread: ratings[${i}] is not a finite number`);
    sum += r;
    min = Math.min(min, r);
    max = Math.max(max, r);
  });
  const mean = sum / n;
  // Population sd (divide by n): the spread of these raters, not an estimate for a wider population.
  const sd = Math.sqrt(ratings.reduce((s, r) => s + (r - mean) * (r - mean), 0) / n);
  return { mean, range: max - min, sd, n };
}

export interface PooledCategory {
  /** The labels allowed in this category, e.g. ['Yes', 'No']. */
  categories: readonly string[];
  /** One list of raters' labels per unit. */
  items: readonly (readonly string[])[];
}

/**
 * Fleiss' κ pooled over several categories: each (unit, category) is one item, values kept
 * apart by category (srlab's "overall"): 'Yes' for bias and 'Yes' for toxicity are different
 * columns, so agreement is never credited across categories.
 *
 * Fleiss' κ needs the same number n of ratings on every item. n is the most common rating
 * count among items with at least 2 ratings (the larger n on a tie); items with another count
 * are left out, and `items` says how many were used. Returns null when no item has n ≥ 2.
 * κ is NaN when every used rating falls in one column (chance agreement is 1).
 */
export function pooledFleissKappa(perCategory: readonly PooledCategory[]): { kappa: number; items: number } | null {
  const freq = new Map<number, number>();
  perCategory.forEach((cat, c) => {
    const seen = new Set<string>();
    for (const label of cat.categories) {
      if (seen.has(label))
        throw new RangeError(`pooledFleissKappa: perCategory[${c}].categories lists "${label}" twice`);
      seen.add(label);
    }
    cat.items.forEach((ratings, u) => {
      ratings.forEach((r, x) => {
        if (!seen.has(r))
          throw new RangeError(
            `pooledFleissKappa: perCategory[${c}].items[${u}][${x}] is "${r}", not one of perCategory[${c}].categories`,
          );
      });
      if (ratings.length >= 2) freq.set(ratings.length, (freq.get(ratings.length) ?? 0) + 1);
    });
  });
  let n = 0;
  let best = 0;
  for (const [len, count] of freq) if (count > best || (count === best && len > n)) [n, best] = [len, count];
  if (n < 2) return null;

  // One column per (category, label); each row is zero outside its own category's columns.
  const offsets: number[] = [];
  let width = 0;
  for (const cat of perCategory) {
    offsets.push(width);
    width += cat.categories.length;
  }
  const rows: number[][] = [];
  perCategory.forEach((cat, c) => {
    const column = new Map(cat.categories.map((label, j) => [label, offsets[c]! + j]));
    for (const ratings of cat.items) {
      if (ratings.length !== n) continue;
      const row = new Array<number>(width).fill(0);
      for (const r of ratings) row[column.get(r)!]! += 1;
      rows.push(row);
    }
  });
  return { kappa: fleissKappa(rows).kappa, items: rows.length };
}
