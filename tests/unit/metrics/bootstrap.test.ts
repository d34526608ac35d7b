import { describe, expect, it } from 'vitest';
import { bootstrapDiffCI, bootstrapMeanCI, seededRandom } from '../../../src/shared/metrics/bootstrap';

const sample = (seed: number, n: number, shift = 0) => {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => r() + shift);
};

describe('seeded bootstrap', () => {
  it('the generator is reproducible and seed-dependent', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(seededRandom(43)()).not.toBe(xs[0]);
    // Fixed values: the same on every machine (32-bit integer arithmetic only).
    expect(seededRandom(0)()).toBe(0.26642920868471265);
    const u = sample(1, 10_000);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(u.reduce((s, v) => s + v, 0) / u.length).toBeCloseTo(0.5, 1);
  });

  it('gives the same interval for the same seed and a different one for another seed', () => {
    const x = sample(3, 200);
    const a = bootstrapMeanCI(x, { seed: 9, resamples: 500 });
    expect(bootstrapMeanCI(x, { seed: 9, resamples: 500 })).toEqual(a);
    expect(bootstrapMeanCI(x, { seed: 10, resamples: 500 }).lo).not.toBe(a.lo);
    expect(a.lo).toBeLessThan(a.estimate);
    expect(a.hi).toBeGreaterThan(a.estimate);
  });

  it('a 95% interval for the mean is close to the normal-theory one (mean ± 1.96·s/√n)', () => {
    const x = sample(5, 1000);
    const m = x.reduce((s, v) => s + v, 0) / x.length;
    const sd = Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1));
    const half = (1.959963984540054 * sd) / Math.sqrt(x.length);
    const ci = bootstrapMeanCI(x, { seed: 1, resamples: 4000 });
    expect(ci.estimate).toBe(m);
    expect(Math.abs(ci.hi - ci.lo - 2 * half) / (2 * half)).toBeLessThan(0.1);
  });

  it('a difference CI excludes 0 for shifted samples and includes it for the same distribution', () => {
    const base = sample(11, 300);
    const shifted = sample(12, 300, 0.2);
    const d = bootstrapDiffCI(shifted, base, { seed: 2 });
    expect(d.estimate).toBeGreaterThan(0.15);
    expect(d.lo).toBeGreaterThan(0);
    const same = bootstrapDiffCI(sample(13, 300), base, { seed: 2 });
    expect(same.lo).toBeLessThan(0);
    expect(same.hi).toBeGreaterThan(0);
  });

  it('paired resampling is much narrower than unpaired when items are strongly correlated', () => {
    const a = sample(21, 200);
    const b = a.map((v, i) => v + 0.05 + (i % 2 ? 0.01 : -0.01));
    const paired = bootstrapDiffCI(b, a, { paired: true, seed: 4 });
    const unpaired = bootstrapDiffCI(b, a, { seed: 4 });
    expect(paired.estimate).toBeCloseTo(0.05, 12);
    expect(paired.hi - paired.lo).toBeLessThan((unpaired.hi - unpaired.lo) / 10);
  });

  it('rejects empty or non-finite samples and mismatched pairs', () => {
    expect(() => bootstrapMeanCI([])).toThrow(/empty/);
    expect(() => bootstrapMeanCI([1, Number.NaN])).toThrow(/sample\[1\]/);
    expect(() => bootstrapDiffCI([1, 2], [1], { paired: true })).toThrow(/differ in length/);
  });
});
