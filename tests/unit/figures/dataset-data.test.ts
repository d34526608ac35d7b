// The dataset figure from a real core: datasetData reads core.datasets' statistics of the demo
// CMD dataset (imported and split by a new data home), and every number the figure draws (label
// counts per split, histogram bins, FRE by sentiment) equals the statistics' numbers.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import { datasetData } from '../../../src/main/core/figures/data/dataset';
import type { DatasetStats } from '../../../src/shared/contracts/datasets';
import { type DatasetFigureData, datasetKind } from '../../../src/shared/figures/kinds/dataset';
import { FigureSpec } from '../../../src/shared/figures/spec';
import { THEMES } from '../../../src/shared/figures/theme';
import { tempDir } from '../../helpers';

let core: Core;
let data: DatasetFigureData;

beforeAll(async () => {
  core = await createCore({ home: tempDir(), loadDemo: true, checkOutputs: true, secretTool: null });
  data = await datasetData(
    FigureSpec.parse({ kind: 'dataset', source: { kind: 'dataset', dataset: 'cmd-demo' } }),
    core,
  );
}, 60_000);

afterAll(async () => {
  await core?.close();
});

function svgOf(d: DatasetFigureData, opts: Record<string, unknown>, width = 504): string {
  const options = datasetKind.options.parse(opts);
  const height = datasetKind.height(d, options, width, THEMES.paper);
  return renderToStaticMarkup(
    createElement(datasetKind.Component, { data: d, options, theme: THEMES.paper, size: { width, height } }),
  );
}

/** Every data-count attribute, in document order. */
function counts(svg: string): number[] {
  return [...svg.matchAll(/data-count="(\d+)"/g)].map((m) => Number(m[1]));
}

describe('dataset figure data (core.datasets stats of cmd-demo)', () => {
  it('is the statistics of core.datasets, every split', async () => {
    const direct = await core.datasets.stats({ dataset: 'cmd-demo' });
    expect(data.stats).toEqual(direct);
    expect(data.split).toBeNull();
    expect(data.stats.records).toBeGreaterThan(0);
    expect(data.stats.labelsBySplit).not.toBeNull();
  });

  it('draws the label counts per split equal to the statistics', () => {
    const svg = svgOf(data, { chart: 'labels' });
    const s = data.stats as DatasetStats;
    const splits = Object.keys(s.labelsBySplit!).filter((k) =>
      Object.values(s.labelsBySplit![k]!.annotation).some((n) => n > 0),
    );
    expect(splits.length).toBeGreaterThan(1);
    for (const split of splits)
      for (const [value, n] of Object.entries(s.labelsBySplit![split]!.annotation))
        expect(svg, `annotation=${value} in ${split}`).toContain(
          `<title>Annotation = ${value} (${split}): ${n}</title>`,
        );
    // Split counts sum to the whole set's counts, and the CSV rows carry the same numbers.
    const rows = datasetKind.rows(data, datasetKind.options.parse({ chart: 'labels' }));
    const annotationTotal = rows.filter((r) => r[2] === 'annotation').reduce((a, r) => a + Number(r[4]), 0);
    expect(annotationTotal).toBe(Object.values(s.labels.annotation).reduce((a, b) => a + b, 0));
    // Whole-set bars when not per split.
    const whole = svgOf(data, { chart: 'labels', bySplit: false });
    for (const [value, n] of Object.entries(s.labels.sentiment))
      expect(whole).toContain(`<title>Sentiment = ${value} (all): ${n}</title>`);
  });

  it('draws the length histogram bins and the FRE histograms by sentiment (Figure 5) equal to the statistics', () => {
    const s = data.stats;
    expect(counts(svgOf(data, { chart: 'length', unit: 'chars' }))).toEqual(s.lengthHistogram.chars.counts);
    expect(counts(svgOf(data, { chart: 'length', unit: 'words' }))).toEqual(s.lengthHistogram.words.counts);
    const fre = svgOf(data, { chart: 'flesch' });
    const sentiments = Object.keys(s.flesch.histogramBySentiment);
    expect(sentiments.length).toBeGreaterThan(1);
    const drawn = counts(fre);
    const expected = ['negative', 'neutral', 'positive']
      .filter((k) => sentiments.includes(k))
      .concat(sentiments.filter((k) => !['negative', 'neutral', 'positive'].includes(k)).sort())
      .flatMap((k) => s.flesch.histogramBySentiment[k]!.counts);
    expect(drawn).toEqual(expected);
    for (const k of sentiments) {
      const mean = s.flesch.bySentiment[k]!.mean!;
      expect(fre).toContain(`mean ${mean.toFixed(1)}`);
    }
    expect(fre).toContain('Flesch Reading Ease');
  });

  it('one split only, and a clear refusal for an unknown dataset', async () => {
    const test = await datasetData(
      FigureSpec.parse({ kind: 'dataset', source: { kind: 'dataset', dataset: 'cmd-demo', split: 'test' } }),
      core,
    );
    expect(test.split).toBe('test');
    expect(test.stats.records).toBeLessThan(data.stats.records);
    expect(test.stats.labelsBySplit).toBeNull();
    await expect(
      datasetData(FigureSpec.parse({ kind: 'dataset', source: { kind: 'dataset', dataset: 'no-such-set' } }), core),
    ).rejects.toThrow(/no-such-set/);
    await expect(
      datasetData(FigureSpec.parse({ kind: 'dataset', source: { kind: 'evaluation', evaluation: 1 } }), core),
    ).rejects.toThrow(/source.kind "dataset"/);
  });
});
