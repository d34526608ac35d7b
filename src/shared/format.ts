// Formatting shared by the CLI and the renderer.

/** A rough duration for estimates: "45 s", "12 min", "3 h 20 min", "2.5 days". */
export function formatRoughDuration(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  const min = Math.round(seconds / 60);
  if (min < 90) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${min % 60} min`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

/**
 * A measured number with honest precision: `digits` significant digits, trailing zeros dropped
 * (so 0.915 prints "0.915", never "0.900"; 318.9977 prints "319"), whole numbers in full
 * (1283 stays "1283", 12345.6 prints "12346": digits left of the point are never zeroed).
 * "–" for null or a non-finite number.
 */
export function formatSignificant(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (v === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(v)));
  const decimals = Math.min(100, Math.max(0, digits - 1 - magnitude));
  let s = v.toFixed(decimals);
  if (s.includes('.')) s = s.replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}

/**
 * A table value at its column's decimals — except a nonzero value too small to show there (a
 * p-value of 1e-21 at 6 decimals would read "0.000000"), which is written in scientific notation
 * with 3 significant digits ("1.37e-170"). Exports, the Evaluation area and figures all use this,
 * so a number reads the same everywhere.
 */
export function formatTableValue(value: number, digits: number): string {
  if (value !== 0 && Number.isFinite(value) && Math.abs(value) < 0.5 * 10 ** -digits) return value.toExponential(2);
  return value.toFixed(digits);
}
