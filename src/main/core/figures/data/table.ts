// Data of the table figure (and, through evaluationTable, of bars and heatmap): one evaluation
// table, recomputed by the evaluation service from the stored item scores, with the paper's
// reference rows when asked for. The figure's numbers are the table's numbers, unchanged.
import { ApiError } from '../../../../shared/contract';
import type { TableId } from '../../../../shared/contracts/evaluation';
import type { FigureSpec } from '../../../../shared/figures/spec';
import { type EvalTableFigureData, TableOptions } from '../../../../shared/figures/kinds/table';
import type { FigureDataDeps } from '../deps';

const TABLE_NAMES: Record<TableId, string> = {
  table5: 'Table 5',
  table6: 'Table 6',
  table7: 'Table 7',
  table8: 'Table 8',
  counterfactual: 'counterfactual consistency',
  'table9-styles': 'Table 9 (styles)',
  'table9-gen-bias': 'Table 9 (gen bias)',
  ttest: 't-test',
};

/** One table of an evaluation; refuses (invalid-input) when the table has no computed value yet. */
export function evaluationTable(
  spec: FigureSpec,
  deps: Pick<FigureDataDeps, 'evaluation'>,
  id: TableId,
  reference: boolean,
): EvalTableFigureData {
  if (spec.source.kind !== 'evaluation')
    throw new ApiError(
      'invalid-input',
      `a ${spec.kind} figure from the core needs source.kind "evaluation", not "${spec.source.kind}"`,
    );
  const { evaluation, tables } = deps.evaluation.tables(spec.source.evaluation, reference);
  const table = tables.find((t) => t.id === id);
  const computed = table?.rows.some((r) => !r.reference && Object.values(r.cells).some((c) => c.value !== null));
  if (!table || !computed)
    throw new ApiError(
      'invalid-input',
      `evaluation ${evaluation.id} ("${evaluation.name}", ${evaluation.state}) has no ${TABLE_NAMES[id]} values to draw${
        id === 'table6' ? ' (Table 6 needs a ToxiGen or BOLD test set)' : ''
      }`,
    );
  return { table, evaluation: { id: evaluation.id, name: evaluation.name } };
}

export async function tableData(spec: FigureSpec, deps: FigureDataDeps): Promise<EvalTableFigureData> {
  const options = TableOptions.parse(spec.options);
  return evaluationTable(spec, deps, options.table, options.reference);
}
