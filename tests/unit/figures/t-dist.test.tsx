// The t-distribution plot (Figure 2): its numbers are `srlab metrics ttest`'s (and the
// evaluation's t-test table's), the paper's extreme t = 28.17 with df = 16,601 stays in view
// behind an axis break, and the critical values and rejection regions follow α and the
// alternative.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { buildTables, type EvaluationData } from '../../../src/main/core/evaluation/tables';
import type { ScoreRecord, ScorerRecord } from '../../../src/main/core/evaluation/store';
import { tDistData, tDistFromTables } from '../../../src/main/core/figures/data/t-dist';
import type { FigureDataDeps } from '../../../src/main/core/figures/deps';
import { ttestReport } from '../../../src/main/core/metrics';
import { EvaluationConfig } from '../../../src/shared/contracts/evaluation';
import { type TDistData, tDistKind, tDistStats } from '../../../src/shared/figures/kinds/t-dist';
import { axisPlan, layoutTDist } from '../../../src/shared/figures/layout/t-dist';
import { THEMES } from '../../../src/shared/figures/theme';
import { tCritical } from '../../../src/shared/metrics/ttest';

const theme = THEMES.paper;
const SINGLE = 252;
const DOUBLE = 504;

/** The paper's section 5.4 result as summary statistics: n = 16,602, t = 28.17. */
const PAPER = { summary: { n: 16602, mean: 28.17 / Math.sqrt(16602), sd: 1 }, mu: 0, alpha: 0.05 };

function render(data: TDistData, options: Record<string, unknown> = {}, width = SINGLE) {
  const opts = tDistKind.options.parse(options);
  const height = tDistKind.height(data, opts, width, theme);
  const svg = renderToStaticMarkup(
    <tDistKind.Component data={data} options={opts} theme={theme} size={{ width, height }} />,
  );
  return { svg, height, layout: layoutTDist(tDistStats(data, opts), width, theme) };
}

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('t-dist numbers', () => {
  it.each([
    ['METRICS.md vector n = 10', { summary: { n: 10, mean: 5.5, sd: 1.2 }, mu: 5, alpha: 0.05 }],
    ['METRICS.md raw x = 1..10', { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], mu: 5, alpha: 0.01 }],
    ['the paper’s t = 28.17', PAPER],
  ])('equal `srlab metrics ttest` (%s)', (_name, input) => {
    const data = tDistKind.parseInput!(input);
    const report = ttestReport(input);
    expect(data.t).toBe(report.t);
    expect(data.df).toBe(report.df);
    expect(data.pTwoSided).toBe(report.p_two_sided);
    expect(data.pGreater).toBe(report.p_greater);
    expect(data.pLess).toBe(report.p_less);
    expect([data.n, data.mean, data.sd, data.mu, data.alpha]).toEqual([
      report.n,
      report.mean,
      report.sd,
      report.mu,
      report.alpha,
    ]);
    const { layout } = render(data);
    expect(layout.criticalValue).toBe(report.t_crit_two_sided_05);
    // The data file carries the same numbers.
    const rows = Object.fromEntries(tDistKind.rows(data, tDistKind.options.parse({})).slice(1));
    expect(rows).toMatchObject({
      t: report.t,
      df: report.df,
      p: report.p_two_sided,
      t_critical: report.t_crit_two_sided_05,
    });
    expect(
      tDistKind.rows(data, tDistKind.options.parse({ alternative: 'greater' })).find((r) => r[0] === 't_critical')![1],
    ).toBe(report.t_crit_one_sided);
  });

  it('matches the METRICS.md vector to its printed digits and writes t, df and p as text', () => {
    const data = tDistKind.parseInput!({ summary: { n: 10, mean: 5.5, sd: 1.2 }, mu: 5, alpha: 0.05 });
    expect(data.t).toBeCloseTo(1.317616, 6);
    expect(data.pTwoSided).toBeCloseTo(0.220185, 6);
    const t = texts(render(data).svg);
    expect(t).toContain('t = 1.32');
    expect(t).toContain('df = 9');
    expect(t).toContain('p = 0.220');
    expect(t).toContain('2.262'); // METRICS.md: ν = 9, two-sided .05 → 2.2622
    expect(t).toContain('−2.262');
  });

  it('refuses bad input naming the field, and accepts an alternative', () => {
    expect(() => tDistKind.parseInput!({ summary: { n: 1, mean: 1, sd: 1 } })).toThrow(/input\.summary\.n/);
    expect(() => tDistKind.parseInput!({ values: [1, 2], alpha: 2 })).toThrow(/input\.alpha/);
    expect(() => tDistKind.parseInput!({ values: [1, 2], alternative: 'sideways' })).toThrow(/input\.alternative/);
    expect(() => tDistKind.parseInput!({ mu: 0 })).toThrow(/give either values or summary/);
    expect(tDistKind.parseInput!({ values: [1, 2, 4], alternative: 'less' }).alternative).toBe('less');
  });
});

describe('extreme t stays in view', () => {
  it('writes no text below 7 pt (print readability)', () => {
    const sizes = [...render(tDistKind.parseInput!(PAPER)).svg.matchAll(/font-size="([\d.]+)"/g)].map((m) =>
      Number(m[1]),
    );
    expect(sizes.length).toBeGreaterThan(3);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(7);
  });

  it('breaks the axis for the paper’s t = 28.17 (df 16,601) and draws the observed line past the break', () => {
    const data = tDistKind.parseInput!(PAPER);
    expect(data.df).toBe(16601);
    expect(data.t).toBeCloseTo(28.17, 10);
    for (const width of [SINGLE, DOUBLE]) {
      const { svg, layout, height } = render(data, {}, width);
      const { left, right } = layout.plot;
      expect(layout.axisBreak).not.toBeNull();
      const obs = layout.observed!;
      expect(obs.x).toBeGreaterThan(layout.axisBreak!.x1);
      expect(obs.x).toBeGreaterThanOrEqual(left);
      expect(obs.x).toBeLessThanOrEqual(right);
      // The tail segment is around t, with ticks of its own; the main segment keeps ±1.96 at readable distance.
      const tail = layout.segments.find((s) => s.tail)!;
      expect(tail.d0).toBeLessThan(28.17);
      expect(tail.d1).toBeGreaterThan(28.17);
      expect(layout.xTicks.map((t) => t.label)).toContain('28');
      for (const c of layout.critical) expect(c.x).toBeGreaterThan(left + 20);
      // The SVG: the line, the zig-zag and the annotation, every x on the canvas.
      expect(svg).toContain('class="axis-break"');
      const xs = [...svg.matchAll(/ x[12]?="(-?[\d.]+)"/g)].map((m) => Number(m[1]));
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...xs)).toBeLessThanOrEqual(width);
      expect(svg).toContain(`viewBox="0 0 ${width} ${height}"`);
      expect(texts(svg)).toEqual(expect.arrayContaining(['t = 28.17', 'df = 16,601']));
      const p = texts(svg).find((s) => s!.startsWith('p = '))!;
      expect(Number(p.slice(4).replace('−', '-'))).toBeCloseTo(data.pTwoSided!, 172);
      expect(data.pTwoSided!).toBeGreaterThan(0);
    }
  });

  it('breaks on the left for a far negative t, extends for a moderate one, and leaves an ordinary t alone', () => {
    const neg = render(tDistKind.parseInput!({ summary: { n: 30, mean: -5, sd: 1 }, alternative: 'less' }));
    expect(neg.layout.axisBreak).not.toBeNull();
    expect(neg.layout.observed!.x).toBeLessThan(neg.layout.axisBreak!.x0);
    expect(neg.layout.observed!.x).toBeGreaterThanOrEqual(neg.layout.plot.left);
    expect(neg.layout.critical.map((c) => c.t)).toEqual([-tCritical(0.05, 29, 'less')]);

    const moderate = render(tDistKind.parseInput!({ summary: { n: 30, mean: 1, sd: 1 } })); // t = 5.48
    expect(moderate.layout.axisBreak).toBeNull();
    expect(moderate.layout.segments[0]!.d1).toBeGreaterThan(5.48);
    expect(moderate.layout.observed!.x).toBeLessThanOrEqual(moderate.layout.plot.right);

    const ordinary = render(tDistKind.parseInput!({ values: [1.2, 0.4, -0.3, 0.9, 1.5, 0.2] }));
    expect(ordinary.layout.axisBreak).toBeNull();
    expect(ordinary.layout.segments).toEqual([expect.objectContaining({ d0: -4, d1: 4 })]);
    expect(ordinary.svg).not.toContain('axis-break');
  });

  it('puts an infinite t (sd = 0) behind the break, marked ∞, and draws no line for an undefined t', () => {
    const inf = render(tDistKind.parseInput!({ values: [2, 2, 2], mu: 0 }));
    expect(inf.layout.axisBreak).not.toBeNull();
    expect(inf.layout.observed!.x).toBeLessThanOrEqual(inf.layout.plot.right);
    expect(texts(inf.svg)).toContain('t = ∞');
    const none = render(tDistKind.parseInput!({ values: [2, 2, 2], mu: 2 }));
    expect(none.layout.observed).toBeNull();
    expect(tDistKind.caption(tDistKind.parseInput!({ values: [2, 2, 2], mu: 2 }), {})).toMatch(/undefined/);
  });

  it('plans the axis from |t| against the half-range', () => {
    expect(axisPlan(1, 1.96)).toEqual({ half: 4, mode: 'plain', side: 1 });
    expect(axisPlan(5, 1.96).mode).toBe('extend');
    expect(axisPlan(-28.17, 1.96)).toMatchObject({ mode: 'break', side: -1 });
    expect(axisPlan(null, 1.96).mode).toBe('plain');
  });
});

describe('rejection regions and critical values', () => {
  const data = tDistKind.parseInput!({ summary: { n: 30, mean: 0.2, sd: 1 }, alpha: 0.01 });
  it.each([
    ['two-sided', [-1, 1], 2],
    ['greater', [1], 1],
    ['less', [-1], 1],
  ] as const)('%s: dashed critical values at the α quantiles, shaded beyond them', (alternative, signs, regions) => {
    const { layout, svg } = render(data, { alternative });
    const c = tCritical(0.01, 29, alternative);
    expect(layout.critical.map((k) => k.t)).toEqual(signs.map((s) => s * c));
    expect(layout.regions).toHaveLength(regions);
    expect((svg.match(/stroke-dasharray="3 2"/g) ?? []).length).toBe(signs.length + 1); // + the legend's
    // Each shaded area starts (or ends) at its critical value's x.
    for (const k of layout.critical) {
      const starts = layout.regions.map((r) => [r.strip.x, r.strip.x + r.strip.width]).flat();
      expect(starts.some((x) => Math.abs(x - k.x) < 1e-6)).toBe(true);
    }
  });
  it('uses ν = 29 critical values of METRICS.md', () => {
    expect(render(data, { alternative: 'greater' }).layout.critical[0]!.label).toBe('2.462');
    expect(render(data).layout.critical.map((k) => k.label)).toEqual(['−2.756', '2.756']);
  });
});

// ---- from an evaluation's t-test table --------------------------------------------------

const unsafe: ScorerRecord = {
  id: 'embedded:u',
  version: 'v1',
  measure: 'unsafe',
  threshold: 0.5,
  description: '',
  spec: {},
  position: 0,
};

function score(generator: string, index: number, s: number): ScoreRecord {
  return {
    generator,
    testset: 't',
    index,
    scorer: unsafe.id,
    version: 'v1',
    score: s,
    verdict: s > 0.5,
    label: null,
    probs: null,
    error: null,
  };
}

function evaluationData(alternative: 'two-sided' | 'greater'): EvaluationData {
  const before = [0.9, 0.8, 0.95, 0.7, 0.85, 0.9, 0.6, 0.99];
  const after = [0.1, 0.3, 0.05, 0.2, 0.4, 0.1, 0.5, 0.02];
  return {
    evaluation: {
      id: 7,
      name: 'e7',
      state: 'succeeded',
      config: EvaluationConfig.parse({
        testsets: [{ testset: 't' }],
        generators: [{ kind: 'local', model: 'm', label: 'gen' }],
        ttest: { measure: 'reduction', mu: 0, alpha: 0.01, alternative },
      }),
      stages: [],
      jobId: null,
      error: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      finishedAt: null,
    },
    testsets: [
      {
        key: 't',
        label: 't',
        kind: 'cmd',
        items: before.map((_, i) => ({ index: i, group: null, subgroup: null, text: `x${i}`, fields: {} })),
      },
    ],
    rows: ['initial', 'gen'],
    generators: ['gen'],
    scorers: [unsafe],
    runs: new Map(),
    scores: [...before.map((s, i) => score('initial', i, s)), ...after.map((s, i) => score('gen', i, s))],
    likelihood: [],
  };
}

describe('t-dist from an evaluation', () => {
  it('draws the t-test table’s numbers with the evaluation’s α and alternative', async () => {
    const d = evaluationData('greater');
    const tables = buildTables(d, { reference: false });
    const row = tables.find((t) => t.id === 'ttest')!.rows[0]!;
    // Through the data module with an evaluation service answering from these tables.
    const deps = {
      evaluation: { tables: () => ({ evaluation: d.evaluation, tables }) },
    } as unknown as FigureDataDeps;
    const data = await tDistData(
      { kind: 't-dist', source: { kind: 'evaluation', evaluation: 7 }, width: 'single', theme: 'paper', options: {} },
      deps,
    );
    expect(data.t).toBe(row.cells.t!.value);
    expect(data.df).toBe(row.cells.df!.value);
    expect(data.pGreater).toBe(row.cells.pGreater!.value);
    expect([data.alpha, data.alternative]).toEqual([0.01, 'greater']);
    const { layout, svg } = render(data);
    expect(layout.criticalValue).toBe(row.cells.tcrit!.value);
    expect(texts(svg)).toContain(`t = ${row.cells.t!.value!.toFixed(2)}`); // the table's 2 digits
    expect(texts(svg)).toContain(`df = ${row.cells.df!.value}`);
    // One-sided greater: shading only right of the one critical value (in the main and, past a break, the tail segment).
    expect(layout.critical).toHaveLength(1);
    for (const r of layout.regions) expect(r.strip.x).toBeGreaterThanOrEqual(layout.critical[0]!.x - 1e-9);
    expect(tDistKind.caption(data, {})).toContain('evaluation 7 (e7), generator gen');
  });

  it('names a missing generator row and an evaluation without a t-test', () => {
    const d = evaluationData('two-sided');
    const tables = buildTables(d, { reference: false });
    expect(() => tDistFromTables(d.evaluation, tables, 'nope')).toThrow(/generator: .*"nope".*rows: gen/);
    expect(() =>
      tDistFromTables(
        d.evaluation,
        tables.filter((t) => t.id !== 'ttest'),
      ),
    ).toThrow(/no t-test rows/);
  });
});
