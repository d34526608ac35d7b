import { useMemo } from 'react';
import { formatCount } from '../lib/format';
import { Axis } from './Axis';
import { ChartSvg, countFormat } from './ChartSvg';
import { groupedBarLayout, inner, type Frame } from './layout';

const FRAME: Frame = { width: 300, height: 210, margin: { top: 30, right: 8, bottom: 28, left: 40 } };
/** Groups differ by opacity of the one accent colour, so the chart stays calm and prints in grey. */
const OPACITY = [1, 0.62, 0.36, 0.18];

export function groupOpacity(index: number): number {
  return OPACITY[index % OPACITY.length]!;
}

/** Counts per category and group (e.g. per split), as the grouped and ranked bar charts take them. */
export interface GroupedCountsProps {
  title: string;
  categories: string[];
  groups: string[];
  value: (category: string, group: string) => number;
}

/** Counts per category, side by side per group (e.g. per split), with a legend. */
export function GroupedBarChart({ title, categories, groups, value }: GroupedCountsProps) {
  const { bars, x, y } = useMemo(() => groupedBarLayout(categories, groups, value, FRAME), [categories, groups, value]);
  const { height } = inner(FRAME);
  const description = categories
    .map((c) => `${c}: ${groups.map((g) => `${g} ${formatCount(value(c, g))}`).join(', ')}`)
    .join('; ');
  return (
    <ChartSvg frame={FRAME} title={title} description={description}>
      <GroupLegend groups={groups} />
      <Axis scale={y} orient="left" ticks={4} format={countFormat} />
      <Axis scale={x} orient="bottom" transform={`translate(0,${height})`} />
      <g className="marks">
        {bars.map((b) => (
          <rect
            key={`${b.key}/${b.group}`}
            x={b.x}
            y={b.y}
            width={b.width}
            height={b.height}
            fill="currentColor"
            fillOpacity={groupOpacity(groups.indexOf(b.group!))}
            rx={1.5}
          >
            <title>{`${b.key}, ${b.group}: ${formatCount(b.value)}`}</title>
          </rect>
        ))}
      </g>
    </ChartSvg>
  );
}

/** The swatch-and-name legend above a chart whose bars are split by group (splits). */
export function GroupLegend({ groups }: { groups: readonly string[] }) {
  return (
    <g className="legend" transform="translate(0,-22)">
      {groups.map((g, i) => (
        <g key={g} transform={`translate(${i * 62},0)`}>
          <rect width={10} height={10} fill="currentColor" fillOpacity={groupOpacity(i)} rx={2} />
          <text x={14} y={9} fontSize={10} fill="currentColor" className="legend-text">
            {g}
          </text>
        </g>
      ))}
    </g>
  );
}
