import { useMemo } from 'react';
import { formatCount } from '../lib/format';
import { Axis } from './Axis';
import { ChartSvg, countFormat } from './ChartSvg';
import { barLayout, inner, type Frame } from './layout';

const FRAME: Frame = { width: 300, height: 190, margin: { top: 16, right: 8, bottom: 28, left: 40 } };

/** Counts per category: one bar each, the count written above it. */
export function BarChart({ title, data }: { title: string; data: { key: string; value: number }[] }) {
  const { bars, x, y } = useMemo(() => barLayout(data, FRAME), [data]);
  const { height } = inner(FRAME);
  const description = data.map((d) => `${d.key}: ${formatCount(d.value)}`).join('; ');
  return (
    <ChartSvg frame={FRAME} title={title} description={description}>
      <Axis scale={y} orient="left" ticks={4} format={countFormat} />
      <Axis scale={x} orient="bottom" transform={`translate(0,${height})`} />
      <g className="marks">
        {bars.map((b) => (
          <g key={b.key}>
            <rect x={b.x} y={b.y} width={b.width} height={b.height} fill="currentColor" rx={2}>
              <title>{`${b.key}: ${formatCount(b.value)}`}</title>
            </rect>
            <text
              x={b.x + b.width / 2}
              y={b.y - 4}
              textAnchor="middle"
              fontSize={10}
              fill="currentColor"
              className="bar-value"
            >
              {formatCount(b.value)}
            </text>
          </g>
        ))}
      </g>
    </ChartSvg>
  );
}
