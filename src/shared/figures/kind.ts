// What a figure kind is: one module per kind under src/shared/figures/kinds/, registered in
// kinds/index.ts. Its data comes from the core (src/main/core/figures builds it from an
// evaluation, a dataset or inline input); its layout is pure code (d3 computes); its component
// renders SVG with React — the same component in the Figures area and in server-side export.
import type { ReactElement } from 'react';
import type { z } from 'zod';
import type { FigureKind, FigureSpec } from './spec';
import type { FigureTheme } from './theme';

export interface FigureSize {
  /** In points (SVG user units). */
  width: number;
  height: number;
}

export interface FigureProps<Data, Options> {
  data: Data;
  options: Options;
  theme: FigureTheme;
  size: FigureSize;
  /** Interactive UI only (never in exports): called when the user drags something the layout keeps (e.g. a node). */
  onAdjust?: (options: Options) => void;
}

export interface FigureKindDefinition<Data, Options> {
  kind: FigureKind;
  label: string;
  /** Which sources the kind accepts. */
  sources: readonly FigureSpec['source']['kind'][];
  /** The kind's options, defaults filled in. */
  options: z.ZodType<Options>;
  /** Checks inline input (`source.kind === 'input'`) and returns the figure's data, or throws an Error naming the field. */
  parseInput?: (data: Record<string, unknown>) => Data;
  /** Height in points for the given width (figures grow with their content). */
  height(data: Data, options: Options, width: number, theme: FigureTheme): number;
  Component: (props: FigureProps<Data, Options>) => ReactElement;
  /** A caption that states what the figure shows, with its numbers' provenance (n, ids). */
  caption(data: Data, options: Options): string;
  /** The figure's numbers as CSV rows (header first): the data file exported beside it. */
  rows(data: Data, options: Options): (string | number | null)[][];
}
