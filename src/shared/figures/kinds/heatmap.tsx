// The per-group heat map of Table 6: % toxic per target group (ToxiGen groups, BOLD domains),
// one column per generator, the value written in every cell (ink chosen for contrast), a colour
// bar beside it. Groups come from the dataset: untrusted text, rendered as SVG text only.
import { z } from 'zod';
import type { FigureKindDefinition, FigureProps } from '../kind';
import { FIGURE_PAD, FigureSvg, FigureTitle, fitTitle, paddedInner } from '../parts/frame';
import { Outline } from '../parts/axis';
import { layoutHeatmap, type HeatmapLayout } from '../layout/heatmap';
import { fitText } from '../layout/table';
import type { FigureTheme } from '../theme';
import { type EvalTableFigureData, parseEvalTableInput, provenanceSentence, tableRows } from './table';

export const HeatmapOptions = z.object({
  /** fixed: the colour ramp spans 0–100 % (comparable across figures); data: 0 to the largest value. */
  domain: z.enum(['fixed', 'data']).default('fixed'),
});
export type HeatmapOptions = z.infer<typeof HeatmapOptions>;

function layoutFor(
  data: EvalTableFigureData,
  options: HeatmapOptions,
  width: number,
  theme: FigureTheme,
): HeatmapLayout {
  return layoutHeatmap(data.table, width, theme.fontSize, theme.sequential, theme.grid, options.domain);
}

function HeatmapFigure({ data, options, theme, size }: FigureProps<EvalTableFigureData, HeatmapOptions>) {
  const inner = paddedInner(size);
  const l = layoutFor(data, options, inner.width, theme);
  const text = { fontFamily: theme.fontFamily, fill: theme.foreground };
  const fs = theme.fontSize;
  return (
    <FigureSvg size={size} padded theme={theme} label={data.table.title}>
      <FigureTitle y={l.titleY} theme={theme} fontFamily={theme.fontFamily}>
        {fitTitle(data.table.title, inner.width, fs.title)}
      </FigureTitle>
      {l.cells.length === 0 && (
        <text x={0} y={l.titleY + fs.title * 2} fontSize={fs.label} {...text}>
          No grouped test set (ToxiGen, BOLD) in this evaluation.
        </text>
      )}
      <g className="headers">
        {l.headers.map((h) => (
          <text key={h.row} x={h.x + h.width / 2} y={h.y} fontSize={fs.tick} textAnchor="middle" {...text}>
            <title>{h.label}</title>
            {fitText(h.label, h.width - 2, fs.tick)}
          </text>
        ))}
      </g>
      {l.blocks.map((b, bi) => (
        <g key={bi} className="block">
          <FigureTitle y={b.y} theme={theme} fontSize={fs.label} fontFamily={theme.fontFamily}>
            {fitTitle(b.label, inner.width - 50, fs.label)}
          </FigureTitle>
          {b.groups.map((g, gi) => (
            <text key={gi} x={l.labelWidth - 4} y={g.y} fontSize={fs.tick} textAnchor="end" {...text}>
              <title>{g.label}</title>
              {fitText(g.label, l.labelWidth - 6, fs.tick)}
            </text>
          ))}
        </g>
      ))}
      <g className="cells">
        {l.cells.map((c) => (
          <g key={`${c.row}|${c.column}`} data-value={c.text}>
            <rect
              x={c.x}
              y={c.y}
              width={c.width}
              height={c.height}
              fill={c.fill}
              stroke={theme.background}
              strokeWidth={0.5}
            />
            <text
              x={c.x + c.width / 2}
              y={c.y + c.height / 2 + fs.annotation * 0.35}
              fontSize={fs.annotation}
              textAnchor="middle"
              fontFamily={theme.fontFamily}
              fill={c.ink}
            >
              {c.text}
            </text>
          </g>
        ))}
      </g>
      {l.cells.length > 0 && (
        <g className="colour-bar">
          {l.legend.steps.map((s, i) => (
            <rect key={i} x={l.legend.x} y={s.y} width={l.legend.width} height={s.h} fill={s.fill} />
          ))}
          <Outline
            x={l.legend.x}
            y={l.legend.top}
            width={l.legend.width}
            height={l.legend.height}
            stroke={theme.muted}
            theme={theme}
          />
          {l.legend.ticks.map((t) => (
            <text
              key={t.value}
              x={l.legend.x + l.legend.width + 3}
              y={t.y + fs.tick * 0.35}
              fontSize={fs.tick}
              {...text}
            >
              {t.value}
            </text>
          ))}
          <text x={l.legend.x - 2} y={l.legend.top - fs.tick * 0.6} fontSize={fs.tick} {...text}>
            % toxic
          </text>
        </g>
      )}
    </FigureSvg>
  );
}

export const heatmapKind: FigureKindDefinition<EvalTableFigureData, HeatmapOptions> = {
  kind: 'heatmap',
  label: 'Toxic outputs per demographic group (Table 6, heat map)',
  sources: ['evaluation', 'input'],
  options: HeatmapOptions,
  parseInput: (data) => parseEvalTableInput(data, ['table6']),
  height: (data, options, width, theme) =>
    layoutFor(data, options, width - 2 * FIGURE_PAD, theme).height + 2 * FIGURE_PAD,
  Component: HeatmapFigure,
  caption: (data, options) =>
    `Table 6 as a heat map: share of items scored above the threshold (%) per target group, for each generator (columns), test set and scorer (blocks); colour from 0 to ${options.domain === 'fixed' ? '100' : 'the largest value'} %, the value written in each cell; lower is better. ${provenanceSentence(data)}`,
  rows: (data) => tableRows(data.table),
};
