// Figures benchmark (issue 12): lay out and render a 215-node style-trait network with dense
// edges (before/after, double column), then export it to SVG, PNG and PDF through the figures
// service — the path `srlab figure` and serve mode take. Goal: layout + render < 0.5 s.
//
//   npm run bench:figures
//   npm run bench:figures -- --texts 3000 --topk 6 --repeat 5 --out /tmp/figs
//
// Nodes are the 215 traits of ParlAI's Image-Chat list (../shared/data/style-traits when it is
// there, else "Trait 1…215"). The probabilities are synthetic — no classifier output ships with
// the repo — but shaped like a style classifier's: each text puts its mass on 8 traits drawn with
// a skew towards a few common ones (deterministic LCG, seed 1), so every trait is someone's top-k
// and thousands of pairs co-occur. Times: the first (cold) run and the best of --repeat, wall and
// CPU (the process's user+system time: this machine may be shared). Each export is timed whole
// (spec → data → layout → SVG → file).
import fs from 'node:fs';
import path from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { createCore } from '../src/main/core';
import { parseTraits } from '../src/main/core/classifiers/traits';
import { traitNetworkGeometry, traitNetworkKind } from '../src/shared/figures/kinds/trait-network';
import { FIGURE_FORMATS, FIGURE_WIDTHS, type FigureSpecInput, PT_PER_INCH } from '../src/shared/figures/spec';
import { THEMES } from '../src/shared/figures/theme';
import { sharedData, tempDir } from '../tests/helpers';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const TEXTS = arg('texts', 3000);
const TOP_K = arg('topk', 6);
const REPEAT = arg('repeat', 5);
const outAt = process.argv.indexOf('--out');
const OUT = outAt > 0 ? process.argv[outAt + 1]! : null;
const GOAL_MS = 500;

function traitNames(): string[] {
  const file = sharedData('style-traits', 'image_chat_personalities.txt');
  if (fs.existsSync(file)) return parseTraits(fs.readFileSync(file, 'utf8')).traits.map((t) => t.name);
  return Array.from({ length: 215 }, (_, i) => `Trait ${i + 1}`);
}

function texts(names: string[], n: number, seed: number): { probs: Record<string, number> }[] {
  let s = seed;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return Array.from({ length: n }, () => {
    const raw: Record<string, number> = {};
    for (let j = 0; j < 8; j++) raw[names[Math.floor(rand() ** 1.6 * names.length)]!] = rand() + 0.01;
    const sum = Object.values(raw).reduce((a, b) => a + b, 0);
    return { probs: Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v / sum])) };
  });
}

function timed<T>(f: () => T): { value: T; wall: number; cpu: number } {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = f();
  const wall = performance.now() - t;
  const u = process.cpuUsage(c);
  return { value, wall, cpu: (u.user + u.system) / 1000 };
}

async function timedAsync<T>(f: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = await f();
  const wall = performance.now() - t;
  const u = process.cpuUsage(c);
  return { value, wall, cpu: (u.user + u.system) / 1000 };
}

const ms = (v: number) => `${v.toFixed(0).padStart(5)} ms`;

async function main() {
  const names = traitNames();
  // Every trait valenced, so the figure shows all three colours (srlab's trait lists carry none).
  const traits = names.map((name, i) => ({ name, valence: ([-1, 0, 1] as const)[i % 3] }));
  const input = {
    traits,
    before: { label: 'initial', texts: texts(names, TEXTS, 1) },
    after: { label: 'generator', texts: texts(names, TEXTS, 2) },
  };
  const options = { topK: TOP_K, maxNodes: 215 };
  const spec: FigureSpecInput = {
    kind: 'trait-network',
    source: { kind: 'input', data: input },
    width: 'double',
    options,
  };

  const K = traitNetworkKind;
  const parsed = timed(() => K.parseInput!(input));
  const data = parsed.value;
  const o = K.options.parse(options);
  const theme = THEMES.paper;
  const width = FIGURE_WIDTHS.double * PT_PER_INCH;
  const size = { width, height: Math.ceil(K.height(data, o, width, theme)) };
  const g = traitNetworkGeometry(data, o, theme, size);
  const edges = g.panels.map((p) => p.edges.length);
  console.log(
    `trait network: ${g.nodes.length} nodes, ${edges.join(' + ')} edges (top-${o.topK} co-occurrence, count ≥ ${g.graph.minWeight}), ` +
      `${TEXTS} texts per panel, ${names.length} traits${names[0] === 'Trait 1' ? ' (synthetic names)' : ' (Image-Chat list)'}; ${size.width}×${size.height} pt`,
  );
  console.log(`input parse + top-k per text (data, not layout): ${ms(parsed.wall)} wall, ${ms(parsed.cpu)} cpu`);

  const layout: { wall: number; cpu: number }[] = [];
  const render: { wall: number; cpu: number; bytes: number }[] = [];
  for (let i = 0; i < REPEAT; i++) {
    layout.push(timed(() => traitNetworkGeometry(data, o, theme, size)));
    // The component lays out (geometry) and renders: this is layout + render, as exports run it.
    const r = timed(() => renderToStaticMarkup(createElement(K.Component, { data, options: o, theme, size })));
    render.push({ ...r, bytes: r.value.length });
  }
  const best = <T extends { wall: number }>(xs: T[]) => xs.reduce((a, b) => (b.wall < a.wall ? b : a));
  console.log(
    `layout (graph + force, ${o.ticks} ticks + labels): cold ${ms(layout[0]!.wall)}, best ${ms(best(layout).wall)} wall (${ms(best(layout).cpu)} cpu)`,
  );
  const br = best(render);
  console.log(
    `layout + render (SVG, ${(br.bytes / 1024).toFixed(0)} KiB): cold ${ms(render[0]!.wall)}, best ${ms(br.wall)} wall (${ms(br.cpu)} cpu)  ` +
      `goal < ${GOAL_MS} ms: ${br.wall < GOAL_MS ? 'met' : 'NOT met'}`,
  );

  const core = await createCore({
    home: tempDir('srlab-bench-figures-'),
    loadDemo: false,
    checkOutputs: true,
    secretTool: null,
  });
  try {
    for (const format of FIGURE_FORMATS) {
      const runs: { wall: number; cpu: number; bytes: number }[] = [];
      let last: Awaited<ReturnType<typeof core.figures.export>> | null = null;
      for (let i = 0; i < Math.min(REPEAT, 3); i++) {
        const r = await timedAsync(() => core.figures.export(spec, format, 300));
        last = r.value;
        runs.push({ wall: r.wall, cpu: r.cpu, bytes: r.value.bytes.length });
      }
      const b = best(runs);
      console.log(
        `export ${format.toUpperCase().padEnd(3)} (spec → file${format === 'png' ? ', 300 dpi' : ''}, ${(b.bytes / 1024).toFixed(0)} KiB): cold ${ms(runs[0]!.wall)}, best ${ms(b.wall)} wall (${ms(b.cpu)} cpu)`,
      );
      if (OUT && last) {
        fs.mkdirSync(OUT, { recursive: true });
        fs.writeFileSync(path.join(OUT, last.fileName), last.bytes);
      }
    }
    if (OUT) console.log(`files in ${OUT}`);
  } finally {
    core.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
