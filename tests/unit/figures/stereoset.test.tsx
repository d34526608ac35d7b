// The StereoSet chart: every bar is a Table 7 number (or a `srlab metrics stereoset` result
// given as input), drawn to scale on 0–100 with the SS = 50 ideal dashed; the paper's rows are
// outlined and marked; labels from data are text, never markup.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { PAPER_TABLE7 } from '../../../src/main/core/evaluation/paper-reference';
import { buildTables, type EvaluationData } from '../../../src/main/core/evaluation/tables';
import { stereosetData, stereosetFromTables } from '../../../src/main/core/figures/data/stereoset';
import type { FigureDataDeps } from '../../../src/main/core/figures/deps';
import { EvaluationConfig } from '../../../src/shared/contracts/evaluation';
import { stereosetKind } from '../../../src/shared/figures/kinds/stereoset';
import { layoutStereoset, type StereosetData } from '../../../src/shared/figures/layout/stereoset';
import { THEMES } from '../../../src/shared/figures/theme';
import { stereosetScores } from '../../../src/shared/metrics/stereoset';

const theme = THEMES.paper;

function render(data: StereosetData, options: Record<string, unknown> = {}, width = 504) {
  const opts = stereosetKind.options.parse(options);
  const height = stereosetKind.height(data, opts, width, theme);
  const svg = renderToStaticMarkup(
    <stereosetKind.Component data={data} options={opts} theme={theme} size={{ width, height }} />,
  );
  return { svg, height, layout: layoutStereoset(data, opts.metrics, width, theme) };
}

// Sentence scores for two targets in two domains, scored by the real metric code.
const items = (shift: number) => [
  { target: 'a', domain: 'gender', stereotype: -1 + shift, anti: -1.5, unrelated: -3 },
  { target: 'a', domain: 'gender', stereotype: -2, anti: -1.2 - shift, unrelated: -1.8 },
  { target: 'b', domain: 'race', stereotype: -0.8, anti: -1.1, unrelated: -2.5 + shift },
  { target: 'b', domain: 'race', stereotype: -1.6, anti: -1.4, unrelated: -0.9 },
  { target: 'b', domain: 'race', stereotype: -1.1 - shift, anti: -1.3, unrelated: -4 },
];

function evaluationData(): EvaluationData {
  const snap = (generator: string, shift: number, id: number) => {
    const m = stereosetScores(items(shift));
    return {
      generator,
      kind: 'stereoset',
      testset: 'ss',
      result: {
        id,
        kind: 'stereoset' as const,
        model: generator,
        modelSha256: null,
        adapterSha256: null,
        testset: 'ss',
        n: m.n,
        metrics: m as unknown as Record<string, unknown>,
      },
    };
  };
  return {
    evaluation: {
      id: 3,
      name: 'e3',
      state: 'succeeded',
      config: EvaluationConfig.parse({
        testsets: [{ testset: 'ss' }],
        generators: [{ kind: 'local', model: 'm', label: 'gen' }],
      }),
      stages: [],
      jobId: null,
      error: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      finishedAt: null,
    },
    testsets: [],
    rows: ['initial', 'gen'],
    generators: ['gen'],
    scorers: [],
    runs: new Map(),
    scores: [],
    likelihood: [snap('initial', 0, 1), snap('gen', 0.7, 2)],
  } as unknown as EvaluationData;
}

describe('stereoset from an evaluation’s Table 7', () => {
  it('draws every LMS / SS / ICAT cell of Table 7 as a bar of that height, with the value in its hover text', async () => {
    const d = evaluationData();
    const tables = buildTables(d, { reference: false });
    const table = tables.find((t) => t.id === 'table7')!;
    const deps = { evaluation: { tables: () => ({ evaluation: d.evaluation, tables }) } } as unknown as FigureDataDeps;
    const data = await stereosetData(
      {
        kind: 'stereoset',
        source: { kind: 'evaluation', evaluation: 3 },
        width: 'double',
        theme: 'paper',
        options: {},
      },
      deps,
    );
    expect(data.domains).toEqual(['overall', 'gender', 'race']);
    expect(data.generators.map((g) => g.label)).toEqual(['initial', 'gen']);
    const { layout, svg } = render(data);
    let checked = 0;
    layout.panels.forEach((panel, p) => {
      const metric = (['lms', 'ss', 'icat'] as const)[p]!;
      const plotHeight = panel.plot.bottom - panel.plot.top;
      for (const bar of panel.bars) {
        const row = table.rows[bar.series]!;
        const cell = row.cells[`${data.domains[bar.group]}|${metric}`]!;
        expect(bar.value).toBe(cell.value);
        expect(bar.height).toBeCloseTo((cell.value! / 100) * plotHeight, 9);
        expect(bar.tip).toContain(`${metric.toUpperCase()} = ${cell.value!.toFixed(2)}`); // Table 7's 2 digits
        expect(svg).toContain(`<title>${bar.tip}</title>`);
        checked++;
      }
    });
    expect(checked).toBe(2 * 3 * 3);
    // The CSV data file: the same numbers.
    const rows = stereosetKind.rows(data, stereosetKind.options.parse({}));
    expect(rows[0]).toEqual(['generator', 'source', 'domain', 'n', 'lms', 'ss', 'icat']);
    expect(rows.find((r) => r[0] === 'gen' && r[2] === 'race')!.slice(4)).toEqual(
      ['lms', 'ss', 'icat'].map((m) => table.rows[1]!.cells[`race|${m}`]!.value),
    );
  });

  it('draws the SS = 50 ideal as a dashed line in the SS panel only, keyed in the legend', () => {
    const d = evaluationData();
    const data = stereosetFromTables(d.evaluation, buildTables(d, { reference: false }));
    const { layout, svg } = render(data);
    const [lms, ss, icat] = layout.panels;
    expect(lms!.refLine).toBeNull();
    expect(icat!.refLine).toBeNull();
    expect(ss!.refLine!.y).toBeCloseTo((ss!.plot.top + ss!.plot.bottom) / 2, 9);
    expect(svg).toContain('class="ref-line"');
    expect(svg).toContain('>ideal SS = 50</text>');
    const noSs = render(data, { metrics: ['lms', 'icat'] });
    expect(noSs.svg).not.toContain('ideal SS = 50');
    expect(noSs.layout.panels).toHaveLength(2);
  });

  it('adds the paper’s Table 7 rows outlined and marked "(paper)" when asked', async () => {
    const d = evaluationData();
    const deps = {
      evaluation: {
        tables: (_id: number, reference: boolean) => ({
          evaluation: d.evaluation,
          tables: buildTables(d, { reference }),
        }),
      },
    } as unknown as FigureDataDeps;
    const spec = {
      kind: 'stereoset' as const,
      source: { kind: 'evaluation' as const, evaluation: 3 },
      width: 'single' as const,
      theme: 'paper' as const,
    };
    const data = await stereosetData({ ...spec, options: { reference: true } }, deps);
    const paper = data.generators.filter((g) => g.reference);
    expect(paper.map((g) => g.label)).toEqual(Object.keys(PAPER_TABLE7.rows));
    expect(paper[0]!.scores.overall).toMatchObject({ lms: 91.03, ss: 65.01, icat: 63.7 });
    const { svg } = render(data, { reference: true }, 252);
    expect(svg).toContain('>SR_LLM (paper)</text>');
    expect(svg).toContain('SR_LLM (paper), overall: SS = 65.01');
    expect(svg).toMatch(/fill="none" stroke="#[0-9A-Fa-f]{6}" stroke-width="[\d.]+" stroke-dasharray="2 1.5"/);
    expect(stereosetKind.caption(data, stereosetKind.options.parse({ reference: true }))).toContain(
      'quoted from PAPER.md',
    );
    expect((await stereosetData({ ...spec, options: {} }, deps)).generators.some((g) => g.reference)).toBe(false);
  });

  it('says so when the evaluation has no StereoSet results', () => {
    const d = { ...evaluationData(), likelihood: [] } as EvaluationData;
    expect(() => stereosetFromTables(d.evaluation, buildTables(d, { reference: false }))).toThrow(
      /no StereoSet results/,
    );
  });
});

describe('stereoset from input', () => {
  it('writes no text below 7 pt (print readability)', () => {
    const sizes = [
      ...render(
        stereosetKind.parseInput!({ generators: [{ label: 'a', lms: 90, ss: 55, icat: 81 }] }),
        {},
        252,
      ).svg.matchAll(/font-size="([\d.]+)"/g),
    ].map((m) => Number(m[1]));
    expect(sizes.length).toBeGreaterThan(3);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(7);
  });

  it('takes `srlab metrics stereoset` results with labels; a missing value is a marked gap, not a zero bar', () => {
    const m = stereosetScores(items(0));
    const data = stereosetKind.parseInput!({
      generators: [
        { label: 'mine', ...m },
        { label: 'other', lms: 80, ss: null, icat: null },
      ],
    });
    const { layout, svg } = render(data);
    const ss = layout.panels[1]!;
    expect(ss.bars.find((b) => b.series === 0 && b.group === 0)!.value).toBe(m.ss);
    expect(ss.missing.length).toBeGreaterThan(0);
    expect(ss.bars.some((b) => b.series === 1)).toBe(false);
    expect(svg).toContain('other, overall: SS not computed');
  });

  it('refuses bad input naming the field', () => {
    expect(() => stereosetKind.parseInput!({ generators: [{ label: 'x', lms: 150, ss: 50, icat: 1 }] })).toThrow(
      /input\.generators\.0\.lms/,
    );
    expect(() => stereosetKind.parseInput!({ generators: [] })).toThrow(/input\.generators/);
  });

  it('renders labels from data as text, never as markup', () => {
    const data = stereosetKind.parseInput!({
      generators: [{ label: '<script>alert(1)</script>', lms: 90, ss: 55, icat: 81 }],
    });
    const { svg } = render(data, {}, 252);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
