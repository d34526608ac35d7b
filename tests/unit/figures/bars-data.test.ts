// The evaluation figures' data from a real core: an evaluation of the demo CMD test split's
// inputs (the "initial" row) by an embedded classifier trained on the demo set, no model needed.
// barsData / tableData / heatmapData return the evaluation service's own tables, so the bars'
// numbers and the table figure's cells equal `evaluation.tables` (with the paper's Table 5 rows
// when asked); a table without values is refused with a message naming the evaluation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core, DEMO_DATASET } from '../../../src/main/core';
import { barsData } from '../../../src/main/core/figures/data/bars';
import { heatmapData } from '../../../src/main/core/figures/data/heatmap';
import { tableData } from '../../../src/main/core/figures/data/table';
import type { FigureDataDeps } from '../../../src/main/core/figures/deps';
import { barsKind } from '../../../src/shared/figures/kinds/bars';
import { tableKind } from '../../../src/shared/figures/kinds/table';
import { layoutBars } from '../../../src/shared/figures/layout/bars';
import { FigureSpec } from '../../../src/shared/figures/spec';
import { THEMES } from '../../../src/shared/figures/theme';
import { tempDir } from '../../helpers';
import { renderKind } from './k3-render';

let core: Core;
let deps: FigureDataDeps;
let evaluationId = 0;

beforeAll(async () => {
  core = await createCore({
    home: tempDir(),
    loadDemo: true,
    checkOutputs: true,
    secretTool: null,
    runtime: { gpu: false },
  });
  const trained = await core.invoke('scorers.trainEmbedded', {
    dataset: DEMO_DATASET,
    label: 'annotation',
    name: 'fig-clf',
    options: { buckets: 4096 },
  });
  const end = await core.invoke('jobs.wait', { id: trained.job.id });
  expect(end.job.state, JSON.stringify(end.job.error)).toBe('succeeded');
  const { evaluation, job } = await core.invoke('evaluation.start', {
    config: {
      testsets: [{ kind: 'cmd', dataset: DEMO_DATASET, split: 'test', limit: 20 }],
      generators: [],
      scorers: [{ kind: 'embedded', classifier: 'fig-clf' }],
    },
  });
  evaluationId = evaluation.id;
  let done = await core.invoke('jobs.wait', { id: job.id });
  while (done.job.state === 'running' || done.job.state === 'queued')
    done = await core.invoke('jobs.wait', { id: job.id });
  expect(done.job.state, JSON.stringify(done.job.error)).toBe('succeeded');
  deps = { evaluation: core.evaluation, datasets: core.datasets, db: core.db };
}, 60_000);

afterAll(async () => {
  await core?.close();
});

const spec = (kind: 'bars' | 'table' | 'heatmap', options: Record<string, unknown> = {}) =>
  FigureSpec.parse({ kind, source: { kind: 'evaluation', evaluation: evaluationId }, options });

describe('evaluation figure data (real evaluation of the demo inputs)', () => {
  it('bars: Table 5 of the evaluation with the paper rows, every bar equal to the table', async () => {
    const data = await barsData(spec('bars'), deps);
    const { tables } = await core.invoke('evaluation.tables', { evaluation: evaluationId, reference: true });
    const t5 = tables.find((t) => t.id === 'table5')!;
    expect(data.table).toEqual(t5);
    expect(data.evaluation.id).toBe(evaluationId);
    expect(t5.rows.map((r) => r.key)).toEqual([
      'initial',
      'paper:initial',
      'paper:SR_LLM',
      'paper:Llama-2-chat-7B',
      'paper:GPT-4',
    ]);
    const computed = t5.rows[0]!.cells[t5.columns[0]!.key]!;
    expect(computed.provenance!.n).toBe(20);
    const l = layoutBars(data.table, 504, THEMES.paper.fontSize, THEMES.paper.categorical);
    const bar = l.bars.find((b) => b.row === 'initial')!;
    expect(bar.text).toBe(computed.value!.toFixed(2));
    expect(l.bars.find((b) => b.row === 'paper:initial')!.value).toBe(72.98);
    const { svg } = renderKind(barsKind, data);
    expect(svg).toContain(`data-value="${computed.value!.toFixed(2)}"`);
    expect(svg).toContain('data-value="72.98"');
    expect(barsKind.caption(data, barsKind.options.parse({}))).toContain(`evaluation #${evaluationId}`);
    // reference: false leaves the paper out.
    const plain = await barsData(spec('bars', { reference: false }), deps);
    expect(plain.table.rows.map((r) => r.key)).toEqual(['initial']);
  });

  it('table: any table by id, the t-test too; a table without values and a wrong source are refused clearly', async () => {
    const t5 = await tableData(spec('table', { table: 'table5' }), deps);
    const { svg } = renderKind(tableKind, t5);
    const v = t5.table.rows[0]!.cells[t5.table.columns[0]!.key]!.value!;
    expect(svg).toContain(`>${v.toFixed(2)}</text>`);
    expect(svg).toContain('font-style="italic"');
    await expect(heatmapData(spec('heatmap'), deps)).rejects.toThrow(
      new RegExp(
        `evaluation ${evaluationId} .* has no Table 6 values to draw \\(Table 6 needs a ToxiGen or BOLD test set\\)`,
      ),
    );
    await expect(tableData(spec('table', { table: 'table7' }), deps)).rejects.toThrow(/has no Table 7 values/);
    await expect(tableData(spec('table', { table: 'table99' }), deps)).rejects.toThrow(/table/);
    await expect(
      barsData(FigureSpec.parse({ kind: 'bars', source: { kind: 'dataset', dataset: DEMO_DATASET } }), deps),
    ).rejects.toThrow(/source.kind "evaluation"/);
    await expect(
      barsData(FigureSpec.parse({ kind: 'bars', source: { kind: 'evaluation', evaluation: 999 } }), deps),
    ).rejects.toThrow(/999/);
  });
});
