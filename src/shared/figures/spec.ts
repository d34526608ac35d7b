// A figure is named by its spec: what it draws (kind), from what (an evaluation, a dataset, a
// human-evaluation session, or numbers given inline), at which size and theme, with the kind's
// own options. The spec is saved beside every export, and srlab redraws the identical figure
// from it.
import { z } from 'zod';

export const FIGURE_KINDS = [
  'trait-network',
  't-dist',
  'bars',
  'heatmap',
  'stereoset',
  'human',
  'dataset',
  'table',
] as const;
export type FigureKind = (typeof FIGURE_KINDS)[number];

export const FIGURE_FORMATS = ['svg', 'png', 'pdf'] as const;
export type FigureFormat = (typeof FIGURE_FORMATS)[number];

/** Column widths of a two-column paper, in inches. */
export const FIGURE_WIDTHS = { single: 3.5, double: 7 } as const;
export type FigureWidth = keyof typeof FIGURE_WIDTHS;

export const FIGURE_THEMES = ['paper', 'slides', 'dark'] as const;
export type FigureThemeName = (typeof FIGURE_THEMES)[number];

/** Points per inch: SVG user units of a figure are points, so fonts in pt are exact in print. */
export const PT_PER_INCH = 72;

export const FigureSource = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('evaluation'),
    evaluation: z
      .number()
      .int()
      .min(1)
      .max(2 ** 31 - 1),
  }),
  z.object({
    kind: z.literal('dataset'),
    dataset: z.string().trim().min(1).max(200),
    split: z.enum(['train', 'dev', 'test', 'all']).default('all'),
  }),
  /** A blind human-evaluation session of this lab (issue 13): its results' per-model means and CIs. */
  z.object({
    kind: z.literal('humaneval'),
    session: z
      .number()
      .int()
      .min(1)
      .max(2 ** 31 - 1),
  }),
  /** Numbers given by the user (e.g. a t-test result, human-evaluation means), checked by the kind. */
  z.object({ kind: z.literal('input'), data: z.record(z.string(), z.unknown()) }),
]);
export type FigureSource = z.infer<typeof FigureSource>;

export const FigureSpec = z.object({
  kind: z.enum(FIGURE_KINDS),
  source: FigureSource,
  width: z.enum(['single', 'double']).default('double'),
  theme: z.enum(FIGURE_THEMES).default('paper'),
  /** The kind's own options (checked by the kind's zod schema): e.g. a network's top-k, weighting, seed and adjusted positions. */
  options: z.record(z.string(), z.unknown()).default({}),
  /** Overrides the generated caption. */
  caption: z.string().max(2000).optional(),
});
export type FigureSpec = z.infer<typeof FigureSpec>;
export type FigureSpecInput = z.input<typeof FigureSpec>;
