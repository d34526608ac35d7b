// Data of the StereoSet chart from an evaluation: its Table 7 (LMS / SS / ICAT overall and per
// domain, per generator), with the paper's rows (overall only) when options.reference is set.
import { ApiError } from '../../../../shared/contract';
import type { EvalTable, EvaluationSummary } from '../../../../shared/contracts/evaluation';
import type { StereosetData } from '../../../../shared/figures/kinds/stereoset';
import type { StereosetScore } from '../../../../shared/figures/layout/stereoset';
import type { FigureSpec } from '../../../../shared/figures/spec';
import type { FigureDataDeps } from '../deps';

const PAPER_SUFFIX = / \(paper\)$/;

/** Table 7's rows as the chart's data; its columns are keyed `${domain}|lms|ss|icat`. */
export function stereosetFromTables(evaluation: EvaluationSummary, tables: readonly EvalTable[]): StereosetData {
  const table = tables.find((t) => t.id === 'table7');
  if (!table || table.rows.every((r) => r.reference))
    throw new ApiError(
      'invalid-input',
      `evaluation ${evaluation.id} has no StereoSet results (Table 7 is empty: add a StereoSet test set with a local generator)`,
    );
  const domains = [...new Set(table.columns.map((c) => c.key.split('|')[0]!))];
  const ordered = ['overall', ...domains.filter((d) => d !== 'overall')];
  return {
    origin: `evaluation ${evaluation.id} (${evaluation.name})`,
    domains: ordered,
    generators: table.rows.map((row) => {
      const scores: Record<string, StereosetScore> = {};
      for (const d of ordered) {
        const cell = (m: string) => row.cells[`${d}|${m}`];
        if (!cell('lms') && !cell('ss') && !cell('icat')) continue;
        scores[d] = {
          lms: cell('lms')?.value ?? null,
          ss: cell('ss')?.value ?? null,
          icat: cell('icat')?.value ?? null,
          n: cell('lms')?.provenance?.n ?? null,
        };
      }
      return {
        label: row.reference ? row.label.replace(PAPER_SUFFIX, '') : row.label,
        reference: row.reference,
        scores,
      };
    }),
  };
}

export async function stereosetData(spec: FigureSpec, deps: FigureDataDeps): Promise<StereosetData> {
  if (spec.source.kind !== 'evaluation')
    throw new ApiError('invalid-input', `stereoset draws an evaluation or input, not a ${spec.source.kind}`);
  const reference = spec.options.reference === true;
  const { evaluation, tables } = deps.evaluation.tables(spec.source.evaluation, reference);
  return stereosetFromTables(evaluation, tables);
}
