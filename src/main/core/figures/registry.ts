// Where each kind's data comes from when its source is an evaluation, a dataset or a human
// evaluation session: one builder per kind, written beside it in data/<kind>.ts (the human kind
// reads a session's results; the others refuse sources their kind does not list). Inline input goes through the kind's own parseInput
// (src/shared/figures/kinds).
import type { FigureKind } from '../../../shared/figures/spec';
import { barsData } from './data/bars';
import { datasetData } from './data/dataset';
import { heatmapData } from './data/heatmap';
import { humanData } from './data/human';
import { stereosetData } from './data/stereoset';
import { tableData } from './data/table';
import { tDistData } from './data/t-dist';
import { traitNetworkData } from './data/trait-network';
import type { FigureDataBuilder } from './deps';

export const FIGURE_DATA_BUILDERS: Record<FigureKind, FigureDataBuilder<unknown>> = {
  'trait-network': traitNetworkData,
  't-dist': tDistData,
  bars: barsData,
  heatmap: heatmapData,
  stereoset: stereosetData,
  human: humanData,
  dataset: datasetData,
  table: tableData,
};
