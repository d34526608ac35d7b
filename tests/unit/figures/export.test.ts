// Every figure kind exported through the real core (`figures.export`, the door every transport
// uses) in all three formats, and each file read back: the SVG parses strictly (resvg) with its
// labels as <text>; the PNG has inches × dpi pixels and is not blank; the PDF has one page of the
// figure's size in points, DejaVu embedded (/FontFile2) and the figure's text as text. Also the
// data CSV and spec JSON beside it, a byte-identical redraw from the spec, and refusals that name
// the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import { Resvg } from '@resvg/resvg-js';
import { svgToPng } from '../../../src/main/core/figures/export';
import { renderFigure } from '../../../src/main/core/figures/render';
import { rowsToCsv } from '../../../src/main/core/figures/csv';
import type { FigureExported } from '../../../src/shared/contracts/figures';
import { FIGURE_KINDS, type FigureKind, type FigureSpecInput } from '../../../src/shared/figures/spec';
import { tempDir } from '../../helpers';
import { decodePng, inkShare, parseSvg, readPdf, svgTexts } from './export-files';
import { fixtureTable } from './table-fixtures';

let core: Core;

beforeAll(async () => {
  core = await createCore({ home: tempDir(), loadDemo: true, checkOutputs: true, secretTool: null });
}, 60_000);

afterAll(async () => {
  await core?.close();
});

const probs = (p: Record<string, number>) => ({ probs: p });

/** One spec per kind, and a text each figure must show (a label taken from its own data). */
const SAMPLES: Record<FigureKind, { spec: FigureSpecInput; label: string }> = {
  'trait-network': {
    spec: {
      kind: 'trait-network',
      source: {
        kind: 'input',
        data: {
          traits: [
            { name: 'polite', valence: 1 },
            { name: 'rude', valence: -1 },
            { name: 'formal', valence: 0 },
          ],
          texts: [
            probs({ polite: 0.9, formal: 0.7, rude: 0.1 }),
            probs({ polite: 0.8, formal: 0.6, rude: 0.2 }),
            probs({ rude: 0.9, formal: 0.3, polite: 0.1 }),
          ],
        },
      },
    },
    label: 'polite',
  },
  't-dist': {
    spec: { kind: 't-dist', source: { kind: 'input', data: { summary: { n: 16602, mean: 0.1, sd: 0.45 }, mu: 0 } } },
    label: 't statistic',
  },
  bars: { spec: { kind: 'bars', source: { kind: 'input', data: { table: fixtureTable('table5') } } }, label: 'gen-a' },
  heatmap: {
    spec: { kind: 'heatmap', source: { kind: 'input', data: { table: fixtureTable('table6') } } },
    label: 'gen-b',
  },
  stereoset: {
    spec: {
      kind: 'stereoset',
      source: {
        kind: 'input',
        data: {
          generators: [
            { label: 'gen-a', lms: 91.2, ss: 61.5, icat: 70.2, byDomain: { gender: { lms: 90, ss: 64, icat: 64.8 } } },
            { label: 'gen-b', lms: 88.4, ss: 55.1, icat: 79.4, byDomain: { gender: { lms: 87, ss: 52, icat: 83.5 } } },
          ],
        },
      },
    },
    label: 'gen-b',
  },
  human: {
    spec: {
      kind: 'human',
      source: {
        kind: 'input',
        data: {
          models: [
            { label: 'model-x', safety: 4.1, language: 4.3, safetyCi: [3.9, 4.3], languageCi: [4.1, 4.5] },
            { label: 'model-y', safety: 3.2, language: 4.0 },
          ],
        },
      },
    },
    label: 'model-x',
  },
  // From the demo dataset a new data home imports: the data builder runs through the core.
  dataset: { spec: { kind: 'dataset', source: { kind: 'dataset', dataset: 'cmd-demo' } }, label: 'train' },
  table: {
    spec: { kind: 'table', source: { kind: 'input', data: { table: fixtureTable('table5') } } },
    label: 'gen-a',
  },
};

const exported = (spec: FigureSpecInput, format: 'svg' | 'png' | 'pdf', dpi?: number): Promise<FigureExported> =>
  core.invoke('figures.export', { spec, format, ...(dpi ? { dpi } : {}) });

const squash = (s: string) => s.replace(/\s+/g, '');

describe('figures.kinds', () => {
  it('lists every kind with its label, sources and options schema', async () => {
    const { kinds } = await core.invoke('figures.kinds', {});
    expect(kinds.map((k) => k.kind)).toEqual([...FIGURE_KINDS]);
    for (const k of kinds) {
      expect(k.label.length).toBeGreaterThan(3);
      expect(k.sources.length).toBeGreaterThan(0);
      expect(k.options.type).toBe('object');
    }
  });
});

describe.each(FIGURE_KINDS.map((k) => [k]))('%s exports', (kind) => {
  const { spec, label } = SAMPLES[kind];

  it('SVG: strict parse, points size, labels as <text>, no HTML', async () => {
    const out = await exported(spec, 'svg');
    const svg = Buffer.from(out.base64, 'base64').toString('utf8');
    expect(out.mime).toBe('image/svg+xml');
    expect(out.fileName).toMatch(new RegExp(`^${kind}-.*\\.svg$`));
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(
      true,
    );
    // Width is the spec's (double column: 7 in = 504 pt) in points.
    expect(out.width).toBe(504);
    const size = parseSvg(svg);
    expect(size.width).toBeCloseTo(out.width * (96 / 72), 0);
    expect(size.height).toBeCloseTo(out.height * (96 / 72), 0);
    expect(svgTexts(svg).some((t) => t.includes(label))).toBe(true);
    expect(svg).not.toMatch(/<foreignObject|<script|<div|<span/i);
    // The data and spec files beside it.
    const rendered = await renderFigure(spec, core);
    expect(out.dataCsv).toBe(rowsToCsv(rendered.rows));
    expect(out.dataCsv.split('\r\n').length).toBeGreaterThan(2);
    expect(out.caption.length).toBeGreaterThan(20);
    expect(JSON.parse(out.specJson)).toEqual(rendered.spec);
  });

  it('redraws the byte-identical SVG from its spec file', async () => {
    const first = await exported(spec, 'svg');
    const again = await exported(JSON.parse(first.specJson) as FigureSpecInput, 'svg');
    expect(again.base64).toBe(first.base64);
    expect(again.specJson).toBe(first.specJson);
  });

  if (kind === 'trait-network')
    it('keeps adjusted node positions in the spec file, and they move the drawing', async () => {
      const moved = { ...spec, options: { positions: { polite: [0.1, 0.9] } } };
      const first = await exported(moved, 'svg');
      expect(JSON.parse(first.specJson).options.positions).toEqual({ polite: [0.1, 0.9] });
      const again = await exported(JSON.parse(first.specJson) as FigureSpecInput, 'svg');
      expect(again.base64).toBe(first.base64);
      expect(first.base64).not.toBe((await exported(spec, 'svg')).base64);
    });

  it('PNG: inches × dpi pixels, not blank', async () => {
    const out = await exported(spec, 'png', 150);
    const png = decodePng(Buffer.from(out.base64, 'base64'));
    expect(out.mime).toBe('image/png');
    expect(png.width).toBe(7 * 150);
    expect(png.height).toBe(Math.round((out.height / 72) * 150));
    const ink = inkShare(png);
    expect(ink.share).toBeGreaterThan(0.005);
    expect(ink.colours).toBeGreaterThan(3);
  });

  it('PDF: one page of the figure size in points, DejaVu embedded, text as text', async () => {
    const svgOut = await exported(spec, 'svg');
    const out = await exported(spec, 'pdf');
    const pdf = readPdf(Buffer.from(out.base64, 'base64'));
    expect(out.mime).toBe('application/pdf');
    expect(pdf.pages).toBe(1);
    expect(pdf.mediaBox).toEqual([0, 0, out.width, out.height]);
    expect(pdf.embeddedFonts.some((f) => /\+DejaVuSans$/.test(f))).toBe(true);
    expect(pdf.text).toContain(label);
    // Every text of the SVG is in the PDF's text, in order.
    expect(squash(pdf.text)).toContain(
      squash(svgTexts(Buffer.from(svgOut.base64, 'base64').toString('utf8')).join('')),
    );
  });
});

describe('export settings', () => {
  it('single column, slides and dark themes; DPI sets the pixel width', async () => {
    const spec: FigureSpecInput = { ...SAMPLES['t-dist'].spec, width: 'single', theme: 'dark' };
    const svg = await exported(spec, 'svg');
    expect(svg.width).toBe(252);
    expect(Buffer.from(svg.base64, 'base64').toString()).toContain('#15181c');
    const png = decodePng(Buffer.from((await exported(spec, 'png', 300)).base64, 'base64'));
    expect(png.width).toBe(1050);
    // The dark background is what the PNG shows first.
    expect([...png.pixels.slice(0, 3)]).toEqual([0x15, 0x18, 0x1c]);
    const pdf = readPdf(Buffer.from((await exported(spec, 'pdf')).base64, 'base64'));
    expect(pdf.mediaBox).toEqual([0, 0, 252, svg.height]);
  });

  it('PNG text is drawn with the bundled font; the same spec gives the same PDF bytes', async () => {
    const rendered = await renderFigure(SAMPLES['t-dist'].spec, core);
    const withFont = inkShare(decodePng(svgToPng(rendered.svg, rendered.width, 72)));
    // No font at all: resvg drops the text, so the figure has less ink (what a lost font looks like).
    const noFont = new Resvg(rendered.svg, { fitTo: { mode: 'width', value: 504 }, font: { loadSystemFonts: false } });
    expect(withFont.share).toBeGreaterThan(inkShare(decodePng(noFont.render().asPng())).share + 0.005);
    const a = await exported(SAMPLES['t-dist'].spec, 'pdf');
    const b = await exported(SAMPLES['t-dist'].spec, 'pdf');
    expect(a.base64).toBe(b.base64);
  });

  it('refuses a DPI out of range', async () => {
    await expect(exported(SAMPLES['t-dist'].spec, 'png', 5000)).rejects.toMatchObject({ kind: 'invalid-input' });
  });
});

describe('refusals name the field', () => {
  it('an option the kind does not take', async () => {
    const spec = { ...SAMPLES['trait-network'].spec, options: { topK: 'many' } };
    await expect(core.invoke('figures.render', { spec })).rejects.toMatchObject({
      kind: 'invalid-input',
      issues: [expect.objectContaining({ path: 'spec.options.topK' })],
    });
  });

  it('a source the kind does not draw from', async () => {
    const spec: FigureSpecInput = { kind: 'human', source: { kind: 'evaluation', evaluation: 1 } };
    await expect(core.invoke('figures.render', { spec })).rejects.toMatchObject({
      kind: 'invalid-input',
      message: expect.stringContaining('spec.source.kind'),
    });
  });

  it('bad inline input', async () => {
    const spec: FigureSpecInput = {
      kind: 't-dist',
      source: { kind: 'input', data: { summary: { n: 1, mean: 0, sd: 1 } } },
    };
    await expect(core.invoke('figures.render', { spec })).rejects.toMatchObject({
      kind: 'invalid-input',
      message: expect.stringMatching(/^spec\.source\.data: .*summary\.n/),
    });
  });

  it('a missing evaluation or dataset', async () => {
    await expect(
      core.invoke('figures.render', { spec: { kind: 't-dist', source: { kind: 'evaluation', evaluation: 999 } } }),
    ).rejects.toMatchObject({ kind: 'not-found' });
    await expect(
      core.invoke('figures.render', { spec: { kind: 'dataset', source: { kind: 'dataset', dataset: 'nope' } } }),
    ).rejects.toMatchObject({ kind: 'not-found' });
  });
});

describe('the file readers catch broken files (negative controls)', () => {
  it('malformed SVG, blank PNG, a PDF of another size', async () => {
    expect(() => parseSvg('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect></svg>')).toThrow();
    const png = new Resvg(
      '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20" height="10" fill="#fff"/></svg>',
    )
      .render()
      .asPng();
    expect(inkShare(decodePng(png)).share).toBe(0);
    const out = await exported({ ...SAMPLES.human.spec, width: 'single' }, 'pdf');
    expect(readPdf(Buffer.from(out.base64, 'base64')).mediaBox[2]).toBe(252);
  });
});
