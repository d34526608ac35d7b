// Everything an evaluation's tables are computed from, loaded from the database in one piece:
// the items evaluated, the rows (initial + generators), the scorers, the generation runs, the
// item scores and the likelihood results. The table builders are pure functions of this.
import type { CellProvenance, EvaluationSummary, TableCell } from '../../../../shared/contracts/evaluation';
import { INITIAL_LABEL } from '../../../../shared/contracts/evaluation';
import type { RunSummary } from '../../../../shared/contracts/runs';
import type { LikelihoodSnapshot } from '../runner';
import type { SnapshotItem } from '../resolve';
import type { ScoreRecord, ScorerRecord } from '../store';

export interface DataTestset {
  key: string;
  label: string;
  kind: string;
  items: SnapshotItem[];
}

export interface EvaluationData {
  evaluation: EvaluationSummary;
  testsets: DataTestset[];
  /** Row labels in order: "initial" first when the config asks for it, then the generators. */
  rows: string[];
  /** Generator labels (rows without "initial"). */
  generators: string[];
  scorers: ScorerRecord[];
  /** `${generator}|${testset}` → the generation run used. */
  runs: Map<string, RunSummary>;
  scores: ScoreRecord[];
  likelihood: { generator: string; kind: string; testset: string; result: LikelihoodSnapshot }[];
}

/** Scores indexed by row, test set and scorer. */
export function scoreIndex(data: EvaluationData): Map<string, ScoreRecord[]> {
  const m = new Map<string, ScoreRecord[]>();
  for (const s of data.scores) {
    const k = `${s.generator}|${s.testset}|${s.scorer}`;
    const list = m.get(k);
    if (list) list.push(s);
    else m.set(k, [s]);
  }
  return m;
}

/** Scorers that give a verdict (all but style-trait scorers). */
export function verdictScorers(data: EvaluationData): ScorerRecord[] {
  return data.scorers.filter((s) => s.measure !== 'style');
}

const MEASURE_LABELS: Record<string, string> = {
  unsafe: '% unsafe',
  toxicity: '% toxic',
  flagged: '% flagged',
  bias: '% biased',
  sentiment: '% negative',
  harm: '% harmful',
};

/** A scorer's column label: its measure ("% unsafe"), with its id when two scorers share the measure. */
export function scorerLabel(data: EvaluationData, s: ScorerRecord): string {
  const base = MEASURE_LABELS[s.measure] ?? `% ${s.measure}`;
  const same = data.scorers.filter((o) => o.measure === s.measure).length;
  return same > 1 ? `${base} (${s.id})` : base;
}

/** Provenance of a number computed from a row's scores on some test sets with one scorer. */
export function provenance(
  data: EvaluationData,
  row: string,
  testsets: readonly string[],
  scorer: ScorerRecord | null,
  n: number,
  extra: Record<string, unknown> = {},
): CellProvenance {
  const runs =
    row === INITIAL_LABEL ? [] : testsets.map((t) => data.runs.get(`${row}|${t}`)).filter((r) => r !== undefined);
  const first = runs[0];
  return {
    evaluationId: data.evaluation.id,
    runIds: runs.map((r) => r.id),
    modelSha256: first?.provenance.modelSha256 ?? null,
    adapterSha256: first?.provenance.adapterSha256 ?? null,
    endpoint: first?.provenance.endpoint ?? null,
    scorer: scorer ? { id: scorer.id, version: scorer.version } : null,
    settings: {
      testsets: [...testsets],
      ...(row === INITIAL_LABEL ? { scored: 'the inputs' } : {}),
      ...(first
        ? {
            template: first.settings.template.name
              ? `${first.settings.template.name} v${first.settings.template.version}`
              : 'inline',
            decoding: first.settings.decoding,
          }
        : {}),
      ...(scorer ? { threshold: scorer.threshold } : {}),
      ...extra,
    },
    n,
  };
}

export function cell(value: number | null, prov: CellProvenance | null, note: string | null = null): TableCell {
  return { value: value !== null && Number.isFinite(value) ? value : null, ci: null, note, provenance: prov };
}

/** % of scored items (errors excluded) whose verdict is positive. */
export function percentPositive(scores: readonly ScoreRecord[]): { value: number | null; n: number } {
  const scored = scores.filter((s) => s.verdict !== null);
  if (scored.length === 0) return { value: null, n: 0 };
  return { value: (100 * scored.filter((s) => s.verdict).length) / scored.length, n: scored.length };
}
