// The t-distribution plot (the paper's Figure 2) of a one-sample t-test: from an evaluation's
// t-test table (one generator's row) or from the `srlab metrics ttest` input given inline, so
// users can plot their own numbers. The numbers are computed by src/shared/metrics/ttest.ts,
// the same functions `srlab metrics ttest` and the evaluation's t-test table use.
import { z } from 'zod';
import { TTestInput } from '../../contracts/metrics';
import { type Alternative, oneSampleTTest, oneSampleTTestFromSummary, tCritical } from '../../metrics/ttest';
import type { FigureKindDefinition, FigureProps } from '../kind';
import { FigureSvg, FigureTitle } from '../parts/frame';
import { HLine, VerticalAxisLabel } from '../parts/axis';
import { formatInt, formatP, formatT, layoutTDist, type TDistStats } from '../layout/t-dist';

const ALTERNATIVES = ['two-sided', 'greater', 'less'] as const;

export interface TDistData {
  /** Where the numbers come from, for the caption and the data file (e.g. "evaluation 3, generator sr-llm"). */
  origin: string;
  n: number;
  mean: number;
  sd: number;
  mu: number;
  alpha: number;
  /** ±Infinity when sd = 0 and mean ≠ μ; null when undefined (sd = 0 and mean = μ). */
  t: number | null;
  df: number;
  pTwoSided: number | null;
  pGreater: number | null;
  pLess: number | null;
  /** The source's alternative (an evaluation's config; two-sided for input unless given). */
  alternative: Alternative;
}

export const TDistOptions = z.object({
  /** Overrides the source's alternative hypothesis. */
  alternative: z.enum(ALTERNATIVES).optional(),
  /** Which generator's row of an evaluation's t-test table (default: the first). */
  generator: z.string().trim().min(1).max(200).optional(),
});
export type TDistOptions = z.infer<typeof TDistOptions>;

/** The inline input: `srlab metrics ttest`'s input, plus an optional alternative. */
const TDistInput = z.object({ alternative: z.enum(ALTERNATIVES).default('two-sided') });

function zodMessage(error: z.ZodError): string {
  return error.issues.map((i) => `input.${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

export function parseTDistInput(raw: Record<string, unknown>): TDistData {
  const test = TTestInput.safeParse(raw);
  if (!test.success) throw new Error(`t-dist input: ${zodMessage(test.error)}`);
  const alt = TDistInput.safeParse(raw);
  if (!alt.success) throw new Error(`t-dist input: ${zodMessage(alt.error)}`);
  const { values, summary, mu, alpha } = test.data;
  const r = values ? oneSampleTTest(values, mu) : oneSampleTTestFromSummary(summary!, mu);
  const p = (x: number) => (Number.isNaN(x) ? null : x);
  return {
    origin: values ? `input (${formatInt(values.length)} values)` : 'input (summary statistics)',
    n: r.n,
    mean: r.mean,
    sd: r.sd,
    mu: r.mu,
    alpha,
    t: Number.isNaN(r.t) ? null : r.t,
    df: r.df,
    pTwoSided: p(r.pTwoSided),
    pGreater: p(r.pGreater),
    pLess: p(r.pLess),
    alternative: alt.data.alternative,
  };
}

/** The statistics the plot draws, with the options applied. */
export function tDistStats(data: TDistData, options: TDistOptions): TDistStats {
  const alternative = options.alternative ?? data.alternative;
  const p = alternative === 'two-sided' ? data.pTwoSided : alternative === 'greater' ? data.pGreater : data.pLess;
  return { t: data.t, df: data.df, alpha: data.alpha, alternative, p };
}

function TDistFigure({ data, options, theme, size }: FigureProps<TDistData, TDistOptions>) {
  const l = layoutTDist(tDistStats(data, options), size.width, theme);
  const fs = theme.fontSize;
  const sw = theme.strokeWidth;
  const regionColour = theme.categorical[0]!;
  const observedColour = theme.categorical[3]!;
  const { left, right, top, bottom } = l.plot;
  return (
    <FigureSvg size={size} theme={theme} fontFamily={theme.fontFamily}>
      <FigureTitle x={l.title.x} y={l.title.y} theme={theme}>
        {l.title.text}
      </FigureTitle>
      {l.yTicks.map((tk) => (
        <g key={`y${tk.label}`}>
          <HLine x1={left} x2={right} y={tk.y} stroke={theme.grid} strokeWidth={sw * 0.6} />
          <text x={left - 3} y={tk.y + fs.tick / 3} fontSize={fs.tick} textAnchor="end" fill={theme.muted}>
            {tk.label}
          </text>
        </g>
      ))}
      {l.regions.map((r, i) => (
        <g key={`r${i}`} className="rejection-region">
          <path d={r.area} fill={regionColour} fillOpacity={0.35} stroke="none" />
          <rect x={r.strip.x} y={bottom - 3} width={r.strip.width} height={3} fill={regionColour} fillOpacity={0.6} />
        </g>
      ))}
      {l.curves.map((d, i) => (
        <path key={`c${i}`} className="density" d={d} fill="none" stroke={theme.foreground} strokeWidth={sw * 1.4} />
      ))}
      {l.segments.map((s, i) => (
        <line key={`a${i}`} x1={s.x0} x2={s.x1} y1={bottom} y2={bottom} stroke={theme.muted} strokeWidth={sw} />
      ))}
      <line x1={left} x2={left} y1={top} y2={bottom} stroke={theme.muted} strokeWidth={sw} />
      {l.axisBreak && (
        <path
          className="axis-break"
          d={l.axisBreak.path}
          fill="none"
          stroke={theme.foreground}
          strokeWidth={sw * 1.2}
          strokeLinejoin="round"
        />
      )}
      {l.xTicks.map((tk, i) => (
        <g key={`x${i}`}>
          <line x1={tk.x} x2={tk.x} y1={bottom} y2={bottom + 3} stroke={theme.muted} strokeWidth={sw} />
          <text x={tk.x} y={bottom + 4 + fs.tick} fontSize={fs.tick} textAnchor="middle" fill={theme.muted}>
            {tk.label}
          </text>
        </g>
      ))}
      {l.critical.map((c) => (
        <g key={`k${c.t}`} className="critical">
          <line
            x1={c.x}
            x2={c.x}
            y1={top}
            y2={bottom}
            stroke={theme.foreground}
            strokeWidth={sw}
            strokeDasharray="3 2"
          />
          <text
            x={c.anchor === 'start' ? c.x + 2 : c.x - 2}
            y={top + fs.annotation}
            fontSize={fs.annotation}
            textAnchor={c.anchor}
            fill={theme.foreground}
          >
            {c.label}
          </text>
        </g>
      ))}
      {l.observed && (
        <g className="observed">
          <title>{`${l.observed.lines.join(', ')}; n = ${formatInt(data.n)}, mean = ${data.mean}, sd = ${data.sd}`}</title>
          <line x1={l.observed.x} x2={l.observed.x} y1={top} y2={bottom} stroke={observedColour} strokeWidth={sw * 2} />
          {l.observed.lines.map((line, i) => (
            <text
              key={line}
              x={l.observed!.labelX}
              y={top + fs.annotation * (2.6 + 1.25 * i)}
              fontSize={fs.annotation}
              textAnchor={l.observed!.anchor}
              fill={theme.foreground}
            >
              {line}
            </text>
          ))}
        </g>
      )}
      <text x={l.xLabel.x} y={l.xLabel.y} fontSize={fs.label} textAnchor="middle" fill={theme.foreground}>
        {l.xLabel.text}
      </text>
      <VerticalAxisLabel label={l.yLabel} theme={theme} />
      {l.legend.map((it) => (
        <g key={it.kind} className="legend">
          {it.kind === 'region' ? (
            <rect
              x={it.x}
              y={it.y - fs.tick + 1}
              width={12}
              height={fs.tick - 1}
              fill={regionColour}
              fillOpacity={0.35}
            />
          ) : (
            <line
              x1={it.x}
              x2={it.x + 12}
              y1={it.y - fs.tick / 3}
              y2={it.y - fs.tick / 3}
              stroke={it.kind === 'observed' ? observedColour : theme.foreground}
              strokeWidth={it.kind === 'observed' ? sw * 2 : sw}
              strokeDasharray={it.kind === 'critical' ? '3 2' : undefined}
            />
          )}
          <text x={it.x + 16} y={it.y} fontSize={fs.tick} fill={theme.foreground}>
            {it.text}
          </text>
        </g>
      ))}
    </FigureSvg>
  );
}

/** 4 significant digits for the caption (the data file keeps every digit). */
const sig = (x: number) => (Number.isFinite(x) ? String(Number(x.toPrecision(4))) : String(x));

export const tDistKind: FigureKindDefinition<TDistData, TDistOptions> = {
  kind: 't-dist',
  label: 't-distribution (Figure 2)',
  sources: ['evaluation', 'input'],
  options: TDistOptions,
  parseInput: parseTDistInput,
  height: (data, options, width, theme) => layoutTDist(tDistStats(data, options), width, theme).height,
  Component: TDistFigure,
  caption(data, options) {
    const s = tDistStats(data, options);
    const c = tCritical(s.alpha, s.df, s.alternative);
    const crit = `${s.alternative === 'two-sided' ? '±' : s.alternative === 'less' ? '−' : ''}${c.toFixed(3)}`;
    const t = s.t === null ? 'undefined (sd = 0 and mean = μ)' : formatT(s.t);
    return (
      `Student’s t density with df = ${formatInt(s.df)}; shaded: rejection region at α = ${s.alpha} ` +
      `(${s.alternative}); dashed: critical value ${crit}; solid: observed t = ${t} (${formatP(s.p)}). ` +
      `One-sample t-test of H0: mean = ${data.mu} on n = ${formatInt(data.n)} values (mean ${sig(data.mean)}, sd ${sig(data.sd)}), ` +
      `from ${data.origin}.`
    );
  },
  rows(data, options) {
    const s = tDistStats(data, options);
    const num = (x: number | null) => (x === null || !Number.isFinite(x) ? (x === null ? null : String(x)) : x);
    return [
      ['quantity', 'value'],
      ['origin', data.origin],
      ['n', data.n],
      ['mean', data.mean],
      ['sd', data.sd],
      ['mu', data.mu],
      ['t', num(data.t)],
      ['df', data.df],
      ['alternative', s.alternative],
      ['alpha', s.alpha],
      ['p', s.p],
      ['p_two_sided', data.pTwoSided],
      ['p_greater', data.pGreater],
      ['p_less', data.pLess],
      ['t_critical', tCritical(s.alpha, s.df, s.alternative)],
    ];
  },
};
