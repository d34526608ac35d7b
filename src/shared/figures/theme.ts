// Figure themes. Colours are the Okabe–Ito palette (distinguishable with every common colour
// vision deficiency); sizes are in points (SVG user units are points), never below 7 pt at the
// printed width. One bundled font family (DejaVu Sans) is named everywhere and embedded in PNG
// and PDF exports, so a figure looks the same on every machine.
import type { FigureThemeName } from './spec';

export interface FigureTheme {
  name: FigureThemeName;
  fontFamily: string;
  /** Font sizes in points. */
  fontSize: { tick: number; label: number; title: number; annotation: number };
  background: string;
  foreground: string;
  /** Axis lines, grid, separators. */
  muted: string;
  grid: string;
  /** Categorical palette (Okabe–Ito order, black moved last). */
  categorical: readonly string[];
  /** Sequential ramp endpoints for heat maps (low → high). */
  sequential: readonly [string, string];
  /** Diverging: negative, neutral, positive (e.g. trait valence). */
  diverging: readonly [string, string, string];
  strokeWidth: number;
}

export const FIGURE_FONT_FAMILY = 'DejaVu Sans';

const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'] as const;

export const THEMES: Record<FigureThemeName, FigureTheme> = {
  paper: {
    name: 'paper',
    fontFamily: FIGURE_FONT_FAMILY,
    fontSize: { tick: 7, label: 8, title: 9, annotation: 7 },
    background: '#ffffff',
    foreground: '#1a1a1a',
    muted: '#555555',
    grid: '#e3e3e3',
    categorical: OKABE_ITO,
    sequential: ['#f7fbff', '#08306b'],
    diverging: ['#D55E00', '#f2f2f2', '#0072B2'],
    strokeWidth: 0.75,
  },
  slides: {
    name: 'slides',
    fontFamily: FIGURE_FONT_FAMILY,
    fontSize: { tick: 11, label: 13, title: 15, annotation: 11 },
    background: '#ffffff',
    foreground: '#111111',
    muted: '#444444',
    grid: '#dddddd',
    categorical: OKABE_ITO,
    sequential: ['#f7fbff', '#08306b'],
    diverging: ['#D55E00', '#f2f2f2', '#0072B2'],
    strokeWidth: 1.25,
  },
  dark: {
    name: 'dark',
    fontFamily: FIGURE_FONT_FAMILY,
    fontSize: { tick: 8, label: 9, title: 10, annotation: 8 },
    background: '#15181c',
    foreground: '#ececec',
    muted: '#a8a8a8',
    grid: '#2e333a',
    categorical: ['#56B4E9', '#E69F00', '#009E73', '#F0E442', '#CC79A7', '#0072B2', '#D55E00', '#ffffff'],
    sequential: ['#1b2630', '#9ecae1'],
    diverging: ['#E69F00', '#3a3f45', '#56B4E9'],
    strokeWidth: 1,
  },
};

/**
 * Width of a text in points, estimated from DejaVu Sans's average advance (0.6 em; wider for
 * capitals and digits). Layout code must not measure with a DOM: it runs server-side too.
 */
export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) em += /[A-Z0-9MW@%]/.test(ch) ? 0.68 : /[il.,:;'|!]/.test(ch) ? 0.3 : ch === ' ' ? 0.32 : 0.58;
  return em * fontSize;
}
