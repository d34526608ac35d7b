// Through the real core: a small evaluation (the tiny GGUF on 4 demo CMD items, scored by an
// embedded classifier, with a StereoSet likelihood pass on 8 real StereoSet items), then
// `figures.render` of its t-test (t-dist) and Table 7 (stereoset). The figures' numbers must be
// the ones `evaluation.tables` reports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core, DEMO_DATASET } from '../../../src/main/core';
import type { EvalTable } from '../../../src/shared/contracts/evaluation';
import { hasSharedData, sharedData, tempDir } from '../../helpers';
import { tinyModelFiles } from '../llm/tiny-model';

const HAVE = hasSharedData('stereoset', 'stereoset_dev.jsonl');
const CLASSIFIER = 'demo-unsafe';
let core: Core;
let tables: EvalTable[] = [];
let evaluationId = 0;

beforeAll(async () => {
  if (!HAVE) return;
  process.env.SRLAB_THREADS = '1';
  core = await createCore({
    home: tempDir(),
    loadDemo: true,
    checkOutputs: true,
    secretTool: null,
    runtime: { gpu: false },
  });
  await core.invoke('models.add', { path: tinyModelFiles().model, name: 'tiny' });
  const trained = await core.invoke('scorers.trainEmbedded', {
    dataset: DEMO_DATASET,
    label: 'annotation',
    name: CLASSIFIER,
    options: { buckets: 4096 },
  });
  expect((await core.invoke('jobs.wait', { id: trained.job.id })).job.state).toBe('succeeded');
  await core.invoke('testsets.import', {
    source: { kind: 'path', path: sharedData('stereoset', 'stereoset_dev.jsonl') },
    kind: 'stereoset',
    name: 'ss',
  });
  const { evaluation, job } = await core.invoke('evaluation.start', {
    config: {
      name: 'figures',
      testsets: [{ kind: 'cmd', dataset: DEMO_DATASET, split: 'test', limit: 4 }],
      generators: [{ kind: 'local', model: 'tiny', label: 'tiny' }],
      scorers: [{ kind: 'embedded', classifier: CLASSIFIER }],
      decoding: { maxTokens: 4 },
      load: { contextSize: 512 },
      likelihood: { stereoset: 'ss', limit: 8 },
    },
  });
  evaluationId = evaluation.id;
  let end = await core.invoke('jobs.wait', { id: job.id });
  while (end.job.state === 'running' || end.job.state === 'queued')
    end = await core.invoke('jobs.wait', { id: job.id });
  expect(end.job.state, JSON.stringify(end.error)).toBe('succeeded');
  tables = (await core.invoke('evaluation.tables', { evaluation: evaluationId })).tables;
}, 120_000);
afterAll(async () => {
  await core?.close();
});

const titles = (svg: string) => [...svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]!);
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

describe.runIf(HAVE)('figures of a real evaluation', () => {
  it('t-dist draws the evaluation’s t-test row: t, df and p as the table reports them', async () => {
    const row = tables.find((t) => t.id === 'ttest')!.rows.find((r) => r.generator === 'tiny')!;
    const r = await core.invoke('figures.render', {
      spec: { kind: 't-dist', source: { kind: 'evaluation', evaluation: evaluationId }, width: 'single' },
    });
    const t = row.cells.t!.value;
    expect(row.cells.n!.value).toBe(4);
    expect(t).not.toBeNull();
    expect(texts(r.svg)).toContain(`t = ${t!.toFixed(2).replace('-', '−')}`);
    console.log(
      `t-dist of evaluation ${evaluationId}: t = ${t}, df = ${row.cells.df!.value}, p = ${row.cells.pTwo!.value}`,
    );
    expect(texts(r.svg)).toContain(`df = ${row.cells.df!.value}`);
    const data = Object.fromEntries(r.rows.slice(1));
    expect(data.t).toBe(t);
    expect(data.df).toBe(row.cells.df!.value);
    expect(data.p_two_sided).toBe(row.cells.pTwo!.value);
    expect(data.t_critical).toBe(row.cells.tcrit!.value);
    expect(r.caption).toContain(`evaluation ${evaluationId}`);
  });

  it('stereoset draws every Table 7 cell, and the paper’s rows when asked', async () => {
    const t7 = tables.find((t) => t.id === 'table7')!;
    expect(t7.rows.length).toBe(1);
    const r = await core.invoke('figures.render', {
      spec: { kind: 'stereoset', source: { kind: 'evaluation', evaluation: evaluationId }, width: 'double' },
    });
    let drawn = 0;
    for (const col of t7.columns) {
      const [domain, metric] = col.key.split('|') as [string, string];
      const v = t7.rows[0]!.cells[col.key]!.value;
      const tip = `tiny, ${domain}: ${metric.toUpperCase()} ${v === null ? 'not computed' : `= ${v.toFixed(2)}`}`;
      expect(titles(r.svg).some((s) => s.startsWith(tip))).toBe(true);
      drawn++;
    }
    expect(drawn).toBe(t7.columns.length);
    expect(texts(r.svg)).toContain('ideal SS = 50');
    const withPaper = await core.invoke('figures.render', {
      spec: {
        kind: 'stereoset',
        source: { kind: 'evaluation', evaluation: evaluationId },
        options: { reference: true },
      },
    });
    expect(titles(withPaper.svg)).toContain('GPT-2-large (paper), overall: ICAT = 44.34');
  });
});
