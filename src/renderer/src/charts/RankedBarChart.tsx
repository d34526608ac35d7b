import { useMemo } from 'react';
import { formatCount } from '../lib/format';
import { Axis } from './Axis';
import { ChartSvg, countFormat } from './ChartSvg';
import { GroupLegend, groupOpacity, type GroupedCountsProps } from './GroupedBarChart';
import { inner, rankedBarLayout, rankedFrame } from './layout';

/** Names longer than this are cut with "…" (the full name is in the bar's tooltip and the description). */
const NAME_CHARS = 28;
const shortName = (s: string) => (s.length > NAME_CHARS ? `${s.slice(0, NAME_CHARS - 1)}…` : s);

/**
 * One horizontal bar per category, in the order given, stacked by group (e.g. per split) with a
 * legend when there are several; the total is written after each bar. For fields with more
 * values than vertical bars can name.
 */
export function RankedBarChart({ title, categories, groups, value }: GroupedCountsProps) {
  const legend = groups.length > 1;
  const frame = useMemo(() => rankedFrame(categories.length, legend), [categories.length, legend]);
  const { rows, x } = useMemo(
    () => rankedBarLayout(categories, groups, value, frame),
    [categories, groups, value, frame],
  );
  const { height } = inner(frame);
  const description = rows
    .map(
      (r) =>
        `${r.key}: ${formatCount(r.total)}${legend ? ` (${r.segments.map((s) => `${s.group} ${formatCount(s.value)}`).join(', ')})` : ''}`,
    )
    .join('; ');
  return (
    <ChartSvg frame={frame} title={title} description={description}>
      {legend && <GroupLegend groups={groups} />}
      <Axis scale={x} orient="bottom" transform={`translate(0,${height})`} ticks={5} format={countFormat} />
      <g className="marks">
        {rows.map((r) => (
          <g key={r.key}>
            <text
              x={-6}
              y={r.y + r.height / 2}
              dy="0.35em"
              textAnchor="end"
              fontSize={10}
              // Names in the text colour; the bars keep the chart's accent.
              style={{ fill: 'var(--text, #1d2127)' }}
              className="bar-name"
            >
              {shortName(r.key)}
            </text>
            {r.segments.map((s, i) => (
              <rect
                key={s.group}
                x={s.x}
                y={r.y}
                width={Math.max(0, s.width)}
                height={r.height}
                fill="currentColor"
                fillOpacity={groupOpacity(i)}
              >
                <title>{`${r.key}${legend ? `, ${s.group}` : ''}: ${formatCount(s.value)}`}</title>
              </rect>
            ))}
            <text
              x={x(r.total) + 4}
              y={r.y + r.height / 2}
              dy="0.35em"
              fontSize={10}
              fill="currentColor"
              className="bar-value"
            >
              {formatCount(r.total)}
            </text>
          </g>
        ))}
      </g>
    </ChartSvg>
  );
}
