import { useMemo } from 'react';
import { formatMetric, lineLayout, type Point } from '../lib/trainSeries';
import { Axis } from './Axis';
import { ChartSvg } from './ChartSvg';
import { inner, type Frame } from './layout';

const DEFAULT_FRAME: Frame = { width: 360, height: 200, margin: { top: 14, right: 14, bottom: 36, left: 52 } };

export interface LineSeries {
  label: string;
  points: Point[];
  /** Dashed line with dots, for sparse series (eval loss at checkpoints). */
  dashed?: boolean;
}

const stepFormat = (d: number) => (Math.abs(d) >= 1000 ? `${+(d / 1000).toFixed(1)}k` : String(d));

/** Lines against the training step; the geometry comes from lineLayout (pure, tested). */
export function LineChart({
  title,
  series,
  kind = 'loss',
  xMax,
  frame = DEFAULT_FRAME,
  testId,
}: {
  title: string;
  series: LineSeries[];
  kind?: 'loss' | 'lr';
  /** The planned total steps, so the x axis does not jump as steps come in. */
  xMax?: number | null;
  frame?: Frame;
  testId?: string;
}) {
  const layout = useMemo(
    () =>
      lineLayout(
        series.map((s) => s.points),
        frame,
        { xMax, zeroBased: kind === 'lr' },
      ),
    [series, frame, xMax, kind],
  );
  const { width, height } = inner(frame);
  const yFormat = useMemo(
    () => (d: number) =>
      formatMetric(d, kind)
        .replace(/(\.\d*?)0+$/, '$1')
        .replace(/\.$/, ''),
    [kind],
  );
  const description = series
    .map((s) => {
      const last = s.points[s.points.length - 1];
      return s.points.length
        ? `${s.label}: ${s.points.length} points, last ${formatMetric(last!.y, kind)} at step ${last!.x}`
        : `${s.label}: no points yet`;
    })
    .join('; ');
  return (
    <figure className="train-chart" data-testid={testId} data-points={series.reduce((n, s) => n + s.points.length, 0)}>
      <ChartSvg frame={frame} title={title} description={description}>
        <Axis scale={layout.y} orient="left" ticks={4} format={yFormat} />
        <Axis scale={layout.x} orient="bottom" transform={`translate(0,${height})`} ticks={5} format={stepFormat} />
        <text
          x={width / 2}
          y={height + 30}
          textAnchor="middle"
          fontSize={10}
          fill="currentColor"
          className="axis-label"
        >
          step
        </text>
        <g className="marks" fill="none" stroke="currentColor">
          {series.map((s, i) => (
            <g key={s.label} className={`series series-${i}`}>
              <path d={layout.paths[i]} strokeWidth={1.5} strokeDasharray={s.dashed ? '4 3' : undefined} />
              {(s.dashed || s.points.length === 1) &&
                layout.dots[i]!.map((p, j) => (
                  <circle key={j} cx={p.x} cy={p.y} r={2.5} fill="currentColor" stroke="none" />
                ))}
            </g>
          ))}
        </g>
      </ChartSvg>
      <figcaption className="chart-legend">
        <strong>{title}</strong>
        {series.map((s, i) => (
          <span key={s.label} className={`legend-item series-${i}`}>
            <svg width={18} height={8} aria-hidden="true">
              <line
                x1={0}
                x2={18}
                y1={4}
                y2={4}
                stroke="currentColor"
                strokeWidth={2}
                strokeDasharray={s.dashed ? '4 3' : undefined}
              />
            </svg>
            {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
