// Style-trait network (the paper's Figure 3, before vs after a safety intervention): traits as
// nodes sized by mean probability, edges between traits that share a text's top-k, coloured by
// valence. Layout and label placement are pure code (../layout/trait-network); this renders them.
// Drag (UI only, when onAdjust is given) keeps every node's position in options.positions, so the
// adjusted picture is saved with the spec and exports identically.
import { useMemo, useState, type PointerEvent, type ReactElement } from 'react';
import { z } from 'zod';
import type { FigureKindDefinition, FigureProps, FigureSize } from '../kind';
import { FigureSvg, FigureTitle } from '../parts/frame';
import { Outline } from '../parts/axis';
import {
  buildGraph,
  layoutNodes,
  MAX_TOP_K,
  type NetworkEdge,
  type NetworkGraph,
  placeLabels,
  type PlacedLabel,
  type TraitNetworkData,
  TraitNetworkOptions,
  type TraitNetworkPanelData,
  type TraitNetworkTrait,
  type Valence,
} from '../layout/trait-network';
import type { FigureTheme } from '../theme';

export type { TraitNetworkData, TraitNetworkOptions } from '../layout/trait-network';

const PAD = 6;
const VALENCE_NAMES: Record<string, string> = { '-1': 'negative', '0': 'neutral', '1': 'positive', null: 'unassigned' };

function columns(panels: number, width: number): number {
  return panels === 2 && width >= 400 ? 2 : 1;
}

/** Three legend lines: valence colours, what size means, what edges mean (one line each, so a single column fits them). */
function legendHeight(theme: FigureTheme): number {
  return 3 * (theme.fontSize.label + 5) + 4;
}

function panelSize(data: TraitNetworkData, width: number, theme: FigureTheme) {
  const cols = columns(data.panels.length, width);
  const pw = (width - PAD * (cols + 1)) / cols;
  const plotH = pw * (cols === 2 ? 0.95 : 0.72);
  const head = theme.fontSize.title + 6;
  return { cols, pw, plotH, head };
}

export function traitNetworkHeight(
  data: TraitNetworkData,
  _o: TraitNetworkOptions,
  width: number,
  theme: FigureTheme,
): number {
  const { cols, plotH, head } = panelSize(data, width, theme);
  const rowsN = Math.ceil(Math.max(1, data.panels.length) / cols);
  return PAD + rowsN * (head + plotH + PAD) + legendHeight(theme);
}

export interface DrawnNode {
  name: string;
  valence: Valence | null;
  /** Unit-square position shared by all panels. */
  unit: [number, number];
  /** Per panel: centre (pt), radius (pt), mean probability, texts in the top-k. */
  at: { x: number; y: number; r: number; mean: number; inTopK: number }[];
}

export interface TraitNetworkGeometry {
  graph: NetworkGraph;
  nodes: DrawnNode[];
  panels: {
    label: string;
    n: number;
    box: { x: number; y: number; width: number; height: number };
    plot: { x: number; y: number; width: number; height: number };
    edges: (NetworkEdge & { from: number; to: number; strokeWidth: number })[];
    labels: PlacedLabel[];
  }[];
  /** The radius (pt) of a node of mean probability p, and the stroke width of an edge of weight w: shared by all panels. */
  radius: (p: number) => number;
  edgeWidth: (w: number) => number;
  legendY: number;
  /** Plot-area margin (pt) that keeps the largest node inside: unit → plot.x + inset + u·(width − 2·inset). */
  inset: number;
}

/** Everything the figure draws, in points: computed once, rendered by the component, checked by tests. */
export function traitNetworkGeometry(
  data: TraitNetworkData,
  o: TraitNetworkOptions,
  theme: FigureTheme,
  size: FigureSize,
): TraitNetworkGeometry {
  const graph = buildGraph(data, o);
  const { cols, pw, plotH, head } = panelSize(data, size.width, theme);
  const side = Math.min(pw, plotH);
  const rMax = Math.max(3, Math.min(12, (0.45 * side) / Math.sqrt(graph.nodes.length + 1)));
  const rMin = 1.2;
  const radius = (p: number) =>
    graph.maxMean > 0 ? rMin + (rMax - rMin) * Math.sqrt(Math.max(0, p) / graph.maxMean) : rMin;
  const edgeWidth = (w: number) => (graph.maxWeight > 0 ? 0.3 + 2.2 * (Math.abs(w) / graph.maxWeight) : 0.3);
  const inset = rMax + 1;
  const unit = layoutNodes(graph, o, (mean) => radius(mean) / side);
  const byTrait = new Map(graph.nodes.map((n, i) => [n.trait, i]));
  const panels = data.panels.map((p, pi) => {
    const col = pi % cols;
    const row = Math.floor(pi / cols);
    const box = { x: PAD + col * (pw + PAD), y: PAD + row * (head + plotH + PAD), width: pw, height: head + plotH };
    const plot = { x: box.x, y: box.y + head, width: pw, height: plotH };
    return { label: p.label, n: p.n, box, plot };
  });
  const nodes: DrawnNode[] = graph.nodes.map((n, i) => ({
    name: n.name,
    valence: n.valence,
    unit: unit[i]!,
    at: panels.map(({ plot }, pi) => ({
      x: plot.x + inset + unit[i]![0] * (plot.width - 2 * inset),
      y: plot.y + inset + unit[i]![1] * (plot.height - 2 * inset),
      r: radius(n.mean[pi]!),
      mean: n.mean[pi]!,
      inTopK: n.inTopK[pi]!,
    })),
  }));
  const rowsN = Math.ceil(Math.max(1, data.panels.length) / cols);
  return {
    graph,
    nodes,
    radius,
    edgeWidth,
    inset,
    legendY: PAD + rowsN * (head + plotH + PAD),
    panels: panels.map((p, pi) => ({
      ...p,
      edges: graph.edges[pi]!.map((e) => ({
        ...e,
        from: byTrait.get(e.a)!,
        to: byTrait.get(e.b)!,
        strokeWidth: edgeWidth(e.weight),
      })),
      // A trait absent from a panel (mean 0, never in a top-k) keeps its place but gets no label there.
      labels: placeLabels(
        nodes.map((n) => ({
          x: n.at[pi]!.x,
          y: n.at[pi]!.y,
          r: n.at[pi]!.r,
          text: n.name,
          priority: n.at[pi]!.inTopK > 0 ? n.at[pi]!.mean : -1,
        })),
        theme.fontSize.annotation,
        p.plot,
      ).filter((l) => nodes[l.node]!.at[pi]!.inTopK > 0),
    })),
  };
}

/**
 * The options.positions a drag leaves: every node where it is drawn now, the dragged one where it
 * was dropped — so redrawing keeps the whole picture and moves only that node.
 */
export function positionsAfterDrag(
  g: TraitNetworkGeometry,
  node: number,
  unit: [number, number],
): Record<string, [number, number]> {
  const positions: Record<string, [number, number]> = {};
  g.nodes.forEach((n, i) => {
    positions[n.name] = i === node ? unit : n.unit;
  });
  return positions;
}

export function valenceColour(v: Valence | null, theme: FigureTheme): string {
  return v === null ? theme.background : theme.diverging[v + 1]!;
}

/** Coordinates to 0.01 pt: far below print resolution, and a dense network's SVG stays small. */
const r2 = (v: number) => Math.round(v * 100) / 100;
const fmtP = (p: number) => p.toFixed(4);
const fmtW = (o: TraitNetworkOptions, w: number) => (o.weighting === 'count' ? String(w) : w.toFixed(3));

/** Edge widths are drawn in steps of this (pt): invisible in print, and edges share paths per step. */
export const EDGE_WIDTH_STEP = 0.25;

function edgeBuckets<E extends { strokeWidth: number; weight: number }>(edges: E[]) {
  const m = new Map<string, { key: string; width: number; negative: boolean; edges: E[] }>();
  for (const e of edges) {
    const width = Math.max(EDGE_WIDTH_STEP, Math.round(e.strokeWidth / EDGE_WIDTH_STEP) * EDGE_WIDTH_STEP);
    const negative = e.weight < 0;
    const key = `${width}${negative ? '-' : '+'}`;
    const b = m.get(key);
    if (b) b.edges.push(e);
    else m.set(key, { key, width, negative, edges: [e] });
  }
  return [...m.values()].sort((a, b) => a.width - b.width || Number(a.negative) - Number(b.negative));
}

/** Each node's strongest links in a panel (at most 5), for its hover text: one pass over the edges. */
function strongestLinks(
  edges: readonly (NetworkEdge & { from: number; to: number })[],
  nodes: number,
  names: (i: number) => string,
  o: TraitNetworkOptions,
): string[] {
  const adj: (NetworkEdge & { from: number; to: number })[][] = Array.from({ length: nodes }, () => []);
  for (const e of edges) {
    adj[e.from]!.push(e);
    adj[e.to]!.push(e);
  }
  return adj.map((mine, node) => {
    if (mine.length === 0) return 'no edges';
    const top = mine
      .sort((a, b) => b.weight - a.weight || a.a - b.a || a.b - b.b)
      .slice(0, 5)
      .map((e) => `${names(e.from === node ? e.to : e.from)} (${e.count} texts, PMI ${e.pmi.toFixed(3)})`);
    return `${mine.length} edge${mine.length === 1 ? '' : 's'}, strongest${o.weighting === 'pmi' ? ' by PMI' : ''}: ${top.join(', ')}`;
  });
}

function weightName(o: TraitNetworkOptions): string {
  return o.weighting === 'count' ? `co-occurrence count (top-${o.topK})` : `PMI, bits (top-${o.topK})`;
}

function TraitNetwork({
  data,
  options: o,
  theme,
  size,
  onAdjust,
}: FigureProps<TraitNetworkData, TraitNetworkOptions>): ReactElement {
  // The node being dragged and its unit-square position (UI only; exports never set it).
  const [drag, setDrag] = useState<{ node: number; panel: number; unit: [number, number] } | null>(null);
  // Computed once per data/options/size: a drag re-renders on every pointer move, the layout stays.
  const { width, height } = size;
  const g = useMemo(() => traitNetworkGeometry(data, o, theme, { width, height }), [data, o, theme, width, height]);
  const fs = theme.fontSize;
  const font = theme.fontFamily;
  const pos = (i: number, pi: number): { x: number; y: number } => {
    const at = g.nodes[i]!.at[pi]!;
    if (!drag || drag.node !== i) return at;
    // Same affine map as the layout: unit → plot (inset by the largest radius).
    const plot = g.panels[pi]!.plot;
    const ins = g.inset;
    return {
      x: plot.x + ins + drag.unit[0] * (plot.width - 2 * ins),
      y: plot.y + ins + drag.unit[1] * (plot.height - 2 * ins),
    };
  };
  const toUnit = (e: PointerEvent<SVGElement>, pi: number): [number, number] | null => {
    const svg = (e.currentTarget as SVGElement).ownerSVGElement ?? (e.currentTarget as SVGSVGElement);
    const ctm = svg.getScreenCTM();
    if (!ctm) return null;
    const pt = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse());
    const plot = g.panels[pi]!.plot;
    const ins = g.inset;
    const clamp = (v: number) => Math.min(1, Math.max(0, v));
    return [
      clamp((pt.x - plot.x - ins) / (plot.width - 2 * ins)),
      clamp((pt.y - plot.y - ins) / (plot.height - 2 * ins)),
    ];
  };
  const finish = () => {
    if (!drag || !onAdjust) return;
    setDrag(null);
    onAdjust({ ...o, positions: positionsAfterDrag(g, drag.node, drag.unit) });
  };
  const links = useMemo(
    () => g.panels.map((p) => strongestLinks(p.edges, g.nodes.length, (j) => g.nodes[j]!.name, o)),
    [g, o],
  );
  const valences = [...new Set(g.nodes.map((n) => String(n.valence)))].sort();
  const ly = g.legendY;
  const row2 = ly + fs.label + 5;
  const maxR = g.radius(g.graph.maxMean);
  return (
    <FigureSvg
      size={size}
      theme={theme}
      fontFamily={font}
      title={`Style-trait network: ${data.panels.map((p) => `${p.label} (n = ${p.n})`).join(' vs ')}`}
    >
      {g.panels.map((p, pi) => (
        <g key={`panel-${pi}`} data-panel={p.label}>
          <FigureTitle x={p.box.x} y={p.box.y + fs.title} theme={theme}>
            {`${data.panels.length === 2 ? (pi === 0 ? 'Before: ' : 'After: ') : ''}${p.label} (n = ${p.n} texts)`}
          </FigureTitle>
          <Outline {...p.plot} stroke={theme.grid} theme={theme} />
          <g data-layer="edges" stroke={theme.muted} strokeOpacity={0.45} fill="none">
            {/* One path per stroke width: a dense network stays a few elements (hover numbers are on the nodes). */}
            {edgeBuckets(p.edges).map((b) => (
              <path
                key={b.key}
                data-edges={b.edges.length}
                d={b.edges
                  .map((e) => {
                    const a = pos(e.from, pi);
                    const c = pos(e.to, pi);
                    return `M${r2(a.x)} ${r2(a.y)}L${r2(c.x)} ${r2(c.y)}`;
                  })
                  .join('')}
                strokeWidth={b.width}
                strokeDasharray={b.negative ? '2 1.5' : undefined}
              />
            ))}
          </g>
          <g data-layer="nodes">
            {g.nodes.map((n, i) => {
              const at = n.at[pi]!;
              if (at.inTopK === 0 && at.mean === 0) return null;
              const c = pos(i, pi);
              return (
                <circle
                  key={n.name}
                  data-trait={n.name}
                  cx={r2(c.x)}
                  cy={r2(c.y)}
                  r={r2(at.r)}
                  fill={valenceColour(n.valence, theme)}
                  fillOpacity={at.inTopK > 0 ? 1 : 0.35}
                  stroke={theme.foreground}
                  strokeWidth={theme.strokeWidth * 0.6}
                  style={onAdjust ? { cursor: 'grab' } : undefined}
                  onPointerDown={
                    onAdjust
                      ? (e) => {
                          (e.currentTarget as Element).setPointerCapture?.(e.pointerId);
                          const u = toUnit(e, pi);
                          if (u) setDrag({ node: i, panel: pi, unit: u });
                        }
                      : undefined
                  }
                  onPointerMove={
                    onAdjust
                      ? (e) => {
                          if (!drag || drag.node !== i) return;
                          const u = toUnit(e, drag.panel);
                          if (u) setDrag({ ...drag, unit: u });
                        }
                      : undefined
                  }
                  onPointerUp={onAdjust ? finish : undefined}
                >
                  <title>{`${n.name} (${p.label}): mean probability ${fmtP(at.mean)}; in the top-${o.topK} of ${at.inTopK} of ${p.n} texts; valence ${VALENCE_NAMES[String(n.valence)]}; ${links[pi]![i]}`}</title>
                </circle>
              );
            })}
          </g>
          <g data-layer="labels">
            {p.labels.map((l) => {
              const c = pos(l.node, pi);
              const at = g.nodes[l.node]!.at[pi]!;
              return (
                <text
                  key={l.node}
                  x={l.x + (c.x - at.x)}
                  y={l.y + (c.y - at.y)}
                  textAnchor={l.anchor}
                  fontSize={fs.annotation}
                  fill={theme.foreground}
                  pointerEvents="none"
                >
                  {g.nodes[l.node]!.name}
                </text>
              );
            })}
          </g>
        </g>
      ))}
      <g data-layer="legend" fontSize={fs.label} fill={theme.foreground}>
        <text x={PAD} y={ly + fs.label}>
          Valence:
        </text>
        {valences.map((v, i) => {
          const x = PAD + 42 + i * 72;
          return (
            <g key={v}>
              <circle
                cx={x + 4}
                cy={ly + fs.label * 0.65}
                r={4}
                fill={valenceColour(v === 'null' ? null : (Number(v) as Valence), theme)}
                stroke={theme.foreground}
                strokeWidth={theme.strokeWidth * 0.6}
              />
              <text x={x + 11} y={ly + fs.label}>
                {VALENCE_NAMES[v]}
              </text>
            </g>
          );
        })}
        <text x={PAD} y={row2 + fs.label}>
          {`Size: mean probability (max ${fmtP(g.graph.maxMean)}, r = ${maxR.toFixed(1)} pt).`}
        </text>
        <text x={PAD} y={row2 + 2 * fs.label + 5}>
          {`Edges: ${weightName(o)} ≥ ${fmtW(o, g.graph.minWeight)}${o.weighting === 'pmi' ? `, ≥ ${o.minCount} texts` : ''}; widest ${g.graph.maxWeight ? fmtW(o, g.graph.maxWeight) : '—'}.`}
        </text>
      </g>
    </FigureSvg>
  );
}

// ---------------------------------------------------------------------------------------------
// Inline input: {traits?: [{name, valence?}], texts: [{probs}]} or {traits?, before: {label?, texts}, after: {label?, texts}}.

const Probs = z.record(z.string().min(1).max(200), z.number().finite().min(0).max(1));
const Texts = z
  .array(z.object({ probs: Probs }))
  .min(1)
  .max(200_000);
const Panel = z.object({ label: z.string().min(1).max(200).optional(), texts: Texts });
const TraitList = z
  .array(
    z.object({
      name: z.string().min(1).max(200),
      valence: z.union([z.literal(-1), z.literal(0), z.literal(1)]).optional(),
    }),
  )
  .max(5000);
const SingleInput = z
  .object({ traits: TraitList.optional(), texts: Texts, label: z.string().min(1).max(200).optional() })
  .strict();
const BeforeAfterInput = z.object({ traits: TraitList.optional(), before: Panel, after: Panel }).strict();

/** Per text, its traits with p > 0 by probability (descending, ties by name), as indices: the first MAX_TOP_K. */
export function topTraits(probs: Record<string, number>, index: Map<string, number>): number[] {
  return Object.entries(probs)
    .filter(([, p]) => p > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, MAX_TOP_K)
    .map(([k]) => index.get(k)!);
}

/** Network data from per-text probability maps: the trait list (given, else every trait seen, sorted), mean per trait, top traits per text. */
export function networkData(
  panels: { label: string; texts: Record<string, number>[] }[],
  given: TraitNetworkTrait[] | null,
  source: string,
): TraitNetworkData {
  const traits: TraitNetworkTrait[] = given ? given.map((t) => ({ ...t })) : [];
  const index = new Map(traits.map((t, i) => [t.name, i]));
  if (!given) {
    const seen = new Set<string>();
    for (const p of panels) for (const t of p.texts) for (const k of Object.keys(t)) seen.add(k);
    for (const name of [...seen].sort()) {
      index.set(name, traits.length);
      traits.push({ name, valence: null });
    }
  }
  const out: TraitNetworkPanelData[] = panels.map((p) => {
    const sums = new Array<number>(traits.length).fill(0);
    const tops: number[][] = [];
    for (const probs of p.texts) {
      const known: Record<string, number> = {};
      for (const [k, v] of Object.entries(probs)) {
        const i = index.get(k);
        if (i === undefined) continue;
        sums[i]! += v;
        known[k] = v;
      }
      tops.push(topTraits(known, index));
    }
    return {
      label: p.label,
      n: p.texts.length,
      mean: sums.map((s) => (p.texts.length ? s / p.texts.length : 0)),
      tops,
    };
  });
  return { traits, panels: out, source };
}

export function parseTraitNetworkInput(data: Record<string, unknown>): TraitNetworkData {
  // Parse with the form the input was meant as (before/after or texts), so an error names its field.
  const r = ('before' in data || 'after' in data ? BeforeAfterInput : SingleInput).safeParse(
    data,
  ) as z.ZodSafeParseResult<z.infer<typeof SingleInput> | z.infer<typeof BeforeAfterInput>>;
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`input.${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const d = r.data;
  let given: TraitNetworkTrait[] | null = null;
  if (d.traits) {
    const seen = new Set<string>();
    given = d.traits.map((t, i) => {
      if (seen.has(t.name)) throw new Error(`input.traits.${i}.name: "${t.name}" is listed twice`);
      seen.add(t.name);
      return { name: t.name, valence: t.valence ?? null };
    });
  }
  const panels =
    'texts' in d
      ? [{ label: d.label ?? 'texts', texts: d.texts.map((t) => t.probs) }]
      : [
          { label: d.before.label ?? 'before', texts: d.before.texts.map((t) => t.probs) },
          { label: d.after.label ?? 'after', texts: d.after.texts.map((t) => t.probs) },
        ];
  if (given) {
    const names = new Set(given.map((t) => t.name));
    panels.forEach((p, pi) =>
      p.texts.forEach((probs, ti) => {
        const unknown = Object.keys(probs).find((k) => !names.has(k));
        if (unknown !== undefined)
          throw new Error(
            `input.${'texts' in d ? '' : pi === 0 ? 'before.' : 'after.'}texts.${ti}.probs: "${unknown}" is not in input.traits`,
          );
      }),
    );
  }
  return networkData(panels, given, 'input');
}

function caption(data: TraitNetworkData, o: TraitNetworkOptions): string {
  const g = buildGraph(data, o);
  const panels = data.panels.map((p, i) => `${p.label} (n = ${p.n} texts, ${g.edges[i]!.length} edges)`).join(' vs ');
  const min = g.minWeight;
  return (
    `Style-trait network (after the paper's Figure 3) from ${data.source}: ${panels}. ` +
    `Nodes are the ${g.nodes.length} traits that appear in some text's top-${o.topK} (at most ${o.maxNodes}, by mean probability), ` +
    `sized by mean style probability and coloured by valence; edges join traits that share a text's top-${o.topK}, ` +
    `weighted by ${o.weighting === 'count' ? 'count of texts' : 'PMI in bits'} (≥ ${o.weighting === 'count' ? min : min.toFixed(3)}` +
    `${o.weighting === 'pmi' && o.minCount > 1 ? `, in ≥ ${o.minCount} texts` : ''}). ` +
    (data.panels.length === 2 ? 'Both panels share one layout and the same size and width scales. ' : '') +
    `Force layout (d3-force), seed ${o.seed}, ${o.ticks} ticks${Object.keys(o.positions).length ? ', positions adjusted by hand' : ''}.`
  );
}

function rows(data: TraitNetworkData, o: TraitNetworkOptions): (string | number | null)[][] {
  const g = buildGraph(data, o);
  const out: (string | number | null)[][] = [
    [
      'panel',
      'n_texts',
      'element',
      'trait',
      'trait_b',
      'mean_probability',
      'texts_in_top_k',
      'count',
      'pmi_bits',
      'weight',
      'valence',
    ],
  ];
  data.panels.forEach((p, pi) => {
    for (const n of g.nodes)
      out.push([p.label, p.n, 'node', n.name, null, n.mean[pi]!, n.inTopK[pi]!, null, null, null, n.valence]);
    for (const e of g.edges[pi]!)
      out.push([
        p.label,
        p.n,
        'edge',
        data.traits[e.a]!.name,
        data.traits[e.b]!.name,
        null,
        null,
        e.count,
        e.pmi,
        e.weight,
        null,
      ]);
  });
  return out;
}

export const traitNetworkKind: FigureKindDefinition<TraitNetworkData, TraitNetworkOptions> = {
  kind: 'trait-network',
  label: 'Style-trait network (Figure 3)',
  sources: ['evaluation', 'input'],
  options: TraitNetworkOptions as z.ZodType<TraitNetworkOptions>,
  parseInput: parseTraitNetworkInput,
  height: traitNetworkHeight,
  Component: TraitNetwork,
  caption,
  rows,
};
