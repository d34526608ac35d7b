import { useMemo } from 'react';
import type { Histogram } from '../../../shared/contracts/datasets';
import { formatCount, formatNumber } from '../lib/format';
import { Axis } from './Axis';
import { ChartSvg, countFormat } from './ChartSvg';
import { histogramLayout, inner, type Frame } from './layout';

const DEFAULT_FRAME: Frame = { width: 340, height: 190, margin: { top: 12, right: 12, bottom: 40, left: 40 } };

export function HistogramChart({
  title,
  hist,
  xLabel,
  frame = DEFAULT_FRAME,
  markers = [],
}: {
  title: string;
  hist: Histogram;
  xLabel: string;
  frame?: Frame;
  /** Vertical reference lines, e.g. the mean and the median. */
  markers?: { label: string; value: number | null }[];
}) {
  const { bins, x, y } = useMemo(() => histogramLayout(hist, frame), [hist, frame]);
  const { width, height } = inner(frame);
  const total = bins.reduce((s, b) => s + b.count, 0);
  const description = `${formatCount(total)} values in ${bins.length} bins from ${formatNumber(x.domain()[0], 0)} to ${formatNumber(
    x.domain()[1],
    0,
  )}; the fullest bin holds ${formatCount(Math.max(0, ...bins.map((b) => b.count)))}.`;
  return (
    <ChartSvg frame={frame} title={title} description={description}>
      <Axis scale={y} orient="left" ticks={4} format={countFormat} />
      <Axis scale={x} orient="bottom" transform={`translate(0,${height})`} ticks={5} format={countFormat} />
      <text x={width / 2} y={height + 32} textAnchor="middle" fontSize={10} fill="currentColor" className="axis-label">
        {xLabel}
      </text>
      <g className="marks">
        {bins.map((b) => (
          <rect key={b.x0} x={b.x} y={b.y} width={b.width} height={b.height} fill="currentColor">
            <title>{`${formatNumber(b.x0, 0)}–${formatNumber(b.x1, 0)}: ${formatCount(b.count)}`}</title>
          </rect>
        ))}
      </g>
      {markers.map(
        (m, i) =>
          m.value !== null &&
          m.value >= x.domain()[0]! &&
          m.value <= x.domain()[1]! && (
            <g key={m.label} className="marker" transform={`translate(${x(m.value)},0)`}>
              <line y1={0} y2={height} stroke="currentColor" strokeDasharray={i === 0 ? '4 3' : '1 2'} />
              <text x={3} y={8 + i * 11} fontSize={9} fill="currentColor">
                {m.label}
              </text>
            </g>
          ),
      )}
    </ChartSvg>
  );
}
