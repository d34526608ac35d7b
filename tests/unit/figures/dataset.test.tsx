// The dataset figure's layout on hand-made statistics: label bars proportional to the counts,
// one series per split that has records (train, dev, test order), "(missing)" last; histograms
// on one shared x axis with the mean and median where the statistics put them; everything
// inside the figure; label values (dataset text) escaped; bad input refused naming the field.
import { describe, expect, it } from 'vitest';
import type { DatasetStats, LabelCounts } from '../../../src/shared/contracts/datasets';
import { type DatasetFigureData, datasetKind } from '../../../src/shared/figures/kinds/dataset';
import { labelSeries, layoutHistograms, layoutLabels, ordered } from '../../../src/shared/figures/layout/dataset';
import { THEMES } from '../../../src/shared/figures/theme';
import { renderKind, viewBox } from './k3-render';

const fonts = THEMES.paper.fontSize;
const describe0 = { count: 0, mean: null, std: null, min: null, p25: null, p50: null, p75: null, max: null };

function labels(annotation: Record<string, number>, sentiment: Record<string, number> = {}): LabelCounts {
  return {
    bias: {},
    toxicity: {},
    sentiment,
    harm: {},
    annotation,
    annotationGold: {},
    annotationDerived: {},
    annotationStrict: {},
    disagreements: 0,
  };
}

const stats: DatasetStats = {
  dataset: 'hand',
  split: null,
  records: 20,
  labels: labels({ Unsafe: 12, Benign: 6, '(missing)': 2 }, { negative: 10, '<b>pos</b>': 10 }),
  labelsBySplit: {
    test: labels({ Unsafe: 3, Benign: 2 }, { negative: 3, '<b>pos</b>': 2 }),
    train: labels({ Unsafe: 9, Benign: 4, '(missing)': 2 }, { negative: 7, '<b>pos</b>': 8 }),
    none: labels({}),
  },
  fields: [],
  length: {
    chars: { count: 20, mean: 30, std: 5, min: 10, p25: 20, p50: 25, p75: 40, max: 50 },
    words: { count: 20, mean: 6, std: 1, min: 2, p25: 4, p50: 5, p75: 8, max: 10 },
  },
  lengthHistogram: {
    chars: { edges: [10, 20, 30, 40, 50], counts: [4, 8, 6, 2] },
    words: { edges: [2, 6, 10], counts: [12, 8] },
  },
  flesch: {
    overall: describe0,
    bySentiment: {
      negative: { ...describe0, count: 10, mean: 60 },
      '<b>pos</b>': { ...describe0, count: 10, mean: 80 },
    },
    histogramBySentiment: {
      negative: { edges: [40, 60, 80, 100], counts: [5, 4, 1] },
      '<b>pos</b>': { edges: [40, 60, 80, 100], counts: [1, 4, 5] },
    },
  },
  benignChange: describe0,
};
const data: DatasetFigureData = { dataset: 'hand', split: null, stats };

describe('dataset figure layout', () => {
  it('label bars: splits with records in order, widths ∝ counts, "(missing)" last', () => {
    expect(labelSeries(stats, true).map((s) => s.key)).toEqual(['train', 'test']);
    expect(labelSeries(stats, false).map((s) => s.key)).toEqual(['all']);
    const l = layoutLabels(stats, true, 504, fonts, THEMES.paper.categorical);
    expect(l.panels.map((p) => p.field)).toEqual(['annotation', 'sentiment']);
    const ann = l.panels[0]!;
    expect(ann.values.map((v) => v.value)).toEqual(['Benign', 'Unsafe', '(missing)']);
    expect(ordered(['High', 'Low', 'Medium'], ['low', 'medium', 'high'])).toEqual(['Low', 'Medium', 'High']);
    const unit = ann.bars.find((b) => b.value === 'Unsafe' && b.series === 'train')!.width / 9;
    for (const b of ann.bars) {
      expect(b.width).toBeCloseTo(b.count * unit, 9);
      expect(b.x + b.width).toBeLessThanOrEqual(504);
    }
    expect(ann.bars.find((b) => b.value === '(missing)' && b.series === 'test')!.count).toBe(0);
    expect(l.legend.map((e) => e.label)).toEqual(['train', 'test']);
    // Two panels side by side at double width, stacked at single width.
    expect(l.panels[1]!.x).toBeGreaterThan(200);
    expect(layoutLabels(stats, true, 252, fonts, THEMES.paper.categorical).panels[1]!.x).toBe(0);
  });

  it('histograms share one x axis; mean and median sit at their values', () => {
    const l = layoutHistograms(
      [{ title: '', hist: stats.lengthHistogram.chars, describe: stats.length.chars, median: true }],
      'Length (characters)',
      504,
      fonts,
    );
    const [p] = l.panels;
    const x = (v: number) => l.plot.left + ((v - 10) / 40) * (l.plot.right - l.plot.left);
    expect(p!.bars.map((b) => b.count)).toEqual([4, 8, 6, 2]);
    expect(p!.bars[1]!.x).toBeCloseTo(x(20), 9);
    expect(p!.marks).toEqual([
      { label: 'mean 30.0', x: x(30), dashed: false },
      { label: 'median 25.0', x: x(25), dashed: true },
    ]);
    // Bars' heights are in proportion to the counts.
    expect(p!.bars[1]!.height / p!.bars[0]!.height).toBeCloseTo(2, 9);
    expect(ordered(['positive', 'x', 'negative', 'a'], ['negative', 'neutral', 'positive'])).toEqual([
      'negative',
      'positive',
      'a',
      'x',
    ]);
  });

  it('renders each chart inside its size with fonts ≥ 7 pt, escapes dataset text, refuses bad input', () => {
    for (const chart of ['labels', 'length', 'flesch'] as const)
      for (const width of [252, 504]) {
        const { svg, height } = renderKind(datasetKind, data, { chart }, width);
        expect(viewBox(svg)).toEqual([0, 0, width, height]);
        expect([...svg.matchAll(/font-size="([\d.]+)"/g)].every((m) => Number(m[1]) >= 7)).toBe(true);
        expect(svg).not.toContain('<b>');
        if (chart !== 'length') expect(svg).toContain('&lt;b&gt;pos&lt;/b&gt;');
      }
    const fre = renderKind(datasetKind, data, { chart: 'flesch' }).svg;
    expect([...fre.matchAll(/data-count="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([5, 4, 1, 1, 4, 5]);
    expect(fre).toContain('mean 60.0');
    expect(fre).toContain('mean 80.0');
    expect(() => datasetKind.parseInput!({ stats: { ...stats, records: 'many' } })).toThrow(/input\.stats\.records/);
    expect(datasetKind.parseInput!({ dataset: 'mine', stats })).toEqual({ dataset: 'mine', split: null, stats });
    expect(() => datasetKind.options.parse({ chart: 'pie' })).toThrow();
  });
});
