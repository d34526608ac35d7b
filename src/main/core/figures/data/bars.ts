// Data of the grouped bars: the evaluation's Table 5 (with the paper's Table 5 rows unless
// options.reference is false).
import type { FigureSpec } from '../../../../shared/figures/spec';
import { BarsOptions } from '../../../../shared/figures/kinds/bars';
import type { EvalTableFigureData } from '../../../../shared/figures/kinds/table';
import type { FigureDataDeps } from '../deps';
import { evaluationTable } from './table';

export async function barsData(spec: FigureSpec, deps: FigureDataDeps): Promise<EvalTableFigureData> {
  return evaluationTable(spec, deps, 'table5', BarsOptions.parse(spec.options).reference);
}
