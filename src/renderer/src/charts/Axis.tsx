import { useEffect, useRef } from 'react';
import { axisBottom, axisLeft, select, type AxisDomain, type AxisScale } from 'd3';

/**
 * d3 draws the axis into a ref'd group (its ticks use currentColor), React owns everything
 * else. Tick labels are set with textContent by d3, never as HTML.
 */
export function Axis<D extends AxisDomain>({
  scale,
  orient,
  transform,
  ticks,
  format,
}: {
  scale: AxisScale<D>;
  orient: 'bottom' | 'left';
  transform?: string;
  ticks?: number;
  format?: (d: D) => string;
}) {
  const ref = useRef<SVGGElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const axis = (orient === 'bottom' ? axisBottom(scale) : axisLeft(scale)).tickSizeOuter(0);
    if (ticks !== undefined) axis.ticks(ticks);
    if (format) axis.tickFormat((d) => format(d));
    select(ref.current).call(axis);
  }, [scale, orient, ticks, format]);
  return <g ref={ref} transform={transform} className="axis" fontSize={10} />;
}
