// The figure kinds srlab draws, one definition per kind module in this folder. The core
// (render, export, `srlab figure`) and the Figures area both look kinds up here, so a kind drawn
// in the UI preview is the very component that the exports render server-side.
import type { FigureKindDefinition } from '../kind';
import { FIGURE_KINDS, type FigureKind } from '../spec';
import { barsKind } from './bars';
import { datasetKind } from './dataset';
import { heatmapKind } from './heatmap';
import { humanKind } from './human';
import { stereosetKind } from './stereoset';
import { tableKind } from './table';
import { tDistKind } from './t-dist';
import { traitNetworkKind } from './trait-network';

// Each definition is generic in its own Data and Options; the registry only passes them between
// a kind's own functions (parse → height/Component/caption/rows), so it holds them loosely typed.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFigureKind = FigureKindDefinition<any, any>;

/** Every kind of FIGURE_KINDS by name (the compiler refuses a missing one). */
export const FIGURE_KIND_DEFINITIONS: Record<FigureKind, AnyFigureKind> = {
  'trait-network': traitNetworkKind,
  't-dist': tDistKind,
  bars: barsKind,
  heatmap: heatmapKind,
  stereoset: stereosetKind,
  human: humanKind,
  dataset: datasetKind,
  table: tableKind,
};

/** The kinds, in FIGURE_KINDS order. */
export function figureKinds(): AnyFigureKind[] {
  return FIGURE_KINDS.map((k) => FIGURE_KIND_DEFINITIONS[k]);
}

export function figureKind(kind: FigureKind): AnyFigureKind | undefined {
  return FIGURE_KIND_DEFINITIONS[kind];
}
