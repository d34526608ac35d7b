// Seeded bootstrap confidence intervals for a mean and for a difference of means, used for
// "change against a baseline with its CI". Pure: the same seed gives the same interval on
// every machine (the generator uses only 32-bit integer arithmetic).
import { quantileSorted } from './describe';

/**
 * A seeded uniform generator on [0, 1): mulberry32. Small, fast and fully reproducible;
 * statistically fine for resampling (not for cryptography).
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BootstrapOptions {
  /** Resamples drawn (default 2000). */
  resamples?: number;
  /** 1 − confidence level (default 0.05: a 95% interval). */
  alpha?: number;
  /** Seed of the generator (default 0). */
  seed?: number;
}

export interface BootstrapInterval {
  /** The statistic on the data itself. */
  estimate: number;
  /** Percentile interval [lo, hi] of the resampled statistic. */
  lo: number;
  hi: number;
  resamples: number;
  alpha: number;
  seed: number;
  method: 'percentile';
}

function options(o: BootstrapOptions): Required<BootstrapOptions> {
  const resamples = o.resamples ?? 2000;
  const alpha = o.alpha ?? 0.05;
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError('bootstrap resamples must be a positive integer');
  if (!(alpha > 0 && alpha < 1)) throw new RangeError('bootstrap alpha must lie in (0, 1)');
  return { resamples, alpha, seed: o.seed ?? 0 };
}

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

/** Mean of `x` over indices drawn with replacement. */
function resampledMean(x: ArrayLike<number>, rand: () => number): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[Math.floor(rand() * n)]!;
  return s / n;
}

function interval(estimate: number, stats: Float64Array, o: Required<BootstrapOptions>): BootstrapInterval {
  stats.sort();
  return {
    estimate,
    lo: quantileSorted(stats, o.alpha / 2),
    hi: quantileSorted(stats, 1 - o.alpha / 2),
    ...o,
    method: 'percentile',
  };
}

function checkValues(x: ArrayLike<number>, what: string): void {
  if (x.length === 0) throw new RangeError(`bootstrap: ${what} is empty`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!)) throw new RangeError(`bootstrap: ${what}[${i}] is not a finite number`);
  }
}

/** Percentile bootstrap CI for the mean of `x`. */
export function bootstrapMeanCI(x: ArrayLike<number>, opts: BootstrapOptions = {}): BootstrapInterval {
  checkValues(x, 'the sample');
  const o = options(opts);
  const rand = seededRandom(o.seed);
  const stats = new Float64Array(o.resamples);
  for (let r = 0; r < o.resamples; r++) stats[r] = resampledMean(x, rand);
  return interval(mean(x), stats, o);
}

/**
 * Percentile bootstrap CI for mean(a) − mean(b). `paired` (a[i] and b[i] are the same item,
 * e.g. one test item under a model and under its baseline) resamples items and keeps the
 * pairs; otherwise each sample is resampled on its own.
 */
export function bootstrapDiffCI(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  opts: BootstrapOptions & { paired?: boolean } = {},
): BootstrapInterval {
  checkValues(a, 'the first sample');
  checkValues(b, 'the second sample');
  const o = options(opts);
  if (opts.paired) {
    if (a.length !== b.length)
      throw new RangeError(`bootstrap: paired samples differ in length (${a.length} vs ${b.length})`);
    const d = Float64Array.from({ length: a.length }, (_, i) => a[i]! - b[i]!);
    return bootstrapMeanCI(d, opts);
  }
  const rand = seededRandom(o.seed);
  const stats = new Float64Array(o.resamples);
  for (let r = 0; r < o.resamples; r++) stats[r] = resampledMean(a, rand) - resampledMean(b, rand);
  return interval(mean(a) - mean(b), stats, o);
}
