import { useMemo } from 'react';
import type { Describe } from '../../../shared/contracts/datasets';
import { formatCount, formatNumber } from '../lib/format';
import { Axis } from './Axis';
import { ChartSvg } from './ChartSvg';
import { boxPlotLayout, inner, type Frame } from './layout';

/** Horizontal box plots from describe() summaries: box = quartiles, line = median, whiskers = min/max, dot = mean. */
export function BoxPlotChart({
  title,
  groups,
  xLabel,
}: {
  title: string;
  groups: { key: string; describe: Describe }[];
  xLabel: string;
}) {
  const frame: Frame = useMemo(
    () => ({ width: 600, height: 56 + groups.length * 44, margin: { top: 8, right: 20, bottom: 40, left: 76 } }),
    [groups.length],
  );
  const { boxes, x, y } = useMemo(() => boxPlotLayout(groups, frame), [groups, frame]);
  const { width, height } = inner(frame);
  const description = groups
    .map((g) =>
      g.describe.count === 0
        ? `${g.key}: no texts`
        : `${g.key}: n ${formatCount(g.describe.count)}, median ${formatNumber(g.describe.p50)}, quartiles ${formatNumber(
            g.describe.p25,
          )}–${formatNumber(g.describe.p75)}, range ${formatNumber(g.describe.min)}–${formatNumber(g.describe.max)}`,
    )
    .join('; ');
  return (
    <ChartSvg frame={frame} title={title} description={description}>
      <Axis scale={x} orient="bottom" transform={`translate(0,${height})`} ticks={6} />
      <Axis scale={y} orient="left" />
      <text x={width / 2} y={height + 32} textAnchor="middle" fontSize={10} fill="currentColor" className="axis-label">
        {xLabel}
      </text>
      <g className="marks">
        {boxes.map((b) => {
          const mid = b.y + b.height / 2;
          return (
            <g key={b.key}>
              <title>{`${b.key}: median ${formatNumber(x.invert(b.median))}, n ${formatCount(b.count)}`}</title>
              <line x1={b.min} x2={b.q1} y1={mid} y2={mid} stroke="currentColor" />
              <line x1={b.q3} x2={b.max} y1={mid} y2={mid} stroke="currentColor" />
              <line x1={b.min} x2={b.min} y1={mid - b.height / 4} y2={mid + b.height / 4} stroke="currentColor" />
              <line x1={b.max} x2={b.max} y1={mid - b.height / 4} y2={mid + b.height / 4} stroke="currentColor" />
              <rect
                x={b.q1}
                y={b.y}
                width={Math.max(1, b.q3 - b.q1)}
                height={b.height}
                fill="currentColor"
                fillOpacity={0.22}
                stroke="currentColor"
              />
              <line x1={b.median} x2={b.median} y1={b.y} y2={b.y + b.height} stroke="currentColor" strokeWidth={2} />
              {b.mean !== null && <circle cx={b.mean} cy={mid} r={2.5} fill="currentColor" />}
            </g>
          );
        })}
      </g>
    </ChartSvg>
  );
}
