// Server-side rendering of a K3 figure kind for the tests: the same path as export (options
// parsed by the kind's zod, height from the kind, renderToStaticMarkup of its component).
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { FigureKindDefinition } from '../../../src/shared/figures/kind';
import { type FigureTheme, THEMES } from '../../../src/shared/figures/theme';

export function renderKind<D, O>(
  def: FigureKindDefinition<D, O>,
  data: D,
  options: Record<string, unknown> = {},
  width = 504,
  theme: FigureTheme = THEMES.paper,
): { svg: string; options: O; height: number } {
  const parsed = def.options.parse(options);
  const height = def.height(data, parsed, width, theme);
  const svg = renderToStaticMarkup(
    createElement(def.Component, { data, options: parsed, theme, size: { width, height } }),
  );
  return { svg, options: parsed, height };
}

/** Numbers of the viewBox, which must be the figure's size in points. */
export function viewBox(svg: string): number[] {
  const m = /viewBox="([^"]+)"/.exec(svg);
  if (!m) throw new Error('no viewBox');
  return m[1]!.split(' ').map(Number);
}
