import { describe, expect, it } from 'vitest';
import { alphaBand, kappaBand } from '../../../src/shared/metrics/bands';

describe('kappaBand (Landis & Koch 1977, each band includes its upper limit)', () => {
  it.each([
    [-1, 'poor'],
    [-0.0001, 'poor'],
    [0, 'slight'],
    [0.2, 'slight'],
    [0.2001, 'fair'],
    [0.205, 'fair'],
    [0.21, 'fair'],
    [0.4, 'fair'],
    [0.41, 'moderate'],
    [0.6, 'moderate'],
    [0.6001, 'substantial'],
    [0.8, 'substantial'],
    [0.81, 'almost perfect'],
    [1, 'almost perfect'],
    [1 + 1e-12, 'almost perfect'],
    [0.20993, 'fair'],
  ] as const)('κ = %s is %s', (kappa, band) => {
    expect(kappaBand(kappa)).toBe(band);
  });

  it('rejects NaN and values above 1, naming kappa', () => {
    expect(() => kappaBand(Number.NaN)).toThrow(RangeError);
    expect(() => kappaBand(Number.NaN)).toThrow(/kappa is NaN/);
    expect(() => kappaBand(1.01)).toThrow(/kappa is 1.01; it cannot exceed 1/);
    expect(() => kappaBand(Infinity)).toThrow(RangeError);
  });
});

describe('alphaBand (Krippendorff 2004, limits inclusive at the bottom)', () => {
  it.each([
    [1, 'reliable'],
    [0.8, 'reliable'],
    [0.7999, 'tentative'],
    [0.667, 'tentative'],
    [0.6669, 'unreliable'],
    [0, 'unreliable'],
    [-0.5, 'unreliable'],
  ] as const)('α = %s is %s', (alpha, band) => {
    expect(alphaBand(alpha)).toBe(band);
  });

  it('rejects NaN and values above 1, naming alpha', () => {
    expect(() => alphaBand(Number.NaN)).toThrow(/alpha is NaN/);
    expect(() => alphaBand(2)).toThrow(/alpha is 2/);
  });
});
