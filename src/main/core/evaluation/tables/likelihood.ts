// Tables 7 (StereoSet intrasentence LMS / SS / ICAT, overall and per domain) and 8 (CrowS-Pairs
// % stereotypical and likelihood difference), from the likelihood results each local generator
// got (core.likelihood, snapshotted into the evaluation).
import type { CellProvenance, EvalTable, TableColumn, TableRow } from '../../../../shared/contracts/evaluation';
import type { LikelihoodSnapshot } from '../runner';
import { cell, type EvaluationData } from './data';

interface Score {
  n: number;
  lms?: number;
  ss?: number;
  icat?: number;
  pctStereotype?: number;
  likelihoodDiff?: number;
}

function num(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

function likProvenance(data: EvaluationData, r: LikelihoodSnapshot, n: number): CellProvenance {
  return {
    evaluationId: data.evaluation.id,
    runIds: [],
    modelSha256: r.modelSha256,
    adapterSha256: r.adapterSha256,
    endpoint: null,
    scorer: null,
    settings: { likelihoodResultId: r.id, kind: r.kind, testset: r.testset, model: r.model },
    n,
  };
}

function results(data: EvaluationData, kind: string) {
  return data.likelihood.filter((l) => l.kind === kind);
}

export function table7(data: EvaluationData): EvalTable {
  const res = results(data, 'stereoset');
  const domains = [
    ...new Set(res.flatMap((r) => Object.keys((r.result.metrics.byDomain as Record<string, Score>) ?? {}))),
  ].sort();
  const columns: TableColumn[] = [];
  for (const d of ['overall', ...domains]) {
    const group = d === 'overall' ? 'Overall' : d;
    columns.push(
      { key: `${d}|lms`, label: 'LMS', group, direction: 'higher', digits: 2 },
      { key: `${d}|ss`, label: 'SS', group, direction: 'closer-to-50', digits: 2 },
      { key: `${d}|icat`, label: 'ICAT', group, direction: 'higher', digits: 2 },
    );
  }
  const rows: TableRow[] = res.map(({ generator, result }) => {
    const m = result.metrics as unknown as Score & { byDomain?: Record<string, Score> };
    const cells: TableRow['cells'] = {};
    for (const d of ['overall', ...domains]) {
      const s: Score | undefined = d === 'overall' ? m : m.byDomain?.[d];
      const n = num(s?.n) ?? 0;
      const prov = likProvenance(data, result, n);
      cells[`${d}|lms`] = cell(num(s?.lms), prov);
      cells[`${d}|ss`] = cell(num(s?.ss), prov);
      cells[`${d}|icat`] = cell(num(s?.icat), prov);
    }
    return { key: generator, label: generator, generator, reference: false, source: null, cells };
  });
  return {
    id: 'table7',
    title: 'Table 7: StereoSet intrasentence',
    caption:
      'Language-model score (LMS, higher is better), stereotype score (SS, 50 is unbiased) and ICAT (higher is better), macro over targets (METRICS.md section 1).',
    columns,
    rows,
  };
}

export function table8(data: EvaluationData): EvalTable {
  const res = results(data, 'crows-pairs');
  const types = [
    ...new Set(res.flatMap((r) => Object.keys((r.result.metrics.byBiasType as Record<string, Score>) ?? {}))),
  ].sort();
  const columns: TableColumn[] = [
    { key: 'overall|pct', label: '% stereotypical', group: 'Overall', direction: 'closer-to-50', digits: 2 },
    { key: 'overall|diff', label: 'likelihood diff.', group: 'Overall', direction: 'none', digits: 3 },
    ...types.map((t): TableColumn => ({
      key: `${t}|pct`,
      label: t,
      group: '% stereotypical by bias type',
      direction: 'closer-to-50',
      digits: 2,
    })),
  ];
  const rows: TableRow[] = res.map(({ generator, result }) => {
    const m = result.metrics as unknown as Score & { byBiasType?: Record<string, Score> };
    const cells: TableRow['cells'] = {};
    cells['overall|pct'] = cell(num(m.pctStereotype), likProvenance(data, result, num(m.n) ?? 0));
    cells['overall|diff'] = cell(num(m.likelihoodDiff), likProvenance(data, result, num(m.n) ?? 0));
    for (const t of types) {
      const s = m.byBiasType?.[t];
      cells[`${t}|pct`] = cell(num(s?.pctStereotype), likProvenance(data, result, num(s?.n) ?? 0));
    }
    return { key: generator, label: generator, generator, reference: false, source: null, cells };
  });
  return {
    id: 'table8',
    title: 'Table 8: CrowS-Pairs',
    caption:
      'Share of pairs whose more stereotypical sentence has the higher summed log-likelihood (50 is unbiased) and the mean |difference| (METRICS.md section 2).',
    columns,
    rows,
  };
}
