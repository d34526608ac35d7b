// StereoSet intrasentence (Table 7 as a chart): LMS, SS and ICAT per domain per generator, one
// panel per metric, with the SS = 50 ideal dashed. From an evaluation's table 7 (the paper's
// rows optionally beside srlab's, outlined and marked "(paper)"), or from `srlab metrics
// stereoset` results given inline with a label each.
import { z } from 'zod';
import type { FigureKindDefinition, FigureProps } from '../kind';
import { FigureSvg, FigureTitle } from '../parts/frame';
import { HLine, VerticalAxisLabel } from '../parts/axis';
import {
  type BarPanelLayout,
  type BarSeries,
  formatScore,
  type LegendEntry,
  layoutStereoset,
  STEREOSET_METRICS,
  type StereosetData,
  type StereosetScore,
} from '../layout/stereoset';
import type { FigureTheme } from '../theme';

export type { StereosetData } from '../layout/stereoset';

export const StereosetOptions = z.object({
  /** Which panels, in order. */
  metrics: z
    .array(z.enum(STEREOSET_METRICS))
    .min(1)
    .max(3)
    .default([...STEREOSET_METRICS]),
  /** Add the paper's Table 7 rows (overall only; PAPER.md) beside an evaluation's. */
  reference: z.boolean().default(false),
});
export type StereosetOptions = z.infer<typeof StereosetOptions>;

const score = z.number().min(0).max(100).nullable();
const Scores = z.object({ n: z.number().int().min(0).optional(), lms: score, ss: score, icat: score });
/** `srlab metrics stereoset` results, each with a label. */
const StereosetInput = z.object({
  generators: z
    .array(
      Scores.extend({
        label: z.string().trim().min(1).max(200),
        byDomain: z.record(z.string().min(1).max(100), Scores).optional(),
      }),
    )
    .min(1)
    .max(20),
});

export function parseStereosetInput(raw: Record<string, unknown>): StereosetData {
  const r = StereosetInput.safeParse(raw);
  if (!r.success)
    throw new Error(
      `stereoset input: ${r.error.issues.map((i) => `input.${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  const domains = [...new Set(r.data.generators.flatMap((g) => Object.keys(g.byDomain ?? {})))].sort();
  const toScore = (s: z.infer<typeof Scores>): StereosetScore => ({
    lms: s.lms,
    ss: s.ss,
    icat: s.icat,
    n: s.n ?? null,
  });
  return {
    origin: 'input',
    domains: ['overall', ...domains.filter((d) => d !== 'overall')],
    generators: r.data.generators.map((g) => ({
      label: g.label,
      reference: false,
      scores: {
        overall: toScore(g),
        ...Object.fromEntries(Object.entries(g.byDomain ?? {}).map(([d, s]) => [d, toScore(s)])),
      },
    })),
  };
}

/** One grouped-bar panel (shared with the human-evaluation figure). */
export function BarPanel({ panel, series, theme }: { panel: BarPanelLayout; series: BarSeries[]; theme: FigureTheme }) {
  const fs = theme.fontSize;
  const sw = theme.strokeWidth;
  const { left, right, top, bottom } = panel.plot;
  return (
    <g className="panel">
      <FigureTitle x={panel.title.x} y={panel.title.y} theme={theme} fontSize={fs.label}>
        {panel.title.text}
      </FigureTitle>
      {panel.yTicks.map((tk) => (
        <g key={tk.label}>
          <HLine x1={left} x2={right} y={tk.y} stroke={theme.grid} strokeWidth={sw * 0.6} />
          <text x={left - 3} y={tk.y + fs.tick / 3} fontSize={fs.tick} textAnchor="end" fill={theme.muted}>
            {tk.label}
          </text>
        </g>
      ))}
      {panel.bars.map((b) => {
        const s = series[b.series]!;
        const colour = theme.categorical[s.colour % theme.categorical.length]!;
        return (
          <g key={`${b.group}|${b.series}`} className="bar">
            <title>{b.tip}</title>
            <rect
              x={b.x}
              y={b.y}
              width={b.width}
              height={b.height}
              fill={s.outlined ? 'none' : colour}
              stroke={colour}
              strokeWidth={s.outlined ? sw * 1.6 : 0}
              strokeDasharray={s.outlined ? '2 1.5' : undefined}
            />
            {b.ci && (
              <path
                d={`M${b.ci.x - 2},${b.ci.y0}H${b.ci.x + 2}M${b.ci.x},${b.ci.y0}V${b.ci.y1}M${b.ci.x - 2},${b.ci.y1}H${b.ci.x + 2}`}
                stroke={theme.foreground}
                strokeWidth={sw}
                fill="none"
              />
            )}
            {b.text && (
              <text
                x={b.x + b.width / 2}
                y={Math.min(b.y, b.ci ? b.ci.y1 : b.y) - 2}
                fontSize={fs.annotation}
                textAnchor="middle"
                fill={theme.foreground}
              >
                {b.text}
              </text>
            )}
          </g>
        );
      })}
      {panel.missing.map((m, i) => (
        <g key={`m${i}`} className="missing">
          <title>{m.tip}</title>
          <text x={m.x} y={m.y - 2} fontSize={fs.tick} textAnchor="middle" fill={theme.muted}>
            –
          </text>
        </g>
      ))}
      <HLine x1={left} x2={right} y={bottom} stroke={theme.muted} strokeWidth={sw} />
      <line x1={left} x2={left} y1={top} y2={bottom} stroke={theme.muted} strokeWidth={sw} />
      {panel.refLine && (
        <g className="ref-line">
          <line
            x1={panel.refLine.x0}
            x2={panel.refLine.x1}
            y1={panel.refLine.y}
            y2={panel.refLine.y}
            stroke={theme.foreground}
            strokeWidth={sw * 1.2}
            strokeDasharray="4 2"
          />
        </g>
      )}
      {panel.xTicks.map((tk) =>
        tk.rotate ? (
          <text
            key={tk.label}
            x={tk.x}
            y={bottom + fs.tick}
            fontSize={fs.tick}
            textAnchor="end"
            fill={theme.muted}
            transform={`rotate(-45 ${tk.x} ${bottom + fs.tick})`}
          >
            {tk.label}
          </text>
        ) : (
          <text
            key={tk.label}
            x={tk.x}
            y={bottom + fs.tick + 2}
            fontSize={fs.tick}
            textAnchor="middle"
            fill={theme.muted}
          >
            {tk.label}
          </text>
        ),
      )}
      {panel.yLabel && <VerticalAxisLabel label={panel.yLabel} theme={theme} />}
    </g>
  );
}

export function Legend({ entries, theme }: { entries: LegendEntry[]; theme: FigureTheme }) {
  const fs = theme.fontSize;
  return (
    <g className="legend">
      {entries.map((e) => {
        const colour = theme.categorical[e.series.colour % theme.categorical.length]!;
        if (e.series.dashedLine)
          return (
            <g key={e.series.key}>
              <line
                x1={e.x}
                x2={e.x + 10}
                y1={e.y - fs.tick / 3}
                y2={e.y - fs.tick / 3}
                stroke={theme.foreground}
                strokeWidth={theme.strokeWidth * 1.2}
                strokeDasharray="4 2"
              />
              <text x={e.x + 14} y={e.y} fontSize={fs.tick} fill={theme.foreground}>
                {e.series.label}
              </text>
            </g>
          );
        return (
          <g key={e.series.key}>
            <rect
              x={e.x}
              y={e.y - fs.tick + 1}
              width={10}
              height={fs.tick - 1}
              fill={e.series.outlined ? 'none' : colour}
              stroke={colour}
              strokeWidth={e.series.outlined ? theme.strokeWidth * 1.6 : 0}
              strokeDasharray={e.series.outlined ? '2 1.5' : undefined}
            />
            <text x={e.x + 14} y={e.y} fontSize={fs.tick} fill={theme.foreground}>
              {e.series.label}
            </text>
          </g>
        );
      })}
    </g>
  );
}

function StereosetFigure({ data, options, theme, size }: FigureProps<StereosetData, StereosetOptions>) {
  const l = layoutStereoset(data, options.metrics, size.width, theme);
  return (
    <FigureSvg size={size} theme={theme} fontFamily={theme.fontFamily}>
      <FigureTitle x={l.title.x} y={l.title.y} theme={theme}>
        {l.title.text}
      </FigureTitle>
      {l.panels.map((p, i) => (
        <BarPanel key={i} panel={p} series={l.series} theme={theme} />
      ))}
      <Legend entries={l.legend} theme={theme} />
    </FigureSvg>
  );
}

export const stereosetKind: FigureKindDefinition<StereosetData, StereosetOptions> = {
  kind: 'stereoset',
  label: 'StereoSet LMS / SS / ICAT per domain (Table 7)',
  sources: ['evaluation', 'input'],
  options: StereosetOptions,
  parseInput: parseStereosetInput,
  height: (data, options, width, theme) => layoutStereoset(data, options.metrics, width, theme).height,
  Component: StereosetFigure,
  caption(data, options) {
    const own = data.generators.filter((g) => !g.reference).map((g) => g.label);
    const ref = data.generators.filter((g) => g.reference).map((g) => g.label);
    return (
      `StereoSet intrasentence ${options.metrics.map((m) => m.toUpperCase()).join(', ')} per domain ` +
      `for ${own.join(', ') || 'no generator'} (${data.origin}); LMS and ICAT: higher is better; SS: 50 is unbiased ` +
      `(dashed line). Macro over targets (METRICS.md section 1).` +
      (ref.length
        ? ` Outlined bars: the paper's Table 7 (overall only) for ${ref.join(', ')}, quoted from PAPER.md.`
        : '')
    );
  },
  rows(data) {
    const rows: (string | number | null)[][] = [['generator', 'source', 'domain', 'n', 'lms', 'ss', 'icat']];
    for (const g of data.generators)
      for (const d of data.domains) {
        const s = g.scores[d];
        if (!s) continue;
        rows.push([g.label, g.reference ? 'paper' : data.origin, d, s.n, s.lms, s.ss, s.icat]);
      }
    return rows;
  },
};

export { formatScore };
