// The pieces every figure kind draws the same way: the root <svg> (sized in points, with the
// theme's background filling it) and the bold figure title. Pure components, so the Figures area
// preview and the server-side export render them alike; attribute order is fixed here because
// exports are compared byte for byte (a spec redraws the identical SVG).
import type { ReactNode } from 'react';
import type { FigureSize } from '../kind';
import { BOLD_FACTOR, fitText } from '../layout/table';
import type { FigureTheme } from '../theme';

/**
 * Space (pt) kept clear around kinds that lay out from the edge, so a title's ascenders and an
 * axis's last label are never cut by the page (and PDF/PNG viewers) at the figure's border.
 */
export const FIGURE_PAD = 4;

/** The size inside FIGURE_PAD, what such a kind lays out in. */
export function paddedInner(size: FigureSize): FigureSize {
  return { width: size.width - 2 * FIGURE_PAD, height: size.height - 2 * FIGURE_PAD };
}

export interface FigureSvgProps {
  size: FigureSize;
  /** Draw the children FIGURE_PAD in from the edges (the kind laid out in `paddedInner(size)`). */
  padded?: boolean;
  theme: FigureTheme;
  /** Set on the root so every text inherits it (kinds that name the font on each text leave it out). */
  fontFamily?: string;
  /** Accessible name (aria-label, role img). */
  label?: string;
  /** Accessible name as an SVG <title> child (role img), for kinds whose name is long or built. */
  title?: string;
  children: ReactNode;
}

/** The root <svg>: width and height in points, a viewBox in points, the background drawn first. */
export function FigureSvg({ size, padded, theme, fontFamily, label, title, children }: FigureSvgProps) {
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      width={`${size.width}pt`}
      height={`${size.height}pt`}
      viewBox={`0 0 ${size.width} ${size.height}`}
      fontFamily={fontFamily}
      role={label !== undefined || title !== undefined ? 'img' : undefined}
      aria-label={label}
    >
      {title !== undefined && <title>{title}</title>}
      <rect x={0} y={0} width={size.width} height={size.height} fill={theme.background} />
      {padded ? <g transform={`translate(${FIGURE_PAD} ${FIGURE_PAD})`}>{children}</g> : children}
    </svg>
  );
}

export interface FigureTitleProps {
  x?: number;
  y: number;
  theme: FigureTheme;
  /** Default: the theme's title size. */
  fontSize?: number;
  /** Where the root <svg> does not set the font. */
  fontFamily?: string;
  children: ReactNode;
}

/** The figure's bold title line. */
export function FigureTitle({
  x = 0,
  y,
  theme,
  fontSize = theme.fontSize.title,
  fontFamily,
  children,
}: FigureTitleProps) {
  return (
    <text x={x} y={y} fontSize={fontSize} fontWeight="bold" fontFamily={fontFamily} fill={theme.foreground}>
      {children}
    </text>
  );
}

/** A bold title cut (with an ellipsis) to fit `width` points at `fontSize`. */
export function fitTitle(title: string, width: number, fontSize: number): string {
  return fitText(title, width / BOLD_FACTOR, fontSize);
}
