// Grouped bars of Table 5: % unsafe / toxic / flagged per generator, for each test set and
// scorer, the value written above each bar where it fits. The paper's reference rows
// (PAPER.md's Table 5, matched by test set kind and scorer measure) are hatched and outlined,
// and the legend says "paper" for them.
import { z } from 'zod';
import type { FigureKindDefinition, FigureProps } from '../kind';
import { FIGURE_PAD, FigureSvg, FigureTitle, fitTitle, paddedInner } from '../parts/frame';
import { HLine } from '../parts/axis';
import { type BarsLayout, hatchLines, layoutBars, type PlacedLegendEntry } from '../layout/bars';
import { fitText } from '../layout/table';
import type { FigureTheme } from '../theme';
import { type EvalTableFigureData, parseEvalTableInput, provenanceSentence, tableRows } from './table';

export const BarsOptions = z.object({
  /** Add the paper's Table 5 rows where the paper has numbers for the test set kind and measure. */
  reference: z.boolean().default(true),
  /** Write each bar's value above it (where the bar is wide enough for the text). */
  values: z.boolean().default(true),
});
export type BarsOptions = z.infer<typeof BarsOptions>;

export function Swatch({ e, theme, size }: { e: PlacedLegendEntry; theme: FigureTheme; size: number }) {
  const y = e.y - size * 0.85;
  return (
    <g className="legend-entry">
      <rect
        x={e.x}
        y={y}
        width={size}
        height={size}
        fill={e.hatched ? theme.background : e.colour}
        stroke={e.colour}
        strokeWidth={theme.strokeWidth}
      />
      {e.hatched &&
        hatchLines(e.x, y, size, size, 2.5).map((l, i) => <line key={i} {...l} stroke={e.colour} strokeWidth={0.6} />)}
      <text
        x={e.x + size + 4}
        y={e.y}
        fontSize={theme.fontSize.tick}
        fontFamily={theme.fontFamily}
        fill={theme.foreground}
      >
        {e.label}
      </text>
    </g>
  );
}

function layoutFor(data: EvalTableFigureData, options: BarsOptions, width: number, theme: FigureTheme): BarsLayout {
  return layoutBars(data.table, width, theme.fontSize, theme.categorical, theme.muted, options.values);
}

function BarsFigure({ data, options, theme, size }: FigureProps<EvalTableFigureData, BarsOptions>) {
  const inner = paddedInner(size);
  const l = layoutFor(data, options, inner.width, theme);
  const text = { fontFamily: theme.fontFamily, fill: theme.foreground };
  const { plot } = l;
  return (
    <FigureSvg size={size} padded theme={theme} label={data.table.title}>
      <FigureTitle y={l.title.y} theme={theme} fontFamily={theme.fontFamily}>
        {fitTitle(data.table.title, inner.width, theme.fontSize.title)}
      </FigureTitle>
      <g className="legend">
        {l.legend.entries.map((e) => (
          <Swatch key={e.key} e={e} theme={theme} size={8} />
        ))}
      </g>
      <g className="y-axis">
        {l.yTicks.map((t) => (
          <g key={t.value}>
            <HLine x1={plot.left} x2={plot.right} y={t.y} stroke={theme.grid} strokeWidth={theme.strokeWidth} />
            <text
              x={plot.left - 3}
              y={t.y + theme.fontSize.tick * 0.35}
              fontSize={theme.fontSize.tick}
              textAnchor="end"
              {...text}
            >
              {t.value}
            </text>
          </g>
        ))}
        <text
          transform={`translate(${theme.fontSize.label}, ${(plot.top + plot.bottom) / 2}) rotate(-90)`}
          fontSize={theme.fontSize.label}
          textAnchor="middle"
          {...text}
        >
          Items above threshold (%)
        </text>
      </g>
      <g className="bars">
        {l.bars.map((b) => (
          <g key={`${b.row}|${b.column}`} className={b.reference ? 'bar reference' : 'bar'} data-value={b.text}>
            <title>{`${data.table.rows.find((r) => r.key === b.row)!.label} · ${data.table.columns.find((c) => c.key === b.column)!.group ?? ''} ${data.table.columns.find((c) => c.key === b.column)!.label}: ${b.text}%`}</title>
            <rect
              x={b.x}
              y={b.y}
              width={b.width}
              height={b.height}
              fill={b.reference ? theme.background : b.colour}
              stroke={b.reference ? b.colour : 'none'}
              strokeWidth={theme.strokeWidth}
            />
            {b.reference &&
              hatchLines(b.x, b.y, b.width, b.height).map((h, i) => (
                <line key={i} {...h} stroke={b.colour} strokeWidth={0.6} />
              ))}
            {b.labelled && (
              <text
                transform={`translate(${b.x + b.width / 2 + theme.fontSize.annotation * 0.35}, ${b.y - 2}) rotate(-90)`}
                fontSize={theme.fontSize.annotation}
                {...text}
              >
                {b.text}
              </text>
            )}
          </g>
        ))}
        {l.missing.map((m) => (
          <text
            key={`${m.row}|${m.column}`}
            x={m.x}
            y={plot.bottom - 2}
            fontSize={theme.fontSize.annotation}
            textAnchor="middle"
            fill={theme.muted}
            fontFamily={theme.fontFamily}
          >
            –
          </text>
        ))}
      </g>
      <HLine x1={plot.left} x2={plot.right} y={plot.bottom} stroke={theme.foreground} strokeWidth={theme.strokeWidth} />
      <g className="x-axis">
        {l.groups.map((g) => (
          <text
            key={g.column}
            x={g.x + g.width / 2}
            y={plot.bottom + theme.fontSize.tick * 1.3}
            fontSize={theme.fontSize.tick}
            textAnchor="middle"
            {...text}
          >
            {fitText(g.label, g.width + 4, theme.fontSize.tick)}
          </text>
        ))}
        {l.sets.map((s, i) => (
          <g key={i}>
            <HLine
              x1={s.x}
              x2={s.x + s.width}
              y={plot.bottom + theme.fontSize.tick * 1.7}
              stroke={theme.muted}
              strokeWidth={theme.strokeWidth}
            />
            <text
              x={s.x + s.width / 2}
              y={plot.bottom + theme.fontSize.tick * 1.7 + theme.fontSize.label * 1.2}
              fontSize={theme.fontSize.label}
              textAnchor="middle"
              {...text}
            >
              {fitText(s.label, s.width + 4, theme.fontSize.label)}
            </text>
          </g>
        ))}
      </g>
    </FigureSvg>
  );
}

export const barsKind: FigureKindDefinition<EvalTableFigureData, BarsOptions> = {
  kind: 'bars',
  label: 'Unsafe / toxic / flagged outputs per generator and test set (Table 5, grouped bars)',
  sources: ['evaluation', 'input'],
  options: BarsOptions,
  parseInput: (data) => parseEvalTableInput(data, ['table5']),
  height: (data, options, width, theme) =>
    layoutFor(data, options, width - 2 * FIGURE_PAD, theme).height + 2 * FIGURE_PAD,
  Component: BarsFigure,
  caption: (data) =>
    `${data.table.title.replace(/^Table 5: /, 'Table 5 as bars: ')}. Share of items scored above each scorer's threshold, per generator, test set and scorer; "initial" scores the inputs themselves; lower is better. ${provenanceSentence(data)}`,
  rows: (data) => tableRows(data.table),
};
