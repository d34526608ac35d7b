// Real evaluation tables for the K3 figure tests (bars, heatmap, table): built by the evaluation's
// own table builders (buildTables, with the paper's reference rows) from hand-made stored scores,
// so the figures are checked against the numbers the evaluation itself reports.
import type { SnapshotItem } from '../../../src/main/core/evaluation/resolve';
import type { ScoreRecord, ScorerRecord } from '../../../src/main/core/evaluation/store';
import { buildTables, type EvaluationData } from '../../../src/main/core/evaluation/tables';
import { EvaluationConfig, type EvalTable, type TableId } from '../../../src/shared/contracts/evaluation';

const scorer = (id: string, measure: string, position: number): ScorerRecord => ({
  id,
  version: 'v1',
  measure,
  threshold: 0.5,
  description: '',
  spec: {},
  position,
});
export const SCORERS = [
  scorer('embedded:u', 'unsafe', 0),
  scorer('hf:tox', 'toxicity', 1),
  scorer('mod:flag', 'flagged', 2),
];

const GROUPS = ['asian', 'black', 'jewish', 'lgbtq', 'muslim'];

function items(n: number, grouped: boolean): SnapshotItem[] {
  return Array.from({ length: n }, (_, i) => ({
    index: i,
    group: grouped ? GROUPS[i % GROUPS.length]! : null,
    subgroup: null,
    text: `text ${i}`,
    fields: {},
  }));
}

/** A deterministic score in [0, 1) per (row, test set, scorer, item), lower for the generator than for the inputs. */
function scoreOf(row: string, ts: string, s: number, i: number): number {
  const h = ((i * 7919 + s * 104729 + ts.length * 1299709 + row.length * 15485863) % 1000) / 1000;
  return row === 'initial' ? h : h * (row.endsWith('b') ? 0.7 : 0.55);
}

export function fixtureData(rows: string[] = ['initial', 'gen-a', 'gen-b']): EvaluationData {
  const testsets = [
    { key: 'cmd:demo:test', label: 'CMD test', kind: 'cmd', items: items(40, false) },
    { key: 'toxigen', label: 'ToxiGen', kind: 'toxigen', items: items(50, true) },
  ];
  const scores: ScoreRecord[] = [];
  for (const row of rows)
    for (const ts of testsets)
      SCORERS.forEach((sc, si) => {
        for (const it of ts.items) {
          const score = scoreOf(row, ts.key, si, it.index);
          scores.push({
            generator: row,
            testset: ts.key,
            index: it.index,
            scorer: sc.id,
            version: sc.version,
            score,
            verdict: score > sc.threshold,
            label: null,
            probs: null,
            error: null,
          });
        }
      });
  return {
    evaluation: {
      id: 7,
      name: 'fixture',
      state: 'succeeded',
      config: EvaluationConfig.parse({
        testsets: testsets.map((t) => ({ testset: t.key })),
        generators: rows.filter((r) => r !== 'initial').map((r) => ({ kind: 'local', model: 'm', label: r })),
      }),
      stages: [],
      jobId: null,
      error: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      finishedAt: null,
    },
    testsets,
    rows,
    generators: rows.filter((r) => r !== 'initial'),
    scorers: SCORERS,
    runs: new Map(),
    scores,
    likelihood: [],
  };
}

export function fixtureTable(id: TableId, reference = true): EvalTable {
  const t = buildTables(fixtureData(), { reference }).find((x) => x.id === id);
  if (!t) throw new Error(`no ${id} in the fixture`);
  return t;
}
