// Axis pieces shared by the kinds that draw their own axes.
import type { FigureTheme } from '../theme';

/** A laid-out label: its anchor point and text. */
export interface PlacedLabel {
  x: number;
  y: number;
  text: string;
}

/** A y-axis title, centred on its point and turned to read bottom to top. */
export function VerticalAxisLabel({ label, theme }: { label: PlacedLabel; theme: FigureTheme }) {
  return (
    <text
      x={label.x}
      y={label.y}
      fontSize={theme.fontSize.label}
      textAnchor="middle"
      fill={theme.foreground}
      transform={`rotate(-90 ${label.x} ${label.y})`}
    >
      {label.text}
    </text>
  );
}

/** An unfilled rectangle in a theme colour: a plot frame or a legend's outline. */
export function Outline({
  x,
  y,
  width,
  height,
  stroke,
  theme,
}: {
  x: number;
  y: number;
  width: number;
  height: number;
  stroke: string;
  theme: FigureTheme;
}) {
  return <rect x={x} y={y} width={width} height={height} fill="none" stroke={stroke} strokeWidth={theme.strokeWidth} />;
}

/** A horizontal line at `y` from `x1` to `x2`: a grid line, an axis baseline or a table rule. */
export function HLine({
  x1,
  x2,
  y,
  stroke,
  strokeWidth,
}: {
  x1: number;
  x2: number;
  y: number;
  stroke: string;
  strokeWidth: number;
}) {
  return <line x1={x1} x2={x2} y1={y} y2={y} stroke={stroke} strokeWidth={strokeWidth} />;
}
