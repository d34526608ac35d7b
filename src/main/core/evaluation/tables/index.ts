// All of an evaluation's tables, recomputed from its stored data (see data.ts), in the paper's order.
import type { EvalTable } from '../../../../shared/contracts/evaluation';
import { counterfactualTable } from './counterfactual';
import type { EvaluationData } from './data';
import { table7, table8 } from './likelihood';
import { withReference } from './reference';
import { table5, table6 } from './safety';
import { table9GenBias, table9Styles } from './styles';
import { ttestTable } from './ttest';

export type { EvaluationData } from './data';

export function buildTables(data: EvaluationData, opts: { reference: boolean }): EvalTable[] {
  const tables = [
    table5(data),
    table6(data),
    table7(data),
    table8(data),
    counterfactualTable(data),
    table9Styles(data),
    table9GenBias(data),
    ttestTable(data),
  ];
  return opts.reference ? withReference(tables, data) : tables;
}
