// What the preview draws with the kind's own React component: the figure's data (from the
// server's drawing, or the kind's own parseInput for numbers given inline — the same pure
// function the core runs), the options as the user has them now (a drag changes them without a
// round trip), the theme and the size in points (width from the spec, height from the kind).
import type { FigureRendered } from '../../../../shared/contracts/figures';
import type { AnyFigureKind } from '../../../../shared/figures/kinds';
import type { FigureSize } from '../../../../shared/figures/kind';
import { FIGURE_WIDTHS, PT_PER_INCH } from '../../../../shared/figures/spec';
import { THEMES, type FigureTheme } from '../../../../shared/figures/theme';
import type { FigureDraft } from './figureForm';

export interface PreviewModel {
  data: unknown;
  options: Record<string, unknown>;
  theme: FigureTheme;
  size: FigureSize;
}

/** The figure's data, when the server sent it with the drawing (figures.render's optional `data`). */
function renderedData(rendered: FigureRendered | null): unknown {
  if (!rendered) return undefined;
  return (rendered as FigureRendered & { data?: unknown }).data;
}

/**
 * The props for the kind's component, or null when the preview cannot draw it here (then the
 * area shows the server's SVG as an image). Throws nothing: a kind's parse error leaves it to
 * the server's message.
 */
export function previewModel(
  def: AnyFigureKind | undefined,
  draft: FigureDraft,
  rendered: FigureRendered | null,
): PreviewModel | null {
  if (!def || !rendered || rendered.spec.kind !== def.kind) return null;
  // The user's options as they are now (a drag moved a node) when they parse; else the drawn ones.
  const current = def.options.safeParse(draft.options);
  const options = (current.success ? current.data : rendered.spec.options) as Record<string, unknown>;
  let data = renderedData(rendered);
  if (data === undefined && rendered.spec.source.kind === 'input' && def.parseInput) {
    try {
      data = def.parseInput(rendered.spec.source.data);
    } catch {
      return null;
    }
  }
  if (data === undefined) return null;
  const theme = THEMES[rendered.spec.theme];
  const width = FIGURE_WIDTHS[rendered.spec.width] * PT_PER_INCH;
  const height = Math.ceil(def.height(data, options, width, theme));
  return { data, options, theme, size: { width, height } };
}

/** The server's SVG as an image source (an <img> runs no script and parses no HTML). */
export function svgImageSource(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
