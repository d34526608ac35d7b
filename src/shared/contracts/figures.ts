// Figures (issue 12): publication figures drawn from an evaluation, a dataset, a blind human
// evaluation session (issue 13) or numbers given inline, named by a FigureSpec (src/shared/figures/spec.ts). `render` gives the SVG with its
// caption and data rows; `export` gives the file itself as base64 (SVG, PNG at a chosen DPI, or
// vector PDF) with its data CSV and spec JSON, so a browser downloads it: no server path ever
// crosses HTTP. Writing files on the server is the CLI's (`srlab figure --out FILE`).
import { z } from 'zod';
import { defineContract } from '../contract';
import { FIGURE_FORMATS, FIGURE_KINDS, FigureSpec } from '../figures/spec';

export const FIGURE_SOURCE_KINDS = ['evaluation', 'dataset', 'humaneval', 'input'] as const;

/** PNG resolution: 300 dpi is the usual print requirement; 1200 bounds the work (a double-width figure is 8400 px wide). */
export const DEFAULT_DPI = 300;
export const MIN_DPI = 36;
export const MAX_DPI = 1200;

export const FigureKindInfo = z.object({
  kind: z.enum(FIGURE_KINDS),
  label: z.string(),
  sources: z.array(z.enum(FIGURE_SOURCE_KINDS)),
  /** The kind's options as JSON Schema (defaults included), for forms. */
  options: z.record(z.string(), z.unknown()),
});
export type FigureKindInfo = z.infer<typeof FigureKindInfo>;

/** A CSV cell of a figure's data file. */
const Cell = z.union([z.string(), z.number(), z.null()]);

export const FigureRenderInput = z.object({ spec: FigureSpec });
export const FigureRendered = z.object({
  svg: z.string(),
  caption: z.string(),
  /** In points. */
  width: z.number(),
  height: z.number(),
  /** The spec with every default filled in (the kind's options too): what redraws this figure. */
  spec: FigureSpec,
  /** The figure's numbers, header row first. */
  rows: z.array(z.array(Cell)),
  /**
   * The kind's data, so the Figures area previews (and lets the user drag) with the kind's own
   * component. Non-finite numbers (a t of ±∞) become null on the way through JSON.
   */
  data: z.unknown().optional(),
});
export type FigureRendered = z.infer<typeof FigureRendered>;

export const FigureExportInput = z.object({
  spec: FigureSpec,
  format: z.enum(FIGURE_FORMATS),
  /** PNG only: pixels per inch (pixel width = inches × dpi). */
  dpi: z.number().int().min(MIN_DPI).max(MAX_DPI).default(DEFAULT_DPI),
});
export type FigureExportInput = z.input<typeof FigureExportInput>;

export const FigureExported = z.object({
  /** A suggested file name (kind, source, width), e.g. `t-dist-input-double.pdf`. */
  fileName: z.string(),
  mime: z.string(),
  base64: z.string(),
  caption: z.string(),
  /** The data file (CSV, header first) and the spec file (JSON) that go beside the figure. */
  dataCsv: z.string(),
  specJson: z.string(),
  /** In points. */
  width: z.number(),
  height: z.number(),
});
export type FigureExported = z.infer<typeof FigureExported>;

export const figures = {
  kinds: defineContract({
    channel: 'figures.kinds',
    scope: 'lab',
    input: z.object({}).default({}),
    output: z.object({ kinds: z.array(FigureKindInfo) }),
  }),
  render: defineContract({
    channel: 'figures.render',
    scope: 'lab',
    input: FigureRenderInput,
    output: FigureRendered,
  }),
  export: defineContract({
    channel: 'figures.export',
    scope: 'lab',
    input: FigureExportInput,
    output: FigureExported,
  }),
};

// What this capability gives the registry (src/shared/capabilities.ts).
export const contracts = { figures };
export const events = [] as const;
export const JOB_KINDS = [] as const;
