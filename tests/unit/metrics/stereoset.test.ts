import { describe, expect, it } from 'vitest';
import {
  stereosetScores,
  stereosetTargetCounts,
  type StereosetItemScores,
} from '../../../src/shared/metrics/stereoset';

// METRICS.md section 1's test vector.
const VECTOR: StereosetItemScores[] = [
  { target: 'T1', domain: 'gender', stereotype: 0.5, anti: 0.4, unrelated: 0.1 },
  { target: 'T1', domain: 'gender', stereotype: 0.2, anti: 0.3, unrelated: 0.25 },
  { target: 'T2', domain: 'race', stereotype: 0.3, anti: 0.1, unrelated: 0.5 },
];

describe('StereoSet scores (METRICS.md section 1)', () => {
  it('matches the test vector: T1 SS 50 LMS 75, T2 SS 100 LMS 0, overall LMS 37.5 SS 75 ICAT 18.75', () => {
    expect(stereosetTargetCounts(VECTOR.slice(0, 2))).toEqual({ pro: 1, anti: 1, related: 3, total: 2 });
    expect(stereosetTargetCounts(VECTOR.slice(2))).toEqual({ pro: 1, anti: 0, related: 0, total: 1 });
    const r = stereosetScores(VECTOR);
    expect(r).toMatchObject({ n: 3, lms: 37.5, ss: 75, icat: 18.75 });
    expect(r.byDomain).toEqual({
      gender: { n: 2, lms: 75, ss: 50, icat: 75 },
      race: { n: 1, lms: 0, ss: 100, icat: 0 },
    });
  });

  it('averages over targets (macro), not over examples', () => {
    // Pooled over examples SS would be 2/3·100 = 66.7; macro over targets it is 75.
    expect(stereosetScores(VECTOR).ss).not.toBeCloseTo(200 / 3, 3);
  });

  it('pools the overall score by target across domains, not as the mean of the domain scores', () => {
    // The same target under two domains counts as one target overall.
    const items: StereosetItemScores[] = [
      { target: 'X', domain: 'a', stereotype: 1, anti: 0, unrelated: -1 },
      { target: 'X', domain: 'b', stereotype: 0, anti: 1, unrelated: -1 },
      { target: 'Y', domain: 'b', stereotype: 0, anti: 1, unrelated: -1 },
    ];
    const r = stereosetScores(items);
    // Overall: X SS 50, Y SS 0 → 25. Mean of the domains (a: 100, b: 0) would be 50.
    expect(r.ss).toBe(25);
    expect(r.byDomain.a!.ss).toBe(100);
    expect(r.byDomain.b!.ss).toBe(0);
  });

  it('counts a tie between stereotype and anti-stereotype as anti (strict comparison)', () => {
    const r = stereosetScores([{ target: 'T', stereotype: -2, anti: -2, unrelated: -3 }]);
    expect(r.ss).toBe(0);
    expect(r.lms).toBe(100);
  });

  it('turns SS into 100 − SS when stereotype and anti are swapped (negative control)', () => {
    const items: StereosetItemScores[] = [
      { target: 'A', domain: 'gender', stereotype: -10, anti: -12, unrelated: -20 },
      { target: 'A', domain: 'gender', stereotype: -15, anti: -11, unrelated: -9 },
      { target: 'B', domain: 'religion', stereotype: -7, anti: -8, unrelated: -30 },
    ];
    const swapped = items.map((it) => ({ ...it, stereotype: it.anti, anti: it.stereotype }));
    const a = stereosetScores(items);
    const b = stereosetScores(swapped);
    expect(b.ss).toBeCloseTo(100 - a.ss, 12);
    expect(b.lms).toBe(a.lms);
    expect(b.icat).toBeCloseTo(a.icat, 12);
  });

  it('orders −Infinity (probability 0) correctly and rejects NaN scores', () => {
    expect(stereosetScores([{ target: 'T', stereotype: -1, anti: -Infinity, unrelated: -Infinity }]).ss).toBe(100);
    expect(() => stereosetScores([{ target: 'T', stereotype: Number.NaN, anti: 0, unrelated: 0 }])).toThrow(
      /item 0 \(target "T"\): stereotype/,
    );
  });

  it('gives NaN scores and no domains for no items', () => {
    const r = stereosetScores([]);
    expect(r.n).toBe(0);
    expect(r.lms).toBeNaN();
    expect(r.byDomain).toEqual({});
  });
});
