// Data of the per-group heat map: the evaluation's Table 6 (the paper gives no per-group rows,
// so there are no reference rows to add).
import type { FigureSpec } from '../../../../shared/figures/spec';
import type { EvalTableFigureData } from '../../../../shared/figures/kinds/table';
import type { FigureDataDeps } from '../deps';
import { evaluationTable } from './table';

export async function heatmapData(spec: FigureSpec, deps: FigureDataDeps): Promise<EvalTableFigureData> {
  return evaluationTable(spec, deps, 'table6', false);
}
