// Verbal interpretation bands for agreement coefficients, shown next to κ and α in reports.
// Pure: no Node, no DOM.

export type KappaBand = 'poor' | 'slight' | 'fair' | 'moderate' | 'substantial' | 'almost perfect';

export type AlphaBand = 'reliable' | 'tentative' | 'unreliable';

// Rounding error can push a perfect coefficient a hair above 1; more than this is a bug upstream.
const SLACK = 1e-9;

function check(value: number, what: string): void {
  if (Number.isNaN(value))
    throw new RangeError(`${what} is NaN (undefined, e.g. the ratings show no variation); it has no band`);
  if (!(value <= 1 + SLACK)) throw new RangeError(`${what} is ${value}; it cannot exceed 1`);
}

/**
 * Landis & Koch (1977): < 0 poor, 0–.20 slight, .21–.40 fair, .41–.60 moderate, .61–.80
 * substantial, .81–1 almost perfect. Their table lists two-decimal values, so each band here
 * includes its upper limit and starts just above the previous one: κ = .20 is slight, .205
 * and .21 are fair, .80 is substantial, .8001 is almost perfect; exactly 0 is slight.
 */
export function kappaBand(kappa: number): KappaBand {
  check(kappa, 'kappa');
  if (kappa < 0) return 'poor';
  if (kappa <= 0.2) return 'slight';
  if (kappa <= 0.4) return 'fair';
  if (kappa <= 0.6) return 'moderate';
  if (kappa <= 0.8) return 'substantial';
  return 'almost perfect';
}

/**
 * Krippendorff (2004, p. 241): rely on data with α ≥ .800; draw only tentative conclusions
 * when .667 ≤ α < .800; below .667 the data are unreliable. Limits are inclusive at the bottom.
 */
export function alphaBand(alpha: number): AlphaBand {
  check(alpha, 'alpha');
  if (alpha >= 0.8) return 'reliable';
  if (alpha >= 0.667) return 'tentative';
  return 'unreliable';
}
