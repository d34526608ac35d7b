// The table builders on hand-made stored data (no model): Table 6 per group, Table 9's gen bias
// against the metric computed directly, the paper's reference rows (every number quoted from
// PAPER.md, placed by test set kind and scorer measure), and the leaderboard's change and CI.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { leaderboard } from '../../../src/main/core/evaluation/compare';
import { PAPER_TABLE5, PAPER_TABLE7, PAPER_TTEST } from '../../../src/main/core/evaluation/paper-reference';
import type { SnapshotItem } from '../../../src/main/core/evaluation/resolve';
import type { ScoreRecord, ScorerRecord } from '../../../src/main/core/evaluation/store';
import { buildTables, type EvaluationData } from '../../../src/main/core/evaluation/tables';
import { table5Reference } from '../../../src/main/core/evaluation/tables/reference';
import { table6 } from '../../../src/main/core/evaluation/tables/safety';
import { table9GenBias } from '../../../src/main/core/evaluation/tables/styles';
import { EvaluationConfig } from '../../../src/shared/contracts/evaluation';
import { bootstrapDiffCI } from '../../../src/shared/metrics/bootstrap';
import { holisticGenBias } from '../../../src/shared/metrics/holistic';
import { isCI, REPO_ROOT } from '../../helpers';

const unsafe: ScorerRecord = {
  id: 'embedded:u',
  version: 'v1',
  measure: 'unsafe',
  threshold: 0.5,
  description: '',
  spec: {},
  position: 0,
};
const toxic: ScorerRecord = {
  id: 'hf:tox',
  version: 'v1',
  measure: 'toxicity',
  threshold: 0.5,
  description: '',
  spec: {},
  position: 1,
};
const style: ScorerRecord = {
  id: 'style:s',
  version: 'v1',
  measure: 'style',
  threshold: 0.5,
  description: '',
  spec: {},
  position: 2,
};

function item(index: number, group: string | null, fields: Record<string, unknown> = {}): SnapshotItem {
  return { index, group, subgroup: null, text: `text ${index}`, fields };
}

function score(
  generator: string,
  testset: string,
  index: number,
  scorer: ScorerRecord,
  s: number,
  probs: Record<string, number> | null = null,
): ScoreRecord {
  return {
    generator,
    testset,
    index,
    scorer: scorer.id,
    version: scorer.version,
    score: s,
    verdict: s > scorer.threshold,
    label: null,
    probs,
    error: null,
  };
}

function data(
  id: number,
  testsets: EvaluationData['testsets'],
  scorers: ScorerRecord[],
  scores: ScoreRecord[],
): EvaluationData {
  return {
    evaluation: {
      id,
      name: `e${id}`,
      state: 'succeeded',
      config: EvaluationConfig.parse({
        testsets: testsets.map((t) => ({ testset: t.key })),
        generators: [{ kind: 'local', model: 'm', label: 'gen' }],
      }),
      stages: [],
      jobId: null,
      error: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      finishedAt: null,
    },
    testsets,
    rows: ['initial', 'gen'],
    generators: ['gen'],
    scorers,
    runs: new Map(),
    scores,
    likelihood: [],
  };
}

describe('Table 6', () => {
  it('gives % toxic per group of a ToxiGen test set, from the toxicity scorer only', () => {
    const items = [item(0, 'asian'), item(1, 'asian'), item(2, 'jewish'), item(3, 'jewish')];
    const scores = [
      ...[0.9, 0.1, 0.9, 0.9].map((s, i) => score('gen', 'tg', i, toxic, s)),
      ...[0.9, 0.9, 0.9, 0.9].map((s, i) => score('gen', 'tg', i, unsafe, s)),
    ];
    const t = table6(data(1, [{ key: 'tg', label: 'tg', kind: 'toxigen', items }], [unsafe, toxic], scores));
    expect(t.columns.map((c) => c.key)).toEqual(['tg|hf:tox|asian', 'tg|hf:tox|jewish']);
    const gen = t.rows.find((r) => r.key === 'gen')!;
    expect(gen.cells['tg|hf:tox|asian']!.value).toBe(50);
    expect(gen.cells['tg|hf:tox|jewish']!.value).toBe(100);
    expect(gen.cells['tg|hf:tox|asian']!.provenance).toMatchObject({ n: 2, scorer: { id: 'hf:tox', version: 'v1' } });
    // A non-grouped test set gives no Table 6.
    expect(table6(data(1, [{ key: 'c', label: 'c', kind: 'cmd', items }], [toxic], [])).rows).toEqual([]);
  });
});

describe('Table 9 gen bias', () => {
  it('equals holisticGenBias on the style probabilities grouped by template and descriptor', () => {
    const hb = [
      item(0, 'ability', { template: 'I am {x}.', descriptor: 'deaf' }),
      item(1, 'ability', { template: 'I am {x}.', descriptor: 'blind' }),
      item(2, 'age', { template: 'Hi, {x}!', descriptor: 'old' }),
      item(3, 'age', { template: 'Hi, {x}!', descriptor: 'young' }),
    ];
    const probs = [
      { 'Kind (Warm)': 0.8, Hateful: 0.2 },
      { 'Kind (Warm)': 0.4, Hateful: 0.6 },
      { 'Kind (Warm)': 0.5, Hateful: 0.5 },
      { 'Kind (Warm)': 0.7, Hateful: 0.3 },
    ];
    const scores = probs.map((p, i) => score('gen', 'hb', i, style, 0, p));
    const t = table9GenBias(data(1, [{ key: 'hb', label: 'hb', kind: 'holisticbias', items: hb }], [style], scores));
    const direct = holisticGenBias(
      hb.map((it, i) => ({
        template: it.fields.template as string,
        descriptor: it.fields.descriptor as string,
        probs: [probs[i]!.Hateful, probs[i]!['Kind (Warm)']],
      })),
      ['Hateful', 'Kind (Warm)'],
    );
    const gen = t.rows.find((r) => r.key === 'gen')!;
    expect(gen.cells['hb|style:s|fgb']!.value).toBeCloseTo(direct.fgb, 12);
    expect(gen.cells['hb|style:s|pgb|CARE']!.value).toBeCloseTo(direct.clusters.CARE!.pgb, 12);
    expect(gen.cells['hb|style:s|pgb|HATE']!.value).toBeCloseTo(direct.clusters.HATE!.pgb, 12);
    // ((.8−.6)² + (.4−.6)²)/2 + ((.5−.6)² + (.7−.6)²)/2 = .04 + .01 per style, 2 styles, 2 templates → ×1000 / 2
    expect(gen.cells['hb|style:s|fgb']!.value).toBeCloseTo(50, 9);
    // The initial row has no style scores: no number, and a note says why.
    expect(t.rows.find((r) => r.key === 'initial')!.cells['hb|style:s|fgb']!.value).toBeNull();
  });
});

describe("the paper's reference rows", () => {
  const paperMd = path.resolve(REPO_ROOT, '..', 'shared', 'design', 'PAPER.md');
  const have = fs.existsSync(paperMd);
  if (!have && isCI()) throw new Error(`CI: ${paperMd} is missing`);

  it.runIf(have)('quote PAPER.md exactly (every number is in its text, in its row)', () => {
    const text = fs.readFileSync(paperMd, 'utf8').replace(/\s+/g, ' ');
    const f = (xs: readonly number[]) => xs.map((x) => x.toFixed(2)).join(' / ');
    const names: Record<string, string> = { cmd: 'CMD test', toxigen: 'ToxiGen', bold: 'BOLD' };
    for (const [kind, rows] of Object.entries(PAPER_TABLE5.rows)) {
      const section = text.slice(text.indexOf(`${names[kind]}:`));
      for (const [row, values] of Object.entries(rows)) expect(section).toContain(`${row} ${f(values)}`);
    }
    for (const [row, values] of Object.entries(PAPER_TABLE7.rows)) expect(text).toContain(`${row} ${f(values)}`);
    expect(text).toContain(
      `t-test on ${PAPER_TTEST.n.toLocaleString('en-US')} texts, t = ${PAPER_TTEST.t}, p < 0.00001`,
    );
  });

  it('sit in the columns of the matching test set kind and scorer measure only', () => {
    const items = [item(0, null)];
    const d = data(
      1,
      [
        { key: 'mine', label: 'mine', kind: 'cmd', items },
        { key: 'cf', label: 'cf', kind: 'counterfactual', items },
      ],
      [unsafe, toxic, { ...unsafe, id: 'b', measure: 'bias' }],
      [],
    );
    const rows = table5Reference(d);
    expect(rows.map((r) => r.label)).toEqual([
      'initial (paper)',
      'SR_LLM (paper)',
      'Llama-2-chat-7B (paper)',
      'GPT-4 (paper)',
    ]);
    expect(rows.every((r) => r.reference && r.source?.startsWith('PAPER.md'))).toBe(true);
    const initial = rows[0]!.cells;
    expect(Object.keys(initial).sort()).toEqual(['mine|embedded:u', 'mine|hf:tox']);
    expect(initial['mine|embedded:u']!.value).toBe(72.98);
    expect(initial['mine|hf:tox']).toMatchObject({ value: 57.82, note: 'paper: Perspective API', provenance: null });
    // No test set the paper reports: no reference rows at all.
    expect(table5Reference(data(1, [{ key: 'cf', label: 'cf', kind: 'counterfactual', items }], [unsafe], []))).toEqual(
      [],
    );
    // Only when asked.
    expect(
      buildTables(d, { reference: false })
        .flatMap((t) => t.rows)
        .some((r) => r.reference),
    ).toBe(false);
    expect(
      buildTables(d, { reference: true })
        .find((t) => t.id === 'table7')!
        .rows.map((r) => r.label),
    ).toEqual(['SR_LLM (paper)', 'Llama-2-chat-7B (paper)', 'GPT-2-large (paper)']);
  });
});

describe('leaderboard', () => {
  const items = Array.from({ length: 10 }, (_, i) => item(i, null));
  const ts = [{ key: 't', label: 't', kind: 'cmd', items }];
  const baseScores = items.map((it) => score('initial', 't', it.index, unsafe, it.index < 8 ? 0.9 : 0.1));
  const genScores = items.map((it) => score('gen', 't', it.index, unsafe, it.index < 2 ? 0.9 : 0.1));
  const d1 = data(1, ts, [unsafe], [...baseScores, ...genScores]);
  const d2 = data(
    2,
    ts,
    [unsafe],
    items.map((it) => score('gen', 't', it.index, unsafe, it.index < 5 ? 0.9 : 0.1)),
  );

  it('gives each row its change against the baseline with a seeded bootstrap CI (paired within an evaluation)', () => {
    const rows = leaderboard([d1, d2], { baseline: { generator: 'initial', evaluation: 1 }, seed: 7, resamples: 500 });
    expect(rows.map((r) => [r.evaluationId, r.generator, r.value, r.change, r.isBaseline])).toEqual([
      [1, 'initial', 80, null, true],
      [1, 'gen', 20, -60, false],
      [2, 'gen', 50, -30, false],
    ]);
    const v = (n: number) => items.map((it) => (it.index < n ? 100 : 0));
    const paired = bootstrapDiffCI(v(2), v(8), { paired: true, seed: 7, resamples: 500 });
    expect(rows[1]!.changeCi).toEqual([paired.lo, paired.hi]);
    const unpaired = bootstrapDiffCI(v(5), v(8), { paired: false, seed: 7, resamples: 500 });
    expect(rows[2]!.changeCi).toEqual([unpaired.lo, unpaired.hi]);
    expect(rows[1]!.changeCi![1]).toBeLessThan(0);
  });

  it('refuses a baseline row that no evaluation has', () => {
    expect(() => leaderboard([d1], { baseline: { generator: 'nobody' }, seed: 1, resamples: 100 })).toThrow(
      /no scored row "nobody"/,
    );
  });
});
