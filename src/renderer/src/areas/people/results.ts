// Numbers of the People area in words: means with their intervals, agreement with its band,
// rates as percentages, and the excerpt of a prompt. Pure.
import { formatNumber } from '../../lib/format';

export function meanWithCi(m: { mean: number | null; ci: [number, number] | null }, digits = 2): string {
  if (m.mean === null) return '–';
  const ci = m.ci ? ` [${formatNumber(m.ci[0], digits)}, ${formatNumber(m.ci[1], digits)}]` : '';
  return `${formatNumber(m.mean, digits)}${ci}`;
}

/** Krippendorff's bands (α ≥ .800 reliable, .667–.800 tentative, below unreliable). */
export const ALPHA_BAND_WORDS: Record<'reliable' | 'tentative' | 'unreliable', string> = {
  reliable: 'reliable',
  tentative: 'tentative conclusions only',
  unreliable: 'unreliable',
};

export function agreementText(value: number | null, band: string | null, units: number, unitWord: string): string {
  if (value === null) return `not enough ratings yet (${units} ${unitWord}${units === 1 ? '' : 's'})`;
  return `${formatNumber(value, 3)}${band ? ` — ${band}` : ''} (${units} ${unitWord}${units === 1 ? '' : 's'})`;
}

export function percent(rate: number | null): string {
  return rate === null ? '–' : `${formatNumber(rate * 100, 0)}%`;
}

/** The start of a text on one line, for a table cell (the whole text is one click away). */
export function excerpt(text: string, max = 160): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** "95%" from 0.95. */
export function confidenceLabel(confidence: number): string {
  return `${formatNumber(confidence * 100, 0)}%`;
}
