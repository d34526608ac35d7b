// Summary statistics and histograms for dataset tables and charts. Pure: no Node, no DOM.

/** The `describe()` summary of METRICS.md section 11 (pandas `describe` semantics). */
export interface Describe {
  count: number;
  mean: number | null;
  /** Sample standard deviation (n − 1 denominator); null when count < 2. */
  std: number | null;
  min: number | null;
  p25: number | null;
  p50: number | null;
  p75: number | null;
  max: number | null;
}

export interface Histogram {
  /** Bin edges, ascending; bins are [edge_i, edge_{i+1}) except the last, which includes its right edge. */
  edges: number[];
  counts: number[];
}

const EMPTY: Describe = { count: 0, mean: null, std: null, min: null, p25: null, p50: null, p75: null, max: null };

/** Copy the non-NaN values into a sorted Float64Array (NaN stands for a missing value, as in pandas). */
function sortedFinite(values: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) n++;
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) out[j++] = v;
  }
  return out.sort();
}

/**
 * Quantile of ascending `sorted` by linear interpolation between closest ranks: position
 * (n − 1)·q, the same as numpy's default and pandas `describe`.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const frac = pos - lo;
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return frac === 0 ? a : a + (b - a) * frac;
}

/**
 * count, mean, sample std, min, quartiles (linear interpolation) and max of `values`, like
 * pandas `Series.describe()`. NaN values are skipped; an empty input gives nulls.
 * Accepts typed arrays, so large columns need no boxing.
 */
export function describe(values: ArrayLike<number>): Describe {
  const x = sortedFinite(values);
  const n = x.length;
  if (n === 0) return { ...EMPTY };
  // Two passes (mean, then squared deviations) keep the variance accurate.
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - mean;
    ss += d * d;
  }
  return {
    count: n,
    mean,
    std: n < 2 ? null : Math.sqrt(ss / (n - 1)),
    min: x[0]!,
    p25: quantileSorted(x, 0.25),
    p50: quantileSorted(x, 0.5),
    p75: quantileSorted(x, 0.75),
    max: x[n - 1]!,
  };
}

/** A "nice" step (1, 2 or 5 × 10^k) giving about `bins` bins over [min, max]. */
export function niceStep(min: number, max: number, bins: number): number {
  const span = max - min;
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, bins);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const err = raw / power;
  const factor = err >= 7.5 ? 10 : err >= 3.5 ? 5 : err >= 1.5 ? 2 : 1;
  return factor * power;
}

/**
 * Nice bin edges covering [min, max]: multiples of a 1/2/5 step, so axis labels read well.
 * With `integer`, the step is at least 1 (counts such as word lengths). A single value v
 * gets the one bin [v, v + 1] (integer) or [floor(v), floor(v) + 1].
 */
export function niceEdges(min: number, max: number, bins = 20, integer = false): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) return [];
  let step = niceStep(min, max, bins);
  if (integer && step < 1) step = 1;
  // Steps below 1 are applied as division by their (integral) inverse, which avoids
  // accumulating float error such as 0.30000000000000004.
  const inv = step < 1 ? Math.round(1 / step) : 0;
  const at = (k: number) => (inv ? k / inv : k * step);
  const k0 = inv ? Math.floor(min * inv) : Math.floor(min / step);
  let k1 = inv ? Math.ceil(max * inv) : Math.ceil(max / step);
  if (k1 === k0) k1 = k0 + 1;
  const edges: number[] = [];
  for (let k = k0; k <= k1; k++) edges.push(at(k));
  return edges;
}

/** Count `values` (NaN skipped) into the bins given by ascending `edges`; values outside are ignored. */
export function histogramWithEdges(values: ArrayLike<number>, edges: readonly number[]): Histogram {
  const nb = Math.max(0, edges.length - 1);
  const counts = new Array<number>(nb).fill(0);
  if (nb === 0) return { edges: [...edges], counts };
  const lo = edges[0]!;
  const hi = edges[nb]!;
  const width = (hi - lo) / nb;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v) || v < lo || v > hi) continue;
    // Estimate the bin, then correct it against the real edges (uneven edges or float error).
    let b = Math.min(nb - 1, Math.max(0, Math.floor((v - lo) / width)));
    while (b > 0 && v < edges[b]!) b--;
    while (b < nb - 1 && v >= edges[b + 1]!) b++;
    counts[b]!++;
  }
  return { edges: [...edges], counts };
}

/** Histogram of `values` over nice edges (about `bins` bins); empty input gives no bins. */
export function histogram(values: ArrayLike<number>, opts: { bins?: number; integer?: boolean } = {}): Histogram {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min > max) return { edges: [], counts: [] };
  return histogramWithEdges(values, niceEdges(min, max, opts.bins ?? 20, opts.integer ?? false));
}
