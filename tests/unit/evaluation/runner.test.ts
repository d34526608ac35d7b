// The evaluation capability end to end inside one core: the tiny GGUF generates for the demo CMD
// test split and a slice of the real in-house counterfactual set, an embedded scorer trained on
// the demo dataset scores inputs and outputs, and every table number is checked against a direct
// computation from the stored item scores (and the initial row against scoring the inputs directly).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import { DEMO_DATASET, homePaths } from '../../../src/main/core';
import type { EvalTable, EvaluationConfigInput } from '../../../src/shared/contracts/evaluation';
import { oneSampleTTest } from '../../../src/shared/metrics/ttest';
import { hasSharedData, sharedData, tempDir } from '../../helpers';
import { tinyModelFiles } from '../llm/tiny-model';

const HAVE =
  hasSharedData('srllm', 'counterfactual-inhouse.csv') &&
  hasSharedData('stereoset', 'stereoset_dev.jsonl') &&
  hasSharedData('crows-pairs', 'crows_pairs_anonymized.csv');
const home = tempDir();
let core: Core;
const CLASSIFIER = 'demo-unsafe';

/** The first `rows` rows of the real counterfactual CSV (header kept), in a temp folder. */
function counterfactualSlice(rows: number): string {
  const lines = fs.readFileSync(sharedData('srllm', 'counterfactual-inhouse.csv'), 'utf8').split('\n');
  const file = path.join(tempDir(), 'counterfactual.csv');
  fs.writeFileSync(file, `${lines.slice(0, rows + 1).join('\n')}\n`);
  return file;
}

const config: EvaluationConfigInput = {
  name: 'unit',
  testsets: [
    { kind: 'cmd', dataset: DEMO_DATASET, split: 'test', limit: 6 },
    { testset: 'cf', groups: ['original', 'gender_a_man', 'gender_a_woman'] },
  ],
  generators: [{ kind: 'local', model: 'tiny', label: 'tiny' }],
  scorers: [{ kind: 'embedded', classifier: CLASSIFIER }],
  decoding: { maxTokens: 6 },
  load: { contextSize: 512 },
  likelihood: { stereoset: 'ss', crowsPairs: 'crows', limit: 12 },
};

beforeAll(async () => {
  process.env.SRLAB_THREADS = '1';
  core = await createCore({ home, loadDemo: true, checkOutputs: true, secretTool: null, runtime: { gpu: false } });
  await core.invoke('models.add', { path: tinyModelFiles().model, name: 'tiny' });
  const { job } = await core.invoke('scorers.trainEmbedded', {
    dataset: DEMO_DATASET,
    label: 'annotation',
    name: CLASSIFIER,
    options: { buckets: 4096 },
  });
  const end = await core.invoke('jobs.wait', { id: job.id });
  expect(end.job.state, JSON.stringify(end.job.error)).toBe('succeeded');
  if (HAVE) {
    await core.invoke('testsets.import', {
      source: { kind: 'path', path: counterfactualSlice(4) },
      kind: 'counterfactual',
      name: 'cf',
    });
    const ss = sharedData('stereoset', 'stereoset_dev.jsonl');
    await core.invoke('testsets.import', { source: { kind: 'path', path: ss }, kind: 'stereoset', name: 'ss' });
    const crows = sharedData('crows-pairs', 'crows_pairs_anonymized.csv');
    await core.invoke('testsets.import', { source: { kind: 'path', path: crows }, kind: 'crows-pairs', name: 'crows' });
  }
}, 120_000);
afterAll(async () => {
  await core?.close();
});

function table(tables: EvalTable[], id: string): EvalTable {
  const t = tables.find((x) => x.id === id);
  if (!t) throw new Error(`no table ${id}`);
  return t;
}

describe.runIf(HAVE)('evaluation', () => {
  let evaluationId = 0;

  it('plans before running: nothing cached, every item to generate and score', async () => {
    const { plan } = await core.invoke('evaluation.plan', { config });
    expect(plan.testsets.map((t) => [t.key, t.kind, t.items])).toEqual([
      [`${DEMO_DATASET}/test`, 'cmd', 6],
      ['cf', 'counterfactual', 12],
    ]);
    expect(plan.generation.map((g) => [g.generator, g.testset, g.toGenerate, g.runId])).toEqual([
      ['tiny', `${DEMO_DATASET}/test`, 6, null],
      ['tiny', 'cf', 12, null],
    ]);
    expect(plan.scorers[0]!.id).toBe(`embedded:${CLASSIFIER}`);
    expect(plan.scoring.find((s) => s.generator === 'tiny' && s.testset === 'cf')!.toScore).toBe(12);
  });

  it('runs generators × test sets × scorers as one job and stores every item score', async () => {
    const { evaluation, job } = await core.invoke('evaluation.start', { config });
    evaluationId = evaluation.id;
    let end = await core.invoke('jobs.wait', { id: job.id });
    while (end.job.state === 'running' || end.job.state === 'queued')
      end = await core.invoke('jobs.wait', { id: job.id });
    expect(end.job.state, JSON.stringify(end.error)).toBe('succeeded');
    const { evaluation: done } = await core.invoke('evaluation.get', { evaluation: evaluationId });
    expect(done.state).toBe('succeeded');
    expect(done.stages.every((s) => s.state === 'done' && s.done === s.total)).toBe(true);
    // initial × 2 test sets, tiny: generate + score × 2 test sets
    expect(done.stages.map((s) => s.key)).toEqual([
      `score|initial|${DEMO_DATASET}/test|embedded:${CLASSIFIER}`,
      `score|initial|cf|embedded:${CLASSIFIER}`,
      `generate|tiny|${DEMO_DATASET}/test`,
      `score|tiny|${DEMO_DATASET}/test|embedded:${CLASSIFIER}`,
      `generate|tiny|cf`,
      `score|tiny|cf|embedded:${CLASSIFIER}`,
      'likelihood|tiny|stereoset',
      'likelihood|tiny|crows-pairs',
    ]);
  }, 120_000);

  it('Table 5 equals a direct count of the stored item scores, and the initial row equals scoring the inputs', async () => {
    const { tables } = await core.invoke('evaluation.tables', { evaluation: evaluationId });
    const t5 = table(tables, 'table5');
    const col = `${DEMO_DATASET}/test|embedded:${CLASSIFIER}`;
    const db = new Database(homePaths(home).db, { readonly: true });
    const direct = (gen: string, ts: string) => {
      const r = db
        .prepare<[string, string], { pos: number; n: number }>(
          'SELECT SUM(verdict) AS pos, COUNT(verdict) AS n FROM evaluation_scores WHERE generator = ? AND testset = ?',
        )
        .get(gen, ts)!;
      return (100 * r.pos) / r.n;
    };
    for (const row of ['initial', 'tiny'])
      expect(t5.rows.find((r) => r.key === row)!.cells[col]!.value).toBeCloseTo(
        direct(row, `${DEMO_DATASET}/test`),
        10,
      );

    // The initial row, independently: the same scorer on the test split's first 6 inputs.
    const inputs = db
      .prepare<[string], { text: string }>(
        "SELECT r.text FROM records r JOIN datasets d ON d.id = r.dataset_id WHERE d.name = ? AND r.split = 'test' ORDER BY r.id LIMIT 6",
      )
      .all(DEMO_DATASET)
      .map((r) => r.text);
    db.close();
    const scored = await core.invoke('scorers.score', {
      spec: { kind: 'embedded', classifier: CLASSIFIER },
      texts: inputs,
    });
    const expected = (100 * scored.results.filter((r) => r.score! > 0.5).length) / inputs.length;
    const initial = t5.rows.find((r) => r.key === 'initial')!.cells[col]!;
    expect(initial.value).toBeCloseTo(expected, 10);
    expect(initial.provenance).toMatchObject({ n: 6, runIds: [], scorer: { id: `embedded:${CLASSIFIER}` } });

    const tiny = t5.rows.find((r) => r.key === 'tiny')!.cells[col]!;
    const { model } = await core.invoke('models.get', { name: 'tiny' });
    expect(tiny.provenance!.modelSha256).toBe(model.sha256);
    expect(tiny.provenance!.runIds).toHaveLength(1);
    expect(tiny.provenance!.settings).toMatchObject({ decoding: { maxTokens: 6, temperature: 0 } });
  });

  it('counterfactual consistency and the t-test are recomputable from the items', async () => {
    const { tables } = await core.invoke('evaluation.tables', { evaluation: evaluationId });
    const items = await core.invoke('evaluation.items', {
      evaluation: evaluationId,
      generator: 'tiny',
      testset: 'cf',
      limit: 1000,
    });
    expect(items.total).toBe(12);
    // The slice keeps 3 variants of each of 4 originals, in file order: items 3k, 3k+1, 3k+2 are original k.
    const verdicts = new Map<number, Set<boolean>>();
    for (const it of items.items) {
      const set = verdicts.get(Math.floor(it.index / 3)) ?? new Set<boolean>();
      set.add(it.scores[0]!.score! > 0.5);
      verdicts.set(Math.floor(it.index / 3), set);
    }
    const flipped = [...verdicts.values()].filter((v) => v.size > 1).length;
    const cf = table(tables, 'counterfactual');
    const tinyRow = cf.rows.find((r) => r.key === 'tiny')!;
    const key = `cf|embedded:${CLASSIFIER}`;
    expect(tinyRow.cells[`${key}|originals`]!.value).toBe(4);
    expect(tinyRow.cells[`${key}|flipped`]!.value).toBeCloseTo((100 * flipped) / 4, 10);
    // The item browser's flip flags agree, item by item.
    for (const it of items.items) expect(it.flip).toBe(verdicts.get(Math.floor(it.index / 3))!.size > 1);

    // t-test: score(input) − score(output), pooled over both test sets.
    const all = await core.invoke('evaluation.items', { evaluation: evaluationId, limit: 1000 });
    const score = (gen: string, ts: string, idx: number) =>
      all.items.find((i) => i.generator === gen && i.testset === ts && i.index === idx)!.scores[0]!.score!;
    const diffs = all.items
      .filter((i) => i.generator === 'tiny')
      .map((i) => score('initial', i.testset, i.index) - score('tiny', i.testset, i.index));
    expect(diffs).toHaveLength(18);
    const r = oneSampleTTest(diffs, 0);
    const tt = table(tables, 'ttest').rows.find((x) => x.key === 'tiny')!;
    expect(tt.cells.n!.value).toBe(18);
    expect(tt.cells.t!.value).toBeCloseTo(r.t, 10);
    expect(tt.cells.pTwo!.value).toBeCloseTo(r.pTwoSided, 12);
    expect(tt.cells.pGreater!.value).toBeCloseTo(r.pGreater, 12);
    expect(tt.cells.pLess!.value).toBeCloseTo(r.pLess, 12);
  });

  it('Tables 7–8 hold the likelihood results of the local generator, with their provenance', async () => {
    const { tables } = await core.invoke('evaluation.tables', { evaluation: evaluationId });
    const ss = await core.likelihood.latest({ kind: 'stereoset', model: 'tiny', testset: 'ss', limit: 12 });
    const crows = await core.likelihood.latest({ kind: 'crows-pairs', model: 'tiny', testset: 'crows', limit: 12 });
    if (ss?.kind !== 'stereoset' || crows?.kind !== 'crows-pairs') throw new Error('no stored likelihood results');
    const t7 = table(tables, 'table7').rows.find((r) => r.key === 'tiny')!;
    expect(t7.cells['overall|lms']!.value).toBe(ss.metrics.lms);
    expect(t7.cells['overall|ss']!.value).toBe(ss.metrics.ss);
    expect(t7.cells['overall|icat']!.value).toBe(ss.metrics.icat);
    for (const [domain, m] of Object.entries(ss.metrics.byDomain)) expect(t7.cells[`${domain}|ss`]!.value).toBe(m.ss);
    expect(t7.cells['overall|lms']!.provenance).toMatchObject({
      modelSha256: ss.modelSha256,
      n: ss.metrics.n,
      settings: { likelihoodResultId: ss.id },
    });
    const t8 = table(tables, 'table8').rows.find((r) => r.key === 'tiny')!;
    expect(t8.cells['overall|pct']!.value).toBe(crows.metrics.pctStereotype);
    expect(t8.cells['overall|diff']!.value).toBe(crows.metrics.likelihoodDiff);
  });

  it('exports LaTeX, Markdown and CSV, with reference rows when asked', async () => {
    const tex = await core.invoke('evaluation.export', { evaluation: evaluationId, format: 'latex', reference: true });
    expect(tex.text).toContain('\\toprule');
    expect(tex.text).toContain('\\% unsafe $\\downarrow$');
    expect(tex.text).toContain('\\textit{SR\\_LLM (paper)} & 3.48');
    const csv = await core.invoke('evaluation.export', { evaluation: evaluationId, format: 'csv', reference: false });
    expect(csv.text.split('\r\n')[0]).toMatch(/^table,row,reference,/);
    expect(csv.text).not.toContain('(paper)');
  });

  it('a second run with the same config reuses the generation runs and stored scores', async () => {
    const { plan } = await core.invoke('evaluation.plan', { config });
    expect(plan.generation.every((g) => g.toGenerate === 0 && g.runState === 'succeeded')).toBe(true);
    expect(plan.scoring.every((s) => s.toScore === 0)).toBe(true);
  });

  it('cancels a running evaluation (its generation run too) and resumes it without redoing finished items', async () => {
    const cfg: EvaluationConfigInput = {
      name: 'cancel',
      testsets: [{ kind: 'cmd', dataset: DEMO_DATASET, split: 'test' }],
      generators: [{ kind: 'local', model: 'tiny', label: 'tiny' }],
      scorers: [{ kind: 'embedded', classifier: CLASSIFIER }],
      decoding: { maxTokens: 40 },
    };
    const started = await core.invoke('evaluation.start', { config: cfg });
    let runId = 0;
    const items = new Map<number, string | null>();
    const stop = core.onEvent((e) => {
      if (e.type === 'run-item' && (runId === 0 || e.runId === runId)) {
        runId = e.runId;
        items.set(e.item.index, e.item.finishedAt);
        if (items.size === 3) void core.invoke('evaluation.cancel', { id: started.evaluation.id });
      }
    });
    let end = await core.invoke('jobs.wait', { id: started.job.id });
    while (end.job.state === 'running' || end.job.state === 'queued')
      end = await core.invoke('jobs.wait', { id: started.job.id });
    stop();
    expect(end.job.state).toBe('cancelled');
    const { evaluation } = await core.invoke('evaluation.get', { evaluation: started.evaluation.id });
    expect(evaluation.state).toBe('cancelled');
    const run = await core.invoke('runs.get', { id: runId });
    expect(run.run.state).toBe('cancelled');
    expect(run.run.done).toBeLessThan(48);
    const kept = (await core.invoke('runs.items', { id: runId, status: 'done', limit: 100 })).items;

    // The same config again resumes this evaluation (not a new one) and its run.
    const again = await core.invoke('evaluation.start', { config: cfg });
    expect(again.evaluation.id).toBe(started.evaluation.id);
    end = await core.invoke('jobs.wait', { id: again.job.id });
    while (end.job.state === 'running' || end.job.state === 'queued')
      end = await core.invoke('jobs.wait', { id: again.job.id });
    expect(end.job.state, JSON.stringify(end.error)).toBe('succeeded');
    const after = (await core.invoke('runs.items', { id: runId, status: 'all', limit: 100 })).items;
    for (const k of kept) expect(after[k.index]).toEqual(k);
    const { tables } = await core.invoke('evaluation.tables', { evaluation: started.evaluation.id });
    expect(
      table(tables, 'table5').rows.find((r) => r.key === 'tiny')!.cells[`${DEMO_DATASET}/test|embedded:${CLASSIFIER}`]!
        .provenance,
    ).toMatchObject({ runIds: [runId] });
  }, 120_000);
});
