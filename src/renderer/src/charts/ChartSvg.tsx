import { useId, type ReactNode } from 'react';
import type { Frame } from './layout';

/** An accessible chart root: role=img with a title and a text description of the data. */
export function ChartSvg({
  frame,
  title,
  description,
  children,
}: {
  frame: Frame;
  title: string;
  description: string;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <svg
      className="chart"
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${frame.width} ${frame.height}`}
      width={frame.width}
      height={frame.height}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      fontFamily="system-ui, sans-serif"
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      <g transform={`translate(${frame.margin.left},${frame.margin.top})`}>{children}</g>
    </svg>
  );
}

export const countFormat = (d: number) => (Math.abs(d) >= 1000 ? `${+(d / 1000).toFixed(1)}k` : String(d));
