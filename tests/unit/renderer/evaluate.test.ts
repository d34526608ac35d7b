// The Evaluate area's pure logic: the New evaluation form → a config the contract accepts (and the
// problems that keep a bad one from being sent), the plan's totals, progress from the stages,
// the results tables (best value per column by direction, reference rows, grouped headers,
// provenance), the leaderboard (filter, sort, change with CI, CSV with the filters), and items.
import { describe, expect, test } from 'vitest';
import {
  EvaluationConfig,
  type EvalTable,
  type EvaluationPlan,
  type EvaluationStage,
  type EvaluationSummary,
  type LeaderboardRow,
} from '../../../src/shared/contracts/evaluation';
import {
  addUnique,
  defaultGeneratorLabel,
  emptyEvaluationForm,
  evaluationConfig,
  testsetChoiceKey,
} from '../../../src/renderer/src/areas/evaluate/evaluationForm';
import {
  cachedShare,
  generationStatus,
  planHeadline,
  planTotals,
  roughTime,
} from '../../../src/renderer/src/areas/evaluate/planView';
import {
  evaluationActions,
  evaluationProgress,
  formatItemsPerSecond,
  isNewerEvaluation,
  stagesByGenerator,
  upsertEvaluation,
} from '../../../src/renderer/src/areas/evaluate/evaluationProgress';
import {
  bestRows,
  cellTitle,
  columnGroups,
  directionMark,
  formatCellCi,
  formatCellValue,
  hasColumnGroups,
  provenanceLines,
  tablesWithRows,
  visibleRows,
} from '../../../src/renderer/src/areas/evaluate/tableView';
import {
  baselineChoices,
  changeIsClear,
  csvField,
  DEFAULT_LEADERBOARD_VIEW,
  distinct,
  filterRows,
  formatChange,
  leaderboardCsv,
  leaderboardRows,
  sortRows,
  toggleSort,
} from '../../../src/renderer/src/areas/evaluate/leaderboard';
import { formatScore, itemChoices } from '../../../src/renderer/src/areas/evaluate/items';
import { EMPTY_ITEMS_QUERY, nextItemsQuery } from '../../../src/renderer/src/areas/evaluate/evaluate';

// ---- the form ------------------------------------------------------------------------------

describe('New evaluation form → config', () => {
  const filled = () =>
    emptyEvaluationForm({
      name: '  tiny vs initial ',
      testsets: [
        { kind: 'cmd', dataset: 'cmd-demo', split: 'test', limit: '20' },
        { kind: 'testset', testset: 'toxigen-small', limit: '', groups: ['women', 'asian'] },
      ],
      generators: [
        { kind: 'local', model: 'tiny', adapter: '', label: '' },
        { kind: 'local', model: 'tiny', adapter: 'run:3', label: 'tiny+lora' },
        { kind: 'endpoint', endpoint: 'openai', label: '' },
      ],
      scorers: [
        { kind: 'embedded', classifier: 'cmd-demo-annotation' },
        { kind: 'moderation', endpoint: 'openai', threshold: '0.4' },
        { kind: 'judge', model: 'tiny', format: 'llama-guard' },
      ],
      stereoset: 'stereoset-dev',
      likelihoodLimit: '100',
      ttestAlternative: 'greater',
      ttestAlpha: '0.01',
    });

  test('a filled form gives a config the contract parses, with every choice carried over', () => {
    const { config, problems } = evaluationConfig(filled());
    expect(problems).toEqual([]);
    const parsed = EvaluationConfig.parse(config);
    expect(parsed.name).toBe('tiny vs initial');
    expect(parsed.testsets).toEqual([
      { kind: 'cmd', dataset: 'cmd-demo', split: 'test', limit: 20 },
      { kind: 'testset', testset: 'toxigen-small', groups: ['women', 'asian'] },
    ]);
    expect(parsed.generators).toEqual([
      { kind: 'local', model: 'tiny', adapterScale: 1 },
      { kind: 'local', model: 'tiny', adapterRun: 3, adapterScale: 1, label: 'tiny+lora' },
      { kind: 'endpoint', endpoint: 'openai' },
    ]);
    expect(parsed.scorers).toEqual([
      { kind: 'embedded', classifier: 'cmd-demo-annotation' },
      { kind: 'moderation', endpoint: 'openai', threshold: 0.4 },
      { kind: 'judge', model: 'tiny', format: 'llama-guard' },
    ]);
    expect(parsed.baselineInitial).toBe(true);
    expect(parsed.likelihood).toEqual({ stereoset: 'stereoset-dev', limit: 100 });
    expect(parsed.ttest).toEqual({ measure: 'reduction', alternative: 'greater', alpha: 0.01, mu: 0 });
    expect(parsed.decoding).toMatchObject({ temperature: 0, seed: 42, maxTokens: 256 });
    expect(parsed.template).toEqual({ name: 'sr-llm-paper' });
  });

  test('an empty form names what is missing and sends nothing', () => {
    const { config, problems } = evaluationConfig(emptyEvaluationForm({ baselineInitial: false }));
    expect(config).toBeNull();
    expect(problems).toEqual([
      'Add at least one test set.',
      'Add a generator, or keep the “initial” row (the scorers on the inputs).',
      'Add at least one scorer: the tables count what scorers flag.',
    ]);
  });

  test('bad numbers, duplicate and reserved labels are problems, each named', () => {
    const form = filled();
    form.testsets[0] = { kind: 'cmd', dataset: 'cmd-demo', split: 'test', limit: '0' };
    form.generators[2] = { kind: 'endpoint', endpoint: 'openai', label: 'tiny+lora' };
    form.generators.push({ kind: 'local', model: 'tiny', adapter: 'x.gguf', label: 'initial' });
    form.scorers[1] = { kind: 'moderation', endpoint: 'openai', threshold: '1.5' };
    form.ttestAlpha = '1';
    const { config, problems } = evaluationConfig(form);
    expect(config).toBeNull();
    expect(problems).toEqual([
      'Test set 1: limit must be a whole number from 1 to 1000000000.',
      'Generator 3: the label “tiny+lora” is used twice; give each row its own.',
      'Generator 4: “initial” is the row of the inputs; choose another label.',
      'Scorer 2: threshold must be a number from 0 to 1.',
      't-test alpha must be between 0 and 1 (exclusive).',
    ]);
  });

  test('without generators the initial row alone is a valid evaluation (scores of the inputs)', () => {
    const form = filled();
    form.generators = [];
    const { config } = evaluationConfig(form);
    expect(EvaluationConfig.parse(config).generators).toEqual([]);
  });

  test('default labels: model, model + adapter, endpoint; rows are added once', () => {
    expect(defaultGeneratorLabel({ kind: 'local', model: 'llama', adapter: '', label: '' })).toBe('llama');
    expect(defaultGeneratorLabel({ kind: 'local', model: 'llama', adapter: 'run:4', label: '' })).toBe('llama + run 4');
    expect(defaultGeneratorLabel({ kind: 'local', model: 'llama', adapter: '/a/b/sr.gguf', label: '' })).toBe(
      'llama + sr.gguf',
    );
    expect(defaultGeneratorLabel({ kind: 'endpoint', endpoint: 'gpt', label: '' })).toBe('gpt');
    const t = { kind: 'cmd' as const, dataset: 'd', split: 'test' as const, limit: '' };
    const once = addUnique([], t, testsetChoiceKey);
    expect(addUnique(once, { ...t, limit: '5' }, testsetChoiceKey)).toBe(once);
    expect(addUnique(once, { ...t, split: 'dev' }, testsetChoiceKey)).toHaveLength(2);
  });
});

// ---- the plan ------------------------------------------------------------------------------

const plan: EvaluationPlan = {
  testsets: [{ key: 'cmd:demo:test', label: 'demo · test', kind: 'cmd', items: 10 }],
  generators: [{ label: 'tiny', target: { kind: 'local', model: 'tiny', adapterScale: 1 } }],
  scorers: [{ id: 'embedded:demo', version: 'v1', measure: 'unsafe', threshold: 0.5, description: 'd' }],
  generation: [
    {
      generator: 'tiny',
      testset: 'cmd:demo:test',
      items: 10,
      runId: 4,
      runState: 'interrupted',
      cachedItems: 6,
      toGenerate: 4,
      estimatedSeconds: 12,
    },
    {
      generator: 'other',
      testset: 'cmd:demo:test',
      items: 10,
      runId: 2,
      runState: 'succeeded',
      cachedItems: 10,
      toGenerate: 0,
      estimatedSeconds: 0,
    },
  ],
  scoring: [
    { scorer: 'embedded:demo', generator: 'initial', testset: 'cmd:demo:test', items: 10, cached: 10, toScore: 0 },
    { scorer: 'embedded:demo', generator: 'tiny', testset: 'cmd:demo:test', items: 10, cached: 3, toScore: 7 },
  ],
  likelihood: [{ generator: 'tiny', testset: 'ss', kind: 'stereoset', cached: false }],
  estimatedSeconds: 125,
  notes: [],
};

describe('plan', () => {
  test('totals: items to generate and cached, runs reused and resumed, scores, likelihood', () => {
    expect(planTotals(plan)).toEqual({
      generations: 2,
      itemsToGenerate: 4,
      itemsCachedGeneration: 16,
      reusedRuns: 1,
      resumedRuns: 1,
      toScore: 7,
      cachedScores: 13,
      likelihoodToRun: 1,
      likelihoodCached: 0,
    });
    expect(planHeadline(plan)).toBe(
      '4 items to generate (16 cached) · 7 scores to compute (13 cached) · 1 likelihood test to run · about 2m 05s',
    );
  });

  test('generation status and rough time in words', () => {
    expect(plan.generation.map(generationStatus)).toEqual(['resumes run #4 (interrupted)', 'reuses run #2']);
    expect(generationStatus({ ...plan.generation[0]!, runId: null })).toBe('new run');
    expect(roughTime(null)).toMatch(/^time unknown/);
    expect(roughTime(0)).toBe('about no time (everything is cached)');
    expect(cachedShare(3, 10)).toBe(0.3);
    expect(cachedShare(0, 0)).toBe(1);
  });
});

// ---- progress ------------------------------------------------------------------------------

function stage(patch: Partial<EvaluationStage>): EvaluationStage {
  return {
    key: 'k',
    kind: 'generate',
    generator: 'tiny',
    testset: 'cmd:demo:test',
    scorer: null,
    done: 0,
    total: 10,
    itemsPerSecond: null,
    state: 'pending',
    runId: null,
    error: null,
    ...patch,
  };
}

function evaluation(patch: Partial<EvaluationSummary> = {}): EvaluationSummary {
  return {
    id: 1,
    name: 'e',
    state: 'running',
    config: EvaluationConfig.parse({
      testsets: [{ kind: 'cmd', dataset: 'demo' }],
      scorers: [{ kind: 'embedded', classifier: 'demo' }],
    }),
    stages: [
      stage({ key: 'a', kind: 'score', generator: 'initial', scorer: 'embedded:demo', done: 10, state: 'done' }),
      stage({ key: 'b', done: 4, state: 'running', itemsPerSecond: 2 }),
      stage({ key: 'c', kind: 'score', scorer: 'embedded:demo', done: 0, state: 'pending' }),
      stage({ key: 'd', kind: 'likelihood', total: 5, done: 0, state: 'skipped' }),
    ],
    jobId: 9,
    error: null,
    createdAt: '2026-12-06T20:00:00.000Z',
    finishedAt: null,
    ...patch,
  };
}

describe('progress', () => {
  test('counts every stage but the skipped ones; rate and time left from the running stage', () => {
    const p = evaluationProgress(evaluation());
    expect(p.done).toBe(14);
    expect(p.total).toBe(30);
    expect(p.countText).toBe('14 of 30 steps · 46%');
    expect(p.itemsPerSecond).toBe(2);
    // 6 items left at 2 items/s.
    expect(p.etaText).toBe('3s');
    expect(formatItemsPerSecond(p.itemsPerSecond)).toBe('2.00 items/s');
    expect(formatItemsPerSecond(1234.5)).toBe('1,235 items/s');
  });

  test('a failed stage is counted; a finished evaluation has no rate', () => {
    const e = evaluation({
      state: 'failed',
      stages: [stage({ done: 3, state: 'failed', error: 'boom', itemsPerSecond: 5 })],
    });
    const p = evaluationProgress(e);
    expect(p.countText).toBe('3 of 10 steps · 30% · 1 stage failed');
    expect(p.itemsPerSecond).toBeNull();
    expect(p.etaText).toBe('');
  });

  test('stages grouped by row in first-seen order', () => {
    expect(stagesByGenerator(evaluation().stages).map((g) => [g.generator, g.stages.map((s) => s.key)])).toEqual([
      ['initial', ['a']],
      ['tiny', ['b', 'c', 'd']],
    ]);
  });

  test('actions: cancel while running; resume and remove once stopped; no resume once succeeded', () => {
    expect(evaluationActions(evaluation())).toEqual({ cancel: true, resume: false, remove: false });
    expect(evaluationActions(evaluation({ state: 'interrupted' }))).toEqual({
      cancel: false,
      resume: true,
      remove: true,
    });
    expect(evaluationActions(evaluation({ state: 'succeeded' }))).toEqual({
      cancel: false,
      resume: false,
      remove: true,
    });
  });

  test('updates out of order: no going back to running, no lower counts, a new job wins', () => {
    const running = evaluation();
    const done = evaluation({ state: 'succeeded' });
    expect(isNewerEvaluation(done, running)).toBe(false);
    const behind = evaluation({ stages: [stage({ done: 1 })] });
    expect(isNewerEvaluation(running, behind)).toBe(false);
    expect(isNewerEvaluation(done, evaluation({ jobId: 10, stages: [] }))).toBe(true);
    const list = upsertEvaluation([], running);
    expect(upsertEvaluation(list, behind)).toBe(list);
    expect(upsertEvaluation(list, evaluation({ id: 3 })).map((e) => e.id)).toEqual([3, 1]);
  });
});

// ---- tables --------------------------------------------------------------------------------

const prov = (n: number) => ({
  evaluationId: 1,
  runIds: [4],
  modelSha256: 'ab'.repeat(32),
  adapterSha256: null,
  endpoint: null,
  scorer: { id: 'embedded:demo', version: 'v1' },
  settings: { threshold: 0.5, template: 'sr-llm-paper v1' },
  n,
});

const table5: EvalTable = {
  id: 'table5',
  title: 'Table 5',
  caption: '% unsafe',
  columns: [
    { key: 'cmd:unsafe', label: '% unsafe', group: 'CMD', direction: 'lower', digits: 1 },
    { key: 'cmd:toxic', label: '% toxic', group: 'CMD', direction: 'lower', digits: 1 },
    { key: 'tox:toxic', label: '% toxic', group: 'ToxiGen', direction: 'lower', digits: 1 },
  ],
  rows: [
    {
      key: 'initial',
      label: 'initial',
      generator: 'initial',
      reference: false,
      source: null,
      cells: {
        'cmd:unsafe': { value: 60, ci: null, note: null, provenance: prov(10) },
        'cmd:toxic': { value: 40.04, ci: [30, 50], note: null, provenance: prov(10) },
        'tox:toxic': { value: 20, ci: null, note: null, provenance: prov(10) },
      },
    },
    {
      key: 'tiny',
      label: 'tiny',
      generator: 'tiny',
      reference: false,
      source: null,
      cells: {
        'cmd:unsafe': { value: 30, ci: null, note: null, provenance: prov(10) },
        'cmd:toxic': { value: 40.01, ci: null, note: null, provenance: prov(10) },
        'tox:toxic': { value: null, ci: null, note: 'fewer than 2 items', provenance: null },
      },
    },
    {
      key: 'paper:sr',
      label: 'SR_LLM (paper)',
      generator: null,
      reference: true,
      source: 'PAPER.md, Table 5, SR_LLM',
      cells: { 'cmd:unsafe': { value: 1, ci: null, note: null, provenance: null } },
    },
  ],
};

describe('results tables', () => {
  test('best per column among this evaluation’s rows, ties at the shown precision, reference rows never win', () => {
    const best = bestRows(table5);
    // 30 < 60 (the paper's 1 is a quoted number, not a competitor).
    expect([...best.get('cmd:unsafe')!]).toEqual(['tiny']);
    // 40.04 and 40.01 both print 40.0: a tie.
    expect([...best.get('cmd:toxic')!].sort()).toEqual(['initial', 'tiny']);
    // Only one row has a value: no "best".
    expect(best.has('tox:toxic')).toBe(false);
  });

  test('direction-aware: higher and closer-to-50', () => {
    const t: EvalTable = {
      ...table5,
      columns: [
        { key: 'lms', label: 'LMS', group: null, direction: 'higher', digits: 2 },
        { key: 'ss', label: 'SS', group: null, direction: 'closer-to-50', digits: 2 },
        { key: 'n', label: 'n', group: null, direction: 'none', digits: 0 },
      ],
      rows: ['a', 'b'].map((k, i) => ({
        key: k,
        label: k,
        generator: k,
        reference: false,
        source: null,
        cells: {
          lms: { value: [80, 90][i]!, ci: null, note: null, provenance: null },
          ss: { value: [45, 58][i]!, ci: null, note: null, provenance: null },
          n: { value: 5, ci: null, note: null, provenance: null },
        },
      })),
    };
    const best = bestRows(t);
    expect([...best.get('lms')!]).toEqual(['b']);
    expect([...best.get('ss')!]).toEqual(['a']);
    expect(best.has('n')).toBe(false);
    expect(['lower', 'higher', 'closer-to-50', 'none'].map((d) => directionMark(d as 'lower'))).toEqual([
      '↓',
      '↑',
      '→50',
      '',
    ]);
  });

  test('reference rows only on the toggle; tables without rows are left out', () => {
    expect(visibleRows(table5, false).map((r) => r.key)).toEqual(['initial', 'tiny']);
    expect(visibleRows(table5, true).map((r) => r.key)).toEqual(['initial', 'tiny', 'paper:sr']);
    const onlyRef: EvalTable = { ...table5, id: 'table7', rows: [table5.rows[2]!] };
    expect(tablesWithRows([table5, onlyRef], false).map((t) => t.id)).toEqual(['table5']);
    expect(tablesWithRows([table5, onlyRef], true).map((t) => t.id)).toEqual(['table5', 'table7']);
  });

  test('grouped headers span consecutive columns of one group', () => {
    expect(columnGroups(table5.columns)).toEqual([
      { label: 'CMD', span: 2 },
      { label: 'ToxiGen', span: 1 },
    ]);
    expect(hasColumnGroups(table5.columns)).toBe(true);
    expect(hasColumnGroups([{ ...table5.columns[0]!, group: null }])).toBe(false);
  });

  test('cells: digits, CI, a dash when not computed; provenance and the tooltip', () => {
    const [c0, c1] = table5.columns;
    expect(formatCellValue(table5.rows[1]!.cells['cmd:toxic'], c1!)).toBe('40.0');
    expect(formatCellValue(table5.rows[1]!.cells['tox:toxic'], c1!)).toBe('–');
    expect(formatCellValue(undefined, c0!)).toBe('–');
    expect(formatCellCi(table5.rows[0]!.cells['cmd:toxic'], c1!)).toBe('[30.0, 50.0]');
    expect(provenanceLines(prov(10))).toEqual([
      ['n', '10'],
      ['Evaluation', '#1'],
      ['Generation runs', '#4'],
      ['Model SHA-256', 'ab'.repeat(32)],
      ['Scorer', 'embedded:demo (version v1)'],
      ['threshold', '0.5'],
      ['template', 'sr-llm-paper v1'],
    ]);
    const title = cellTitle(table5.rows[0]!, table5.rows[0]!.cells['cmd:toxic'], c1!);
    expect(title.split('\n')).toEqual([
      'initial · CMD · % toxic',
      '95% CI [30.0, 50.0]',
      'n: 10',
      'Evaluation: #1',
      'Generation runs: #4',
      `Model SHA-256: ${'ab'.repeat(32)}`,
      'Scorer: embedded:demo (version v1)',
      'threshold: 0.5',
      'template: sr-llm-paper v1',
    ]);
    expect(cellTitle(table5.rows[2]!, table5.rows[2]!.cells['cmd:unsafe'], c0!)).toBe(
      'SR_LLM (paper) · CMD · % unsafe\nQuoted from PAPER.md, Table 5, SR_LLM',
    );
    expect(cellTitle(table5.rows[1]!, table5.rows[1]!.cells['tox:toxic'], table5.columns[2]!)).toBe(
      'tiny · ToxiGen · % toxic\nfewer than 2 items',
    );
  });
});

// ---- leaderboard ---------------------------------------------------------------------------

function lrow(patch: Partial<LeaderboardRow>): LeaderboardRow {
  return {
    evaluationId: 1,
    evaluation: 'e1',
    generator: 'tiny',
    testset: 'cmd:demo:test',
    scorer: 'embedded:demo',
    value: 10,
    n: 10,
    change: null,
    changeCi: null,
    isBaseline: false,
    provenance: prov(10),
    ...patch,
  };
}

const board = [
  lrow({ generator: 'initial', value: 60, isBaseline: true, change: 0, changeCi: [0, 0] }),
  lrow({ generator: 'tiny', value: 30, change: -30, changeCi: [-50, -10] }),
  lrow({ evaluationId: 2, evaluation: 'e2', generator: 'big', value: null, n: 0 }),
  lrow({
    evaluationId: 2,
    evaluation: 'e2',
    generator: 'sr',
    testset: 'toxigen',
    value: 5,
    change: 2,
    changeCi: [-1, 5],
  }),
  lrow({ evaluationId: 2, evaluation: 'e2', generator: 'sr', scorer: 'judge:llama-guard:lg', value: 12.5 }),
];

describe('leaderboard', () => {
  test('sort by value ascending and descending: rows without a value last either way', () => {
    expect(sortRows(board, 'value', false).map((r) => r.value)).toEqual([5, 12.5, 30, 60, null]);
    expect(sortRows(board, 'value', true).map((r) => r.value)).toEqual([60, 30, 12.5, 5, null]);
    expect(sortRows(board, 'generator', false).map((r) => r.generator)).toEqual(['big', 'initial', 'sr', 'sr', 'tiny']);
    // A stable sort: equal keys keep their order.
    expect(sortRows(board, 'evaluation', false).map((r) => r.generator)).toEqual([
      'initial',
      'tiny',
      'big',
      'sr',
      'sr',
    ]);
  });

  test('filters by test set, scorer and text (case-insensitive, any column)', () => {
    expect(filterRows(board, { testset: 'toxigen', scorer: '', text: '' })).toHaveLength(1);
    expect(filterRows(board, { testset: '', scorer: 'judge:llama-guard:lg', text: '' })).toHaveLength(1);
    expect(filterRows(board, { testset: '', scorer: '', text: 'E2' }).map((r) => r.generator)).toEqual([
      'big',
      'sr',
      'sr',
    ]);
    expect(distinct(board, 'testset')).toEqual(['cmd:demo:test', 'toxigen']);
  });

  test('header clicks toggle the direction, a new column starts ascending', () => {
    const v1 = toggleSort(DEFAULT_LEADERBOARD_VIEW, 'value');
    expect([v1.sort, v1.descending]).toEqual(['value', true]);
    const v2 = toggleSort(v1, 'n');
    expect([v2.sort, v2.descending]).toEqual(['n', false]);
  });

  test('change with its CI in percentage points; clear when the CI excludes 0', () => {
    expect(formatChange(board[0]!)).toBe('baseline');
    expect(formatChange(board[1]!)).toBe('−30.0 pp [−50.0, −10.0]');
    expect(formatChange(board[3]!)).toBe('+2.0 pp [−1.0, +5.0]');
    expect(formatChange(board[2]!)).toBe('–');
    expect(board.map(changeIsClear)).toEqual([false, true, false, false, false]);
  });

  test('CSV export has exactly the filtered, sorted rows and says which filters made it', () => {
    const view = { ...DEFAULT_LEADERBOARD_VIEW, text: 'e2', sort: 'value' as const, descending: true };
    const rows = leaderboardRows(board, view);
    const csv = leaderboardCsv(rows, view, 'initial');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('# srlab leaderboard; baseline=initial; text=e2; sort=value desc');
    expect(lines[1]!.split(',')[0]).toBe('evaluation_id');
    expect(lines.slice(2, -1).map((l) => l.split(',')[2])).toEqual(['sr', 'sr', 'big']);
    expect(lines[2]).toBe(`2,e2,sr,cmd:demo:test,judge:llama-guard:lg,12.5,10,,,,false,4,${'ab'.repeat(32)},v1`);
    expect(lines.at(-1)).toBe('');
  });

  test('CSV fields: quoting, and spreadsheet formulas defused', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(-3)).toBe('-3');
    expect(csvField(null)).toBe('');
  });

  test('baselines: every generator once, "initial" first', () => {
    expect(baselineChoices(['tiny', 'big', 'initial', 'tiny'])).toEqual(['initial', 'big', 'tiny']);
  });
});

// ---- items ---------------------------------------------------------------------------------

describe('items', () => {
  test('filter choices from the stages: initial first, test sets once', () => {
    const e = evaluation({
      stages: [
        stage({ generator: 'tiny', testset: 'a' }),
        stage({ generator: 'initial', testset: 'b' }),
        stage({ generator: 'tiny', testset: 'b' }),
      ],
    });
    expect(itemChoices(e)).toEqual({ generators: ['initial', 'tiny'], testsets: ['a', 'b'] });
  });

  test('a changed filter goes back to the first page; paging and an unchanged filter keep it', () => {
    const onPage3 = { ...EMPTY_ITEMS_QUERY, generator: 'tiny', page: 3 };
    expect(nextItemsQuery(onPage3, { filter: 'flips' })).toEqual({
      query: { ...onPage3, filter: 'flips', page: 0 },
      filterChanged: true,
    });
    expect(nextItemsQuery(onPage3, { generator: 'tiny' })).toEqual({ query: onPage3, filterChanged: false });
    expect(nextItemsQuery(onPage3, { page: 4 }).query.page).toBe(4);
    expect(nextItemsQuery(onPage3, { group: 'women', page: 2 }).query).toMatchObject({ group: 'women', page: 2 });
  });

  test('a score in words', () => {
    const s = { scorer: 'x', label: null, error: null };
    expect(formatScore({ ...s, score: 0.934, verdict: true })).toBe('0.93 ✓');
    expect(formatScore({ ...s, score: 0.1, verdict: false })).toBe('0.10');
    expect(formatScore({ ...s, score: null, verdict: null, error: 'timeout' })).toBe('error');
    expect(formatScore({ ...s, score: null, verdict: true })).toBe('✓');
  });
});
