// The style-trait network (Figure 3): its numbers are the data's (means, co-occurrence counts,
// PMI — computed here by hand), the seeded layout gives the same picture every time and another
// seed another, kept (dragged) positions stay exactly, labels never overlap, before/after panels
// share layout and scales, hover titles carry the numbers, and bad input names its field.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import {
  parseTraitNetworkInput,
  positionsAfterDrag,
  traitNetworkGeometry,
  traitNetworkKind as K,
  valenceColour,
} from '../../../src/shared/figures/kinds/trait-network';
import { buildGraph, labelBox, TraitNetworkOptions } from '../../../src/shared/figures/layout/trait-network';
import { THEMES, textWidth } from '../../../src/shared/figures/theme';

const theme = THEMES.paper;
const opts = (o: Record<string, unknown> = {}) => TraitNetworkOptions.parse(o);

function render(data: ReturnType<typeof parseTraitNetworkInput>, o: TraitNetworkOptions, width = 504) {
  const height = Math.ceil(K.height(data, o, width, theme));
  return renderToStaticMarkup(createElement(K.Component, { data, options: o, theme, size: { width, height } }));
}

// Four texts over traits A–D; by hand (top-2): tops A,B | A,B | A,C | D,C.
const SMALL = {
  traits: [
    { name: 'A', valence: 1 as const },
    { name: 'B', valence: -1 as const },
    { name: 'C' },
    { name: 'D', valence: 0 as const },
  ],
  texts: [
    { probs: { A: 0.6, B: 0.3, C: 0.1, D: 0 } },
    { probs: { A: 0.5, B: 0.4, C: 0.1 } },
    { probs: { A: 0.7, C: 0.2, B: 0.1 } },
    { probs: { D: 0.5, C: 0.3, A: 0.2 } },
  ],
};

/** A deterministic dense network: 215 traits, n texts with 8 non-zero traits each (skewed). */
function dense(n: number, seed = 7) {
  let s = seed;
  const rand = () => (s = (s * 1664525 + 1013904223) % 2 ** 32) / 2 ** 32;
  const traits = Array.from({ length: 215 }, (_, i) => ({ name: `Trait${i}`, valence: ([-1, 0, 1] as const)[i % 3] }));
  const text = () => {
    const p: Record<string, number> = {};
    for (let j = 0; j < 8; j++) p[`Trait${Math.floor(rand() ** 1.5 * 215)}`] = rand();
    return { probs: p };
  };
  return {
    traits,
    before: { label: 'initial', texts: Array.from({ length: n }, text) },
    after: { label: 'gen', texts: Array.from({ length: n }, text) },
  };
}

describe('trait-network numbers', () => {
  it('nodes carry the mean probability and edges the co-occurrence count and PMI of the data', () => {
    const data = parseTraitNetworkInput(SMALL);
    expect(data.panels[0]!.mean).toEqual([
      (0.6 + 0.5 + 0.7 + 0.2) / 4,
      (0.3 + 0.4 + 0.1) / 4,
      (0.1 + 0.1 + 0.2 + 0.3) / 4,
      0.5 / 4,
    ]);
    const g = buildGraph(data, opts({ topK: 2, minWeight: 1 }));
    const edge = (a: string, b: string) =>
      g.edges[0]!.find((e) => data.traits[e.a]!.name === a && data.traits[e.b]!.name === b);
    // Top-2 sets: {A,B}, {A,B}, {A,C}, {D,C}: A in 3, B in 2, C in 2, D in 1 of N = 4.
    expect(edge('A', 'B')).toMatchObject({ count: 2, pmi: Math.log2((2 * 4) / (3 * 2)) });
    expect(edge('A', 'C')).toMatchObject({ count: 1, pmi: Math.log2((1 * 4) / (3 * 2)) });
    expect(edge('C', 'D')).toMatchObject({ count: 1, pmi: Math.log2((1 * 4) / (2 * 1)) });
    expect(g.edges[0]).toHaveLength(3);
    expect(g.nodes.map((n) => [n.name, n.inTopK[0]])).toEqual([
      ['A', 3],
      ['B', 2],
      ['C', 2],
      ['D', 1],
    ]);
    // The minimum weight drops edges (count ≥ 2 keeps A–B only); PMI weighting with minCount 1.
    expect(buildGraph(data, opts({ topK: 2 })).edges[0]!.map((e) => e.count)).toEqual([2]);
    const pmi = buildGraph(data, opts({ topK: 2, weighting: 'pmi', minCount: 1, minWeight: 0.5 }));
    expect(pmi.edges[0]!.map((e) => [data.traits[e.a]!.name, data.traits[e.b]!.name, e.weight])).toEqual([
      ['C', 'D', 1],
    ]);
  });

  it('the CSV rows and the hover titles give the same numbers', () => {
    const data = parseTraitNetworkInput(SMALL);
    const o = opts({ topK: 2, minWeight: 1 });
    const rows = K.rows(data, o);
    const a = rows.find((r) => r[2] === 'node' && r[3] === 'A')!;
    expect(a[5]).toBe(data.panels[0]!.mean[0]);
    expect(a[6]).toBe(3);
    expect(rows.filter((r) => r[2] === 'edge').map((r) => [r[3], r[4], r[7]])).toEqual([
      ['A', 'B', 2],
      ['A', 'C', 1],
      ['C', 'D', 1],
    ]);
    const svg = render(data, o);
    expect(svg).toContain(
      `<title>A (texts): mean probability ${data.panels[0]!.mean[0]!.toFixed(4)}; in the top-2 of 3 of 4 texts; valence positive; 2 edges, strongest: B (2 texts, PMI ${Math.log2(8 / 6).toFixed(3)})`,
    );
    // Labels are SVG text, every node named.
    for (const t of ['A', 'B', 'C', 'D']) expect(svg).toMatch(new RegExp(`<text[^>]*>${t}</text>`));
  });

  it('colours by the trait list’s valence, user-assigned valence overriding, and names unassigned ones', () => {
    const data = parseTraitNetworkInput(SMALL);
    const fill = (svg: string, t: string) => new RegExp(`data-trait="${t}"[^>]*fill="([^"]+)"`).exec(svg)![1];
    const svg = render(data, opts({ topK: 2 }));
    expect(fill(svg, 'A')).toBe(theme.diverging[2]);
    expect(fill(svg, 'B')).toBe(theme.diverging[0]);
    expect(fill(svg, 'C')).toBe(valenceColour(null, theme));
    expect(svg).toContain('unassigned');
    const user = render(data, opts({ topK: 2, valence: { C: -1, A: -1 } }));
    expect(fill(user, 'C')).toBe(theme.diverging[0]);
    expect(fill(user, 'A')).toBe(theme.diverging[0]);
    expect(user).not.toContain('unassigned');
  });
});

describe('trait-network layout', () => {
  const data = parseTraitNetworkInput(dense(400));
  const o = opts({ maxNodes: 215, topK: 5 });

  it('is the same picture for the same seed, and another for another seed', () => {
    const a = render(data, o);
    expect(render(parseTraitNetworkInput(dense(400)), opts({ maxNodes: 215, topK: 5 }))).toBe(a);
    const b = render(data, opts({ maxNodes: 215, topK: 5, seed: 2 }));
    expect(b).not.toBe(a);
    const ua = traitNetworkGeometry(data, o, theme, { width: 504, height: 300 }).nodes.map((n) => n.unit);
    const ub = traitNetworkGeometry(data, opts({ maxNodes: 215, topK: 5, seed: 2 }), theme, {
      width: 504,
      height: 300,
    }).nodes.map((n) => n.unit);
    expect(ub).not.toEqual(ua);
    for (const [x, y] of ua) expect(x >= 0 && x <= 1 && y >= 0 && y <= 1).toBe(true);
  });

  it('keeps dragged positions exactly and moves only the dragged node', () => {
    const g = traitNetworkGeometry(data, o, theme, { width: 504, height: 300 });
    expect(g.nodes).toHaveLength(215);
    const moved = positionsAfterDrag(g, 10, [0.123, 0.987]);
    const g2 = traitNetworkGeometry(data, { ...o, positions: moved }, theme, { width: 504, height: 300 });
    g2.nodes.forEach((n, i) => expect(n.unit).toEqual(i === 10 ? [0.123, 0.987] : g.nodes[i]!.unit));
    // The options round-trip through the spec (JSON) and the schema.
    const again = traitNetworkGeometry(data, opts(JSON.parse(JSON.stringify({ ...o, positions: moved }))), theme, {
      width: 504,
      height: 300,
    });
    expect(again.nodes.map((n) => n.unit)).toEqual(g2.nodes.map((n) => n.unit));
    // One kept position: that node stays, the others are laid out around it inside the square.
    const one = traitNetworkGeometry(data, { ...o, positions: { Trait3: [0.9, 0.1] } }, theme, {
      width: 504,
      height: 300,
    });
    expect(one.nodes.find((n) => n.name === 'Trait3')!.unit).toEqual([0.9, 0.1]);
    for (const n of one.nodes) for (const v of n.unit) expect(v >= 0 && v <= 1).toBe(true);
  });

  it('places labels that overlap no other label, no node, and stay inside the panel', () => {
    const g = traitNetworkGeometry(data, o, theme, { width: 504, height: 300 });
    const fsz = theme.fontSize.annotation;
    for (const p of g.panels) {
      const pi = g.panels.indexOf(p);
      expect(p.labels.length).toBeGreaterThan(20);
      const boxes = p.labels.map((l) => labelBox(l, g.nodes[l.node]!.name, fsz));
      for (let i = 0; i < boxes.length; i++) {
        const b = boxes[i]!;
        expect(b.x >= p.plot.x - 1e-9 && b.x + b.width <= p.plot.x + p.plot.width + 1e-9).toBe(true);
        for (let j = i + 1; j < boxes.length; j++) {
          const c = boxes[j]!;
          const overlap = b.x < c.x + c.width && c.x < b.x + b.width && b.y < c.y + c.height && c.y < b.y + b.height;
          expect(overlap).toBe(false);
        }
        for (const n of g.nodes) {
          const at = n.at[pi]!;
          const nx = Math.max(b.x, Math.min(at.x, b.x + b.width));
          const ny = Math.max(b.y, Math.min(at.y, b.y + b.height));
          expect((nx - at.x) ** 2 + (ny - at.y) ** 2 >= at.r * at.r - 1e-6).toBe(true);
        }
      }
      // The widths are DejaVu estimates (no DOM): a label's box is its text's width.
      expect(boxes[0]!.width).toBe(textWidth(g.nodes[p.labels[0]!.node]!.name, fsz));
    }
  });

  it('draws before and after with one layout and shared scales', () => {
    const g = traitNetworkGeometry(data, o, theme, { width: 504, height: 300 });
    expect(g.panels.map((p) => p.label)).toEqual(['initial', 'gen']);
    const [p0, p1] = g.panels;
    for (const n of g.nodes) {
      // Same place in each panel (offset by the panel), radius from one scale over both panels.
      expect(n.at[1]!.x - p1!.plot.x).toBeCloseTo(n.at[0]!.x - p0!.plot.x, 9);
      expect(n.at[1]!.y - p1!.plot.y).toBeCloseTo(n.at[0]!.y - p0!.plot.y, 9);
      for (const at of n.at) expect(at.r).toBe(g.radius(at.mean));
    }
    const maxMean = Math.max(...data.panels.flatMap((p) => p.mean));
    expect(g.graph.maxMean).toBe(maxMean);
    // The largest node of either panel has the largest radius; an equal weight has an equal width in both panels.
    const widths = new Map<number, number>();
    for (const p of g.panels)
      for (const e of p.edges) {
        if (widths.has(e.weight)) expect(e.strokeWidth).toBe(widths.get(e.weight));
        widths.set(e.weight, e.strokeWidth);
      }
    expect(Math.max(...g.panels.flatMap((p) => p.edges.map((e) => e.weight)))).toBe(g.graph.maxWeight);
    // At single-column width the two panels stack.
    const single = traitNetworkGeometry(data, o, theme, { width: 252, height: 600 });
    expect(single.panels[1]!.plot.y).toBeGreaterThan(single.panels[0]!.plot.y + single.panels[0]!.plot.height);
  });
});

describe('trait-network input', () => {
  it('escapes trait names (dataset text is never markup)', () => {
    const svg = render(
      parseTraitNetworkInput({
        texts: [
          { probs: { '<script>x</script>': 0.6, 'B&b': 0.4 } },
          { probs: { '<script>x</script>': 0.5, 'B&b': 0.5 } },
        ],
      }),
      opts({ topK: 2 }),
    );
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(svg).toContain('B&amp;b');
  });

  it('names the field of bad input', () => {
    expect(() => parseTraitNetworkInput({ texts: [{ probs: { A: 1.5 } }] })).toThrow(/input\.texts\.0\.probs\.A/);
    expect(() => parseTraitNetworkInput({ before: { texts: [{ probs: { A: 0.5 } }] }, after: { texts: [] } })).toThrow(
      /input\.after\.texts/,
    );
    expect(() => parseTraitNetworkInput({ traits: [{ name: 'A' }], texts: [{ probs: { A: 0.5, Z: 0.5 } }] })).toThrow(
      /input\.texts\.0\.probs: "Z" is not in input\.traits/,
    );
    expect(() =>
      parseTraitNetworkInput({ traits: [{ name: 'A' }, { name: 'A' }], texts: [{ probs: { A: 1 } }] }),
    ).toThrow(/input\.traits\.1\.name/);
    expect(() => K.options.parse({ topK: 11 })).toThrow();
    expect(() => K.options.parse({ positions: { A: [2, 0] } })).toThrow();
  });

  it('states its numbers’ provenance in the caption', () => {
    const c = K.caption(parseTraitNetworkInput(dense(50)), opts({ topK: 3 }));
    expect(c).toMatch(
      /^Style-trait network \(after the paper's Figure 3\) from input: initial \(n = 50 texts, \d+ edges\) vs gen \(n = 50 texts, \d+ edges\)/,
    );
    expect(c).toContain('seed 1');
  });
});
