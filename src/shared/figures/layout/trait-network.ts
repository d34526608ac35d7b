// Style-trait network (the paper's Figure 3), pure layout: which traits are nodes, which pairs
// co-occur among each text's top-k traits (edges weighted by count or PMI), where the nodes go
// (a d3-force simulation with a seeded random source, run a fixed number of ticks — no timers,
// so the same data and options give the same picture), and where labels fit without overlapping.
// Before/after panels share one layout and one set of scales, so a trait sits at the same place
// in both and equal sizes mean equal numbers.
import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, randomLcg } from 'd3';
import type { SimulationLinkDatum, SimulationNodeDatum } from 'd3';
import { z } from 'zod';
import { textWidth } from '../theme';

/** Traits kept per text in the data; options.topK can be at most this. */
export const MAX_TOP_K = 10;

export type Valence = -1 | 0 | 1;

/** Links per node the force layout pulls along (its strongest; all edges are still drawn). */
export const LAYOUT_LINKS = 8;

export interface TraitNetworkTrait {
  name: string;
  /** -1 negative, 0 neutral, 1 positive; null when neither the trait list nor the user gave one. */
  valence: Valence | null;
}

export interface TraitNetworkPanelData {
  /** Row label: "initial", a generator, "before", "after". */
  label: string;
  /** Texts with style probabilities. */
  n: number;
  /** Mean probability per trait (index into traits) over the n texts. */
  mean: number[];
  /** Per text, its traits with p > 0 by probability (descending, ties by name), the first MAX_TOP_K, as trait indices. */
  tops: number[][];
}

export interface TraitNetworkData {
  traits: TraitNetworkTrait[];
  /** One panel, or two (before, after). */
  panels: TraitNetworkPanelData[];
  /** Where the numbers come from, for the caption: "evaluation 3, scorer style-parlai", "input". */
  source: string;
}

const Position = z.tuple([z.number().finite().min(0).max(1), z.number().finite().min(0).max(1)]);

export const TraitNetworkOptions = z
  .object({
    /** How many of each text's most probable traits count as co-occurring. */
    topK: z.number().int().min(2).max(MAX_TOP_K).default(3),
    weighting: z.enum(['count', 'pmi']).default('count'),
    /** Edges below this weight are dropped (count: texts; PMI: bits). Default: 2 texts for count, 0 bits for PMI. */
    minWeight: z.number().finite().optional(),
    /** PMI weighting only (srlab's guard): a pair seen in fewer texts than this is not an edge — PMI of rare pairs is noise. */
    minCount: z.number().int().min(1).default(2),
    /** Most nodes drawn: the traits with the highest mean probability (in any panel) that are in some text's top-k. */
    maxNodes: z.number().int().min(1).max(1000).default(60),
    /** Seed of the force layout's random source. */
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(1),
    /** Simulation steps (fixed: no timers); the layout cools over exactly these. */
    ticks: z.number().int().min(1).max(2000).default(120),
    /** User-assigned valence per trait (overrides the trait list's). */
    valence: z.record(z.string(), z.union([z.literal(-1), z.literal(0), z.literal(1)])).default({}),
    /** Positions kept from dragging, in [0, 1] of the plot area: these nodes stay exactly there. */
    positions: z.record(z.string(), Position).default({}),
    /** Evaluation source: the style scorer (default: the first) and the rows drawn (default: initial and the first generator). */
    scorer: z.string().optional(),
    rows: z.array(z.string()).min(1).max(2).optional(),
    /** Evaluation source: one test set only (default: all, pooled). */
    testset: z.string().optional(),
  })
  .strict();
export type TraitNetworkOptions = z.infer<typeof TraitNetworkOptions>;

export function effectiveMinWeight(o: TraitNetworkOptions): number {
  return o.minWeight ?? (o.weighting === 'count' ? 2 : 0);
}

export interface NetworkEdge {
  /** Trait indices, a < b. */
  a: number;
  b: number;
  count: number;
  pmi: number;
  /** count or pmi, as chosen. */
  weight: number;
}

export interface NetworkNode {
  trait: number;
  name: string;
  valence: Valence | null;
  /** Per panel. */
  mean: number[];
  /** Per panel: texts with the trait in their top-k. */
  inTopK: number[];
}

export interface NetworkGraph {
  nodes: NetworkNode[];
  /** Per panel, edges between drawn nodes with weight ≥ the minimum. */
  edges: NetworkEdge[][];
  /** Shared scales: the largest mean and the largest |weight| over all panels. */
  maxMean: number;
  maxWeight: number;
  minWeight: number;
}

function pairKey(a: number, b: number): number {
  return a < b ? a * 65536 + b : b * 65536 + a;
}

/** Edges of one panel: co-occurrence among each text's top-k traits. */
export function panelEdges(
  panel: TraitNetworkPanelData,
  o: TraitNetworkOptions,
): { edges: NetworkEdge[]; inTopK: Map<number, number> } {
  const inTopK = new Map<number, number>();
  const pairs = new Map<number, number>();
  for (const top of panel.tops) {
    const k = top.slice(0, o.topK);
    for (let i = 0; i < k.length; i++) {
      inTopK.set(k[i]!, (inTopK.get(k[i]!) ?? 0) + 1);
      for (let j = i + 1; j < k.length; j++) {
        const key = pairKey(k[i]!, k[j]!);
        pairs.set(key, (pairs.get(key) ?? 0) + 1);
      }
    }
  }
  const min = effectiveMinWeight(o);
  const n = panel.tops.length;
  const edges: NetworkEdge[] = [];
  for (const [key, count] of pairs) {
    const a = Math.floor(key / 65536);
    const b = key % 65536;
    // PMI in bits: log2 P(a,b) / (P(a) P(b)), with P the share of texts having the trait(s) in their top-k.
    const pmi = Math.log2((count * n) / (inTopK.get(a)! * inTopK.get(b)!));
    const weight = o.weighting === 'count' ? count : pmi;
    if ((o.weighting === 'pmi' && count < o.minCount) || weight < min) continue;
    edges.push({ a, b, count, pmi, weight });
  }
  edges.sort((x, y) => x.a - y.a || x.b - y.b);
  return { edges, inTopK };
}

/** Nodes and per-panel edges, before positions. */
export function buildGraph(data: TraitNetworkData, o: TraitNetworkOptions): NetworkGraph {
  const perPanel = data.panels.map((p) => panelEdges(p, o));
  const candidates = new Set<number>();
  for (const { inTopK } of perPanel) for (const t of inTopK.keys()) candidates.add(t);
  const score = (t: number) => Math.max(...data.panels.map((p) => p.mean[t] ?? 0));
  const chosen = [...candidates]
    .sort((a, b) => score(b) - score(a) || (data.traits[a]!.name < data.traits[b]!.name ? -1 : 1))
    .slice(0, o.maxNodes)
    .sort((a, b) => a - b);
  const kept = new Set(chosen);
  const nodes: NetworkNode[] = chosen.map((t) => {
    const trait = data.traits[t]!;
    return {
      trait: t,
      name: trait.name,
      valence: o.valence[trait.name] ?? trait.valence,
      mean: data.panels.map((p) => p.mean[t] ?? 0),
      inTopK: perPanel.map((p) => p.inTopK.get(t) ?? 0),
    };
  });
  const edges = perPanel.map((p) => p.edges.filter((e) => kept.has(e.a) && kept.has(e.b)));
  let maxMean = 0;
  for (const nd of nodes) for (const m of nd.mean) maxMean = Math.max(maxMean, m);
  let maxWeight = 0;
  for (const es of edges) for (const e of es) maxWeight = Math.max(maxWeight, Math.abs(e.weight));
  return { nodes, edges, maxMean, maxWeight, minWeight: effectiveMinWeight(o) };
}

interface SimNode extends SimulationNodeDatum {
  index: number;
  r: number;
}

/**
 * Node positions in [0, 1]² (shared by all panels). Nodes with a kept position stay exactly
 * there and the others are simulated around them (clamped to the square); with none kept, the
 * result is scaled to fill the square. Radii are in units of the square (for collision).
 */
export function layoutNodes(
  graph: NetworkGraph,
  o: TraitNetworkOptions,
  radius: (mean: number) => number,
): [number, number][] {
  const nodes = graph.nodes;
  const fixed = nodes.map((n) => o.positions[n.name]);
  const anyFixed = fixed.some((p) => p !== undefined);
  const rand = randomLcg(o.seed / 2 ** 31);
  // Seeded starting points on a disc (d3's phyllotaxis start would ignore the seed).
  const sim: SimNode[] = nodes.map((n, i) => {
    const f = fixed[i];
    const r = radius(Math.max(...n.mean));
    if (f) return { index: i, r, x: f[0], y: f[1], fx: f[0], fy: f[1] };
    const a = rand() * 2 * Math.PI;
    const d = 0.35 * Math.sqrt(rand());
    return { index: i, r, x: 0.5 + d * Math.cos(a), y: 0.5 + d * Math.sin(a) };
  });
  const free = sim.filter((s) => s.fx === undefined);
  if (free.length === 0) return sim.map((s) => [s.x!, s.y!]);

  // One link per pair drawn in any panel, as strong as its strongest panel (normalised).
  const byIndex = new Map(nodes.map((n, i) => [n.trait, i]));
  const strength = new Map<number, number>();
  for (const es of graph.edges)
    for (const e of es) {
      const s = graph.maxWeight > 0 ? Math.max(0, e.weight) / graph.maxWeight : 0;
      const k = pairKey(byIndex.get(e.a)!, byIndex.get(e.b)!);
      strength.set(k, Math.max(strength.get(k) ?? 0, s));
    }
  // The layout pulls along each node's strongest links only (srlab's choice: LAYOUT_LINKS per
  // node); dense graphs then lay out in linear time, and weak links would only add noise.
  const ranked = [...strength].sort((x, y) => y[1] - x[1] || x[0] - y[0]);
  const perNode = new Array<number>(nodes.length).fill(0);
  const links: (SimulationLinkDatum<SimNode> & { s: number })[] = [];
  for (const [k, s] of ranked) {
    const a = Math.floor(k / 65536);
    const b = k % 65536;
    if (perNode[a]! >= LAYOUT_LINKS && perNode[b]! >= LAYOUT_LINKS) continue;
    perNode[a]!++;
    perNode[b]!++;
    links.push({ source: a, target: b, s });
  }
  // Spacing so n nodes fill the unit square: each gets about 1/n of its area.
  const spacing = 0.9 / Math.sqrt(nodes.length + 1);
  const degree = new Array<number>(nodes.length).fill(0);
  for (const l of links) {
    degree[l.source as number]!++;
    degree[l.target as number]!++;
  }
  const simulation = forceSimulation(sim)
    .randomSource(rand)
    .force(
      'link',
      forceLink<SimNode, (typeof links)[number]>(links)
        .distance(spacing * 1.6)
        // d3's default strength divided by the lesser degree, scaled by the edge's weight.
        .strength(
          (l) =>
            (0.15 + 0.85 * l.s) /
            Math.max(1, Math.min(degree[(l.source as SimNode).index]!, degree[(l.target as SimNode).index]!)),
        ),
    )
    .force(
      'charge',
      forceManyBody<SimNode>()
        .strength(-spacing * spacing * 4)
        .distanceMax(spacing * 6),
    )
    .force(
      'collide',
      forceCollide<SimNode>((d) => d.r + spacing * 0.15),
    )
    .force('x', forceX<SimNode>(0.5).strength(0.06))
    .force('y', forceY<SimNode>(0.5).strength(0.06))
    // Cool from 1 to d3's alphaMin in exactly the ticks asked for.
    .alphaDecay(1 - Math.pow(0.001, 1 / o.ticks))
    .stop();
  for (let i = 0; i < o.ticks; i++) {
    simulation.tick();
    if (anyFixed)
      for (const s of free) {
        s.x = Math.min(1, Math.max(0, s.x!));
        s.y = Math.min(1, Math.max(0, s.y!));
      }
  }
  if (anyFixed) return sim.map((s) => [s.x!, s.y!]);
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const s of sim) {
    x0 = Math.min(x0, s.x!);
    x1 = Math.max(x1, s.x!);
    y0 = Math.min(y0, s.y!);
    y1 = Math.max(y1, s.y!);
  }
  const sx = x1 > x0 ? 1 / (x1 - x0) : 0;
  const sy = y1 > y0 ? 1 / (y1 - y0) : 0;
  return sim.map((s) => [sx ? (s.x! - x0) * sx : 0.5, sy ? (s.y! - y0) * sy : 0.5]);
}

export interface LabelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedLabel {
  node: number;
  /** Text anchor point (SVG text x, baseline y) and anchor. */
  x: number;
  y: number;
  anchor: 'start' | 'end' | 'middle';
}

function overlaps(a: LabelBox, b: LabelBox): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function hitsCircle(b: LabelBox, cx: number, cy: number, r: number): boolean {
  const nx = Math.max(b.x, Math.min(cx, b.x + b.width));
  const ny = Math.max(b.y, Math.min(cy, b.y + b.height));
  return (nx - cx) ** 2 + (ny - cy) ** 2 < r * r;
}

/**
 * Labels that do not overlap each other, any node, or the panel's edge: greedy, the most probable
 * trait first, each trying right, left, above and below its node; a label that fits nowhere is
 * left out (its node still shows its name on hover). Coordinates in points.
 */
export function placeLabels(
  circles: { x: number; y: number; r: number; text: string; priority: number }[],
  fontSize: number,
  bounds: LabelBox,
): PlacedLabel[] {
  const order = circles.map((_, i) => i).sort((a, b) => circles[b]!.priority - circles[a]!.priority || a - b);
  const placed: LabelBox[] = [];
  const out: PlacedLabel[] = [];
  const h = fontSize;
  const gap = 1.5;
  // A coarse grid of circles per cell keeps the circle test near-linear for hundreds of nodes.
  const cell = Math.max(8, fontSize * 3);
  const grid = new Map<string, number[]>();
  circles.forEach((c, i) => {
    for (let gx = Math.floor((c.x - c.r) / cell); gx <= Math.floor((c.x + c.r) / cell); gx++)
      for (let gy = Math.floor((c.y - c.r) / cell); gy <= Math.floor((c.y + c.r) / cell); gy++) {
        const k = `${gx},${gy}`;
        const l = grid.get(k);
        if (l) l.push(i);
        else grid.set(k, [i]);
      }
  });
  const fits = (b: LabelBox) => {
    if (
      b.x < bounds.x ||
      b.y < bounds.y ||
      b.x + b.width > bounds.x + bounds.width ||
      b.y + b.height > bounds.y + bounds.height
    )
      return false;
    for (let gx = Math.floor(b.x / cell); gx <= Math.floor((b.x + b.width) / cell); gx++)
      for (let gy = Math.floor(b.y / cell); gy <= Math.floor((b.y + b.height) / cell); gy++)
        for (const i of grid.get(`${gx},${gy}`) ?? []) {
          const c = circles[i]!;
          if (hitsCircle(b, c.x, c.y, c.r)) return false;
        }
    return !placed.some((p) => overlaps(p, b));
  };
  for (const i of order) {
    const c = circles[i]!;
    const w = textWidth(c.text, fontSize);
    const candidates: [LabelBox, PlacedLabel][] = [
      [
        { x: c.x + c.r + gap, y: c.y - h / 2, width: w, height: h },
        { node: i, x: c.x + c.r + gap, y: c.y + h * 0.35, anchor: 'start' },
      ],
      [
        { x: c.x - c.r - gap - w, y: c.y - h / 2, width: w, height: h },
        { node: i, x: c.x - c.r - gap, y: c.y + h * 0.35, anchor: 'end' },
      ],
      [
        { x: c.x - w / 2, y: c.y - c.r - gap - h, width: w, height: h },
        { node: i, x: c.x, y: c.y - c.r - gap - h * 0.2, anchor: 'middle' },
      ],
      [
        { x: c.x - w / 2, y: c.y + c.r + gap, width: w, height: h },
        { node: i, x: c.x, y: c.y + c.r + gap + h * 0.8, anchor: 'middle' },
      ],
    ];
    for (const [box, label] of candidates)
      if (fits(box)) {
        placed.push(box);
        out.push(label);
        break;
      }
  }
  return out.sort((a, b) => a.node - b.node);
}

/** The box a placed label occupies (for tests and callers that check overlap). */
export function labelBox(l: PlacedLabel, text: string, fontSize: number): LabelBox {
  const w = textWidth(text, fontSize);
  const x = l.anchor === 'start' ? l.x : l.anchor === 'end' ? l.x - w : l.x - w / 2;
  const top = l.anchor === 'middle' ? l.y - fontSize * 0.8 : l.y - fontSize * 0.85;
  return { x, y: top, width: w, height: fontSize };
}
