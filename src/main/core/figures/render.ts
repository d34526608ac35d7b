// A spec to an SVG string: the kind's options checked by its zod schema, its data built (from
// an evaluation or a dataset by data/<kind>.ts, or inline input by the kind's parseInput), its
// size fixed (width from the spec in points, height from the kind), and the kind's React
// component rendered server-side — the same component the Figures area previews.
//
// react-dom/server loads with the first render, not with this module: every `srlab` command loads
// the core, and only drawing a figure needs it (tests/integration/cli-startup.test.ts).
import { ApiError, zodIssues } from '../../../shared/contract';
import type { FigureRendered } from '../../../shared/contracts/figures';
import type { AnyFigureKind } from '../../../shared/figures/kinds';
import { FIGURE_WIDTHS, FigureSpec, type FigureSpecInput, PT_PER_INCH } from '../../../shared/figures/spec';
import { THEMES } from '../../../shared/figures/theme';
import type { FigureDataDeps } from './deps';

export const XML_PROLOG = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** The kind's definition, or invalid-input naming what exists. */
export async function definitionOf(spec: FigureSpec): Promise<AnyFigureKind> {
  const { figureKind } = await import('../../../shared/figures/kinds');
  const def = figureKind(spec.kind);
  if (!def)
    throw new ApiError('invalid-input', `spec.kind: the figure kind "${spec.kind}" is not available in this build`);
  if (!def.sources.includes(spec.source.kind))
    throw new ApiError(
      'invalid-input',
      `spec.source.kind: a ${spec.kind} figure is drawn from ${def.sources.join(' or ')}, not from ${spec.source.kind === 'input' ? 'inline input' : `a ${spec.source.kind}`}`,
      [{ path: 'spec.source.kind', message: `one of ${def.sources.join(', ')}` }],
    );
  return def;
}

/** The kind's options with defaults filled in, or invalid-input naming each field (spec.options.<field>). */
export function parseOptions(def: AnyFigureKind, options: Record<string, unknown>): unknown {
  const r = def.options.safeParse(options);
  if (r.success) return r.data;
  const issues = zodIssues(r.error).map((i) => ({
    path: i.path === '(input)' ? 'spec.options' : `spec.options.${i.path}`,
    message: i.message,
  }));
  throw new ApiError(
    'invalid-input',
    `${def.label}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    issues,
  );
}

async function dataOf(def: AnyFigureKind, spec: FigureSpec, deps: FigureDataDeps): Promise<unknown> {
  if (spec.source.kind === 'input') {
    if (!def.parseInput)
      throw new ApiError('invalid-input', `spec.source: a ${spec.kind} figure takes no inline input`);
    try {
      return def.parseInput(spec.source.data);
    } catch (err) {
      if (err instanceof ApiError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      throw new ApiError('invalid-input', `spec.source.data: ${message}`, [{ path: 'spec.source.data', message }]);
    }
  }
  const { FIGURE_DATA_BUILDERS } = await import('./registry');
  const build = FIGURE_DATA_BUILDERS[spec.kind];
  if (!build)
    throw new ApiError(
      'invalid-input',
      `spec.source: a ${spec.kind} figure cannot be drawn from a ${spec.source.kind} yet`,
    );
  return build(spec, deps);
}

export async function renderFigure(input: FigureSpecInput | FigureSpec, deps: FigureDataDeps): Promise<FigureRendered> {
  const parsed = FigureSpec.safeParse(input);
  if (!parsed.success)
    throw new ApiError(
      'invalid-input',
      `spec: ${zodIssues(parsed.error)
        .map((i) => `${i.path || '(root)'}: ${i.message}`)
        .join('; ')}`,
      zodIssues(parsed.error).map((i) => ({
        path: i.path === '(input)' ? 'spec' : `spec.${i.path}`,
        message: i.message,
      })),
    );
  const spec = parsed.data;
  const def = await definitionOf(spec);
  const options = parseOptions(def, spec.options);
  const data = await dataOf(def, spec, deps);
  const theme = THEMES[spec.theme];
  const width = FIGURE_WIDTHS[spec.width] * PT_PER_INCH;
  const height = Math.ceil(def.height(data, options, width, theme));
  const [{ createElement }, { renderToStaticMarkup }] = await Promise.all([
    import('react'),
    import('react-dom/server'),
  ]);
  const markup = renderToStaticMarkup(createElement(def.Component, { data, options, theme, size: { width, height } }));
  const svg = XML_PROLOG + withSvgNamespace(markup);
  const normalised: FigureSpec = { ...spec, options: options as Record<string, unknown> };
  return {
    svg,
    caption: spec.caption ?? def.caption(data, options),
    width,
    height,
    spec: normalised,
    rows: def.rows(data, options),
    data,
  };
}

/** A standalone SVG file needs the namespace on its root (React writes only what the kind wrote). */
function withSvgNamespace(markup: string): string {
  if (!markup.startsWith('<svg')) throw new Error('a figure component must render an <svg> root');
  const open = markup.slice(0, markup.indexOf('>'));
  return open.includes('xmlns=') ? markup : `<svg xmlns="http://www.w3.org/2000/svg"${markup.slice(4)}`;
}
