// The paper's rows beside the computed ones (marked reference: true, with their source): Table 5
// matched to srlab's columns by test set kind and scorer measure, Table 7's overall scores, and
// the t-test of section 5.4. Values come from paper-reference.ts, which quotes PAPER.md.
import type { EvalTable, TableRow } from '../../../../shared/contracts/evaluation';
import { PAPER_TABLE5, PAPER_TABLE5_MEASURES, PAPER_TABLE7, PAPER_TTEST } from '../paper-reference';
import { cell, type EvaluationData, verdictScorers } from './data';

function refRow(name: string, source: string, cells: TableRow['cells']): TableRow {
  return { key: `paper:${name}`, label: `${name} (paper)`, generator: null, reference: true, source, cells };
}

export function table5Reference(data: EvaluationData): TableRow[] {
  const byName = new Map<string, TableRow['cells']>();
  const names: string[] = [];
  for (const ts of data.testsets) {
    const paper = (PAPER_TABLE5.rows as Record<string, Record<string, readonly number[]>>)[ts.kind];
    if (!paper) continue;
    for (const [name, values] of Object.entries(paper)) {
      if (!byName.has(name)) {
        byName.set(name, {});
        names.push(name);
      }
      const cells = byName.get(name)!;
      for (const s of verdictScorers(data)) {
        const i = (PAPER_TABLE5_MEASURES as readonly string[]).indexOf(s.measure);
        if (i < 0) continue;
        const measure = PAPER_TABLE5_MEASURES[i]!;
        cells[`${ts.key}|${s.id}`] = cell(values[i]!, null, `paper: ${PAPER_TABLE5.measures[measure]}`);
      }
    }
  }
  return names
    .filter((n) => Object.keys(byName.get(n)!).length > 0)
    .map((n) => refRow(n, `${PAPER_TABLE5.source}, row ${n}`, byName.get(n)!));
}

export function table7Reference(): TableRow[] {
  return Object.entries(PAPER_TABLE7.rows).map(([name, [lms, ss, icat]]) =>
    refRow(name, `${PAPER_TABLE7.source}, row ${name}`, {
      'overall|lms': cell(lms, null),
      'overall|ss': cell(ss, null),
      'overall|icat': cell(icat, null),
    }),
  );
}

export function ttestReference(): TableRow[] {
  return [
    refRow('SR_LLM', PAPER_TTEST.source, {
      n: cell(PAPER_TTEST.n, null),
      t: cell(PAPER_TTEST.t, null),
      pTwo: cell(null, null, `p < ${PAPER_TTEST.pBelow}`),
    }),
  ];
}

/** The tables with the paper's rows appended where the paper has numbers for them. */
export function withReference(tables: EvalTable[], data: EvaluationData): EvalTable[] {
  return tables.map((t) => {
    const extra =
      t.id === 'table5'
        ? table5Reference(data)
        : t.id === 'table7'
          ? table7Reference()
          : t.id === 'ttest'
            ? ttestReference()
            : [];
    return extra.length ? { ...t, rows: [...t.rows, ...extra] } : t;
  });
}
