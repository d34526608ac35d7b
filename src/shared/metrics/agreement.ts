// Inter-rater agreement (METRICS.md section 6): Fleiss' κ, Cohen's κ (plain and weighted),
// Krippendorff's α (nominal, ordinal, interval, ratio; missing values allowed). Pure.

export interface FleissResult {
  kappa: number;
  /** Mean per-item agreement P̄. */
  pBar: number;
  /** Chance agreement P_e = Σ p_j². */
  pe: number;
  /** Share of all ratings in each category. */
  pj: number[];
  /** Agreement of each item. */
  pi: number[];
  items: number;
  raters: number;
}

/**
 * Fleiss' κ from an N×k matrix: `counts[i][j]` raters put item i in category j. Every item
 * must have the same number n ≥ 2 of raters.
 */
export function fleissKappa(counts: readonly (readonly number[])[]): FleissResult {
  const N = counts.length;
  if (N === 0) throw new RangeError('Fleiss kappa needs at least one item');
  const k = counts[0]!.length;
  const n = counts[0]!.reduce((s, v) => s + v, 0);
  if (n < 2) throw new RangeError('Fleiss kappa needs at least 2 raters per item');
  const colSums = new Array<number>(k).fill(0);
  const pi: number[] = [];
  counts.forEach((row, i) => {
    if (row.length !== k) throw new RangeError(`item ${i} has ${row.length} categories, expected ${k}`);
    let sum = 0;
    let sq = 0;
    row.forEach((v, j) => {
      if (!(v >= 0) || !Number.isInteger(v)) throw new RangeError(`item ${i}: counts must be non-negative integers`);
      sum += v;
      sq += v * v;
      colSums[j]! += v;
    });
    if (sum !== n) throw new RangeError(`item ${i} has ${sum} ratings, expected ${n} like the first item`);
    pi.push((sq - n) / (n * (n - 1)));
  });
  const pj = colSums.map((c) => c / (N * n));
  const pBar = pi.reduce((s, v) => s + v, 0) / N;
  const pe = pj.reduce((s, p) => s + p * p, 0);
  return { kappa: (pBar - pe) / (1 - pe), pBar, pe, pj, pi, items: N, raters: n };
}

export type KappaWeights = 'none' | 'linear' | 'quadratic';

/**
 * Cohen's κ from a k×k contingency table (`table[i][j]`: rater A said category i, rater B j).
 * With weights, κ_w = 1 − Σ w·o / Σ w·e with w_ij = |i−j|/(k−1) (linear) or (i−j)²/(k−1)²
 * (quadratic), categories in table order. `'none'` is the plain κ = (p_o − p_e)/(1 − p_e).
 */
export function cohenKappa(table: readonly (readonly number[])[], weights: KappaWeights = 'none'): number {
  const k = table.length;
  if (k < 2) throw new RangeError("Cohen's kappa needs at least 2 categories");
  const rows = new Array<number>(k).fill(0);
  const cols = new Array<number>(k).fill(0);
  let total = 0;
  table.forEach((row, i) => {
    if (row.length !== k) throw new RangeError('the table must be square');
    row.forEach((v, j) => {
      rows[i]! += v;
      cols[j]! += v;
      total += v;
    });
  });
  if (total === 0) return Number.NaN;
  const w = (i: number, j: number) =>
    weights === 'quadratic'
      ? ((i - j) * (i - j)) / ((k - 1) * (k - 1))
      : weights === 'linear'
        ? Math.abs(i - j) / (k - 1)
        : i === j
          ? 0
          : 1;
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const wij = w(i, j);
      observed += (wij * table[i]![j]!) / total;
      expected += (wij * rows[i]! * cols[j]!) / (total * total);
    }
  }
  // For 'none' this is 1 − (1 − p_o)/(1 − p_e) = (p_o − p_e)/(1 − p_e).
  return 1 - observed / expected;
}

/** Cohen's κ from two raters' paired labels; `categories` fixes the order (needed for weights). */
export function cohenKappaFromRatings<T>(
  a: readonly T[],
  b: readonly T[],
  opts: { categories?: readonly T[]; weights?: KappaWeights } = {},
): number {
  if (a.length !== b.length) throw new RangeError('both raters must rate the same items');
  const cats = opts.categories ?? [...new Set([...a, ...b])];
  const index = new Map(cats.map((c, i) => [c, i] as const));
  const table = cats.map(() => new Array<number>(cats.length).fill(0));
  a.forEach((x, i) => {
    const r = index.get(x);
    const c = index.get(b[i]!);
    if (r === undefined || c === undefined) throw new RangeError(`item ${i}: a label is not among the categories`);
    table[r]![c]!++;
  });
  return cohenKappa(table, opts.weights ?? 'none');
}

export type AlphaLevel = 'nominal' | 'ordinal' | 'interval' | 'ratio';

/**
 * Krippendorff's α. `data[r][u]` is rater r's value for unit u; null or NaN = missing.
 * Units with fewer than 2 values are not pairable and are left out. α is NaN when the
 * pairable values show no variation at all (its expected disagreement is 0).
 */
export function krippendorffAlpha(
  data: readonly (readonly (number | null)[])[],
  level: AlphaLevel = 'nominal',
): number {
  const units = data.reduce((m, row) => Math.max(m, row.length), 0);
  // Per unit: the values present.
  const unitValues: number[][] = [];
  for (let u = 0; u < units; u++) {
    const vs: number[] = [];
    for (const row of data) {
      const v = row[u];
      if (v !== null && v !== undefined && !Number.isNaN(v)) vs.push(v);
    }
    if (vs.length >= 2) unitValues.push(vs);
  }
  const values = [...new Set(unitValues.flat())].sort((x, y) => x - y);
  const V = values.length;
  const idx = new Map(values.map((v, i) => [v, i] as const));
  // Coincidence matrix: each unit adds m_uc·m_uk/(m_u − 1) (c ≠ k) and m_uc(m_uc − 1)/(m_u − 1).
  const o = values.map(() => new Array<number>(V).fill(0));
  for (const vs of unitValues) {
    const m = vs.length;
    const cnt = new Map<number, number>();
    for (const v of vs) cnt.set(idx.get(v)!, (cnt.get(idx.get(v)!) ?? 0) + 1);
    for (const [c, mc] of cnt) {
      for (const [k, mk] of cnt) o[c]![k]! += (c === k ? mc * (mc - 1) : mc * mk) / (m - 1);
    }
  }
  const nc = o.map((row) => row.reduce((s, v) => s + v, 0));
  const n = nc.reduce((s, v) => s + v, 0);
  const delta2 = (c: number, k: number): number => {
    if (c === k) return 0;
    const vc = values[c]!;
    const vk = values[k]!;
    switch (level) {
      case 'nominal':
        return 1;
      case 'ordinal': {
        const [lo, hi] = c < k ? [c, k] : [k, c];
        let s = 0;
        for (let g = lo; g <= hi; g++) s += nc[g]!;
        const d = s - (nc[c]! + nc[k]!) / 2;
        return d * d;
      }
      case 'interval':
        return (vc - vk) * (vc - vk);
      case 'ratio': {
        const d = (vc - vk) / (vc + vk);
        return d * d;
      }
    }
  };
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < V; c++) {
    for (let k = 0; k < V; k++) {
      if (c === k) continue;
      const d = delta2(c, k);
      observed += o[c]![k]! * d;
      expected += nc[c]! * nc[k]! * d;
    }
  }
  if (expected === 0) return Number.NaN;
  return 1 - ((n - 1) * observed) / expected;
}
