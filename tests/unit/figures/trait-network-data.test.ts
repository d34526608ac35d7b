// The trait network drawn from an evaluation: the per-item style probabilities stored in a real
// SQLite database (the evaluation store's own writes), read back by data/trait-network.ts into
// "initial" (before) vs the generator (after); means and co-occurrences equal the stored numbers,
// and an evaluation without a style scorer, an unknown row or scorer is refused by name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../src/main/core';
import { traitNetworkData } from '../../../src/main/core/figures/data/trait-network';
import type { FigureDataDeps } from '../../../src/main/core/figures/deps';
import type { ScoreRecord, ScorerRecord } from '../../../src/main/core/evaluation/store';
import { EvaluationConfig } from '../../../src/shared/contracts/evaluation';
import {
  positionsAfterDrag,
  traitNetworkGeometry,
  traitNetworkKind as K,
} from '../../../src/shared/figures/kinds/trait-network';
import { buildGraph, TraitNetworkOptions } from '../../../src/shared/figures/layout/trait-network';
import { FigureSpec } from '../../../src/shared/figures/spec';
import { THEMES } from '../../../src/shared/figures/theme';
import { tempDir } from '../../helpers';

type Core = Awaited<ReturnType<typeof createCore>>;
let core: Core;
let deps: FigureDataDeps;

const style: ScorerRecord = {
  id: 'style:s',
  version: 'v1',
  measure: 'style',
  threshold: 0.5,
  description: '',
  spec: {},
  position: 0,
};
const unsafe: ScorerRecord = {
  id: 'embedded:u',
  version: 'v1',
  measure: 'unsafe',
  threshold: 0.5,
  description: '',
  spec: {},
  position: 1,
};

const BEFORE = [
  { Cold: 0.6, Sarcastic: 0.3, Kind: 0.1 },
  { Cold: 0.5, Sarcastic: 0.4, Kind: 0.1 },
  { Cold: 0.4, Kind: 0.35, Sarcastic: 0.25 },
];
const AFTER = [
  { Kind: 0.7, Respectful: 0.2, Cold: 0.1 },
  { Kind: 0.6, Respectful: 0.3, Cold: 0.1 },
  { Respectful: 0.5, Kind: 0.4, Cold: 0.1 },
];

function scores(generator: string, probs: Record<string, number>[], scorer = style): ScoreRecord[] {
  return probs.map((p, index) => ({
    generator,
    testset: 'ts',
    index,
    scorer: scorer.id,
    version: scorer.version,
    score: Math.max(...Object.values(p)),
    verdict: null,
    label: null,
    probs: scorer === style ? p : null,
    error: null,
  }));
}

function createEvaluation(scorers: ScorerRecord[], rows: ScoreRecord[]): number {
  const config = EvaluationConfig.parse({
    testsets: [{ testset: 'ts' }],
    generators: [{ kind: 'local', model: 'm', label: 'gen' }],
  });
  const items = BEFORE.map((_, index) => ({ index, group: null, subgroup: null, text: `text ${index}`, fields: {} }));
  const id = core.evaluation.store.create('styles', config, `hash-${Math.random()}`, [
    { key: 'ts', label: 'ts', kind: 'cmd', items },
  ]);
  core.evaluation.store.setScorers(id, scorers);
  core.evaluation.store.saveScores(id, rows);
  return id;
}

const spec = (evaluation: number, options: Record<string, unknown> = {}) =>
  FigureSpec.parse({ kind: 'trait-network', source: { kind: 'evaluation', evaluation }, options });

beforeAll(async () => {
  core = await createCore({ home: tempDir(), loadDemo: false, checkOutputs: true, secretTool: null });
  deps = { evaluation: core.evaluation, datasets: core.datasets, db: core.db };
});
afterAll(() => core.close());

describe('trait network from an evaluation', () => {
  it('reads initial (before) and the generator (after) from the stored style probabilities', async () => {
    const id = createEvaluation(
      [unsafe, style],
      [...scores('initial', BEFORE), ...scores('gen', AFTER), ...scores('gen', AFTER, unsafe)],
    );
    const data = await traitNetworkData(spec(id), deps);
    expect(data.panels.map((p) => [p.label, p.n])).toEqual([
      ['initial', 3],
      ['gen', 3],
    ]);
    expect(data.traits.map((t) => t.name)).toEqual(['Cold', 'Kind', 'Respectful', 'Sarcastic']);
    expect(data.panels[0]!.mean).toEqual([(0.6 + 0.5 + 0.4) / 3, (0.1 + 0.1 + 0.35) / 3, 0, (0.3 + 0.4 + 0.25) / 3]);
    expect(data.panels[1]!.mean).toEqual([(0.1 + 0.1 + 0.1) / 3, (0.7 + 0.6 + 0.4) / 3, (0.2 + 0.3 + 0.5) / 3, 0]);
    expect(data.source).toContain(`evaluation #${id}`);
    // Top-2 before: {Cold,Sarcastic} ×2, {Cold,Kind}; after: {Kind,Respectful} ×3.
    const g = buildGraph(data, TraitNetworkOptions.parse({ topK: 2, minWeight: 1 }));
    const named = (pi: number) => g.edges[pi]!.map((e) => [data.traits[e.a]!.name, data.traits[e.b]!.name, e.count]);
    expect(named(0)).toEqual([
      ['Cold', 'Kind', 1],
      ['Cold', 'Sarcastic', 2],
    ]);
    expect(named(1)).toEqual([['Kind', 'Respectful', 3]]);
    // The figure's CSV carries the same numbers.
    const rows = K.rows(data, TraitNetworkOptions.parse({ topK: 2, minWeight: 1 }));
    expect(rows.find((r) => r[0] === 'gen' && r[3] === 'Kind')![5]).toBe(data.panels[1]!.mean[1]);
  });

  it('draws one row when asked, and refuses what the evaluation does not have', async () => {
    const id = createEvaluation([style], [...scores('initial', BEFORE), ...scores('gen', AFTER)]);
    const one = await traitNetworkData(spec(id, { rows: ['gen'] }), deps);
    expect(one.panels.map((p) => p.label)).toEqual(['gen']);
    await expect(traitNetworkData(spec(id, { rows: ['nope'] }), deps)).rejects.toThrow(
      /spec\.options\.rows: .*no row "nope"/,
    );
    await expect(traitNetworkData(spec(id, { scorer: 'style:x' }), deps)).rejects.toThrow(
      /spec\.options\.scorer: .*style:s/,
    );
    await expect(traitNetworkData(spec(id, { testset: 'x' }), deps)).rejects.toThrow(/spec\.options\.testset/);
    const noStyle = createEvaluation([unsafe], scores('gen', AFTER, unsafe));
    await expect(traitNetworkData(spec(noStyle), deps)).rejects.toThrow(/no style-trait scorer/);
    const empty = createEvaluation([style], scores('initial', BEFORE));
    await expect(traitNetworkData(spec(empty), deps)).rejects.toThrow(/no style-trait probabilities for "gen"/);
    await expect(traitNetworkData(spec(123456), deps)).rejects.toThrow(/no evaluation 123456/);
  });

  it('renders through core.figures with drag-adjusted positions kept in the spec, redrawing the identical SVG', async () => {
    const id = createEvaluation([style], [...scores('initial', BEFORE), ...scores('gen', AFTER)]);
    const first = await core.figures.render(spec(id, { topK: 2, minWeight: 1 }));
    for (const t of ['Cold', 'Kind', 'Respectful', 'Sarcastic'])
      expect(first.svg).toMatch(new RegExp(`<text[^>]*>${t}</text>`));
    expect(first.caption).toContain(`evaluation #${id}`);
    const data = await traitNetworkData(spec(id), deps);
    const o = first.spec.options as TraitNetworkOptions;
    const g = traitNetworkGeometry(data, o, THEMES.paper, { width: first.width, height: first.height });
    const adjusted = { ...first.spec, options: { ...o, positions: positionsAfterDrag(g, 0, [0.05, 0.95]) } };
    const redrawn = await core.figures.render(JSON.parse(JSON.stringify(adjusted)));
    expect(redrawn.svg).not.toBe(first.svg);
    expect((await core.figures.render(JSON.parse(JSON.stringify(redrawn.spec)))).svg).toBe(redrawn.svg);
  });
});
