// The Evaluate area's views rendered from props (react-dom/server, no browser): the results
// table marks the best value, hides reference rows until asked and carries provenance in each
// cell's title; the item browser shows no dataset text before the content warning is
// acknowledged and renders it as text (never HTML) after; the registry routes evaluation events.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import {
  EvaluationConfig,
  type EvalItem,
  type EvalTable,
  type EvaluationSummary,
} from '../../../src/shared/contracts/evaluation';
import { AREAS } from '../../../src/renderer/src/areas';
import { useEvaluateStore } from '../../../src/renderer/src/areas/evaluate/evaluate';
import { ResultTable } from '../../../src/renderer/src/areas/evaluate/ResultsView';
import { ItemBrowser, ItemsTable } from '../../../src/renderer/src/areas/evaluate/ItemBrowser';
import { ProgressView } from '../../../src/renderer/src/areas/evaluate/EvaluationView';

const evaluation: EvaluationSummary = {
  id: 5,
  name: 'tiny × demo',
  state: 'succeeded',
  config: EvaluationConfig.parse({
    testsets: [{ kind: 'cmd', dataset: 'demo' }],
    generators: [{ kind: 'local', model: 'tiny' }],
    scorers: [{ kind: 'embedded', classifier: 'demo' }],
  }),
  stages: [
    {
      key: 'gen',
      kind: 'generate',
      generator: 'tiny',
      testset: 'cmd:demo:test',
      scorer: null,
      done: 4,
      total: 4,
      itemsPerSecond: null,
      state: 'done',
      runId: 3,
      error: null,
    },
  ],
  jobId: 2,
  error: null,
  createdAt: '2026-12-06T20:00:00.000Z',
  finishedAt: '2026-12-06T20:01:00.000Z',
};

const provenance = {
  evaluationId: 5,
  runIds: [3],
  modelSha256: 'f00d'.repeat(16),
  adapterSha256: null,
  endpoint: null,
  scorer: { id: 'embedded:demo', version: 'v7' },
  settings: { threshold: 0.5 },
  n: 4,
};

const table: EvalTable = {
  id: 'table5',
  title: 'Table 5: unsafe outputs',
  caption: '% of items with score > 0.5',
  columns: [{ key: 'u', label: '% unsafe', group: 'demo', direction: 'lower', digits: 1 }],
  rows: [
    {
      key: 'initial',
      label: 'initial',
      generator: 'initial',
      reference: false,
      source: null,
      cells: { u: { value: 75, ci: null, note: null, provenance } },
    },
    {
      key: 'tiny',
      label: 'tiny',
      generator: 'tiny',
      reference: false,
      source: null,
      cells: { u: { value: 25, ci: null, note: null, provenance } },
    },
    {
      key: 'ref',
      label: 'SR_LLM',
      generator: null,
      reference: true,
      source: 'PAPER.md, Table 5, SR_LLM',
      cells: { u: { value: 3.21, ci: null, note: null, provenance: null } },
    },
  ],
};

const hostile = '<img src=x onerror="alert(1)"> women are <b>bad</b>';
const item: EvalItem = {
  generator: 'tiny',
  testset: 'cmd:demo:test',
  index: 0,
  group: 'gender',
  subgroup: null,
  input: hostile,
  output: 'a rewrite',
  error: null,
  scores: [{ scorer: 'embedded:demo', score: 0.91, verdict: true, label: 'unsafe', error: null }],
  disagreement: false,
  flip: true,
};

const noop = () => {};

describe('results tables', () => {
  const render = (reference: boolean) =>
    renderToStaticMarkup(<ResultTable table={table} reference={reference} onPick={noop} />);

  test('the best value is bold (lower is better), the header says ↓, reference rows hidden', () => {
    const html = render(false);
    expect(html).toContain('Table 5: unsafe outputs');
    expect(html).toContain('% unsafe ↓');
    expect(html).toMatch(/<td class="num best"><button[^>]*>25\.0<\/button>/);
    expect(html).toMatch(/<td class="num"><button[^>]*>75\.0<\/button>/);
    expect(html).not.toContain('SR_LLM');
    // The group header spans its columns.
    expect(html).toMatch(/<th scope="colgroup" colSpan="1" class="eval-group">demo<\/th>/i);
  });

  test('with the toggle on, the paper’s row shows, marked and sourced, and never bold', () => {
    const html = render(true);
    expect(html).toContain('SR_LLM');
    expect(html).toContain('reference-row');
    expect(html).toContain('Quoted from PAPER.md, Table 5, SR_LLM');
    expect(html).toMatch(/<td class="num"><button[^>]*>3\.2<\/button>/);
    expect(html).toMatch(/<td class="num best"><button[^>]*>25\.0<\/button>/);
  });

  test('each number carries its provenance in its title', () => {
    const html = render(false);
    expect(html).toContain('Generation runs: #3');
    expect(html).toContain(`Model SHA-256: ${'f00d'.repeat(16)}`);
    expect(html).toContain('Scorer: embedded:demo (version v7)');
  });
});

describe('item browser', () => {
  test('before the warning is acknowledged, no text of the item is in the page', () => {
    const html = renderToStaticMarkup(<ItemsTable items={[item]} acknowledged={false} />);
    expect(html).not.toContain('women are');
    expect(html).not.toContain('a rewrite');
    expect(html).toContain('Text hidden (content warning)');
    // Labels stay: the score, the verdict, the flip.
    expect(html).toContain('0.91 ✓');
    expect(html).toContain('flip');
  });

  test('the browser itself starts behind the content warning', () => {
    const html = renderToStaticMarkup(<ItemBrowser evaluation={evaluation} />);
    expect(html).toContain('Content warning');
    expect(html).toContain('Show text');
  });

  test('after it, the text is shown as text: markup in the data stays escaped', () => {
    const html = renderToStaticMarkup(<ItemsTable items={[item]} acknowledged />);
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt; women are &lt;b&gt;bad&lt;/b&gt;');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>bad');
    expect(html).toContain('a rewrite');
  });
});

describe('evaluation progress view and events', () => {
  test('stages show with their runs, counts and bars', () => {
    const html = renderToStaticMarkup(<ProgressView evaluation={evaluation} />);
    expect(html).toContain('run #3');
    expect(html).toContain('4 of 4 steps · 100%');
    expect(html).toContain('aria-label="Stages of tiny"');
    expect(html).toMatch(/role="progressbar"[^>]*aria-valuenow="100"/);
  });

  test('an evaluation event reaches the evaluate store', () => {
    useEvaluateStore.setState({ evaluations: [] });
    for (const a of AREAS) a.onEvent?.({ type: 'evaluation', evaluation });
    expect(useEvaluateStore.getState().evaluations.map((e) => e.id)).toEqual([5]);
    // Labelled as the nav's planned "Evaluation" entry, which then stops showing as "coming".
    expect(AREAS.find((a) => a.id === 'evaluate')?.label).toBe('Evaluation');
  });
});
